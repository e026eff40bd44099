import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `set COL = EXPR, ... [where EXPR]` — assign; a new column is added at the end. With `where`, only
/// the matching rows change (a new column is blank elsewhere). Assignments run in order, so a later
/// one sees an earlier one.
struct SetVerb: VerbStep {
    let assignments: [(name: String, value: Expr)]
    let condition: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "set", syntax: "set COL = EXPR, ... [where EXPR]",
        summary: "assign columns (new ones are added at the end); with where, only matching rows change",
        example: "users | set Role = \"TA\" where Role == \"Test Administrator\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var list: [(name: String, value: Expr)] = []
        repeat {
            p.skipNewlines()
            let (name, _) = try p.columnName()
            try p.expectSymbol("=", "after the column name (set COL = EXPR)")
            list.append((name, try p.expression()))
        } while p.acceptSymbol(",")
        var cond: Expr?
        if p.acceptKeyword("where") { cond = try p.expression() }
        return SetVerb(assignments: list, condition: cond, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var out = input
        let mask = try condition.map { (c) throws(Diagnostic) in try context.evaluator(for: input).condition(c) }
        // Assignments that read no column an earlier one writes are independent: compute them on
        // several threads, then store them in order.
        let assigned = Set(assignments.map(\.name))
        if assignments.count > 1, input.rowCount >= 50_000,
            assignments.allSatisfy({ $0.value.columnsRead.isDisjoint(with: assigned) })
        {
            let shared = UncheckedSendable((context, input))
            let results = Parallel.map(assignments.indices.map { $0 }, work: input.rowCount) { k -> Result<TextColumn, Diagnostic> in
                let (context, input) = shared.value
                let ev = context.evaluator(for: input)
                let e = assignments[k].value
                do {
                    return .success(try v(ev, e, input.rowCount))
                } catch let d as Diagnostic {
                    return .failure(d)
                } catch {
                    return .failure(.runtime("\(error)", at: e.range))
                }
            }
            for (k, r) in results.enumerated() {
                var cells: TextColumn
                switch r {
                case .success(let c): cells = c
                case .failure(let d): throw d
                }
                if let mask {
                    let old = out.column(assignments[k].name) ?? TextColumn(repeating: "", count: out.rowCount)
                    cells = old.merging(cells, where: mask)
                }
                out.setColumn(assignments[k].name, cells)
                if assignments[k].value.columnsRead.contains(where: input.isSecret(column:)) { out.secretColumns.insert(assignments[k].name) }
            }
            return out
        }
        for a in assignments {
            let ev = context.evaluator(for: out)
            let v = try ev.eval(a.value)
            var cells: TextColumn
            do { cells = try v.textColumn(out.rowCount) } catch { throw ev.diagnostic(error, at: a.value.range) }
            if let mask {
                let old = out.column(a.name) ?? TextColumn(repeating: "", count: out.rowCount)
                cells = old.merging(cells, where: mask)
            }
            out.setColumn(a.name, cells)
            // A value made from a secret is a secret (`set initial = user_password`).
            if a.value.columnsRead.contains(where: out.isSecret(column:)) { out.secretColumns.insert(a.name) }
        }
        return out
    }

    /// An assignment's value as a column.
    func v(_ ev: Evaluator, _ e: Expr, _ rows: Int) throws(Diagnostic) -> TextColumn {
        let v = try ev.eval(e)
        do { return try v.textColumn(rows) } catch { throw ev.diagnostic(error, at: e.range) }
    }
}
