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

    /// Mostly cells a portal file has (lower-case ASCII, nothing to trim), so whole columns take the
    /// ways for such columns, and now and then one that does not.
    func plainCell(_ rng: inout Rng) -> String {
        rng.next() % 40 == 0 ? cell(&rng) : rng.pick(["ann@x.org", "bo", "7", "a.b-c", "00050000", "00050000-00055555"])
    }

    @Test func usersAreKeyedAsTheStringWayKeysThem() throws {
        var rng = Rng(state: 5)
        for k in 0..<400 {
            let rows = 1 + Int(rng.next() % 12)
            let names = (0..<rows).map { _ in k % 2 == 0 ? cell(&rng) : plainCell(&rng) }
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

    /// One record per user and organization: each value of the cell a record, a cell without one a
    /// record with a blank part, whichever way the column is read.
    @Test func recordsPerOrganizationAreEachValueOfTheCell() {
        var rng = Rng(state: 6)
        for k in 0..<400 {
            let rows = 1 + Int(rng.next() % 12)
            let orgs = (0..<rows).map { _ in k % 2 == 0 ? cell(&rng) : plainCell(&rng) }
            let names = (0..<rows).map { "u\($0)" }
            let table = Table(columns: [Column(name: "Username", cells: TextColumn(names)), Column(name: "Org", cells: TextColumn(orgs))], rowCount: rows)
            let bySource: [Meaning: Converter.SourceColumn] = [
                .username: .init(cells: TextColumn(names), separator: nil), .organization: .init(cells: TextColumn(orgs), separator: "|"),
            ]
            let records = Converter.records(table, bySource: bySource, rowPer: .organization)
            var want: [(Int, String)] = []
            for r in 0..<rows {
                let values = Converter.values(orgs[r], "|")
                want += values.isEmpty ? [(r, "")] : values.map { (r, $0) }
            }
            let parts = records.parts.finish()
            #expect(records.count == want.count, "\(orgs)")
            guard records.count == want.count else { continue }
            for (j, (row, part)) in want.enumerated() {
                #expect(records.rows(j).map(Int.init) == [row] && parts[j] == part, "\(orgs)")
            }
        }
    }

    /// A column carried over as written is each record's cell without the spaces around it.
    @Test func columnsCarriedOverAreTheCellsTrimmed() throws {
        var rng = Rng(state: 8)
        let registry = FormatRegistry.standard
        for k in 0..<200 {
            let rows = 1 + Int(rng.next() % 12)
            let names = (0..<rows).map { "u\($0)@x.org" }
            let firsts = (0..<rows).map { _ in k % 2 == 0 ? cell(&rng) : plainCell(&rng) }
            let orgs = (0..<rows).map { _ in k % 3 == 0 ? cell(&rng) : plainCell(&rng) }
            var table = Table(
                columns: [
                    Column(name: "Username", cells: TextColumn(names)), Column(name: "Fname", cells: TextColumn(firsts)),
                    Column(name: "Org", cells: TextColumn(orgs)),
                ], rowCount: rows)
            table.formatName = "mcas"
            let converter = Converter(target: registry.format(named: "toms")!, source: registry.format(named: "mcas"), formats: registry)
            let (out, _) = converter.convert(table)
            var want: [String] = []
            for r in 0..<rows { want += Array(repeating: firsts[r].trimmingCharacters(in: " \t"), count: max(1, Converter.values(orgs[r], "|").count)) }
            #expect(out.column("First name")?.strings == want, "\(firsts) \(orgs)")
        }
    }
}
