import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `drop COL, ...` — remove columns.
struct DropVerb: VerbStep {
    let names: [(String, SourceRange)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "drop", syntax: "drop COL, ...", summary: "remove columns", example: "upload | drop Notes"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        DropVerb(names: try p.columnNames(), range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var out = input
        for (name, r) in names {
            let i = try out.requireColumn(name, at: r, verb: "drop")
            out.columns.remove(at: i)
        }
        return out
    }
}
