import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `plan against CURRENT as FORMAT` — one row per user: the upload's rows with `Action` and `Reason`
/// (what the portal will do and why), then the portal's users the file leaves out, so a script can
/// split the upload (`where Action == "Create"`) or save a change report.
struct PlanVerb: VerbStep {
    let current: PipelineSource
    let format: String
    let state: [(String, PipelineSource)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "plan", syntax: "plan against TABLE as FORMAT [with NAME = TABLE, ...]",
        summary:
            "what the portal will do with each user given its current users: rows gain Action (Create, Update, Activate, Unchanged, Remove, Reject; Archive or Untouched for portal users the file leaves out) and Reason",
        example: "upload | plan against current as mcas | where Action == \"Create\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("against", "after plan (plan against CURRENT as FORMAT)")
        let current = try p.otherTable("against")
        try p.expectKeyword("as", "after the portal's users (plan against CURRENT as FORMAT)")
        let f = try p.formatName()
        let state = try p.portalState()
        return PlanVerb(current: current, format: f, state: state, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (result, table) = try context.plan(input, against: current, as: format, state: state, at: range)
        context.note(
            "plan as \(format): " + PlanAction.allCases.filter { result.count($0) > 0 }.map { "\(result.count($0)) \($0.rawValue)" }.joined(separator: ", "),
            at: range)
        return table
    }
}

extension VerbContext {
    /// Runs a plan for the `plan` statement and verb.
    package func plan(
        _ upload: Table, against current: PipelineSource, as formatName: String, state given: [(String, PipelineSource)],
        at range: SourceRange
    ) throws(Diagnostic) -> (Planner.Result, Table) {
        let f = try format(named: formatName, at: range)
        let (portal, _) = try table(for: current)
        let state = try portalState(given, for: f, at: range)
        return try Planner(f, state: state).plan(upload, against: portal, bindings: self, at: range)
    }
}
