import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `unique [by COL, ...]` — drop repeated rows (or rows whose key repeats), keeping the first.
struct UniqueVerb: VerbStep {
    let by: [(String, SourceRange)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "unique", syntax: "unique [by COL, ...]", summary: "drop repeated rows (or repeated keys), keeping the first",
        example: "users | unique by Email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var by: [(String, SourceRange)] = []
        if p.acceptKeyword("by") { by = try p.columnNames() }
        return UniqueVerb(by: by, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var parts: [TextColumn] = []
        if by.isEmpty { parts = input.columns.map(\.cells) }
        for (name, r) in by { parts.append(input.columns[try input.requireColumn(name, at: r, verb: "unique")].cells) }
        let key = CompositeKey.column(parts, rows: input.rowCount)
        let keep = ColumnIndex(key).firstRow
        let dropped = input.rowCount - keep.count
        if dropped > 0 {
            context.note(
                "unique: left out \(plural(dropped, "repeated row"))\(by.isEmpty ? "" : " (same \(by.map { Evaluator.spell($0.0) }.joined(separator: ", ")))"); kept the first of each",
                at: range)
            return input.gather(keep)
        }
        return input
    }
}
