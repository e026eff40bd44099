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
        let validator = FormatValidator(f, state: state)
        let problems = try validator.problems(input, bindings: context)
        out.setColumn("Notes", FormatValidator.notes(problems))
        if !f.resolutions.isEmpty {
            // The guide's words on how to resolve each message (MCAS Table 6), beside the Notes.
            let how = problems.map { list in
                list.compactMap { f.resolution(of: $0.message) ?? ($0.rule == .portalNote ? f.advice(forNote: $0.message) : nil) }.joined(separator: " ")
            }
            if how.contains(where: { !$0.isEmpty }) { out.setColumn(FormatValidator.resolutionColumn, TextColumn(how)) }
        }
        let bad = problems.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
        context.note("validate as \(f.name): \(plural(bad, "row")) of \(input.rowCount.grouped) would be rejected", at: range)
        for (message, needs) in validator.notChecked {
            context.note("validate as \(f.name): not checked (no \(needs) given: with \(needs) = …): \(message)", at: range)
        }
        // The portal's word on rows roster cannot judge itself, and what to do about it.
        var kept: [String: [Int]] = [:]
        var order: [String] = []
        for (r, list) in problems.enumerated() {
            for p in list where p.rule == .portalNote {
                if kept[p.message] == nil { order.append(p.message) }
                kept[p.message, default: []].append(r + 2)
            }
        }
        for m in order {
            let rows = kept[m]!
            context.warn(
                "validate as \(f.name): the portal's note '\(m)' stays on \(plural(rows.count, "row")) (roster cannot check it: it depends on the portal's own data): row "
                    + rows.prefix(8).map(String.init).joined(separator: ", ") + (rows.count > 8 ? ", …" : ""), at: range,
                hints: [
                    f.advice(forNote: m)
                        ?? "the portal's guide gives no advice for this note: read the row, then remove the note from the file once it is dealt with"
                ])
        }
        if let users = state["users"], !f.upload.separateUploads.isEmpty {
            let known = validator.knownUsers(input)
            let n = known.filter { $0 }.count
            let names = f.upload.separateUploads.map(\.name)
            // Which upload each row goes (back) through: the portal's users go in the last.
            out.setColumn(FormatValidator.uploadColumn, TextColumn(known.map { $0 ? names.last! : names.first! }))
            context.note(
                "validate as \(f.name): \(plural(n, "row")) are users the portal has (\(users.rowCount.grouped) given): they go in \(names.last!); the other \(input.rowCount - n) in \(names.first!)",
                at: range)
        }
        return out
    }
}
