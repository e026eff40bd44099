import RosterDiagnostics
import RosterData
import RosterLanguage

/// The repairs `fix` makes: only those that are certainly right. Anything that could be repaired two
/// ways, or not at all, is left as it is and reported with a suggestion.
public struct Fixer {
    public let format: FormatDefinition?

    public init(_ format: FormatDefinition?) { self.format = format }

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

    public func fix(_ table: Table) -> (Table, [Change], [Unfixed]) {
        let patterns = RegexCache()  // each rule's pattern is compiled once, not once per cell
        var out = table
        var changes: [Change] = []
        var unfixed: [Unfixed] = []
        for (j, column) in table.columns.enumerated() {
            let rules = format?.rules.filter { r in format!.matches(column.name, r.column) } ?? []
            var replacement = TextColumnBuilder(expectedCells: table.rowCount)
            var mask = [Bool](repeating: false, count: table.rowCount)
            for r in 0..<table.rowCount {
                let before = column.cells[r]
                var value = before
                var whys: [String] = []
                let trimmed = value.trimmingCharacters(in: " \t\u{A0}")
                if trimmed != value { value = trimmed; whys.append("spaces") }
                if let repaired = Self.mojibake(value) { value = repaired; whys.append("mangled characters") }
                for rule in rules {
                    let (v, why, problem) = Self.apply(rule, to: value, patterns: patterns)
                    if let why { value = v; whys.append(why) }
                    if let problem { unfixed.append(Unfixed(row: r, column: column.name, value: value, why: problem)) }
                }
                replacement.append(value)
                if value != before {
                    mask[r] = true
                    changes.append(Change(row: r, column: column.name, before: before, after: value, why: whys.joined(separator: ", ")))
                }
            }
            if mask.contains(true) { out.columns[j].cells = column.cells.merging(replacement.finish(), where: mask) }
        }
        return (out, changes.sorted { ($0.row, $0.column) < ($1.row, $1.column) }, unfixed)
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
    static func apply(_ rule: ColumnRule, to value: String, patterns: RegexCache = RegexCache()) -> (String, String?, String?) {
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
                    if let (v, w, pr) = repairLayout(p, pattern, patterns) {
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

    /// Layout repairs a pattern makes certain: phone numbers, dates, and codes whose leading zeros
    /// Excel dropped. Returns nil when the pattern is not one of these.
    static func repairLayout(_ value: String, _ pattern: String, _ patterns: RegexCache) -> (String, String?, String?)? {
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
            if let date = SimpleDate(parsing: value) { return (date.format("M/D/YYYY"), "date layout", nil) }
            return (value, nil, "not a date the portal's M/D/YYYY layout can be made from")
        }
        // Fixed-length digit codes: `\d{N}` (TOMS and PearsonAccess CDS codes), `\d{8}(-\d{8})?` (MCAS).
        if pattern.hasPrefix(#"\d{"#), let close = pattern.firstIndex(of: "}"), let n = Int(pattern[pattern.index(pattern.startIndex, offsetBy: 3)..<close]) {
            if value.contains("E+") || value.contains("e+") {
                return (value, nil, "Excel turned this code into a number and lost digits; take it from the original file")
            }
            if !value.isEmpty, value.count < n, value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                let padded = String(repeating: "0", count: n - value.count) + value
                if whole?.matches(padded) == true { return (padded, "leading zeros Excel dropped", nil) }
            }
        }
        return nil
    }
}
