import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `rename COL as NEW, ...` — rename columns.
struct RenameVerb: VerbStep {
    let pairs: [(old: String, oldRange: SourceRange, new: String)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "rename", syntax: "rename COL as NEW, ...", summary: "rename columns",
        example: "hr | rename `E-mail address` as Email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var pairs: [(old: String, oldRange: SourceRange, new: String)] = []
        repeat {
            let (old, orange) = try p.columnName()
            try p.expectKeyword("as", "between the old and the new name (rename OLD as NEW)")
            let (new, _) = try p.columnName("the new name")
            pairs.append((old, orange, new))
        } while p.acceptSymbol(",")
        return RenameVerb(pairs: pairs, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var out = input
        for pair in pairs {
            let i = try out.requireColumn(pair.old, at: pair.oldRange, verb: "rename")
            if let j = out.index(of: pair.new), j != i {
                throw Diagnostic.runtime("rename: there is already a column '\(pair.new)'", at: pair.oldRange, hints: ["drop it first, or choose another name"])
            }
            if out.isSecret(column: pair.old) { out.secretColumns.insert(pair.new) }  // secrecy follows the values
            out.columns[i].name = pair.new
            out.columns[i].nameQuoteFlip = false
        }
        return out
    }
}
