import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `convert to FORMAT` — reshape the table into another format's columns through the meanings formats
/// declare and the target's built-in crosswalks; everything not carried over is reported.
struct ConvertVerb: VerbStep {
    let format: String
    /// The district's own crosswalks: meaning → map (`with role = {"Test Administrator": "proctor"}`).
    let given: [(String, Expr)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "convert", syntax: "convert to FORMAT [with MEANING = {\"from\": \"to\", ...}, ...]",
        summary:
            "reshape into another format's columns through shared meanings (names, e-mail, role, organizations …), your crosswalks (with role = {…}) and the built-in ones; reports what it could not map",
        example: "load \"users.csv\" as oneroster | convert to mcas"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        try p.expectKeyword("to", "after convert (convert to FORMAT)")
        let f = try p.formatName()
        return ConvertVerb(format: f, given: try p.crosswalkClause(), range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let target = try context.format(named: format, at: range)
        guard !target.columns.isEmpty else {
            throw Diagnostic.runtime(
                "convert to \(target.name): \(target.name) has no columns to convert into", at: range,
                hints: ["formats with columns: " + context.formats.formats.filter { !$0.columns.isEmpty }.map(\.name).joined(separator: ", ")])
        }
        return try Self.convert(input, to: target, given: given, context, at: range, saying: "")
    }

    /// The table in `target`'s columns through the district's crosswalks and the built-in ones, with
    /// the format's defaults; what was mapped, left blank or not carried is said (after `saying`).
    static func convert(
        _ input: Table, to target: FormatDefinition, given: [(String, Expr)], _ context: any VerbContext, at range: SourceRange, saying: String
    ) throws(Diagnostic) -> Table {
        let source = input.formatName == "csv" ? nil : context.formats.format(named: input.formatName)
        var converter = Converter(target: target, source: source, formats: context.formats)
        converter.given = try crosswalks(given, context)
        if converter.carried(input).isEmpty { throw nothingToConvert(input, into: target, at: range) }
        var (out, report) = converter.convert(input)
        report.notes += try applyDefaults(target, to: &out, context)
        for n in report.notes { context.note(saying + n, at: range) }
        for w in report.warnings { context.warn(saying + w, at: range) }
        return out
    }

    /// The district's crosswalks of a `with` clause (parsed by `ScriptParser.crosswalkClause`): each a map (`with role = {"Teacher": "TA"}`), a
    /// table whose first column holds the values and second what they become (a `roles.csv` of
    /// `Title,Role`), or that file's name (a recipe's parameter; blank: no crosswalk).
    static func crosswalks(_ given: [(String, Expr)], _ context: any VerbContext) throws(Diagnostic) -> [Crosswalk] {
        var out: [Crosswalk] = []
        for (meaning, e) in given {
            var table: (Table, String)?
            var entries: [(key: String, value: String)] = []
            if case .column(let name) = e.kind, let t = context.tables[name] {
                table = (t, name)
            } else {
                switch try context.evaluateValue(e) {
                case .map(let pairs):
                    entries = pairs.keys.map { ($0, pairs[$0]!.display) }
                case .text(let path) where path.isEmpty:
                    continue
                case .text(let path):
                    let source = PipelineSource.load(path: Expr(.text(path), e.range), format: "csv", options: [], range: e.range)
                    table = (try context.evaluate(Pipeline(source: source, steps: [], range: e.range)), path)
                default:
                    throw Diagnostic.runtime(
                        "with \(meaning) = needs a map such as {\"Teacher\": \"TA\"}, a table of two columns, or its file's name", at: e.range)
                }
            }
            if let (t, name) = table {
                guard t.columns.count >= 2 else {
                    throw Diagnostic.runtime(
                        "with \(meaning) = \(name): the table needs two columns, the values and what they become (Title,Role)", at: e.range)
                }
                let from = t.columns[0].cells, to = t.columns[1].cells
                entries = (0..<t.rowCount).filter { !from[$0].isEmpty }.map { (from[$0], to[$0]) }
            }
            out.append(Crosswalk(meaning: Meaning(rawValue: meaning), from: Crosswalk.given, entries: entries))
        }
        return out
    }

    /// The error for a table none of whose columns means anything the target holds: what the target
    /// wanted, and what the table has.
    static func nothingToConvert(_ input: Table, into target: FormatDefinition, at range: SourceRange) -> Diagnostic {
        var wanted: [String] = []
        for c in target.columns { if let m = target.meanings[c], !wanted.contains(m.rawValue) { wanted.append(m.rawValue) } }
        return Diagnostic(
            .nothingToConvert(format: target.name, file: input.origin?.path), at: range,
            hints: [
                "\(target.name) takes columns meaning " + wanted.joined(separator: ", ")
                    + " (headings such as First Name, Last Name, Email, Title, School, or \(target.name)'s own: \(target.columns.prefix(4).joined(separator: ", ")) …)",
                "the table's columns: " + (input.names.isEmpty ? "none" : input.names.joined(separator: ", ")),
                "rename a column to one of them first (rename `Building Code` as school)",
            ])
    }

    /// Fills blank cells with the format's defaults (`default "State Code" = "CA"`).
    static func applyDefaults(_ f: FormatDefinition, to table: inout Table, _ context: any VerbContext) throws(Diagnostic) -> [String] {
        var notes: [String] = []
        for (column, value) in f.conversion.defaults {
            guard let j = table.index(of: column) else { continue }
            let ev = context.evaluator(for: FormatValidator(f).canonicallyNamed(table))
            let given = try ev.cells(value)
            let cells = table.columns[j].cells
            var filled = 0
            let merged = (0..<table.rowCount).map { r -> String in
                let c = cells[r]
                if !c.isEmpty || given[r].isEmpty { return c }
                filled += 1
                return given[r]
            }
            if filled > 0 {
                table.columns[j].cells = TextColumn(merged)
                notes.append("\(column): \(plural(filled, "blank cell")) filled with \(f.name)'s default")
            }
        }
        return notes
    }
}

extension ScriptParser {
    /// `with MEANING = MAP, ...` after `convert to` and `reconcile`: the district's crosswalks.
    mutating func crosswalkClause() throws(Diagnostic) -> [(String, Expr)] {
        var given: [(String, Expr)] = []
        guard acceptKeyword("with") else { return given }
        repeat {
            let (meaning, _) = try columnName("a meaning such as role")
            try expectSymbol("=", "after the meaning (with role = {\"Teacher\": \"TA\"})")
            given.append((meaning, try expression(minPrecedence: Parser.Precedence.concat)))
        } while acceptSymbol(",")
        return given
    }
}
