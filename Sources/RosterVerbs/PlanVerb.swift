import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// What follows `plan` in the verb and the statement: `against CURRENT as FORMAT [with NAME = TABLE, …]
/// [covering CONDITION]`.
public struct PlanClause: Sendable {
    public var current: PipelineSource
    public var format: String
    public var state: [(String, PipelineSource)]
    /// Which portal users the upload is about (`covering role != "student"`), with its text.
    public var covering: (Expr, String)?
}

extension ScriptParser {
    mutating func planClause() throws(Diagnostic) -> PlanClause {
        try expectKeyword("against", "after plan (plan against CURRENT as FORMAT)")
        let current = try otherTable("against")
        try expectKeyword("as", "after the portal's users (plan against CURRENT as FORMAT)")
        let f = try formatName()
        let state = try portalState()
        var covering: (Expr, String)?
        if acceptKeyword("covering") {
            let e = try expression()
            covering = (e, base.sourceText(e.range))
        }
        return PlanClause(current: current, format: f, state: state, covering: covering)
    }
}

/// `plan against CURRENT as FORMAT` — one row per user: the upload's rows as they are with `Plan`
/// (what the portal will do) and `Reason`, then the portal's users the file leaves out, so a script
/// can split the upload (`where Plan == "Create"`) or save a change report.
struct PlanVerb: VerbStep {
    let clause: PlanClause
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "plan", syntax: "plan against TABLE as FORMAT [with NAME = TABLE, ...] [covering CONDITION]",
        summary:
            "what the portal will do with each user given its current users: rows gain Plan (Create, Update, Activate, Unchanged, Remove, Reject; Archive or Untouched for portal users the file leaves out) and Reason; no other cell changes",
        example: "upload | plan against current as mcas | where Plan == \"Create\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        PlanVerb(clause: try p.planClause(), range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (result, table) = try context.plan(input, clause, at: range)
        context.note(
            "plan as \(clause.format): "
                + PlanAction.allCases.filter { result.count($0) > 0 }.map { "\(result.count($0)) \($0.rawValue)" }.joined(separator: ", "),
            at: range)
        return table
    }
}

extension VerbContext {
    /// Runs a plan for the `plan` statement and verb.
    package func plan(_ upload: Table, _ clause: PlanClause, at range: SourceRange) throws(Diagnostic) -> (Planner.Result, Table) {
        let f = try format(named: clause.format, at: range)
        let (portal, _) = try table(for: clause.current)
        var planner = Planner(f, state: try portalState(clause.state, for: f, at: range), covering: clause.covering?.0)
        planner.coveringText = clause.covering?.1 ?? ""
        // A reconciled table's rows that are not uploads (people to review, leavers the portal lets go by
        // itself) are not in any file: the plan is of the rows that are.
        var rows = upload
        if let decision = upload.column(Reconciler.decisionColumn) {
            let kept = (0..<upload.rowCount).filter { Reconciler.Decision(rawValue: decision[$0])?.isUploaded ?? true }
            if kept.count < upload.rowCount {
                rows = upload.gather(kept)
                note(
                    "plan as \(f.name): \(plural(upload.rowCount - kept.count, "row")) whose Decision is not an upload (review, leave, by hand) left out of the plan",
                    at: range)
            }
        }
        return try planner.plan(rows, against: portal, bindings: self, at: range)
    }
}
