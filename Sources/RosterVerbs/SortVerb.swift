import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `sort COL [desc], ...` — stable sort. A column whose non-blank cells are all numbers sorts by
/// value (exactly, however many digits), blanks last; any other column sorts as text by code point.
struct SortVerb: VerbStep {
    let keys: [(name: String, range: SourceRange, descending: Bool)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "sort", syntax: "sort COL [desc], ...", summary: "stable sort: a column of numbers by value (blanks last), any other column as text",
        example: "users | sort Lname, Fname"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var keys: [(name: String, range: SourceRange, descending: Bool)] = []
        repeat {
            let (name, nr) = try p.columnName()
            var desc = false
            if p.acceptKeyword("desc") { desc = true } else { _ = p.acceptKeyword("asc") }
            keys.append((name, nr, desc))
        } while p.acceptSymbol(",")
        return SortVerb(keys: keys, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var columns: [(TextColumn, [Double?], Bool)] = []
        for k in keys {
            let j = try input.requireColumn(k.name, at: k.range, verb: "sort")
            let c = input.columns[j].cells
            // A column sorts as numbers only when every non-blank cell is one: a column of codes
            // (00050000, 00050000-00055555) sorts as text, so codes with one prefix stay together.
            var nums = [Double?](repeating: nil, count: c.count)
            var allNumbers = true
            c.forEachCell { i, cell in
                guard allNumbers, !TextColumn.isBlank(cell) else { return }
                nums[i] = Value.parseNumber(cell)
                if nums[i] == nil { allNumbers = false }
            }
            if !allNumbers { nums = [] }
            columns.append((c, nums, k.descending))
        }
        // Each key becomes a rank per row: its distinct values sorted once (a column of a few hundred
        // surnames sorts a few hundred values, not a million). The ranks then sort as integers.
        var ranks: [[Int32]] = []
        var widths: [UInt64] = []
        for (c, nums, desc) in columns {
            let index = ColumnIndex(c)
            var groups = Array(0..<index.groupCount)
            groups.sort { compare(c, nums, index.firstRow[$0], index.firstRow[$1]) < 0 }
            var rankOfGroup = [Int32](repeating: 0, count: index.groupCount)
            var rank: Int32 = 0
            for (k, g) in groups.enumerated() {
                // Values that compare equal (1.0 and 1) share a rank, so the sort stays stable over them.
                if k > 0 && compare(c, nums, index.firstRow[groups[k - 1]], index.firstRow[g]) != 0 { rank += 1 }
                rankOfGroup[g] = rank
            }
            let top = rank
            ranks.append(index.groupOfRow.map { desc ? top - rankOfGroup[Int($0)] : rankOfGroup[Int($0)] })
            widths.append(UInt64(top) + 1)
        }
        if context.isCancelled() { throw Diagnostic(.interrupted(nothingChanged: true), at: range) }
        // The ranks of all keys as one number per row when they fit in 64 bits, sorted by radix
        // (stable: equal keys keep their order).
        var room = UInt64.max
        var fits = true
        for w in widths {
            if w > room {
                fits = false
                break
            }
            room /= w
        }
        var order: [Int]
        if fits {
            var keys = [UInt64](repeating: 0, count: input.rowCount)
            for r in 0..<input.rowCount {
                var key: UInt64 = 0
                for k in ranks.indices { key = key * widths[k] + UInt64(ranks[k][r]) }
                keys[r] = key
            }
            let largest = widths.reduce(1, *) - 1
            order = RadixSort.order(keys, bits: UInt64.bitWidth - largest.leadingZeroBitCount)
        } else {
            order = Array(0..<input.rowCount)
            order.sort { a, b in
                for k in ranks.indices where ranks[k][a] != ranks[k][b] { return ranks[k][a] < ranks[k][b] }
                return a < b
            }
        }
        if context.isCancelled() { throw Diagnostic(.interrupted(nothingChanged: true), at: range) }
        return input.gather(order)
    }

    /// One key's order for two rows: numbers by value (exactly beyond 15 digits), numbers before
    /// blanks, text by code point.
    func compare(_ c: TextColumn, _ nums: [Double?], _ a: Int, _ b: Int) -> Int {
        switch nums.isEmpty ? (nil, nil) : (nums[a], nums[b]) {
        case let (x?, y?):
            let r = x < y ? -1 : (x > y ? 1 : 0)
            // Beyond 15 digits two different numbers can be one Double: compare the digits.
            if r == 0 { return c.withCell(a) { p in c.withCell(b) { q in Value.compareDecimal(p, q) ?? 0 } } }
            return r
        case (.some, nil): return -1
        case (nil, .some): return 1
        default: return c.withCell(a) { x in c.withCell(b) { y in VectorOps.compare(x, y) } }
        }
    }
}
