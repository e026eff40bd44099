import RosterDiagnostics
import RosterData
import RosterLanguage

/// The repairs `fix` makes: only those that are certainly right. Anything that could be repaired two
/// ways, or not at all, is left as it is and reported with a suggestion.
public struct Fixer: Sendable {
    public let format: FormatDefinition?

    public init(_ format: FormatDefinition?) { self.format = format }

    /// Every repair `fix` makes, with why it is certain (`:help fix` prints this list).
    public static let repairs: [(repair: String, whyCertain: String)] = [
        ("spaces around a value", "no portal value begins or ends with a space, and portals compare the cell as written"),
        (
            "mangled characters (â€“ for –, Ã© for é)",
            "the text encodes back to valid UTF-8 holding letters beyond ASCII: it was UTF-8 read as Windows-1252, and nothing else gives that"
        ),
        (
            "the portal's spelling of an allowed value (test administrator → Test Administrator, - for –)",
            "exactly one allowed value is the same once case, runs of spaces, and dash and quote variants are ignored"
        ),
        ("phone layout (6175551234 → 617-555-1234)", "exactly ten digits, and nothing but digits, spaces and ( ) - . +"),
        (
            "date layout (2025-08-30 → 8/30/2025)",
            "the value is a real calendar date in an unambiguous layout (year first, or M/D/YYYY); a dotted date (04.03.2025) is listed, not read"
        ),
        (
            "leading zeros Excel dropped from an organization code (1611920130946 → 01611920130946)",
            "the column holds fixed-length digit codes, the value is those digits with zeros missing in front and does not itself start with 0 (Excel drops every leading zero), and the result is a plausible code: a 14-digit CDS code only from 13 digits whose county part (01–58) is real, an 8-digit Massachusetts code only from 5 to 7 digits (its district number is 0001 or more); anything else is listed, not padded"
        ),
    ]

    public struct Change: Sendable, Equatable {
        public var row: Int
        public var column: String
        public var before: String
        public var after: String
        public var why: String
    }

    public struct Unfixed: Sendable, Equatable {
        public var row: Int
        public var column: String
        public var value: String
        public var why: String
    }

    /// `skipPlainCells` lets cells that need nothing be copied as bytes (off only in the tests that
    /// hold the fast path to the slow one). Columns are repaired independently, side by side.
    public func fix(_ table: Table, skipPlainCells: Bool = true) -> (Table, [Change], [Unfixed]) {
        let rows = table.rowCount
        let repaired = Parallel.map(table.columns, work: rows * table.columns.count / 4) { column in
            fixColumn(column, rows: rows, skipPlainCells: skipPlainCells)
        }
        var out = table
        var changes: [Change] = []
        var unfixed: [Unfixed] = []
        for (j, r) in repaired.enumerated() {
            if let cells = r.cells { out.columns[j].cells = cells }
            changes += r.changes
            unfixed += r.unfixed
        }
        return (out, changes.sorted { ($0.row, $0.column) < ($1.row, $1.column) }, unfixed.sorted { ($0.row, $0.column) < ($1.row, $1.column) })
    }

    /// The repairs of what Excel did to a portal's own export when a person opened and saved it:
    /// leading zeros it dropped, dates it rewrote, text it mangled — so the export is matched as what
    /// the portal holds. Other repairs (the portal's spelling of a value, a phone layout) are left
    /// out: the portal holds what it holds.
    public func excelRepairs(_ table: Table) -> (Table, [Change]) {
        let (_, changes, _) = fix(table)
        let excel = changes.filter { $0.why.contains("leading zeros Excel dropped") || $0.why.contains("date layout") || $0.why.contains("mangled") }
        guard !excel.isEmpty else { return (table, []) }
        var out = table
        for j in out.columns.indices {
            let mine = excel.filter { $0.column == out.columns[j].name }
            if mine.isEmpty { continue }
            out.columns[j].cells = out.columns[j].cells.replacing(rows: mine.map(\.row), with: mine.map(\.after))
        }
        return (out, excel)
    }

