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
        var nk: [TextColumn] = [], ok: [TextColumn] = []
        for (name, r) in keys {
            nk.append(input.columns[try input.requireColumn(name, at: r, verb: "diff")].cells)
            ok.append(old.columns[try old.requireColumn(name, at: r, verb: "diff (\(oldName))")].cells)
        }
        let index = ColumnIndex(CompositeKey.column(ok, rows: old.rowCount))
        let oldRow = index.firstRow
        let repeatedOld = old.rowCount - oldRow.count
        let common = input.columns.enumerated().compactMap { (j, c) in old.index(of: c.name).map { (j, $0, c.name) } }
        let found = index.lookup(CompositeKey.column(nk, rows: input.rowCount))
        let words = (common.count + 63) / 64
        let differs = Self.differences(input, old, common: common.map { ($0.0, $0.1) }, found: found, oldRow: oldRow, words: words)
        let names = common.map { Array($0.2.utf8) }
        // Change and Changed for the rows, in two halves on two threads for a large table.
        let n = input.rowCount
        let halves = Parallel.halves(n)
        let made = Parallel.map(halves, work: n / halves.count) { rows in Self.changes(rows, found: found, differs: differs, words: words, names: names) }
        var change = made[0].change, changed = made[0].changed
        var counts = made[0].counts  // added, removed, changed, same
        for part in made.dropFirst() {
            change.append(contentsOf: part.change)
            changed.append(contentsOf: part.changed)
            for k in counts.indices { counts[k] += part.counts[k] }
        }
        var seenOld = [Bool](repeating: false, count: oldRow.count)
        for g in found where g >= 0 { seenOld[Int(g)] = true }
        var out = input
        // Removed rows: their old values in the new table's columns.
        let removed = (0..<oldRow.count).filter { !seenOld[$0] }.map { oldRow[$0] }
        if !removed.isEmpty {
            // Each column is copied whole to take the removed rows: the columns side by side.
            let grown = Parallel.map(Array(input.columns.indices), work: input.rowCount) { j -> TextColumn in
                let c = input.columns[j]
                let add: TextColumn = old.index(of: c.name).map { old.columns[$0].cells.gather(removed) } ?? TextColumn(repeating: "", count: removed.count)
                return c.cells.appending(add)
            }
            for j in input.columns.indices { out.columns[j].cells = grown[j] }
            let removedWord = Array("removed".utf8)
            for _ in removed {
                change.append(removedWord)
                changed.endCell()
            }
            counts[1] = removed.count
            out.rowCount += removed.count
            out.lines = nil
        }
        out.setColumn("Change", change.finish())
        out.setColumn("Changed", changed.finish())
        context.note("diff: \(counts[0].grouped) added, \(counts[1].grouped) removed, \(counts[2].grouped) changed, \(counts[3].grouped) same", at: range)
        if repeatedOld > 0 {
            context.warn("diff: \(plural(repeatedOld, "row")) of \(oldName) repeat a key; each key was compared with its first row", at: range)
        }
        return out
    }

    /// The `Change` and `Changed` cells of `rows`, and how many rows were added, changed and the same.
    static func changes(
        _ rows: Range<Int>, found: [Int32], differs: [UInt64], words: Int, names: [[UInt8]]
    ) -> (change: TextColumnBuilder, changed: TextColumnBuilder, counts: [Int]) {
        let added = Array("added".utf8), changedWord = Array("changed".utf8), sameWord = Array("same".utf8)
        var change = TextColumnBuilder(expectedCells: rows.count, expectedBytes: rows.count * 5)
        var changed = TextColumnBuilder(expectedCells: rows.count)
        var counts = [0, 0, 0, 0]
        for i in rows {
            guard found[i] >= 0 else {
                change.append(added)
                changed.endCell()
                counts[0] += 1
                continue
            }
            // The changed columns' names, in the table's order, joined with |.
            var any = false
            for w in 0..<words {
                var m = differs[i * words + w]
                while m != 0 {
                    if any { changed.bytes.append(UInt8(ascii: "|")) }
                    changed.bytes.append(contentsOf: names[w * 64 + m.trailingZeroBitCount])
                    m &= m &- 1
                    any = true
                }
            }
            changed.endCell()
            change.append(any ? changedWord : sameWord)
            counts[any ? 2 : 3] += 1
        }
        return (change, changed, counts)
    }

    /// For each row of `new` found in `old` (`found` its group, `oldRow` the group's row), one bit
    /// per common column (`words` words a row): set where the two cells differ. A column at a time
    /// over the rows, in two halves of the rows on two threads for a large table.
    static func differences(
        _ new: Table, _ old: Table, common: [(new: Int, old: Int)], found: [Int32], oldRow: [Int], words: Int
    ) -> [UInt64] {
        let n = new.rowCount
        var bits = [UInt64](repeating: 0, count: n * words)
        bits.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            let halves = Parallel.halves(n)
            _ = Parallel.map(halves, work: n / halves.count) { rows in
                for (c, pair) in common.enumerated() {
                    let a = new.columns[pair.new].cells, b = old.columns[pair.old].cells
                    let word = c / 64, bit = UInt64(1) << UInt64(c % 64)
                    a.bytes.withUnsafeBufferPointer { ab in
                        b.bytes.withUnsafeBufferPointer { bb in
                            for i in rows where found[i] >= 0 {
                                let o = oldRow[Int(found[i])]
                                let x = UnsafeBufferPointer(rebasing: ab[a.start(i)..<a.end(i)])
                                let y = UnsafeBufferPointer(rebasing: bb[b.start(o)..<b.end(o)])
                                if !ColumnIndex.same(x, y) { target.value[i * words + word] |= bit }
                            }
                        }
                    }
                }
            }
        }
        return bits
    }
}
