import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `append TABLE` — add the other table's rows, matching columns by name. A column only one side has
/// is kept, blank in the other side's rows, and reported.
struct AppendVerb: VerbStep {
    let other: PipelineSource
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "append", syntax: "append TABLE", summary: "add the other table's rows, matching columns by name",
        example: "stay | append new"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        AppendVerb(other: try p.otherTable("append"), range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (other, name) = try context.table(for: other)
        var out = input
        var onlyHere: [String] = []
        for (j, c) in input.columns.enumerated() {
            let add =
                other.column(c.name)
                ?? {
                    onlyHere.append(c.name); return TextColumn(repeating: "", count: other.rowCount)
                }()
            out.columns[j].cells = c.cells.appending(add)
        }
        var onlyThere: [String] = []
        for c in other.columns where input.index(of: c.name) == nil {
            onlyThere.append(c.name)
            out.columns.append(Column(name: c.name, cells: TextColumn(repeating: "", count: input.rowCount).appending(c.cells)))
        }
        out.rowCount = input.rowCount + other.rowCount
        if let a = input.lines, let b = other.lines { out.lines = a + b } else { out.lines = nil }
        if !onlyHere.isEmpty {
            context.warn("append: \(name) has no \(listSome(onlyHere)); its rows are blank there", at: range)
        }
        if !onlyThere.isEmpty {
            context.warn("append: \(name) brings new column\(onlyThere.count == 1 ? "" : "s") \(listSome(onlyThere)), added at the end", at: range)
        }
        return out
    }
}
