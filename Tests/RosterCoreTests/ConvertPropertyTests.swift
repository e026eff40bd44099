import Testing
@testable import RosterData
@testable import RosterPortal

/// The byte paths of `convert` against the `String` way they stand in for, on random cells of
/// spaces, tabs, separators, accents and combining marks.
@Suite("Conversion against String references")
struct ConvertPropertyTests {
    static let pieces = ["a", "B", "7", " ", "\t", "|", ",", "||", "é", "e\u{301}", "\u{301}", "Ö", "–", "x.org", ""]

    func cell(_ rng: inout Rng) -> String { (0..<Int(rng.next() % 7)).map { _ in rng.pick(Self.pieces) }.joined() }

    @Test func splittingCellsAgreesWithStrings() {
        var rng = Rng(state: 3)
        for _ in 0..<3000 {
            var c = cell(&rng)
            for separator in [nil, "|", ",", "||", "–"] as [String?] {
                let fromBytes = c.withUTF8 { Converter.values($0, separator) }
                #expect(fromBytes == Converter.values(c, separator), "\(c.debugDescription) \(separator ?? "none")")
            }
        }
    }

    @Test func trimmingCellsAgreesWithStrings() {
        var rng = Rng(state: 4)
        for _ in 0..<3000 {
            var c = cell(&rng)
            let want = c.trimmingCharacters(in: " \t")
            let got = c.withUTF8 { Converter.trimmed($0).map { String(decoding: $0, as: UTF8.self) } }
            if let got { #expect(got == want, "\(c.debugDescription)") }
        }
    }

    @Test func usersAreKeyedAsTheStringWayKeysThem() throws {
        var rng = Rng(state: 5)
        for _ in 0..<200 {
            let rows = 1 + Int(rng.next() % 12)
            let names = (0..<rows).map { _ in cell(&rng) }
            let mails = (0..<rows).map { _ in cell(&rng) }
            let table = Table(columns: [Column(name: "Username", cells: TextColumn(names)), Column(name: "Email", cells: TextColumn(mails))], rowCount: rows)
            let keys = Converter.UserKeys(
                table, bySource: [.username: .init(cells: TextColumn(names), separator: nil), .email: .init(cells: TextColumn(mails), separator: nil)])
            for r in 0..<rows {
                let want =
                    [names[r], mails[r]].map { $0.trimmingCharacters(in: " \t").lowercased() }.first { !$0.isEmpty } ?? "\u{1}row \(r)"
                #expect(keys.key(r) == want)
            }
        }
    }
}
