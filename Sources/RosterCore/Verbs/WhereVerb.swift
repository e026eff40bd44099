/// `where EXPR` — keep the rows where EXPR is true.
struct WhereVerb: VerbStep {
    let condition: Expr
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "where", syntax: "where EXPR", summary: "keep the rows where EXPR is true",
        example: "users | where Role != \"IA Administrator Only\""
    ) { p, r in
        let e = try p.expression()
        return WhereVerb(condition: e, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ session: Session) throws(Diagnostic) -> Table {
        input.filter(try session.evaluator(for: input).condition(condition))
    }
}