    /// One column's repairs: its new cells (nil when none changed), the changes and what stays unfixed.
    func fixColumn(_ column: Column, rows: Int, skipPlainCells: Bool) -> (cells: TextColumn?, changes: [Change], unfixed: [Unfixed]) {
        let patterns = RegexCache()  // each rule's pattern is compiled once, not once per cell
        var changes: [Change] = []
        var unfixed: [Unfixed] = []
        let rules = format?.rules.filter { r in format!.matches(column.name, r.column) } ?? []
        let isCode = format.map { f in rules.contains { f.meanings[$0.column] == .organization } } ?? false
        var changedRows: [Int] = []
        var changedValues: [String] = []
        // The rows a repairable constraint (an allowed value, a layout) rejects; every other cell
        // without spaces at its ends that cannot be mangled text is already right, and stays as it
        // is without a String being made.
        var suspect: [Bool] = []
        if let f = format, !rules.isEmpty {
            suspect = [Bool](repeating: false, count: rows)
            let validator = FormatValidator(f)
            for var rule in rules {
                rule.constraints = rule.constraints.filter(\.isRepairable)
                if rule.constraints.isEmpty { continue }
                guard let failing = try? validator.check(rule, column.cells, as: .rule(0)) else {
                    suspect = [Bool](repeating: true, count: rows)
                    break
                }
                for (r, _) in failing { suspect[r] = true }
            }
        }
        var looked: [Int] = []
        column.cells.forEachCell { r, cell in
            if !skipPlainCells || (!suspect.isEmpty && suspect[r]) || !Self.isSettled(cell) { looked.append(r) }
        }
        for r in looked {
            let before = column.cells[r]
            var value = before
            var whys: [String] = []
            let trimmed = value.trimmingCharacters(in: " \t\u{A0}")
            if trimmed != value { value = trimmed; whys.append("spaces") }
            if let repaired = Self.mojibake(value) { value = repaired; whys.append("mangled characters") }
            for rule in rules {
                let (v, why, problem) = Self.apply(rule, to: value, isCode: isCode, patterns: patterns)
                if let why { value = v; whys.append(why) }
                if let problem { unfixed.append(Unfixed(row: r, column: column.name, value: value, why: problem)) }
            }
            if value != before {
                changedRows.append(r)
                changedValues.append(value)
                changes.append(Change(row: r, column: column.name, before: before, after: value, why: whys.joined(separator: ", ")))
            }
        }
        return (changedRows.isEmpty ? nil : column.cells.replacing(rows: changedRows, with: changedValues), changes, unfixed)
    }

    /// Whether `fix` leaves a cell that no rule rejects as it is, decided from its bytes: no space,
    /// tab or no-break space at either end, and none of the bytes mangled text must hold (see
    /// `mayBeMangled`).
    static func isSettled(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first, let last = cell.last else { return true }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
        if first == 0xC2 && cell.count > 1 && cell[1] == 0xA0 { return false }
        if last == 0xA0 && cell.count > 1 && cell[cell.count - 2] == 0xC2 { return false }
        return !mayBeMangled(cell)
    }

    /// False only for text `mojibake` certainly leaves alone. Mangled text is valid UTF-8 read as
    /// Windows-1252: a lead byte C2–F4 became a letter U+00C2–U+00F4 (the bytes C3 82–C3 B4), and the
    /// continuation byte after it (80–BF) became a character that starts with C2 (U+0080–U+00BF),
    /// C5, C6 or CB (Œ, Š, ƒ, ˆ …) or E2 (€, ‚, „, …, ™ …). A cell without such a run is not mangled.
    static func mayBeMangled(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = cell.count
        var i = 0
        while i + 2 < n {
            if cell[i] == 0xC3 {
                let letter = cell[i + 1], next = cell[i + 2]
                if letter >= 0x82 && letter <= 0xB4 && (next == 0xC2 || next == 0xC5 || next == 0xC6 || next == 0xCB || next == 0xE2) { return true }
            }
            i += 1
        }
        return false
    }

