import RosterDiagnostics
import RosterData
import RosterLanguage

/// What `check TABLE as FORMAT` prints: rows checked, rows the portal would reject, each message with
/// its count and first row numbers (as a spreadsheet shows them: the header is row 1), and for a
/// wrong enumerated value the nearest allowed one.
public enum CheckReport {
    public static func render(_ table: Table, name: String, validator: FormatValidator, bindings: any Bindings) throws(Diagnostic) -> String {
        let format = validator.format
        let problems = try validator.problems(table, bindings: bindings)
        let rejected = problems.filter { !$0.isEmpty }.count
        var out = "check \(name) as \(format.name): \(plural(table.rowCount, "row")) checked, "
        out += rejected == 0 ? "none would be rejected\n" : "\(rejected.grouped) would be rejected, \(table.rowCount - rejected) accepted\n"
        if let words = format.messagesNote, rejected > 0 { out += "  (the messages below are \(words))\n" }
        let missing = format.columns.filter { want in !table.columns.contains { format.matches($0.name, want) } }
        if !missing.isEmpty { out += "  missing columns (checked as blank): \(missing.joined(separator: ", "))\n" }
        let extra = table.columns.map(\.name).filter { have in !format.allows(have) && !FormatValidator.addedColumns.contains(have) }
        if !extra.isEmpty { out += "  columns \(format.name) does not have (a save as \(format.name) leaves them out): \(extra.joined(separator: ", "))\n" }
        for finding in fileFindings(table, format) { out += "  \(finding)\n" }
        // Messages in the order of first appearance in the format's rules.
        var order: [String] = []
        var rows: [String: [Int]] = [:]
        var values: [String: [String: Int]] = [:]
        var allowed: [String: [String]] = [:]
        for (r, list) in problems.enumerated() {
            for p in list {
                if rows[p.message] == nil { order.append(p.message) }
                rows[p.message, default: []].append(r + 2)
                if let v = p.value, !format.isSecret(p.rule) {
                    values[p.message, default: [:]][v, default: 0] += 1
                    allowed[p.message] = p.allowed
                }
            }
        }
        for m in order {
            let list = rows[m]!
            let first = list.prefix(8).map(String.init).joined(separator: ", ") + (list.count > 8 ? ", …" : "")
            out += "  \(m) — \(plural(list.count, "row")): \(first)\n"
            if let how = format.resolution(of: m) { out += "    how to resolve (the portal's guide): \(how)\n" }
            if let v = values[m] {
                for (value, count) in v.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(8) {
                    var line = "    '\(value)' (\(plural(count, "row")))"
                    if let a = allowed[m], let near = Suggest.nearest(value, in: a) { line += " — did you mean '\(near)'?" }
                    out += line + "\n"
                }
            }
        }
        for (m, rows) in try validator.warnings(table, bindings: bindings) {
            let first = rows.prefix(8).map { String($0 + 2) }.joined(separator: ", ") + (rows.count > 8 ? ", …" : "")
            out += "  accepted with a warning: \(m) — \(plural(rows.count, "row")): \(first)\n"
        }
        for (message, needs) in validator.notChecked {
            out += "  not checked (no \(needs) given): \(message)\n"
        }
        return out
    }
}

extension CheckReport {
    /// What is wrong with the file as a whole, as the portal's documents state it: more rows than one
    /// upload takes, columns out of the portal's order, a file name the portal refuses. Each one makes
    /// `roster check` exit with status 1.
    public static func fileFindings(_ table: Table, _ format: FormatDefinition) -> [String] {
        var out: [String] = []
        if !format.columns.isEmpty, !table.columns.contains(where: { c in format.columns.contains { format.matches(c.name, $0) } }) {
            out.append(
                "the file has none of \(format.name)'s columns: is its header row missing? (\(format.name) begins with \(format.columns.prefix(3).joined(separator: ", ")) …)"
            )
        }
        if let limit = format.maxRows, table.rowCount > limit {
            out.append(
                "\(plural(table.rowCount, "row")): \(format.name) takes at most \(plural(limit, "record")) a file (save as \(format.name) splits it into numbered files)"
            )
        }
        if format.headerInOrder {
            let present = table.columns.compactMap { c in format.columns.first { format.matches(c.name, $0) } }
            let expected = format.columns.filter { present.contains($0) }
            if present != expected {
                out.append(
                    "columns out of the portal's order: the file has \(present.joined(separator: ", ")); \(format.name) expects \(format.columns.joined(separator: ", "))"
                )
            }
        }
        if let (ending, message) = format.fileExtension, let path = table.origin?.path, path != "-", !path.lowercased().hasSuffix(ending.lowercased()) {
            out.append("the file is not a \(ending) file: \"\(message)\"")
        }
        if let (delimiter, message) = format.fileDelimiter, let dialect = table.origin?.dialect, dialect.delimiter != delimiter.utf8.first! {
            let want = CSVDialect(delimiter: delimiter.utf8.first!).delimiterName
            out.append("the file is \(dialect.delimiterName)-separated, not \(want)-separated: \(message)")
        }
        return out
    }
}

extension CheckReport {
    /// The same report as JSON: counts, the file's own findings, and each problem with its row (as a
    /// spreadsheet numbers it), columns, rule identity and message. A secret column's value is never given.
    public static func json(_ table: Table, name: String, validator: FormatValidator, bindings: any Bindings) throws(Diagnostic) -> String {
        let f = validator.format
        let problems = try validator.problems(table, bindings: bindings)
        let rejected = problems.filter { !$0.isEmpty }.count
        var items: [String] = []
        for (r, list) in problems.enumerated() {
            for p in list {
                var pairs: [(String, String)] = [
                    ("row", String(r + 2)), ("columns", JSONText.array(f.columns(of: p.rule).map(JSONText.string))),
                    ("id", JSONText.string(f.identifier(of: p.rule))), ("message", JSONText.string(p.message)),
                ]
                if let v = p.value, !f.isSecret(p.rule) { pairs.append(("value", JSONText.string(v))) }
                items.append(JSONText.object(pairs))
            }
        }
        let findings = fileFindings(table, f).map(JSONText.string)
        return JSONText.object([
            ("file", JSONText.string(name)), ("format", JSONText.string(f.name)), ("rows", String(table.rowCount)),
            ("rejected", String(rejected)), ("accepted", String(table.rowCount - rejected)), ("file_findings", JSONText.array(findings)),
            ("problems", JSONText.array(items)),
            (
                "not_checked",
                JSONText.array(validator.notChecked.map { JSONText.object([("needs", JSONText.string($0.needs)), ("message", JSONText.string($0.message))]) })
            ),
        ]) + "\n"
    }
}

extension CheckReport {
    /// The rows with the portal's messages in `Notes` (blank when a row would be accepted), as CSV:
    /// the shape of the portal's error file.
    public static func csv(_ table: Table, validator: FormatValidator, bindings: any Bindings) throws(Diagnostic) -> String {
        var out = table
        let problems = try validator.problems(table, bindings: bindings)
        out.setColumn("Notes", FormatValidator.notes(problems))
        // A report on a terminal or in a log never shows a secret: password columns are masked.
        for j in out.columns.indices where validator.format.isSecret(out.columns[j].name) || table.isSecret(column: out.columns[j].name) {
            let cells = out.columns[j].cells
            out.columns[j].cells = TextColumn((0..<out.rowCount).map { cells.isBlank($0) ? "" : Secrets.mask })
        }
        let parts = try CSVWriter.encodeParts(out, dialect: CSVDialect(), path: "<stdout>")
        return String(decoding: parts.joined(), as: UTF8.self)
    }
}
