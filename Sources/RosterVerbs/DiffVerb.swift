import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `diff TABLE on KEY` — compare this table (new) with TABLE (old) by key. Rows gain `Change`
/// (`added`, `removed`, `changed`, `same`) and `Changed` (the changed columns, `|`-separated).
/// Removed rows come last, with their old values.
struct DiffVerb: VerbStep {
    let other: PipelineSource
    let keys: [(String, SourceRange)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "diff", syntax: "diff TABLE on KEY, ...",
        summary: "compare with an older table by key: adds Change (added, removed, changed, same) and Changed (the changed columns)",
        example: "this_year | diff last_year on Email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        let other = try p.otherTable("diff")
        try p.expectKeyword("on", "after the table (diff TABLE on KEY)")
        return DiffVerb(other: other, keys: try p.columnNames("a key column"), range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (old, oldName) = try context.table(for: other)
        var keyPairs: [(new: Int, old: Int)] = []
        for (name, r) in keys {
            keyPairs.append((try input.requireColumn(name, at: r, verb: "diff"), try old.requireColumn(name, at: r, verb: "diff (\(oldName))")))
        }
        let nk = keyPairs.map { input.columns[$0.new].cells }, ok = keyPairs.map { old.columns[$0.old].cells }
        let index = ColumnIndex(CompositeKey.column(ok, rows: old.rowCount))
        let oldRow = index.firstRow
        let repeatedOld = old.rowCount - oldRow.count
        let common = input.columns.enumerated().compactMap { (j, c) in old.index(of: c.name).map { (j, $0, c.name) } }
        let found = index.lookup(CompositeKey.column(nk, rows: input.rowCount))
        let words = (common.count + 63) / 64
        // A matched row's key cells are equal by the match (composite keys are exact), so they are not compared.
        let compared = common.enumerated().filter { _, c in !keyPairs.contains { $0.new == c.0 && $0.old == c.1 } }.map {
            (bit: $0.offset, new: $0.element.0, old: $0.element.1)
        }
        let differs = Self.differences(input, old, compared: compared, found: found, oldRow: oldRow, words: words)
        let names = common.map { Array($0.2.utf8) }
        // Old rows that no new row matched, in the old table's order: they come last, as removed.
        var seenOld = [Bool](repeating: false, count: oldRow.count)
        for g in found where g >= 0 { seenOld[Int(g)] = true }
        let removed = (0..<oldRow.count).filter { !seenOld[$0] }.map { oldRow[$0] }
        let (kinds, counts) = Self.kinds(found: found, differs: differs, words: words, removed: removed.count)
        var out = input
        if !removed.isEmpty {
            // Removed rows: their old values in the new table's columns. Each column is copied whole
            // to take them: the columns side by side.
            let grown = Parallel.map(Array(input.columns.indices), work: input.rowCount) { j -> TextColumn in
                let c = input.columns[j]
                let add: TextColumn = old.index(of: c.name).map { old.columns[$0].cells.gather(removed) } ?? TextColumn(repeating: "", count: removed.count)
                return c.cells.appending(add)
            }
            for j in input.columns.indices { out.columns[j].cells = grown[j] }
            out.rowCount += removed.count
            out.lines = nil
        }
        guard let change = Self.changeColumn(kinds),
            let changed = Self.changedColumn(rows: out.rowCount, found: found, differs: differs, words: words, names: names)
        else {
            throw Diagnostic.runtime(
                "diff: the Change and Changed columns would hold more than 4 GiB (a column's limit)", at: range,
                hints: ["compare fewer rows, or fewer or shorter-named columns: select them before the diff"])
        }
        out.setColumn("Change", change)
        out.setColumn("Changed", changed)
        context.note(
            "diff: \(counts.added.grouped) added, \(removed.count.grouped) removed, \(counts.changed.grouped) changed, \(counts.same.grouped) same", at: range)
        if repeatedOld > 0 {
            context.warn("diff: \(plural(repeatedOld, "row")) of \(oldName) repeat a key; each key was compared with its first row", at: range)
        }
        return out
    }

    /// The words of `Change`, by kind, one after another: `changeWords[changeStarts[k]..<changeStarts[k + 1]]`.
    static let changeWords = Array("addedchangedsameremoved".utf8), changeStarts = [0, 5, 12, 16, 23]

    /// Each row's kind of change (an index into `changeWords`): the new table's rows, then `removed`
    /// removed rows; and how many new rows were added, changed and the same.
    static func kinds(
        found: [Int32], differs: [UInt64], words: Int, removed: Int
    ) -> (kinds: [UInt8], counts: (added: Int, changed: Int, same: Int)) {
        let n = found.count
        var tallies: [[Int]] = []
        let kinds = [UInt8](unsafeUninitializedCapacity: n + removed) { out, count in
            let shared = UncheckedSendable(out)
            let halves = Parallel.halves(n)
            tallies = Parallel.map(halves, work: n / halves.count) { rows -> [Int] in
                var tally = [0, 0, 0]
                for i in rows {
                    var kind = 0
                    if found[i] >= 0 {
                        var any: UInt64 = 0
                        for w in 0..<words { any |= differs[i * words + w] }
                        kind = any != 0 ? 1 : 2
                    }
                    shared.value[i] = UInt8(kind)
                    tally[kind] += 1
                }
                return tally
            }
            for i in n..<(n + removed) { out[i] = 3 }
            count = n + removed
        }
        let sum = tallies.reduce([0, 0, 0]) { a, b in zip(a, b).map(+) }
        return (kinds, (sum[0], sum[1], sum[2]))
    }

    /// The `Change` column: each row's kind as a word. Nil when it would hold more than a column can.
    static func changeColumn(_ kinds: [UInt8]) -> TextColumn? {
        let words = changeWords, starts = changeStarts
        return TextColumn.measured(
            count: kinds.count, length: { i in starts[Int(kinds[i]) + 1] - starts[Int(kinds[i])] },
            write: { i, to in
                let k = Int(kinds[i])
                words.withUnsafeBufferPointer { to.update(from: $0.baseAddress! + starts[k], count: starts[k + 1] - starts[k]) }
            })
    }

    /// The `Changed` column: for each row found in the old table, the names of the columns whose
    /// cells differ (the bits of `differs`), in the table's order, joined with `|`; empty for added
    /// and removed rows (`rows` past the new table's). Nil when it would hold more than a column can.
    static func changedColumn(rows: Int, found: [Int32], differs: [UInt64], words: Int, names: [[UInt8]]) -> TextColumn? {
        let n = found.count
        // The names one after another, and where each starts (so that no closure below holds an array of arrays).
        let joined = names.flatMap { $0 }
        let starts = names.reduce(into: [0]) { s, name in s.append(s.last! + name.count) }
        return TextColumn.measured(
            count: rows,
            length: { i in
                guard i < n, found[i] >= 0 else { return 0 }
                var length = 0, columns = 0
                for w in 0..<words {
                    var m = differs[i * words + w]
                    while m != 0 {
                        let c = w * 64 + m.trailingZeroBitCount
                        length += starts[c + 1] - starts[c]
                        columns += 1
                        m &= m &- 1
                    }
                }
                return columns == 0 ? 0 : length + columns - 1
            },
            write: { i, to in
                guard i < n, found[i] >= 0 else { return }
                joined.withUnsafeBufferPointer { from in
                    var pos = 0
                    for w in 0..<words {
                        var m = differs[i * words + w]
                        while m != 0 {
                            if pos > 0 {
                                to[pos] = UInt8(ascii: "|")
                                pos += 1
                            }
                            let c = w * 64 + m.trailingZeroBitCount
                            let length = starts[c + 1] - starts[c]
                            (to + pos).update(from: from.baseAddress! + starts[c], count: length)
                            pos += length
                            m &= m &- 1
                        }
                    }
                }
            })
    }

    /// For each row of `new` found in `old` (`found` its group, `oldRow` the group's row), one bit
    /// per common column (`words` words a row): set where the two cells of a `compared` pair differ. A column at a time
    /// over the rows, in two halves of the rows on two threads for a large table.
    static func differences(
        _ new: Table, _ old: Table, compared: [(bit: Int, new: Int, old: Int)], found: [Int32], oldRow: [Int], words: Int
    ) -> [UInt64] {
        let n = new.rowCount
        var bits = [UInt64](repeating: 0, count: n * words)
        bits.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            let halves = Parallel.halves(n)
            _ = Parallel.map(halves, work: n / halves.count) { rows in
                // Each row's old row, found once for all the columns (-1 for a new key).
                let olds = rows.map { i in found[i] < 0 ? -1 : oldRow[Int(found[i])] }
                for pair in compared {
                    let a = new.columns[pair.new].cells, b = old.columns[pair.old].cells
                    let word = pair.bit / 64, bit = UInt64(1) << UInt64(pair.bit % 64)
                    a.bytes.withUnsafeBufferPointer { ab in
                        b.bytes.withUnsafeBufferPointer { bb in
                            a.ends.withUnsafeBufferPointer { ae in
                                b.ends.withUnsafeBufferPointer { be in
                                    for (k, i) in rows.enumerated() {
                                        let o = olds[k]
                                        if o < 0 { continue }
                                        let xs = i == 0 ? 0 : Int(ae[i - 1]), ys = o == 0 ? 0 : Int(be[o - 1])
                                        let length = Int(ae[i]) - xs
                                        // Cells of one length that is not zero: both arrays hold bytes.
                                        let same =
                                            length == Int(be[o]) - ys
                                            && (length == 0
                                                || ColumnIndex.same(
                                                    UnsafeBufferPointer(start: ab.baseAddress! + xs, count: length),
                                                    UnsafeBufferPointer(start: bb.baseAddress! + ys, count: length)))
                                        if !same { target.value[i * words + word] |= bit }
                                    }
                                }
                            }
                        }
                    }
                }
                return true
            }
        }
        return bits
    }
}
