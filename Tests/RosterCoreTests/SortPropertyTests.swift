import Testing
@testable import RosterData

/// `sort` ranks each key's distinct values and sorts the ranks; the result must be the stable sort
/// a plain comparison of the cells gives, for text, numbers, blanks, repeats and descending keys.
@Suite("Sort against a row-by-row reference")
struct SortPropertyTests {
    /// Text by code point (UTF-8 byte order); a column of numbers by value, blanks last.
    func reference(_ rows: [[String]], keys: [(Int, Bool)]) -> [[String]] {
        let numeric = keys.map { k in rows.allSatisfy { $0[k.0].isEmpty || Double($0[k.0]) != nil } }
        func cmp(_ a: [String], _ b: [String], _ k: Int, _ number: Bool) -> Int {
            let x = a[k], y = b[k]
            if number {
                switch (Double(x), Double(y)) {
                case let (p?, q?): return p < q ? -1 : (p > q ? 1 : 0)
                case (.some, nil): return -1
                case (nil, .some): return 1
                default: break
                }
            }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (y.utf8.lexicographicallyPrecedes(x.utf8) ? 1 : 0)
        }
        let indexed = rows.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            for (n, k) in keys.enumerated() {
                var r = cmp(a.1, b.1, k.0, numeric[n])
                if k.1 { r = -r }
                if r != 0 { return r < 0 }
            }
            return a.0 < b.0
        }.map(\.1)
    }

    @Test func sortingAgreesWithComparingCells() throws {
        var rng = Rng(state: 17)
        let texts = ["ann", "Ann", "bo", "", "zoë", "Zoe", "é", "10", "9"]
        let numbers = ["1", "2", "10", "", "3", "2", "007"]
        for _ in 0..<150 {
            let n = Int(rng.next() % 30)
            let rows = (0..<n).map { i in [rng.pick(texts), rng.pick(numbers), String(i)] }
            let csv = "t,n,i\n" + rows.map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
            let keys: [(Int, Bool)] = (0..<(1 + Int(rng.next() % 2))).map { _ in (Int(rng.next() % 2), rng.next() % 2 == 0) }
            let spelled = keys.map { ["t", "n"][$0.0] + ($0.1 ? " desc" : "") }.joined(separator: ", ")
            let got = try RosterCoreTests.rows("r = x | sort \(spelled)", ["x": csv]).dropFirst()
            #expect(Array(got) == reference(rows, keys: keys), "sort \(spelled)")
        }
    }

    @Test("a table large enough to be gathered in halves on two threads sorts as the reference does")
    func largeSortAgrees() throws {
        var rng = Rng(state: 4242)
        let texts = ["ann", "Ann", "bo", "", "zoë", "Zoe", "é", "10", "9", "lee", "Lee", "ng"]
        let rows = (0..<(Parallel.rows + 5_000)).map { i in [rng.pick(texts) + rng.pick(["", "a", "b"]), String(rng.next() % 500), String(i)] }
        let csv = "t,n,i\n" + rows.map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        for (spelled, keys) in [("t", [(0, false)]), ("n desc, t", [(1, true), (0, false)])] {
            let got = try RosterCoreTests.rows("r = x | sort \(spelled)", ["x": csv]).dropFirst()
            #expect(Array(got) == reference(rows, keys: keys), "sort \(spelled)")
        }
    }

    /// The radix order is the stable order of the keys, for keys of one digit, several, and none.
    @Test func radixOrderIsTheStableOrder() {
        var rng = Rng(state: 17)
        for bits in [0, 1, 5, 11, 12, 22, 23, 40, 63] {
            for _ in 0..<20 {
                let n = Int(rng.next() % 300)
                let top = bits == 0 ? 0 : UInt64.max >> UInt64(64 - bits)
                // Few distinct keys, so equal keys are common and their order shows.
                let pool = (0..<4).map { _ in top == 0 ? 0 : rng.next() & top }
                let keys = (0..<n).map { _ in rng.pick(pool) }
                let want = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
                #expect(RadixSort.order(keys, bits: bits) == want, "\(bits) bits")
            }
        }
    }
}
