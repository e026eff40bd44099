import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `head N`, `tail N` — the first or last N rows (10 when N is left out).
struct HeadVerb: VerbStep {
    let count: Int
    let fromEnd: Bool
    let range: SourceRange

    static func parse(_ p: inout ScriptParser, _ r: SourceRange, fromEnd: Bool) throws(Diagnostic) -> any VerbStep {
        let n = try p.optionalCount()?.0 ?? 10
        return HeadVerb(count: n, fromEnd: fromEnd, range: r.through(p.previousRange))
    }

    static let headDescriptor = VerbDescriptor(
        name: "head", syntax: "head [N]", summary: "the first N rows (default 10)", example: "users | head 5"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, fromEnd: false) }

    static let tailDescriptor = VerbDescriptor(
        name: "tail", syntax: "tail [N]", summary: "the last N rows (default 10)", example: "users | tail 5"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, fromEnd: true) }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let k = min(count, input.rowCount)
        if k == input.rowCount { return input }
        let start = fromEnd ? input.rowCount - k : 0
        return input.gather(Array(start..<(start + k)))
    }
}
