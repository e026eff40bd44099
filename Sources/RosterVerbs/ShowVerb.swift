import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `show [N]` — print a preview (N rows, default 10) and pass the table on.
struct ShowVerb: VerbStep {
    let count: Int
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "show", syntax: "show [N]", summary: "print a preview of N rows (default 10) and pass the table on",
        example: "users | where Role == \"TA\" | show 20"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        ShowVerb(count: try p.optionalCount()?.0 ?? 10, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        context.showPreview(TablePreview.render(input, maxRows: count, width: context.previewWidth))
        return input
    }
}
