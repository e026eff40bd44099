import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `count [by COL, ...]` — the number of rows (a one-row table `count`), or a table of counts per value,
/// largest first (ties in first-seen order).
struct CountVerb: VerbStep {
    let by: [(String, SourceRange)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "count", syntax: "count [by COL, ...]", summary: "the number of rows, or a table of counts per value (largest first)",
        example: "users | count by Role"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var by: [(String, SourceRange)] = []
        if p.acceptKeyword("by") { by = try p.columnNames() }
        return CountVerb(by: by, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        if by.isEmpty {
            return Table(names: ["count"], rows: [[String(input.rowCount)]])
        }
        var cols: [Int] = []
        for (name, r) in by { cols.append(try input.requireColumn(name, at: r, verb: "count")) }
        let key = CompositeKey.column(cols.map { input.columns[$0].cells }, rows: input.rowCount)
        let index = ColumnIndex(key)
        let first = index.firstRow
        var counts = [Int](repeating: 0, count: first.count)
        for g in index.groupOfRow { counts[Int(g)] += 1 }
        let order = (0..<counts.count).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var out = Table(
            columns: cols.map { Column(name: input.columns[$0].name, cells: input.columns[$0].cells.gather(order.map { first[$0] })) },
            rowCount: order.count)
        out.columns.append(Column(name: "count", cells: TextColumn(order.map { String(counts[$0]) })))
        return out
    }
}
