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
        var change = TextColumnBuilder(expectedCells: input.rowCount), changed = TextColumnBuilder(expectedCells: input.rowCount)
        var seenOld = [Bool](repeating: false, count: oldRow.count)
        var counts = [0, 0, 0, 0]  // added, removed, changed, same
        for (i, found) in index.lookup(CompositeKey.column(nk, rows: input.rowCount)).enumerated() {
            guard found >= 0 else { change.append("added"); changed.append(""); counts[0] += 1; continue }
            let g = Int(found)
            seenOld[g] = true
            let o = oldRow[g]
            var names: [String] = []
            for (j, oj, name) in common {
                let same = input.columns[j].cells.withCell(i) { a in old.columns[oj].cells.withCell(o) { ColumnIndex.same(a, $0) } }
                if !same { names.append(name) }
            }
            change.append(names.isEmpty ? "same" : "changed")
            changed.append(names.joined(separator: "|"))
            counts[names.isEmpty ? 3 : 2] += 1
        }
        var out = input
        // Removed rows: their old values in the new table's columns.
        let removed = (0..<oldRow.count).filter { !seenOld[$0] }.map { oldRow[$0] }
        if !removed.isEmpty {
            for (j, c) in input.columns.enumerated() {
                let add: TextColumn = old.index(of: c.name).map { old.columns[$0].cells.gather(removed) } ?? TextColumn(repeating: "", count: removed.count)
                out.columns[j].cells = c.cells.appending(add)
            }
            for _ in removed { change.append("removed"); changed.append("") }
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
}
