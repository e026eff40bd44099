import Testing
@testable import RosterData
@testable import RosterDiagnostics

/// `diff` and `join` against row-by-row references on generated tables: keys that repeat, are
/// missing on either side or blank, and tables wider than one 64-column word of change bits.
@Suite("diff and join against row-by-row references")
struct MatchingVerbPropertyTests {
    static func csv(_ names: [String], _ rows: [[String]]) -> String {
        ([names] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Two tables sharing a key column `k` and some other columns.
    static func pair(_ rng: inout SplitMix64) -> (new: ([String], [[String]]), old: ([String], [[String]])) {
        let width = [2, 5, 150].randomElement(using: &rng)!  // 150: more than two words of change bits
        let names = ["k"] + (1..<width).map { "c\($0)" }
        let oldNames = names.filter { $0 == "k" || Int.random(in: 0..<5, using: &rng) != 0 }.reversed() + ["only_old"]
        func rows(_ n: Int, _ cols: [String]) -> [[String]] {
            (0..<n).map { _ in cols.map { $0 == "k" ? "key\(Int.random(in: 0..<12, using: &rng))" : ["", "a", "b"].randomElement(using: &rng)! } }
        }
        return ((names, rows(Int.random(in: 1...20, using: &rng), names)), (Array(oldNames), rows(Int.random(in: 1...20, using: &rng), Array(oldNames))))
    }

    /// `new | diff old on k`, row by row: each new row against the old table's first row of its key,
    /// then the old rows no new row matched.
    static func diffReference(_ new: ([String], [[String]]), _ old: ([String], [[String]])) -> [[String]] {
        let oldKey = old.0.firstIndex(of: "k")!
        var firstOld: [String: Int] = [:]
        for (r, row) in old.1.enumerated() where firstOld[row[oldKey]] == nil { firstOld[row[oldKey]] = r }
        var want: [[String]] = [new.0 + ["Change", "Changed"]]
        var seen = Set<Int>()
        for row in new.1 {
            guard let o = firstOld[row[0]] else {
                want.append(row + ["added", ""])
                continue
            }
            seen.insert(o)
            let changed = new.0.enumerated().compactMap { j, name in
                old.0.firstIndex(of: name).flatMap { old.1[o][$0] == row[j] ? nil : name }
            }
            want.append(row + [changed.isEmpty ? "same" : "changed", changed.joined(separator: "|")])
        }
        for o in firstOld.values.sorted() where !seen.contains(o) {
            want.append(new.0.map { name in old.0.firstIndex(of: name).map { old.1[o][$0] } ?? "" } + ["removed", ""])
        }
        return want
    }

    @Test("diff marks each row as comparing it with the old table's first row of its key does (300 pairs)")
    func diffAgrees() throws {
        var rng = SplitMix64(seed: 5150)
        for i in 0..<300 {
            let (new, old) = Self.pair(&rng)
            let got = try rows("r = new | diff old on k", ["new": Self.csv(new.0, new.1), "old": Self.csv(old.0, old.1)])
            let want = Self.diffReference(new, old)
            #expect(got == want, "case \(i)")
            if got != want { return }
        }
    }

    @Test("diff of tables large enough to be worked in two halves on two threads agrees with the reference")
    func largeDiffAgrees() throws {
        var rng = SplitMix64(seed: 2718)
        let names = ["k", "a", "b", "c"], oldNames = ["c", "k", "a", "gone"]
        func generate(_ n: Int, _ cols: [String], keys: Int) -> [[String]] {
            (0..<n).map { _ in
                cols.map { $0 == "k" ? "user\(Int.random(in: 0..<keys, using: &rng))" : ["", "x", "yy", "zzz"].randomElement(using: &rng)! }
            }
        }
        let new = (names, generate(Parallel.rows + 7_000, names, keys: 45_000))
        let old = (oldNames, generate(Parallel.rows + 3_000, oldNames, keys: 45_000))
        let got = try rows("r = new | diff old on k", ["new": Self.csv(new.0, new.1), "old": Self.csv(old.0, old.1)])
        let want = Self.diffReference(new, old)
        #expect(got.count == want.count)
        #expect(got == want)
    }

    @Test("a left join gives each row its matches in the other table's order, or blanks (300 pairs)")
    func leftJoinAgrees() throws {
        var rng = SplitMix64(seed: 8086)
        for i in 0..<300 {
            let (new, old) = Self.pair(&rng)
            let other = (["k", "extra"], old.1.map { [$0[old.0.firstIndex(of: "k")!], $0.last!] })
            let got = try rows("r = new | left join other on k allow many", ["new": Self.csv(new.0, new.1), "other": Self.csv(other.0, other.1)])
            var want: [[String]] = [new.0 + ["extra"]]
            for row in new.1 {
                let matches = other.1.filter { $0[0] == row[0] }
                if matches.isEmpty { want.append(row + [""]) } else { for m in matches { want.append(row + [m[1]]) } }
            }
            #expect(got == want, "case \(i)")
            if got != want { return }
        }
    }

    @Test("a column measured then written in two passes equals one built cell by cell, from no rows to two halves")
    func measuredColumns() {
        var rng = SplitMix64(seed: 99)
        for n in [0, 1, 5, 1_000, Parallel.rows + 11] {
            let cells = (0..<n).map { _ in String(repeating: "é", count: Int.random(in: 0..<4, using: &rng)) }
            let utf8 = cells.map { Array($0.utf8) }
            let column = TextColumn.measured(
                count: n, length: { utf8[$0].count },
                write: { i, to in for (k, b) in utf8[i].enumerated() { to[k] = b } })
            #expect(column?.count == n)
            #expect(column?.strings == cells, "\(n) cells")
            #expect(TextColumn.measured(count: n, length: { _ in 0 }, write: { _, _ in })?.strings == Array(repeating: "", count: n))
        }
        // More than a column holds (4 GiB): refused after measuring, before any byte is allocated or written.
        let huge = TextColumn.measured(count: 2, length: { _ in 3 << 30 }, write: { _, _ in Issue.record("a cell was written") })
        #expect(huge == nil)
    }

    @Test("gathering with a negative index gives a blank cell, and keeps the other cells and quoting marks")
    func gatherWithBlanks() {
        var column = TextColumn(["a", "bb", "", "ccc"])
        column.quoteFlips = [false, true, false, false]
        let g = column.gather([3, -1, 1, 2, -1, 0, 1])
        #expect((0..<g.count).map { g[$0] } == ["ccc", "", "bb", "", "", "a", "bb"])
        #expect(g.quoteFlips == [false, false, true, false, false, false, true])
    }
}
