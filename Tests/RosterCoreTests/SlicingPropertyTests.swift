import Testing
@testable import RosterData

/// A verb that works row by row must give on a table large enough to be split between two threads
/// (`Parallel.rows` rows and more) what it gives on the table's slices one after another, each small
/// enough to be worked on one thread: the split paths against the one-piece paths.
@Suite("Row-by-row verbs on a large table and on its slices")
struct SlicingPropertyTests {
    static let header = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address"

    /// MCAS users with repairable and unrepairable cells, mangled accents, blanks and pipe-joined
    /// organizations.
    static func users(_ count: Int) -> [String] {
        var rng = Rng(state: 314)
        return (0..<count).map { i in
            let u = rng.pick(["ann", "Bo", "cy.lee", "dee"]) + "\(rng.next() % 60_000)@x.org"
            let role = rng.pick(["TA", "ta", "STC", "XX", "", "DTC"])
            let org = rng.pick(["00050000", "00050000-00055555", "50000", "00050000|00050000-00055556", "abc", ""])
            let first = rng.pick(["Ann", "", "Renée", "José", "JosÃ©", "Renée\u{A0}", " Ann", "Ã‰mile", "Nguyá»…n", "Bo"])
            return "\"\(u)\",\(first),Lee\(i % 7),\(u),\(role),\"\(org)\",\(rng.pick(["", "1030"])),\(rng.pick(["", "617-555-0101"])),,"
        }
    }

    static let hr = "Username,Title\n" + (0..<60_000).filter { $0 % 3 != 0 }.map { "ann\($0)@x.org,T\($0 % 5)" }.joined(separator: "\n") + "\n"

    @Test(
        "the same rows whole and in slices",
        arguments: [
            "r = t | expand Org",
            "r = t | left join hr on Username allow many",
            "r = t | fix as mcas",
            "r = t | where Role == \"TA\" and Org ~ \"^0005\"",
            "r = t | set Fname = lower(trim(Fname)), Org = if(Org == \"\", \"none\", Org)",
            "r = t | unique by Email",
        ])
    func wholeAgreesWithSlices(_ script: String) throws {
        let lines = Self.users(Parallel.rows + 8_000)
        let whole = try rows(script, ["t": Self.header + "\n" + lines.joined(separator: "\n") + "\n", "hr": Self.hr])
        var sliced: [[String]] = []
        let size = 10_000
        for start in stride(from: 0, to: lines.count, by: size) {
            let part = lines[start..<min(lines.count, start + size)]
            let got = try rows(script, ["t": Self.header + "\n" + part.joined(separator: "\n") + "\n", "hr": Self.hr])
            sliced += sliced.isEmpty ? got : Array(got.dropFirst())
        }
        if script.contains("unique") {
            // A key's first row is kept: across slices, only the first slice that has the key keeps it.
            var seen = Set<String>()
            let e = sliced[0].firstIndex(of: "Email")!
            sliced = [sliced[0]] + sliced.dropFirst().filter { seen.insert($0[e]).inserted }
        }
        #expect(whole.count == sliced.count)
        #expect(whole == sliced)
    }
}
