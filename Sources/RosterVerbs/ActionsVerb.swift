import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `actions against CURRENT as FORMAT [disabling "REASON"]` — write the format's action column from
/// the portal's users (PearsonAccess: Create for new users, Update for known ones), and with
/// `disabling`, add an update row that disables each portal user the file leaves out, with the reason.
/// A separate, explicit step: a plan never writes the action column itself.
struct ActionsVerb: VerbStep {
    let current: PipelineSource
    let format: String
    let reason: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "actions", syntax: "actions against TABLE as FORMAT [disabling REASON]",
        summary:
            "write the format's action column from the portal's users (Create for new users, Update for known ones); with disabling, add a row disabling each portal user the file leaves out, with the reason",
        example: "staff | actions against current as pan disabling \"Not on the 2026 staff list\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("against", "after actions (actions against CURRENT as FORMAT)")
        let current = try p.otherTable("against")
        try p.expectKeyword("as", "after the portal's users (actions against CURRENT as FORMAT)")
        let f = try p.formatName()
        var reason: Expr?
        if p.acceptKeyword("disabling") { reason = try p.expression() }
        return ActionsVerb(current: current, format: f, reason: reason, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let f = try context.format(named: format, at: range)
        let (portal, _) = try context.table(for: current)
        var why: String?
        if let reason {
            guard let text = try context.evaluateValue(reason).asText, !text.isEmpty else {
                throw Diagnostic.runtime("disabling needs a reason in quotes (the portal requires one)", at: reason.range)
            }
            why = text
            if f.upload.disableBy == nil {
                throw Diagnostic.runtime(
                    "format \(f.name) does not say how an update row disables a user", at: reason.range,
                    hints: ["add to the format: disable when CONDITION by COLUMN = \"VALUE\" reason COLUMN"])
            }
        }
        let (out, report) = try ActionFiller(f).fill(input, current: portal, reason: why, bindings: context, at: range)
        var note = "actions as \(f.name): \(report.created) Create, \(report.updated) Update"
        if !report.disabled.isEmpty {
            note += ", and \(plural(report.disabled.count, "row")) disabling a portal user the file leaves out: " + listSome(report.disabled)
        }
        context.note(note, at: range)
        if !report.replaced.isEmpty {
            context.warn(
                "actions as \(f.name): \(plural(report.replaced.count, "row")) said another action, now set from the portal's users: "
                    + listSome(report.replaced.map { "row \($0.row) \($0.was) → \($0.now)" }), at: range)
        }
        return out
    }
}
