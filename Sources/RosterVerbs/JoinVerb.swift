import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `join TABLE on KEY [= KEY2], ...` and `left join …` — add the other table's columns to matching rows.
/// Inner join keeps matching rows only; left join keeps every row (blanks where nothing matched).
/// A key that matches several rows of the other table gives one row for each, and is reported.
/// The other table's key columns are not added: where rows match they equal this table's keys.
struct JoinVerb: VerbStep {
    let other: PipelineSource
    let keys: [(left: String, leftRange: SourceRange, right: String, rightRange: SourceRange)]
    let left: Bool
    let range: SourceRange

    static func parse(_ p: inout ScriptParser, _ r: SourceRange, left: Bool) throws(Diagnostic) -> any VerbStep {
        let other = try p.otherTable("join")
        try p.expectKeyword("on", "after the table (join TABLE on KEY)")
        var keys: [(left: String, leftRange: SourceRange, right: String, rightRange: SourceRange)] = []
        repeat {
            let (l, lr) = try p.columnName("a key column")
            var (rt, rr) = (l, lr)
            if p.acceptSymbol("=") || p.acceptSymbol("==") { (rt, rr) = try p.columnName("the other table's key column") }
            keys.append((l, lr, rt, rr))
        } while p.acceptSymbol(",")
        return JoinVerb(other: other, keys: keys, left: left, range: r.through(p.previousRange))
    }

    static let innerDescriptor = VerbDescriptor(
        name: "join", syntax: "join TABLE on KEY [= KEY2], ...",
        summary: "add the other table's columns to matching rows (rows with no match are left out and counted)",
        example: "users | join hr on Email = email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, left: false) }

    static let leftDescriptor = VerbDescriptor(
        name: "left join", syntax: "left join TABLE on KEY [= KEY2], ...", summary: "like join, but every row is kept (blank where nothing matched)",
        example: "users | left join hr on Email = email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, left: true) }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (right, rightName) = try context.table(for: other)
        var lk: [TextColumn] = [], rk: [TextColumn] = []
        var rightKeyCols: Set<Int> = []
        for k in keys {
            lk.append(input.columns[try input.requireColumn(k.left, at: k.leftRange, verb: "join")].cells)
            let rj = try right.requireColumn(k.right, at: k.rightRange, verb: "join (\(rightName))")
            rk.append(right.columns[rj].cells)
            rightKeyCols.insert(rj)  // equal to the left key where rows match
        }
        // Index the other table: key → its rows (chained in order).
        let index = ColumnIndex(CompositeKey.column(rk, rows: right.rowCount))
        let next = index.chains()
        let lkey = CompositeKey.column(lk, rows: input.rowCount)
        var leftRows: [Int] = [], rightRows: [Int] = []
        var matched = 0, unmatched = 0, multi = 0
        for (i, g) in index.lookup(lkey).enumerated() {
            if g >= 0 {
                matched += 1
                var r = index.firstRow[Int(g)]
                if next[r] >= 0 { multi += 1 }
                while r >= 0 { leftRows.append(i); rightRows.append(r); r = Int(next[r]) }
            } else {
                unmatched += 1
                if left { leftRows.append(i); rightRows.append(-1) }
            }
        }
        var out = input.gather(leftRows)
        var renamed: [String] = []
        for (j, c) in right.columns.enumerated() where !rightKeyCols.contains(j) {
            var b = TextColumnBuilder(expectedCells: rightRows.count)
            for r in rightRows {
                if r < 0 { b.endCell() } else { c.cells.withCell(r) { b.append($0) } }
            }
            var name = c.name
            if out.index(of: name) != nil {
                name = "\(c.name) (\(rightName))"
                var k = 2
                while out.index(of: name) != nil { name = "\(c.name) (\(rightName) \(k))"; k += 1 }
                renamed.append("'\(c.name)' → '\(name)'")
            }
            out.columns.append(Column(name: name, cells: b.finish()))
        }
        let verb = left ? "left join" : "join"
        var msg = "\(verb): \(matched.grouped) of \(plural(input.rowCount, "row")) matched \(rightName)"
        if unmatched > 0 { msg += "; \(unmatched.grouped) did not (\(left ? "kept with blanks" : "left out"))" }
        context.note(msg, at: range)
        if multi > 0 {
            context.warn(
                "\(verb): \(plural(multi, "row")) matched more than one row of \(rightName) and now appear once per match", at: range,
                hints: ["make the other table's key unique first: \(rightName) | unique by \(keys.map { Evaluator.spell($0.right) }.joined(separator: ", "))"])
        }
        if !renamed.isEmpty {
            context.note(
                "\(verb): both tables have \(renamed.count == 1 ? "a column" : "columns") of the same name; renamed \(renamed.joined(separator: ", "))",
                at: range)
        }
        return out
    }
}