    /// Text that was UTF-8, read as Windows-1252 and saved again (`â€“` for `–`, `Ã©` for `é`): the
    /// original, when encoding it back gives valid UTF-8 with letters beyond ASCII.
    static func mojibake(_ s: String) -> String? {
        guard s.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { return nil }
        guard let bytes = try? TextEncoding.encodeWindows1252(Array(s.utf8)) else { return nil }
        let valid = bytes.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8Serial($0) } == nil
        guard valid, bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let repaired = String(decoding: bytes, as: UTF8.self)
        return repaired != s ? repaired : nil
    }

    /// A spelling key that ignores case, runs of spaces, and dash and quote variants.
    static func key(_ s: String) -> String {
        var out = ""
        var space = false
        for ch in s.lowercased() {
            switch ch {
            case " ", "\t", "\u{A0}":
                space = true
                continue
            case "‐", "‑", "‒", "–", "—", "−": if space { out.append(" ") }; out.append("-")
            case "‘", "’", "′": if space { out.append(" ") }; out.append("'")
            case "“", "”", "″": if space { out.append(" ") }; out.append("\"")
            default: if space && !out.isEmpty { out.append(" ") }; out.append(ch)
            }
            space = false
        }
        return out
    }

    /// One rule's repair of a value: the new value and why (nil when unchanged), or why it cannot be
    /// repaired for certain.
    static func apply(_ rule: ColumnRule, to value: String, isCode: Bool = false, patterns: RegexCache = RegexCache()) -> (String, String?, String?) {
        if value.isEmpty { return (value, nil, nil) }
        let parts = rule.separator.map { sep in value.split(separator: sep, omittingEmptySubsequences: false).map(String.init) } ?? [value]
        var fixed: [String] = []
        var why: String?
        var problem: String?
        for part in parts {
            var p = part
            for c in rule.constraints {
                switch c {
                case .oneOf(let allowed, let ignoringCase):
                    let ok = ignoringCase ? allowed.contains { $0.lowercased() == p.lowercased() } : allowed.contains(p)
                    if ok { continue }
                    let matches = allowed.filter { key($0) == key(p) }
                    if matches.count == 1 {
                        p = matches[0]
                        why = "the portal's spelling"
                    } else {
                        let near = Suggest.nearest(p, in: allowed)
                        problem = "not one of the allowed values" + (near.map { "; did you mean '\($0)'?" } ?? "")
                    }
                case .pattern(let pattern):
                    if let (v, w, pr) = repairLayout(p, pattern, isCode: isCode, patterns) {
                        if let w { p = v; why = w }
                        if let pr { problem = pr }
                    }
                default:
                    break
                }
            }
            fixed.append(p)
        }
        let joined = rule.separator.map { fixed.joined(separator: $0) } ?? fixed[0]
        return (joined, joined != value ? why : nil, problem)
    }

    /// Layout repairs a pattern makes certain: phone numbers, dates, and organization codes whose
    /// leading zeros Excel dropped. Returns nil when the pattern is not one of these.
    static func repairLayout(_ value: String, _ pattern: String, isCode: Bool, _ patterns: RegexCache) -> (String, String?, String?)? {
        let whole = try? patterns.regex("^(?:" + pattern + ")$")
        if whole?.matches(value) == true { return (value, nil, nil) }
        if pattern == #"\d{3}-\d{3}-\d{4}"# {
            let digits = value.filter(\.isASCII).filter(\.isNumber)
            if digits.count == 10, value.allSatisfy({ $0.isNumber || " ()-.+".contains($0) }) {
                let d = Array(digits)
                return (String(d[0..<3]) + "-" + String(d[3..<6]) + "-" + String(d[6..<10]), "phone layout", nil)
            }
            return (value, nil, "not a 10-digit phone number")
        }
        if pattern == #"\d{1,2}/\d{1,2}/\d{4}"# {
            // 04.03.2025 is 3 April in much of the world and April 3 in the US: a person decides.
            if value.contains("."), let first = value.split(separator: ".").first, first.count <= 2 {
                return (value, nil, "a dotted date is ambiguous (day or month first); write it as M/D/YYYY")
            }
            if let date = SimpleDate(parsing: value) { return (date.format("M/D/YYYY"), "date layout", nil) }
            return (value, nil, "not a date the portal's M/D/YYYY layout can be made from")
        }
        let digitsOnly = !value.isEmpty && value.allSatisfy { $0.isASCII && $0.isNumber }
        // A four-digit year given as two (Pass gradyear 27): 2027 is likely, 1927 possible; a person decides.
        if pattern == #"\d{4}"#, !isCode, digitsOnly, value.count == 2 {
            return (value, nil, "a two-digit year; did you mean '20\(value)'?")
        }
        // Fixed-length digit codes: `\d{N}` (TOMS and PearsonAccess CDS codes), `\d{8}(-\d{8})?` (MCAS).
        guard isCode, pattern.hasPrefix(#"\d{"#), let close = pattern.firstIndex(of: "}"),
            let n = Int(pattern[pattern.index(pattern.startIndex, offsetBy: 3)..<close])
        else { return nil }
        if value.contains("E+") || value.contains("e+") {
            return (value, nil, "Excel turned this code into a number and lost digits; take it from the original file")
        }
        guard digitsOnly, value.count < n else { return nil }
        let padded = String(repeating: "0", count: n - value.count) + value
        guard whole?.matches(padded) == true else { return nil }
        // Excel drops every leading zero of a number it reads: a value that still starts with 0 lost
        // none, so its missing digits are not zeros Excel took.
        if value.hasPrefix("0") {
            return (
                value, nil,
                "\(value.count) digits starting with 0: Excel did not drop these zeros, so the missing digits are unknown; take the code from the original file"
            )
        }
        if n == 8 {
            // A Massachusetts organization code: a 4-digit district number (0001 and up), then 4 digits.
            // Excel can drop at most the district number's three leading zeros.
            guard value.count >= 5 else {
                return (
                    value, nil,
                    "\(value.count) digits: too short for an 8-digit organization code that lost its leading zeros; take the code from the original file"
                )
            }
        } else if n != 14 {
            return (
                value, nil, "\(value.count) digits where \(n) are expected; '\(padded)' if Excel dropped leading zeros, but roster cannot tell for this code"
            )
        }
        if n == 14 {
            // A CDS code: 2-digit county (01–58), 5-digit district, 7-digit school. Excel drops at most
            // the one zero of a county below 10; more missing zeros would make county 00.
            let county = Int(padded.prefix(2)) ?? 0
            guard (1...58).contains(county), value.count == 13 else {
                return (
                    value, nil,
                    "\(value.count) digits: not a CDS code with its leading zero dropped (no county \(padded.prefix(2))); take the code from the original file"
                )
            }
        }
        return (padded, "leading zeros Excel dropped", nil)
    }
}
