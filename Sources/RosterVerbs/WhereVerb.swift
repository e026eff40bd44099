import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `where EXPR` — keep the rows where EXPR is true.
struct WhereVerb: VerbStep {
    let condition: Expr
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "where", syntax: "where EXPR", summary: "keep the rows where EXPR is true",
        example: "users | where Role != \"IA Administrator Only\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        let e = try p.expression()
        return WhereVerb(condition: e, range: r.through(p.previousRange))
    }

    /// The input is taken, not borrowed: a table no one else holds is filtered in place.
    func run(_ input: consuming Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var table = input
        let keep = try context.evaluator(for: table).condition(condition)
        table.keepRows(keep)
        return table
    }
}
