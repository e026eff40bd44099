import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `select ITEM, ...` — exactly these columns, in this order. ITEM is `COL`, `COL as NEW` or `NEW = EXPR`.
struct SelectVerb: VerbStep {
    enum Item: Sendable {
        case column(String, SourceRange, rename: String?)
        case computed(String, Expr)
    }
    let items: [Item]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "select", syntax: "select ITEM, ... (ITEM: COL, COL as NEW or NEW = EXPR)", summary: "exactly these columns, in this order",
        example: "hr | select Username = lower(email), Fname = first, Lname = last"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var items: [Item] = []
        repeat {
            p.skipNewlines()
            if p.peek().isSymbol("=") {
                let (name, _) = try p.columnName("a new column name")
                _ = p.advance()
                items.append(.computed(name, try p.expression()))
            } else {
                let e = try p.expression()
                if p.acceptKeyword("as") {
                    let (new, _) = try p.columnName("the new column name after 'as'")
                    if case .column(let name) = e.kind { items.append(.column(name, e.range, rename: new)) } else { items.append(.computed(new, e)) }
                } else if case .column(let name) = e.kind {
                    items.append(.column(name, e.range, rename: nil))
                } else {
                    throw Diagnostic.syntax("give this computed column a name", at: e.range, hints: ["NEW = EXPR, or EXPR as NEW"])
                }
            }
        } while p.acceptSymbol(",")
        return SelectVerb(items: items, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var out = input
        out.columns = []
        let ev = context.evaluator(for: input)
        for item in items {
            let col: Column
            switch item {
            case .column(let name, let r, let rename):
                let i = try input.requireColumn(name, at: r, verb: "select")
                col = rename.map { Column(name: $0, cells: input.columns[i].cells) } ?? input.columns[i]
                if let rename, input.isSecret(column: name) { out.secretColumns.insert(rename) }
            case .computed(let name, let e):
                // A value made from a secret is a secret (`initial = user_password`).
                if e.columnsRead.contains(where: input.isSecret(column:)) { out.secretColumns.insert(name) }
                let v = try ev.eval(e)
                do { col = Column(name: name, cells: try v.textColumn(input.rowCount)) } catch { throw ev.diagnostic(error, at: e.range) }
            }
            if out.index(of: col.name) != nil {
                throw Diagnostic.runtime("select: two columns named '\(col.name)'", at: range)
            }
            out.columns.append(col)
        }
        return out
    }
}
