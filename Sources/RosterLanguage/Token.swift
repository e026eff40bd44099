import RosterDiagnostics
import RosterData

/// A lexical token with its place in the source.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case identifier(String)
        /// `` `Any header text` ``
        case quotedName(String)
        case string(String)
        /// The number's value and its text as written.
        case number(Double, String)
        /// `$name`
        case variable(String)
        case symbol(String)
        case newline
        case end
    }

    public var kind: Kind
    public var range: SourceRange

    /// The identifier's text when the token is one (keywords are identifiers too).
    public var identifier: String? {
        if case .identifier(let s) = kind { return s }
        return nil
    }

    /// True when the token is the keyword `word` (keywords are case-insensitive).
    public func isKeyword(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.lowercased() == word }
        return false
    }

    public func isSymbol(_ s: String) -> Bool {
        if case .symbol(let t) = kind { return t == s }
        return false
    }

    public var describe: String {
        switch kind {
        case .identifier(let s): "'\(s)'"
        case .quotedName(let s): "`\(s)`"
        case .string(let s): "\"\(s)\""
        case .number(_, let s): s
        case .variable(let s): "$\(s)"
        case .symbol(let s): "'\(s)'"
        case .newline: "the end of the line"
        case .end: "the end of the input"
        }
    }
}
