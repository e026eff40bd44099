import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// OneRoster packages made to stall (issue 26, item 7): large packages are read in time linear in
/// their rows, and their notes name a few and count the rest.
@Suite("Hostile packages")
struct HostilePackageTests {
    static let usersHeader = OneRosterPackage.usersHeader.joined(separator: ",")
    static let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-d,,,Lincoln,district,00050000,\n"

    /// Loads a zip of `parts` (written by roster's own zip writer, duplicates and all) as `sis.zip`.
    func load(_ parts: [(String, String)], options: String = "") throws -> (Table, String) {
        let folder = temporaryFolder()
        try Files.write(try ZipContainer.write(parts.map { ($0.0, Array($0.1.utf8)) }), to: folder + "/sis.zip")
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: folder)
        try s.run(SourceFile(name: "t", text: "t = load \"sis.zip\" \(options)"))
        return (s.tables["t"]!, sink.stderr)
    }

    func loadError(_ parts: [(String, String)], options: String = "") -> Diagnostic? {
        #expect(throws: Diagnostic.self) { _ = try load(parts, options: options) }
    }

    /// 200,000 users whose organizations orgs.csv lacks took 120 s: each unknown id was looked for
    /// in a list of those already found. The warning names the first few and counts them all.
    @Test func usersWithUnknownOrganizationsLoadInLinearTime() throws {
        let users = (0..<40_000).map { "u\($0),,,true,org-\($0),teacher,u\($0),,A,B,,,u\($0)@x.org,,,,," }.joined(separator: "\n")
        var loaded: (Table, String)?
        let time = try HostileWorkbook.seconds { loaded = try load([("users.csv", Self.usersHeader + "\n" + users + "\n"), ("orgs.csv", Self.orgs)]) }
        let (t, log) = try #require(loaded)
        #expect(t.rowCount == 40_000)
        #expect(time < 10, "took \(time) s")
        #expect(
            log.contains(
                "organizations orgs.csv does not give an identifier for, kept as their ids: org-0, org-1, org-2, org-3, org-4, org-5, org-6, org-7, … (40,000 in all)"
            ), "\(log)")
    }

    /// 100,000 users with two roles each, at organizations orgs.csv lacks, took 147 s: each unknown
    /// id was looked for in a list. The notes about roles name a few and count the rest.
    @Test func usersWithSeveralRolesLoadInLinearTime() throws {
        let n = 30_000
        let users =
            "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email\n"
            + (0..<n).map { "u\($0),,,true,u\($0),A,B,u\($0)@x.org\n" }.joined()
        let roles =
            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,orgSourcedId\n"
            + (0..<n).map { "r\($0)a,,,u\($0),primary,teacher,org-\($0)\nr\($0)b,tobedeleted,,u\($0),secondary,proctor,sch-\($0)\n" }.joined()
        var loaded: (Table, String)?
        let time = try HostileWorkbook.seconds {
            loaded = try load([
                ("manifest.csv", "propertyName,value\noneroster.version,1.2\n"), ("users.csv", users), ("roles.csv", roles), ("orgs.csv", Self.orgs),
            ])
        }
        let (t, log) = try #require(loaded)
        #expect(t.rowCount == n && t.column("role")![n - 1] == "teacher")
        #expect(time < 10, "took \(time) s")
        #expect(log.contains("left out (the users keep their other roles): u0 (proctor at sch-0), u1 (proctor at sch-1)"), "\(log.prefix(2000))")
        #expect(log.contains("… (30,000 in all)"), "\(log.prefix(2000))")
        #expect(log.utf8.count < 10_000, "the notes are \(log.utf8.count) bytes")
    }
}
