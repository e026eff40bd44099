import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Zip files that different programs would read differently (issue 26, item 7): refused, naming
/// what is ambiguous and how to choose.
@Suite("Hostile zip files")
struct HostileZipTests {
    func load(_ parts: [(String, String)], options: String = "") throws -> (Table, String) {
        try HostilePackageTests().load(parts, options: options)
    }

    func loadError(_ parts: [(String, String)], options: String = "") -> Diagnostic? {
        #expect(throws: Diagnostic.self) { _ = try load(parts, options: options) }
    }

    /// A zip naming one entry twice is read first-wins by roster and last-wins by openpyxl: the same
    /// file would show different people. Refused, naming the entry.
    @Test func duplicateEntryNamesAreRefused() throws {
        let first = HostilePackageTests.usersHeader + "\nu1,,,true,,teacher,ann,,Ann,Lee,,,ann@x.org,,,,,\n"
        let last = HostilePackageTests.usersHeader + "\nu1,,,true,,teacher,bo,,Bo,Cho,,,bo@x.org,,,,,\n"
        let d = loadError([("users.csv", first), ("orgs.csv", HostilePackageTests.orgs), ("users.csv", last)])
        #expect(d?.message.contains("this zip file holds two entries named users.csv") == true, "\(d?.message ?? "")")
        #expect(d?.data?.path.hasSuffix("sis.zip") == true)
        let sheet = try HostileWorkbook.xlsx(rows: "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + "</row>")
        var zip = try ZipContainer(bytes: sheet, path: "staff.xlsx")
        let doubled = try ZipContainer.write(zip.names.compactMap { n in (try? zip.read(n)).flatMap { $0 }.map { (n, $0) } } + [("xl/workbook.xml", [])])
        let w = #expect(throws: Diagnostic.self) { try WorkbookReader.read(bytes: doubled, path: "staff.xlsx") }
        #expect(w?.message.contains("two entries named xl/workbook.xml") == true, "\(w?.message ?? "")")
    }

    /// A zip holding two packages (`old/`, `new/`) was read from the first folder without a word:
    /// refused, naming both and how to choose; `package="new"` reads one.
    @Test func aZipWithTwoPackagesIsRefusedUnlessOneIsChosen() throws {
        let ann = HostilePackageTests.usersHeader + "\nu1,,,true,,teacher,ann,,Ann,Lee,,,ann@x.org,,,,,\n"
        let bo = HostilePackageTests.usersHeader + "\nu1,,,true,,teacher,bo,,Bo,Cho,,,bo@x.org,,,,,\n"
        let parts = [("old/users.csv", ann), ("old/orgs.csv", HostilePackageTests.orgs), ("new/users.csv", bo), ("new/orgs.csv", HostilePackageTests.orgs)]
        let d = loadError(parts)
        #expect(d?.message.contains("this zip file holds 2 OneRoster packages: old/, new/") == true, "\(d?.message ?? "")")
        #expect(d?.hints.joined().contains("load … package=\"new\"") == true, "\(d?.hints ?? [])")
        let (t, log) = try load(parts, options: "package=\"new\"")
        #expect(t.column("givenName")!.strings == ["Bo"])
        #expect(log.contains("OneRoster 1.1 package in new/: read users.csv, orgs.csv"), "\(log)")
        let wrong = loadError(parts, options: "package=\"older\"")
        #expect(wrong?.message.contains("no OneRoster package in folder 'older'") == true, "\(wrong?.message ?? "")")
    }
}
