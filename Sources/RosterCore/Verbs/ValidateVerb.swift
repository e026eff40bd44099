/// `validate as FORMAT` — add (or replace) the `Notes` column with the portal's messages for each row,
/// joined with "; " (blank when the row is valid): the shape of the portal's error file.
struct ValidateVerb: VerbStep {
    let format: String
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "validate", syntax: "validate as FORMAT", summary: "add a Notes column with the portal's messages for each row (blank when valid): the shape of its error file",
        example: "upload | validate as mcas | where Notes != \"\""
    ) { p, r in
        try p.expectKeyword("as", "after validate (validate as FORMAT)")
        let f = try p.formatName()
        return ValidateVerb(format: f, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ session: Session) throws(Diagnostic) -> Table {
        let f = try session.format(named: format, at: range)
        var out = input
        out.setColumn("Notes", try FormatValidator(f).notes(input, session: session))
        let bad = out.column("Notes")!.strings.filter { !$0.isEmpty }.count
        session.note("validate as \(f.name): \(plural(bad, "row")) of \(input.rowCount.grouped) would be rejected", at: range)
        return out
    }
}
