import RosterData
import RosterDiagnostics

/// A grammar built on top of `Parser`: a higher layer wraps the cursor (the verbs target's
/// `ScriptParser`) and reaches the cursor's helpers through this protocol, so its own parsing code
/// reads like the parser's.
public protocol ParserExtension {
    var base: Parser { get set }
}

extension ParserExtension {
    public var current: Token { base.current }
    public var previousRange: SourceRange { base.previousRange }
    public var atStatementEnd: Bool { base.atStatementEnd }
    public func peek(_ k: Int = 1) -> Token { base.peek(k) }
    public func atKeyword(_ w: String) -> Bool { base.atKeyword(w) }
    public func atSymbol(_ s: String) -> Bool { base.atSymbol(s) }
    public func unexpected(_ expected: String, hints: [String] = []) -> Diagnostic { base.unexpected(expected, hints: hints) }
    public mutating func advance() -> Token { base.advance() }
    public mutating func acceptKeyword(_ w: String) -> Bool { base.acceptKeyword(w) }
    public mutating func acceptSymbol(_ s: String) -> Bool { base.acceptSymbol(s) }
    public mutating func expectKeyword(_ w: String, _ context: String) throws(Diagnostic) { try base.expectKeyword(w, context) }
    public mutating func expectSymbol(_ s: String, _ context: String) throws(Diagnostic) { try base.expectSymbol(s, context) }
    public mutating func skipNewlines() { base.skipNewlines() }
    public mutating func expression() throws(Diagnostic) -> Expr { try base.expression() }
    public mutating func expression(minPrecedence: Int) throws(Diagnostic) -> Expr {
        try base.expression(minPrecedence: minPrecedence)
    }
    public mutating func optionalCount() throws(Diagnostic) -> (Int, SourceRange)? { try base.optionalCount() }
    public mutating func formatName() throws(Diagnostic) -> String { try base.formatName() }
    public mutating func columnName(_ what: String = "a column name") throws(Diagnostic) -> (String, SourceRange) {
        try base.columnName(what)
    }
    public mutating func columnNames(_ what: String = "a column name") throws(Diagnostic) -> [(String, SourceRange)] {
        try base.columnNames(what)
    }
}
