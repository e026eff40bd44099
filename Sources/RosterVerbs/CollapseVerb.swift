import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `collapse by KEY, ... join COL, ... [with SEP]` — one row per key. The joined columns hold their
/// distinct non-blank values in first-seen order, joined with SEP (default `|`); every other column
/// keeps the first row's value, and where the merged rows disagree that is reported.
struct CollapseVerb: VerbStep {
    let keys: [(String, SourceRange)]
    let joined: [(String, SourceRange)]
    let separator: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "collapse", syntax: "collapse by KEY, ... join COL, ... [with SEP]",
        summary:
            "one row per key; the joined columns' distinct values joined with SEP (default: the pipe character) in first-seen order; other columns keep the first row's value and disagreements are reported",
        example: "toms | collapse by Email join `CDS code` with \"|\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("by", "after collapse (collapse by KEY join COL)")
        let keys = try p.columnNames("a key column")
        var joined: [(String, SourceRange)] = []
        if p.acceptKeyword("join") { joined = try p.columnNames("a column to join") }
        var sep: Expr?
        if p.acceptKeyword("with") { sep = try p.expression(minPrecedence: Parser.Precedence.concat) }
        return CollapseVerb(keys: keys, joined: joined, separator: sep, range: r.through(p.previousRange))
    }

    /// The input is taken: each column is replaced by its collapsed form as soon as that is made, so a
    /// table no one else holds needs a column or two of extra memory.
    func run(_ input: consuming Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var keyCols: [Int] = []
        for (name, r) in keys { keyCols.append(try input.requireColumn(name, at: r, verb: "collapse")) }
        var joinCols: [Int] = []
        for (name, r) in joined {
            let j = try input.requireColumn(name, at: r, verb: "collapse")
            if keyCols.contains(j) { throw Diagnostic.runtime("collapse: '\(name)' is a key; it cannot be joined too", at: r) }
            joinCols.append(j)
        }
        var sep: [UInt8] = [UInt8(ascii: "|")]
        if let s = separator {
            guard let t = try context.evaluateValue(s).asText else { throw Diagnostic.runtime("the separator must be text", at: s.range) }
            sep = Array(t.utf8)
        }
        let n = input.rowCount
        // Each group's first row, and its rows in file order. The index itself is let go before the
        // rows are laid out by group, and they before the columns are made.
        let (firstRow, groupOfRow) = { (key: TextColumn) -> ([Int], [Int32]) in
            let index = ColumnIndex(key)
            return (index.firstRow, index.groupOfRow)
        }(CompositeKey.column(keyCols.map { input.columns[$0].cells }, rows: n))
        let grouped = GroupedRows(groupOfRow: consume groupOfRow, groupCount: firstRow.count)
        let groups = firstRow.count
        let separator = sep
        let (keyColumns, joinColumns) = (keyCols, joinCols)
        var table = input
        var conflicts: [(String, Int)] = []
        var j = 0
        while j < table.columns.count {
            // Two columns at a time, on two threads, each taken out of the table and changed where it
            // is: a kept column is counted for disagreements and then cut to its groups' first rows
            // (in place when the table held the only copy), a joined column replaced by its values.
            let batch = Array(j..<min(j + 2, table.columns.count))
            let slots = ColumnSlot.takeOut(batch, from: &table)
            let disagreeing = Parallel.map(Array(zip(batch, slots)), work: n) { (at, slot) -> Int in
                if joinColumns.contains(at) {
                    slot.cells = Self.joinDistinct(slot.cells, grouped, separator: separator)
                    return 0
                }
                let count = keyColumns.contains(at) ? 0 : Self.disagreements(slot.cells, grouped)
                slot.cells.keep(rows: firstRow)
                return count
            }
            ColumnSlot.putBack(slots, batch, into: &table)
            for (k, at) in batch.enumerated() where disagreeing[k] > 0 { conflicts.append((table.columns[at].name, disagreeing[k])) }
            j += batch.count
        }
        table.rowCount = groups
        table.lines = table.lines.map { l in firstRow.map { l[$0] } }
        let keyNames = keys.map { Evaluator.spell($0.0) }.joined(separator: ", ")
        context.note("collapse: \(plural(n, "row")) → \(plural(groups, "row")) (one per \(keyNames))", at: range)
        if !conflicts.isEmpty {
            let list = conflicts.map { "\(Evaluator.spell($0.0)) (\(plural($0.1, "key")))" }.joined(separator: ", ")
            context.warn(
                "collapse: merged rows disagree in \(list); kept the first row's value", at: range,
                hints: ["add a column to 'join' to keep all its values"])
        }
        return table
    }

    /// For each group, its rows' distinct non-blank values in first-seen order, joined with `separator`.
    /// Groups are usually a handful of rows, compared directly; a large group switches to a hash index.
    static func joinDistinct(_ src: TextColumn, _ grouped: GroupedRows, separator sep: [UInt8]) -> TextColumn {
        let groups = grouped.groupCount
        var b = TextColumnBuilder(expectedCells: groups, expectedBytes: src.bytes.count + groups)
        src.bytes.withUnsafeBufferPointer { base in
            src.ends.withUnsafeBufferPointer { e in
                grouped.rows.withUnsafeBufferPointer { rows in
                    func cell(_ r: Int) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: base[(r == 0 ? 0 : Int(e[r - 1]))..<Int(e[r])])
                    }
                    var ahead = CellPrefetcher(rows: rows, ends: e, bytes: base)
                    var seen: [Int] = []
                    for g in 0..<groups {
                        let span = grouped.span(g)
                        ahead.prepare(span.upperBound)
                        if span.count == 1 {
                            b.append(cell(Int(rows[span.lowerBound])))  // a group of one row: its value as it is
                            continue
                        }
                        seen.removeAll(keepingCapacity: true)
                        var local: CellIndex?
                        var wrote = false
                        for k in span {
                            let row = Int(rows[k])
                            let c = cell(row)
                            if c.isEmpty { continue }
                            var dup = false
                            if let l = local { dup = l.find(c) != nil } else { for s in seen where ColumnIndex.same(cell(s), c) { dup = true; break } }
                            if dup { continue }
                            if local == nil && seen.count >= 16 {
                                var l = CellIndex(expected: 64)
                                for s in seen { _ = l.insert(cell(s)) }
                                local = l
                            }
                            if local != nil { _ = local!.insert(c) }
                            seen.append(row)
                            if wrote { b.bytes.append(contentsOf: sep) }
                            b.bytes.append(contentsOf: c)
                            wrote = true
                        }
                        b.endCell()
                    }
                }
            }
        }
        return b.finish()
    }

    /// How many groups hold a value in `cells` that differs from their first row's.
    static func disagreements(_ cells: TextColumn, _ grouped: GroupedRows) -> Int {
        var count = 0
        cells.bytes.withUnsafeBufferPointer { b in
            cells.ends.withUnsafeBufferPointer { e in
                grouped.rows.withUnsafeBufferPointer { rows in
                    func cell(_ r: Int32) -> UnsafeBufferPointer<UInt8> {
                        let r = Int(r)
                        return UnsafeBufferPointer(rebasing: b[(r == 0 ? 0 : Int(e[r - 1]))..<Int(e[r])])
                    }
                    var ahead = CellPrefetcher(rows: rows, ends: e, bytes: b)
                    for g in 0..<grouped.groupCount {
                        let span = grouped.span(g)
                        if span.count < 2 { continue }
                        ahead.prepare(span.upperBound)
                        let first = cell(rows[span.lowerBound])
                        for k in (span.lowerBound + 1)..<span.upperBound where !ColumnIndex.same(cell(rows[k]), first) {
                            count += 1
                            break
                        }
                    }
                }
            }
        }
        return count
    }
}
