import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

@Suite("Tables and indexes")
struct TableTests {
    /// Keys with many repeats, some empty, in a column big enough for the two-partition path.
    static func keys(_ n: Int) -> [String] {
        var rng = SplitMix64(seed: 5)
        return (0..<n).map { _ in
            let k = Int.random(in: 0..<40_000, using: &rng)
            return k % 997 == 0 ? "" : "user\(k)@district.org"
        }
    }

    @Test("ColumnIndex groups like a dictionary, in first-seen order", arguments: [10, 1_000, 150_000])
    func groupingMatchesADictionary(n: Int) {
        let values = Self.keys(n)
        let index = ColumnIndex(TextColumn(values))
        var seen: [String: Int] = [:]
        var first: [Int] = []
        var groups: [Int32] = []
        for (r, v) in values.enumerated() {
            if let g = seen[v] {
                groups.append(Int32(g))
            } else {
                seen[v] = first.count
                groups.append(Int32(first.count))
                first.append(r)
            }
        }
        #expect(index.firstRow == first)
        #expect(index.groupOfRow == groups)
        // Look-ups of present and absent keys.
        let probes = ["user7@district.org", "", "nobody@district.org", values[n / 2]]
        let found = index.lookup(TextColumn(probes))
        for (i, p) in probes.enumerated() {
            #expect(found[i] == (seen[p].map(Int32.init) ?? -1), "\(p)")
            var s = p
            #expect(s.withUTF8 { index.find($0) } == seen[p], "\(p)")
        }
    }

    @Test func gatherFilterAppendAndMerge() {
        let c = TextColumn(["a", "", "ccc", "dd"])
        #expect(c.gather([3, 0, 0, 1]).strings == ["dd", "a", "a", ""])
        #expect(c.filter([true, false, true, false]).strings == ["a", "ccc"])
        #expect(c.appending(TextColumn(["x"])).strings == ["a", "", "ccc", "dd", "x"])
        #expect(c.merging(TextColumn(["1", "2", "3", "4"]), where: [false, true, false, true]).strings == ["a", "2", "ccc", "4"])
    }

    @Test func compositeKeysDoNotRunTogether() {
        let k = CompositeKey.column([TextColumn(["a|b", "a"]), TextColumn(["c", "b|c"])], rows: 2)
        #expect(ColumnIndex(k).groupCount == 2)
    }

    @Test func parallelMapKeepsOrder() {
        let out = Parallel.map(Array(0..<8), work: 1_000_000) { $0 * $0 }
        #expect(out == [0, 1, 4, 9, 16, 25, 36, 49])
    }
}
