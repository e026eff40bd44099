import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession

/// Gathers typed lines into complete statements: input continues while a bracket or a string is
/// open, or while the last line ends with `|`.
public struct InputAssembler {
    public private(set) var lines: [String] = []

    public init() {}

    /// True while a statement has begun and is not complete.
    public var isContinuing: Bool { !lines.isEmpty }

    /// Adds a line; returns the whole statement when it is complete.
    public mutating func add(_ line: String) -> String? {
        lines.append(line)
        let text = lines.joined(separator: "\n")
        if Self.needsMore(text) { return nil }
        lines = []
        return text
    }

    public mutating func reset() { lines = [] }

    /// Whether `text` stops inside a bracket or a string, or right after a `|`.
    public static func needsMore(_ text: String) -> Bool {
        let s = Array(text.utf8)
        var depth = 0
        var quote: UInt8? = nil
        var lastSignificant: UInt8 = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == q { quote = nil; lastSignificant = c }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
            case UInt8(ascii: "`"):
                // A backticked name ends on its own line.
                i += 1
                while i < s.count && s[i] != UInt8(ascii: "`") && s[i] != 0x0A { i += 1 }
                lastSignificant = UInt8(ascii: "`")
            case UInt8(ascii: "#"):
                while i < s.count && s[i] != 0x0A { i += 1 }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
            if c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && quote == nil { lastSignificant = c }
            i += 1
        }
        return quote != nil || depth > 0 || lastSignificant == UInt8(ascii: "|")
    }

    /// The statement as one history line: comments removed and lines joined with spaces, when that
    /// keeps its meaning (no text running over lines); nil otherwise.
    public static func historyLine(_ text: String) -> String? {
        if !text.contains("\n") { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var kept = ""
            var quote: Character?
            var escaped = false
            var backtick = false
            for ch in line {
                if let q = quote {
                    kept.append(ch)
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
                    continue
                }
                if backtick { kept.append(ch); if ch == "`" { backtick = false }; continue }
                if ch == "#" { break }
                if ch == "\"" || ch == "'" { quote = ch }
                if ch == "`" { backtick = true }
                kept.append(ch)
            }
            if quote != nil { return nil }
            let trimmed = kept.trimmingCharacters(in: " \t")
            if !trimmed.isEmpty { out.append(trimmed) }
        }
        return out.joined(separator: " ")
    }
}
