import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `fix [as FORMAT]` — safe repairs only, each printed (row, column, before → after) and counted; what
/// cannot be repaired for certain is left as it is and listed with a suggestion. Without `as`, the
/// table's own format (recognised by `load`) is used; with neither, only spaces and mangled
/// characters are repaired.
struct FixVerb: VerbStep {
    let format: String?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "fix", syntax: "fix [as FORMAT]",
        summary:
            "safe repairs only (spaces, mangled characters, the portal's spelling of allowed values, phone and date layout, dropped leading zeros), each printed; the rest is listed, not guessed",
        example: "toms | fix as toms | save \"toms-fixed.csv\" as toms"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var f: String?
        if p.acceptKeyword("as") { f = try p.formatName() }
        return FixVerb(format: f, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let name = format ?? (input.formatName == "csv" ? nil : input.formatName)
        let f = try name.map { (n) throws(Diagnostic) in try context.format(named: n, at: range) }
        let (out, changes, unfixed) = Fixer(f).fix(input)
        let shown = { (c: String, v: String) in Secrets.isSecret(c) ? Secrets.mask : v }
        var text = "fix\(f.map { " as \($0.name)" } ?? ""): \(plural(changes.count, "change")) in \(plural(Set(changes.map(\.row)).count, "row"))\n"
        for c in changes.prefix(200) {
            text += "  row \(c.row + 2), \(c.column): '\(shown(c.column, c.before))' → '\(shown(c.column, c.after))' (\(c.why))\n"
        }
        if changes.count > 200 { text += "  … and \(changes.count - 200) more\n" }
        if !unfixed.isEmpty {
            text += "not fixed (\(plural(unfixed.count, "cell")) need\(unfixed.count == 1 ? "s" : "") a person):\n"
            for u in unfixed.prefix(100) { text += "  row \(u.row + 2), \(u.column): '\(shown(u.column, u.value))' — \(u.why)\n" }
            if unfixed.count > 100 { text += "  … and \(unfixed.count - 100) more\n" }
        }
        context.output.out(text)
        return out
    }
}
