import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `validate as FORMAT` — add (or replace) the `Notes` column with the portal's messages for each row,
/// joined with "; " (blank when the row is valid): the shape of the portal's error file.
struct ValidateVerb: VerbStep {
    let format: String
    let state: [(String, PipelineSource)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "validate", syntax: "validate as FORMAT [with NAME = TABLE, ...]",
        summary:
            "add a Notes column with the portal's messages for each row (blank when valid): the shape of its error file; with gives the portal's own users or organizations",
        example: "upload | validate as mcas | where Notes != \"\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("as", "after validate (validate as FORMAT)")
        let f = try p.formatName()
        let state = try p.portalState()
        return ValidateVerb(format: f, state: state, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let f = try context.format(named: format, at: range)
        var out = input
        let state = try context.portalState(self.state, for: f, at: range)
        out.setColumn("Notes", try FormatValidator(f, state: state).notes(input, bindings: context))
        let bad = out.column("Notes")!.strings.filter { !$0.isEmpty }.count
        context.note("validate as \(f.name): \(plural(bad, "row")) of \(input.rowCount.grouped) would be rejected", at: range)
        return out
    }
}
