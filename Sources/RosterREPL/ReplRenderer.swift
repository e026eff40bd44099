import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession

/// How the REPL shows results: one line for a binding, an aligned preview for a table, bars for
/// counts. Pure functions of their input, so snapshot tests can pin them at a fixed width.
public struct ReplRenderer: Sendable {
    public var width: Int
    public var useColor: Bool

    public init(width: Int = 100, useColor: Bool = false) {
        self.width = width
        self.useColor = useColor
    }

    func paint(_ s: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// `upload: 1,234 rows × 7 columns`
    public func binding(_ name: String, _ t: Table) -> String {
        let format = t.formatName == "csv" ? "" : " [\(t.formatName)]"
        return paint(name, "1") + ": \(plural(t.rowCount, "row")) × \(plural(t.columns.count, "column"))\(format)\n"
    }

    /// `$roles = {"Test Administrator": "TA", …}`
    public func value(_ name: String, _ v: Value, secret: Bool = false) -> String {
        var text = secret ? v.maskedDisplay : v.display
        if text.count > width - name.count - 4 { text = String(text.prefix(max(10, width - name.count - 5))) + "…" }
        return paint("$" + name, "1") + " = \(text)\n"
    }

    /// A preview: header, up to `rows` rows, a footer with the size.
    public func preview(_ t: Table, rows: Int = 10) -> String {
        let text = TablePreview.render(t, maxRows: rows, width: width)
        guard useColor else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !lines.isEmpty { lines[0] = paint(lines[0], "1") }
        if lines.count >= 2, let last = lines.indices.dropLast().last { lines[last] = paint(lines[last], "2") }
        return lines.joined(separator: "\n")
    }

    /// Counts with bars: the table of `count by` (the key columns, then `count`).
    public func countChart(_ t: Table, rows: Int = 20) -> String {
        guard t.columns.count >= 2, t.columns.last?.name == "count" else { return preview(t, rows: rows) }
        let shown = min(rows, t.rowCount)
        let keys = (0..<shown).map { r in t.columns.dropLast().map { cell($0, r, secret: t.isSecret(column: $0.name)) }.joined(separator: " · ") }
        let counts = (0..<shown).map { Int(t.columns.last!.cells[$0]) ?? 0 }
        let header = t.columns.dropLast().map(\.name).joined(separator: " · ")
        let keyWidth = min(40, max(DisplayWidth.of(header), keys.map(DisplayWidth.of).max() ?? 0))
        let countWidth = max(5, counts.map { $0.grouped.count }.max() ?? 0)
        let barWidth = max(10, min(40, width - keyWidth - countWidth - 4))
        let top = max(1, counts.max() ?? 1)
        var out = paint(pad(header, keyWidth) + "  " + String(repeating: " ", count: countWidth - 5) + "count", "1") + "\n"
        for (k, c) in zip(keys, counts) {
            out +=
                pad(k, keyWidth) + "  " + String(repeating: " ", count: countWidth - c.grouped.count) + c.grouped + "  "
                + paint(Self.bar(c, of: top, width: barWidth), "36") + "\n"
        }
        var footer = "\(plural(t.rowCount, "value")), \(plural(counts.reduce(0, +), "row")) in all"
        if shown < t.rowCount { footer += " (first \(shown) shown)" }
        return out + paint(footer, "2") + "\n"
    }

    /// A bar of block characters, in eighths of a character.
    public static func bar(_ value: Int, of top: Int, width: Int) -> String {
        let eighths = Int((Double(value) / Double(top) * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }

    func cell(_ c: Column, _ r: Int, secret: Bool) -> String {
        let v = c.cells[r]
        if secret { return v.isEmpty ? "" : Secrets.mask }
        // Only what can be shown is measured: a cell of megabytes costs no more than a short one.
        return v.isEmpty ? "(blank)" : String(v.prefix(512))
    }

    func pad(_ s: String, _ w: Int) -> String {
        DisplayWidth.pad(DisplayWidth.cut(s, w), w)
    }

    /// `:tables`
    public func tables(_ tables: [String: Table]) -> String {
        if tables.isEmpty { return "no tables yet: bind one with  users = load \"users.csv\"\n" }
        return tables.keys.sorted().map { binding($0, tables[$0]!) }.joined()
    }

    /// `:columns TABLE`: each column with its blank and distinct values and a first example.
    public func columns(_ name: String, _ t: Table) -> String {
        var rows: [[String]] = []
        for c in t.columns {
            var blank = 0
            c.cells.forEachCell { _, b in if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { blank += 1 } }
            let distinct = ColumnIndex(c.cells).groupCount
            var example = ""
            for r in 0..<t.rowCount where !c.cells[r].isEmpty { example = cell(c, r, secret: t.isSecret(column: c.name)); break }
            if example.count > 30 { example = String(example.prefix(29)) + "…" }
            rows.append([Evaluator.spell(c.name), blank.grouped, distinct.grouped, example])
        }
        let summary = Table(names: ["column", "blank", "distinct", "example"], rows: rows)
        return paint(name, "1") + ": \(plural(t.rowCount, "row")) × \(plural(t.columns.count, "column"))\n"
            + TablePreview.render(summary, maxRows: rows.count, width: width).split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
    }

    /// `:help` and `:help TOPIC`.
    public func help(_ topic: String, formats: FormatRegistry = .standard) -> String {
        let t = topic.trimmingCharacters(in: " ").lowercased()
        if t.isEmpty {
            var out = "Statements:  NAME = PIPELINE,  " + StatementKeyword.allCases.map(\.rawValue).joined(separator: ", ") + "\n"
            out += "A pipeline:  SOURCE | VERB | VERB …   where SOURCE is a table, load \"file.csv\" or (PIPELINE)\n\n"
            out += "Verbs:     " + VerbRegistry.standard.names.joined(separator: ", ") + "\n"
            out += "Functions: " + FunctionRegistry.standard.names.joined(separator: ", ") + "\n"
            out += "Commands:  " + MetaCommands.all.map { ":" + $0.name }.joined(separator: ", ") + "\n"
            out += "Formats:   " + formats.names.joined(separator: ", ") + "\n"
            out += "More:      :help TOPIC — a statement, a verb, a function, a format, a command, load, format, operators, keys\n"
            return out
        }
        if t == "keys" {
            let w = MetaCommands.keys.map(\.0.count).max() ?? 0
            return MetaCommands.keys.map { pad($0.0, w) + "  " + $0.1 }.joined(separator: "\n") + "\n"
        }
        if t == "operators" { return MetaCommands.operatorsHelp + "\n" }
        if t == "load" {
            return paint("load PATH [as FORMAT] [OPTION=VALUE ...]", "1")
                + "\n  read a CSV file, an Excel workbook (.xlsx: a sheet) or a OneRoster package (.zip or a folder) into a table (the start of a pipeline)\n  e.g. users = load \"users.csv\" delimiter=\";\"    hr = load \"staff.xlsx\" sheet=\"HR\"\n"
                + optionHelp(LoadOption.self)
        }
        let name = t.hasPrefix(":") ? String(t.dropFirst()) : t
        if let m = MetaCommands.command(named: name), t.hasPrefix(":") || VerbRegistry.standard.descriptor(named: name) == nil {
            return paint(":\(m.name) \(m.arguments)", "1") + "\n  \(m.summary)\n  e.g. \(m.example)\n"
        }
        // A name can be both a verb and a function (join): explain both.
        var found: [String] = []
        if let k = StatementKeyword(rawValue: name) {
            var text = paint(k.syntax, "1") + "\n  \(k.summary)\n  e.g. \(k.example)\n"
            if k == .format {
                text += "  lines of a format block:\n" + FormatItem.allCases.map { "    \($0.syntax)\n        \($0.summary)\n" }.joined()
            }
            found.append(text)
        }
        if let v = VerbRegistry.standard.descriptor(named: name) {
            found.append(
                paint(v.syntax, "1") + "\n  \(v.summary)\n  e.g. \(v.example)\n" + (name == "save" ? optionHelp(SaveOption.self) : "")
                    + (name == "fix" ? fixHelp() : ""))
        }
        if let f = FunctionRegistry.standard.function(named: name) {
            found.append(paint(f.syntax, "1") + "\n  \(f.summary)\n  e.g. \(f.example)\n")
        }
        if let f = formats.format(named: name) { found.append(formatHelp(f)) }
        if !found.isEmpty { return found.joined(separator: "\n") }
        let near = Suggest.nearest(name, in: MetaCommands.helpTopics.map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 } + formats.names)
        return "no help for '\(topic)'" + (near.map { "; did you mean '\($0)'?" } ?? "") + "\n"
    }

    /// A portal format: its title, columns, the portal's messages, and what an upload does.
    func formatHelp(_ f: FormatDefinition) -> String {
        var out = paint("format \(f.name)", "1") + " — \(f.title)\n"
        if !f.columns.isEmpty { out += "  columns: " + f.columns.joined(separator: ", ") + "\n" }
        if !f.optionalColumns.isEmpty { out += "  optional columns: " + f.optionalColumns.joined(separator: ", ") + "\n" }
        if let n = f.maxRows { out += "  at most \(plural(n, "row")) a file\n" }
        var seen = Set<String>()
        let messages =
            (f.rules.map(\.message) + f.checks.map(\.message) + f.uniqueKeys.map(\.message) + f.stateRules.map(\.message)
            + f.agreements.map(\.message)).filter { seen.insert($0).inserted }
        if !messages.isEmpty { out += "  the portal's messages:\n" + messages.map { "    \($0)\n" }.joined() }
        if !f.upload.key.isEmpty {
            out += "  users are matched by " + f.upload.key.joined(separator: " and ") + (f.upload.keyIgnoresCase ? ", ignoring case" : "") + "\n"
        }
        if f.upload.missing.action == .archived || f.upload.missing.reason != UploadBehaviour().missing.reason {
            out += "  users the file leaves out: \(f.upload.missing.reason)\n"
        }
        if !f.upload.separateUploads.isEmpty { out += "  separate uploads: " + f.upload.separateUploads.map(\.name).joined(separator: ", ") + "\n" }
        if let note = f.messagesNote { out += "  messages: \(note)\n" }
        if !f.sources.isEmpty { out += "  sources:\n" + f.sources.map { "    \($0)\n" }.joined() }
        if !f.notModelled.isEmpty { out += "  not modelled:\n" + f.notModelled.map { "    \($0)\n" }.joined() }
        out += "  e.g. check upload as \(f.name)    plan upload against current as \(f.name)\n"
        return out
    }

    /// A statement's `name=value` options, their values and meaning.
    func optionHelp<Name: OptionName>(_: Name.Type) -> String {
        let lines = Name.allCases.map { o in ("\(o.rawValue)=" + o.allowed.map { "\"\($0)\"" }.joined(separator: "|"), o.summary) }
        let w = lines.map(\.0.count).max() ?? 0
        return "  options:\n" + lines.map { "    " + pad($0.0, w) + "  " + $0.1 + "\n" }.joined()
    }
}

extension ReplRenderer {
    /// The repairs `fix` makes, each with why it is certain.
    func fixHelp() -> String {
        "  repairs, and why each is certain:\n" + Fixer.repairs.map { "    \($0.repair)\n      \($0.whyCertain)\n" }.joined()
    }
}
