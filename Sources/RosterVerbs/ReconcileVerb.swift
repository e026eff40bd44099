import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `reconcile against PORTAL as FORMAT [with MEANING = MAP, ...] [leaving REASON]` — from the district's
/// staff list (the piped table: HR's CSV or workbook, a OneRoster package) and the portal's export,
/// what this year's upload should hold: one decision per person and organization, in the format's
/// columns with `Decision` and `Why`. Staff rows are first converted into the format (through your
/// crosswalks, then the built-in ones), and both sides get `fix`'s certain repairs.
struct ReconcileVerb: VerbStep {
    let portal: PipelineSource
    let format: String
    let given: [(String, Expr)]
    let leaving: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "reconcile", syntax: "reconcile against TABLE as FORMAT [with MEANING = MAP, ...] [leaving REASON]",
        summary:
            "from the staff list and the portal's export, this year's rows with a Decision each (keep, update, reactivate, create, disable, remove, leave, by hand, review) and Why: people matched as the portal matches them, HR's names, e-mail, role and organizations, the portal's way of letting leavers go",
        example: "staff | reconcile against portal as toms with role = roles"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("against", "after reconcile (reconcile against PORTAL as FORMAT)")
        let portal = try p.otherTable("against")
        try p.expectKeyword("as", "after the portal's users (reconcile against PORTAL as FORMAT)")
        let f = try p.formatName()
        let given = try p.crosswalkClause()
        var leaving: Expr?
        if p.acceptKeyword("leaving") { leaving = try p.expression() }
        return ReconcileVerb(portal: portal, format: f, given: given, leaving: leaving, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let f = try context.format(named: format, at: range)
        let (export, _) = try context.table(for: portal)
        let staff = input.formatName == f.name ? input : try ConvertVerb.convert(input, to: f, given: given, context, at: range, saying: "reconcile: ")
        var reason: String?
        if let leaving {
            guard let text = try context.evaluateValue(leaving).asText, !text.isEmpty else {
                throw Diagnostic.runtime("leaving needs a reason in quotes (the portal records why an account is disabled)", at: leaving.range)
            }
            reason = text
        }
        let (out, report) = try Reconciler(f, leavingReason: reason).reconcile(staff: staff, portal: export, source: input, bindings: context, at: range)
        for n in report.notes { context.note("reconcile as \(f.name): " + n, at: range) }
        for w in report.warnings { context.warn("reconcile as \(f.name): " + w, at: range) }
        let counts = Reconciler.Decision.allCases.compactMap { d in report.counts[d].map { "\($0) \(d.rawValue)" } }
        context.note("reconcile as \(f.name): " + (counts.isEmpty ? "nothing to decide" : counts.joined(separator: ", ")), at: range)
        if let review = report.counts[.review], review > 0 {
            context.warn(
                "reconcile as \(f.name): \(plural(review, "row")) cannot be decided for certain and will not be uploaded (Decision review; Why names the candidates)",
                at: range)
        }
        return out
    }
}
