import RosterDiagnostics
import RosterData

/// Splits roster source into tokens. Line breaks are tokens (they end statements) except inside an
/// open `(`, `[` or `{`; comments run from `#` to the end of the line. Deep nesting is refused so a
/// hostile script cannot exhaust the stack.
public struct Lexer {
    let src: [UInt8]
    var pos = 0
    var depth = 0
    public static let maxNesting = 200

    public init(_ text: String) { src = Array(text.utf8) }

    static let symbols2: Set<String> = ["==", "!=", "<=", ">=", "??"]
    static let symbols1: Set<UInt8> = Set("=<>&+-*/~|()[]{},:;.!".utf8)

    public mutating func tokenize() throws(Diagnostic) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            // Collapse runs of line breaks; `;` acts like a line break.
            if t.kind == .newline, let last = out.last, last.kind == .newline { continue }
            out.append(t)
            if t.kind == .end { break }
        }
        return out
    }

    /// The tokens of a line still being typed (for completion): never fails. It stops at a string or
    /// backticked name left open, and says where that began; a character that cannot start a token
    /// is skipped.
    public static func partial(_ text: String) -> PartialLine {
        var lexer = Lexer(text)
        var line = PartialLine()
        while true {
            do {
                let t = try lexer.next()
                if t.kind == .end { return line }
                if t.kind != .newline { line.tokens.append(t) }
            } catch {
                let at = error.range?.offset ?? lexer.pos
                guard at < lexer.src.count else { return line }
                switch lexer.src[at] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): line.openString = at; return line
                case UInt8(ascii: "`"): line.openBacktick = at; return line
                default: lexer.pos = max(lexer.pos, at + 1)
                }
            }
        }
    }

    mutating func next() throws(Diagnostic) -> Token {
        while pos < src.count {
            let c = src[pos]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == 0x0D { pos += 1; continue }
            if c == UInt8(ascii: "\\"), pos + 1 < src.count, src[pos + 1] == 0x0A {
                pos += 2  // an explicit line continuation
                continue
            }
            if c == UInt8(ascii: "#") {
                while pos < src.count && src[pos] != 0x0A { pos += 1 }
                continue
            }
            if c == 0x0A {
                pos += 1
                if depth > 0 { continue }
                return Token(kind: .newline, range: SourceRange(offset: pos - 1, length: 1))
            }
            break
        }
        let start = pos
        guard pos < src.count else { return Token(kind: .end, range: SourceRange(offset: pos, length: 0)) }
        let c = src[pos]
        func range() -> SourceRange { SourceRange(offset: start, length: pos - start) }

        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return try string(quote: c) }
        if c == UInt8(ascii: "`") {
            pos += 1
            while pos < src.count && src[pos] != UInt8(ascii: "`") && src[pos] != 0x0A { pos += 1 }
            guard pos < src.count, src[pos] == UInt8(ascii: "`") else {
                throw .syntax(
                    "this column name in backticks is not closed", at: SourceRange(offset: start, length: 1),
                    hints: ["close it with ` on the same line"])
            }
            let name = String(decoding: src[(start + 1)..<pos], as: UTF8.self)
            pos += 1
            return Token(kind: .quotedName(name), range: range())
        }
        if c == UInt8(ascii: "$") {
            pos += 1
            let s = pos
            while pos < src.count, case let n = identifierLength(at: pos, first: pos == s), n > 0 { pos += n }
            if pos == s { throw .syntax("'$' must be followed by a name, as in $past", at: range()) }
            return Token(kind: .variable(String(decoding: src[s..<pos], as: UTF8.self)), range: range())
        }
        if Self.isDigit(c) || (c == UInt8(ascii: ".") && pos + 1 < src.count && Self.isDigit(src[pos + 1])) {
            while pos < src.count && Self.isDigit(src[pos]) { pos += 1 }
            if pos + 1 < src.count && src[pos] == UInt8(ascii: ".") && Self.isDigit(src[pos + 1]) {
                pos += 1
                while pos < src.count && Self.isDigit(src[pos]) { pos += 1 }
            }
            let text = String(decoding: src[start..<pos], as: UTF8.self)
            return Token(kind: .number(Double(text) ?? 0, text), range: range())
        }
        if identifierLength(at: pos, first: true) > 0 {
            while pos < src.count, case let n = identifierLength(at: pos, first: pos == start), n > 0 { pos += n }
            return Token(kind: .identifier(String(decoding: src[start..<pos], as: UTF8.self)), range: range())
        }
        if pos + 1 < src.count {
            let two = String(decoding: src[pos..<(pos + 2)], as: UTF8.self)
            if Self.symbols2.contains(two) {
                pos += 2
                return Token(kind: .symbol(two), range: range())
            }
        }
        if c == UInt8(ascii: ";") {
            pos += 1
            return Token(kind: .newline, range: range())
        }
        if Self.symbols1.contains(c) {
            pos += 1
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
                if depth > Self.maxNesting {
                    throw .syntax("brackets nested more than \(Self.maxNesting) deep", at: range())
                }
            } else if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            return Token(kind: .symbol(String(UnicodeScalar(c))), range: range())
        }
        // An unexpected character: name it (decode a whole UTF-8 character).
        var e = pos + 1
        while e < src.count && src[e] & 0xC0 == 0x80 { e += 1 }
        let ch = String(decoding: src[pos..<e], as: UTF8.self)
        pos = e
        var hints: [String] = []
        if ch == "“" || ch == "”" || ch == "‘" || ch == "’" { hints.append("use straight quotes \" or ' around text (a word processor made these curly)") }
        throw .syntax("unexpected character '\(ch)'", at: range(), hints: hints)
    }

    mutating func string(quote: UInt8) throws(Diagnostic) -> Token {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while pos < src.count {
            let c = src[pos]
            if c == quote {
                pos += 1
                return Token(kind: .string(String(decoding: out, as: UTF8.self)), range: SourceRange(offset: start, length: pos - start))
            }
            if c == UInt8(ascii: "\\"), pos + 1 < src.count {
                let n = src[pos + 1]
                switch n {
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): out.append(n)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(c); out.append(n)  // kept as written: "^\d{8}$"
                }
                pos += 2
                continue
            }
            if c == 0 {
                // A path cannot hold a NUL byte: keeping it would silently cut the name short.
                throw .syntax(
                    "this text holds a NUL byte (character 0), which no file name or value may hold", at: SourceRange(offset: pos, length: 1),
                    hints: ["the script file may be damaged, or saved as UTF-16: save it as UTF-8"])
            }
            out.append(c)
            pos += 1
        }
        throw .syntax(
            "this text is not closed: a \(quote == UInt8(ascii: "\"") ? "\"" : "'") is missing", at: SourceRange(offset: start, length: 1),
            hints: ["text may run over several lines; it ends at the next unescaped \(quote == UInt8(ascii: "\"") ? "\"" : "'")"])
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Bytes of the identifier character at `i` (0 when none): ASCII letters, `_`, digits after the
    /// first, and non-ASCII letters, digits and marks (`Prénom`), but not curly quotes or dashes.
    func identifierLength(at i: Int, first: Bool) -> Int {
        let c = src[i]
        if c < 0x80 { return Self.isIdentifierByte(c, first: first) ? 1 : 0 }
        let (scalar, len) = TextEncoding.decodeScalar(src, at: i)
        guard let u = Unicode.Scalar(scalar) else { return 0 }
        let p = u.properties
        if p.isAlphabetic || (!first && p.numericType != nil) { return len }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return first ? 0 : len
        default: return 0
        }
    }

    /// ASCII letters, `_`, and digits after the first.
    static func isIdentifierByte(_ c: UInt8, first: Bool) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || (!first && isDigit(c))
    }
}

/// What `Lexer.partial` found in a line being typed; offsets are in bytes.
public struct PartialLine: Sendable {
    public var tokens: [Token] = []
    /// Where a string left open begins (its quote).
    public var openString: Int?
    /// Where a backticked name left open begins.
    public var openBacktick: Int?
}
