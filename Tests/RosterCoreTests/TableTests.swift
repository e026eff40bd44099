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
        // Each group's rows, group after group, in row order.
        let grouped = index.groupedRows()
        var want: [[Int32]] = Array(repeating: [], count: first.count)
        for (r, g) in groups.enumerated() { want[Int(g)].append(Int32(r)) }
        #expect(grouped.groupCount == first.count)
        #expect((0..<grouped.groupCount).map { Array(grouped.rows[grouped.span($0)]) } == want)
        // Look-ups of present and absent keys.
        let probes = ["user7@district.org", "", "nobody@district.org", values[n / 2]]
        let found = index.lookup(TextColumn(probes))
        for (i, p) in probes.enumerated() {
            #expect(found[i] == (seen[p].map(Int32.init) ?? -1), "\(p)")
            var s = p
            #expect(s.withUTF8 { index.find($0) } == seen[p], "\(p)")
        }
    }

    @Test("merging the partitions' first rows numbers the groups in row order, either list empty or not")
    func mergingFirstRows() {
        var rng = SplitMix64(seed: 8)
        for _ in 0..<200 {
            let rows = (0..<Int.random(in: 0..<60, using: &rng)).shuffled(using: &rng)
            let cut = rows.isEmpty ? 0 : Int.random(in: 0...rows.count, using: &rng)
            let a = rows[..<cut].sorted(), b = rows[cut...].sorted()
            let (first, mapA, mapB) = ColumnIndex.merge(a, b)
            #expect(first == rows.sorted())
            #expect(a.indices.allSatisfy { first[Int(mapA[$0])] == a[$0] })
            #expect(b.indices.allSatisfy { first[Int(mapB[$0])] == b[$0] })
        }
    }

    @Test func gatherFilterAppendAndMerge() {
        let c = TextColumn(["a", "", "ccc", "dd"])
        #expect(c.gather([3, 0, 0, 1]).strings == ["dd", "a", "a", ""])
        #expect(c.filter([true, false, true, false]).strings == ["a", "ccc"])
        #expect(c.appending(TextColumn(["x"])).strings == ["a", "", "ccc", "dd", "x"])
        #expect(c.merging(TextColumn(["1", "2", "3", "4"]), where: [false, true, false, true]).strings == ["a", "2", "ccc", "4"])
    }

    /// Keeping rows in place (the table holds the only copy of its columns) gives what gathering them
    /// gives, quoting marks included, and a table that shares the columns is left as it was.
    @Test func keepingRowsInPlaceAgreesWithGathering() {
        var rng = Rng(state: 21)
        for _ in 0..<300 {
            let n = Int(rng.next() % 40)
            var cells = TextColumn((0..<n).map { _ in rng.pick(["", "a", "bb", "ccc d", "ten bytes!", "x"]) })
            if rng.next() % 2 == 0 { cells.quoteFlips = (0..<n).map { _ in rng.next() % 3 == 0 } }
            let mask = (0..<n).map { _ in rng.next() % 3 != 0 }
            let rows = (0..<n).filter { mask[$0] }
            let want = cells.gather(rows)
            var only = Table(columns: [Column(name: "c", cells: cells.gather(Array(0..<n)))], rowCount: n, lines: (0..<n).map { Int32($0 + 2) })
            let inPlace = only.columns[0].cells.isOnlyCopy()
            #expect(inPlace)
            only.keepRows(mask)
            var shared = Table(columns: [Column(name: "c", cells: cells)], rowCount: n)
            let before = shared
            shared.keepRows(mask)
            func marks(_ c: TextColumn) -> [Bool] { c.quoteFlips ?? Array(repeating: false, count: c.count) }
            for t in [only, shared] {
                #expect(t.rowCount == rows.count)
                #expect(t.columns[0].cells.strings == want.strings)
                #expect(marks(t.columns[0].cells) == marks(want))
            }
            #expect(only.lines == rows.map { Int32($0 + 2) })
            #expect(before.columns[0].cells.strings == cells.strings)
            #expect(before.rowCount == n)
        }
    }

    /// Replacing a few cells agrees with merging a whole column of replacements, quoting marks included.
    @Test func replacingCellsAgreesWithMerging() {
        var seed: UInt64 = 9
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33)
        }
        for _ in 0..<300 {
            let n = next() % 12
            var c = TextColumn((0..<n).map { _ in ["", "a", "bb", "ccc d"][next() % 4] })
            if next() % 2 == 0 { c.quoteFlips = (0..<n).map { _ in next() % 3 == 0 } }
            let mask = (0..<n).map { _ in next() % 3 == 0 }
            let values = (0..<n).map { "v\($0)" }
            let rows = (0..<n).filter { mask[$0] }
            let got = c.replacing(rows: rows, with: rows.map { values[$0] })
            let want = c.merging(TextColumn(values), where: mask)
            #expect(got.strings == want.strings)
            #expect(got.quoteFlips ?? [] == want.quoteFlips ?? [])
        }
    }

    /// A column's case mapped in one pass over its bytes equals String case mapping cell by cell,
    /// and a column with any non-ASCII text is left to the per-cell way.
    @Test func wholeColumnCaseMappingAgreesWithStrings() {
        let cells = ["Ann@X.org", "", "ZZ top", "already lower", "MiXeD 123 !@#[`{"]
        let c = TextColumn(cells)
        #expect(c.asciiCaseMapped(upper: false)?.strings == cells.map { $0.lowercased() })
        #expect(c.asciiCaseMapped(upper: true)?.strings == cells.map { $0.uppercased() })
        #expect(TextColumn(cells + ["Zoë"]).asciiCaseMapped(upper: false) == nil)
    }

    /// Every ASCII byte at every position of a word: the word-at-a-time case mapping agrees with
    /// String's, copying and in place.
    @Test func caseMappingEveryASCIIByte() {
        var rng = Rng(state: 3)
        for _ in 0..<200 {
            let cells = (0..<Int(rng.next() % 6)).map { _ in
                String(decoding: (0..<Int(rng.next() % 20)).map { _ in UInt8(rng.next() % 128) }, as: UTF8.self)
            }
            for upper in [false, true] {
                let want = cells.map { upper ? $0.uppercased() : $0.lowercased() }
                #expect(TextColumn(cells).asciiCaseMapped(upper: upper)?.strings == want)
                var only = TextColumn(cells)
                let mapped = only.mapASCIICase(upper: upper)
                #expect(mapped && only.strings == want)
            }
        }
    }

    /// The whole-column shape questions agree with asking each cell as a String.
    @Test func columnShapeAgreesWithEachCell() {
        var rng = Rng(state: 21)
        let pieces = ["a", "Z", "0", "@", " ", "\t", "|", "é", "\u{A0}", ""]
        for _ in 0..<2_000 {
            let cells = (0..<Int(rng.next() % 6)).map { _ in (0..<Int(rng.next() % 4)).map { _ in rng.pick(pieces) }.joined() }
            let column = TextColumn(cells)
            let trimmed = cells.allSatisfy { $0.isEmpty || ($0.first != " " && $0.first != "\t" && $0.last != " " && $0.last != "\t") }
            #expect(column.hasNoSpacesAtEnds == trimmed, "\(cells)")
            #expect(column.lacks(UInt8(ascii: "|")) == !cells.contains { $0.contains("|") }, "\(cells)")
            #expect(column.isLowercaseASCII == cells.allSatisfy { $0.allSatisfy(\.isASCII) && $0.lowercased() == $0 }, "\(cells)")
            #expect(column.hasEmptyCell == cells.contains(""), "\(cells)")
            #expect(column.withoutQuoteMarks.strings == cells && TextColumnBuilder(column).finish().strings == cells)
        }
    }

    @Test func compositeKeysDoNotRunTogether() {
        let k = CompositeKey.column([TextColumn(["a|b", "a"]), TextColumn(["c", "b|c"])], rows: 2)
        #expect(ColumnIndex(k).groupCount == 2)
    }

    /// A raw buffer grows from heap memory to whole pages and through remapping without losing a byte.
    @Test func rawBufferGrowsAcrossTheMappedThreshold() {
        var b = RawBuffer<UInt32>(capacity: 4)
        let n = 5 * RawBuffer<UInt32>.pagesFrom / 8 + 12_345  // 2.5 times the threshold: to whole pages, then remapped
        var chunk: [UInt32] = (0..<1000).map { UInt32($0) }
        var i = 0
        while i < n {
            let k = min(chunk.count, n - i)
            for j in 0..<k { chunk[j] = UInt32(i + j) }
            chunk.withUnsafeBufferPointer { b.append($0.baseAddress!, k) }
            i += k
        }
        b.append(UInt32(n))
        let out = b.array
        b.free()
        #expect(out.count == n + 1)
        #expect(out.enumerated().allSatisfy { $0.element == UInt32($0.offset) })
    }

    @Test func parallelMapKeepsOrder() {
        let out = Parallel.map(Array(0..<8), work: 1_000_000) { $0 * $0 }
        #expect(out == [0, 1, 4, 9, 16, 25, 36, 49])
    }
}
