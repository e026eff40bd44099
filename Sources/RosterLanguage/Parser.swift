import RosterData
import RosterDiagnostics

/// The recursive-descent parser's cursor over tokens, and the expression grammar (see
/// `Grammar/roster.ebnf`). Higher layers add their grammar on top of it: portal formats parse
/// `format … end` blocks through it, and the verbs target's `ScriptParser` wraps it for statements
/// and pipelines, so each verb's syntax lives beside its behaviour.
public struct Parser {
    var tokens: [Token]
    var index = 0
    var expressionDepth = 0
    static let maxExpressionDepth = 200
    /// Operators whose flat chains are kept balanced: the result does not depend on the grouping
    /// (numbers' `+` and `*` are left out: their rounding does).
    static let associative: Set<BinaryOp> = [.or, .and, .concat]
    /// The depth from which such a chain is rebalanced.
    static let balanceFrom = 32

    /// Words with a meaning inside expressions; a column of that name is written in backticks.
    public static let expressionKeywords = ["and", "or", "not", "in", "like", "true", "false"]

    /// The text being parsed, for quoting a clause back to the user.
    let bytes: [UInt8]

    public init(_ text: String) throws(Diagnostic) {
        var lexer = Lexer(text)
        tokens = try lexer.tokenize()
        bytes = Array(text.utf8)
    }

    /// The source text a range covers (`role in ["admin"]`), as written.
    public func sourceText(_ r: SourceRange) -> String {
        let start = min(max(0, r.offset), bytes.count), end = min(bytes.count, start + max(0, r.length))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: token access

    public var current: Token { tokens[index] }
    public func peek(_ k: Int = 1) -> Token { tokens[min(index + k, tokens.count - 1)] }
    public mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }
    /// The range of the token just consumed.
    public var previousRange: SourceRange { tokens[max(0, index - 1)].range }

    public func atKeyword(_ w: String) -> Bool { current.isKeyword(w) }
    public func atSymbol(_ s: String) -> Bool { current.isSymbol(s) }

    public mutating func acceptKeyword(_ w: String) -> Bool {
        if atKeyword(w) { _ = advance(); return true }
        return false
    }
    public mutating func acceptSymbol(_ s: String) -> Bool {
        if atSymbol(s) { _ = advance(); return true }
        return false
    }
    public mutating func expectKeyword(_ w: String, _ context: String) throws(Diagnostic) {
        guard acceptKeyword(w) else {
            var hints: [String] = []
            if let found = current.identifier, Suggest.distance(found, w) <= max(1, w.count / 3) { hints.append("did you mean '\(w)'?") }
            throw unexpected("'\(w)' \(context)", hints: hints)
        }
    }

    public mutating func expectSymbol(_ s: String, _ context: String) throws(Diagnostic) {
        guard acceptSymbol(s) else { throw unexpected("'\(s)' \(context)") }
    }

    public func unexpected(_ expected: String, hints: [String] = []) -> Diagnostic {
        var hints = hints
        if current.isSymbol("=") { hints.append("to compare two values use ==") }
        return Diagnostic(.expected(expected, found: current.describe), at: current.range, hints: hints)
    }

    /// True where a statement or pipeline step ends.
    public var atStatementEnd: Bool {
        switch current.kind {
        case .newline, .end: true
        case .symbol(let s): s == "|" || s == ")"
        default: false
        }
    }

    public mutating func skipNewlines() {
        while current.kind == .newline { _ = advance() }
    }

    /// An optional whole number (`head`, `show`).
    public mutating func optionalCount() throws(Diagnostic) -> (Int, SourceRange)? {
        if case .number(let d, _) = current.kind {
            let r = advance().range
            guard d == d.rounded(), d >= 0, d < 1e12 else { throw Diagnostic.syntax("expected a whole number", at: r) }
            return (Int(d), r)
        }
        return nil
    }

    public mutating func formatName() throws(Diagnostic) -> String {
        guard let name = current.identifier else { throw unexpected("a format name such as csv") }
        _ = advance()
        return name.lowercased()
    }

    // MARK: names

    /// A column name: a bare identifier or a name in backticks (strings accepted for new names).
    public mutating func columnName(_ what: String = "a column name") throws(Diagnostic) -> (String, SourceRange) {
        let t = current
        switch t.kind {
        case .identifier(let s), .quotedName(let s): _ = advance(); return (s, t.range)
        case .string(let s): _ = advance(); return (s, t.range)
        default: throw unexpected(what, hints: ["a name with spaces or dashes goes in backticks: `E-mail address`"])
        }
    }

    public mutating func columnNames(_ what: String = "a column name") throws(Diagnostic) -> [(String, SourceRange)] {
        var out = [try columnName(what)]
        while acceptSymbol(",") { out.append(try columnName(what)) }
        return out
    }

    // MARK: expressions

    public enum Precedence {
        public static let or = 1, and = 2, not = 3, comparison = 4, concat = 5, coalesce = 6, additive = 7, multiplicative = 8
    }

    public mutating func expression() throws(Diagnostic) -> Expr { try expression(minPrecedence: Precedence.or) }

    /// Precedence climbing: or < and < not < comparisons < & < ?? < + - < * /.
    public mutating func expression(minPrecedence: Int) throws(Diagnostic) -> Expr {
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        if expressionDepth > Self.maxExpressionDepth {
            throw .syntax("expression nested more than \(Self.maxExpressionDepth) deep", at: current.range)
        }
        var left: Expr
        if minPrecedence <= Precedence.not, atKeyword("not") {
            let r = advance().range
            let operand = try expression(minPrecedence: Precedence.not)
            left = Expr(.unary(.not, operand), r.through(operand.range))
            if left.depth > Self.maxExpressionDepth { throw Self.tooDeep(at: r) }
        } else {
            left = try unary()
        }
        while true {
            guard let (op, prec, width) = binaryOperator(), prec >= minPrecedence else { break }
            let opRange = current.range
            for _ in 0..<width { _ = advance() }
            let right = try expression(minPrecedence: prec + 1)
            left = Expr(.binary(op, left, right), left.range.through(right.range))
            // A long flat chain of one associative operator (`a or b or c …`, `x & y & z …`) is a
            // list, not a deep expression: it is kept as a balanced tree, as deep as its log.
            if left.depth > Self.balanceFrom, Self.associative.contains(op) { left = left.balanced(op) }
            if left.depth > Self.maxExpressionDepth { throw Self.tooDeep(at: opRange) }
            if prec == Precedence.comparison, let (_, p2, _) = binaryOperator(), p2 == Precedence.comparison {
                throw .syntax("comparisons cannot be chained", at: current.range, hints: ["join them with 'and': a < b and b < c"])
            }
        }
        return left
    }

    func binaryOperator() -> (BinaryOp, Int, Int)? {
        switch current.kind {
        case .identifier(let s):
            switch s.lowercased() {
            case "or": return (.or, Precedence.or, 1)
            case "and": return (.and, Precedence.and, 1)
            case "in": return (.in, Precedence.comparison, 1)
            case "like": return (.like, Precedence.comparison, 1)
            case "not" where peek().isKeyword("in"): return (.notIn, Precedence.comparison, 2)
            default: return nil
            }
        case .symbol(let s):
            switch s {
            case "==": return (.equal, Precedence.comparison, 1)
            case "!=": return (.notEqual, Precedence.comparison, 1)
            case "<": return (.less, Precedence.comparison, 1)
            case "<=": return (.lessEqual, Precedence.comparison, 1)
            case ">": return (.greater, Precedence.comparison, 1)
            case ">=": return (.greaterEqual, Precedence.comparison, 1)
            case "~": return (.matches, Precedence.comparison, 1)
            case "&": return (.concat, Precedence.concat, 1)
            case "??": return (.coalesce, Precedence.coalesce, 1)
            case "+": return (.add, Precedence.additive, 1)
            case "-": return (.subtract, Precedence.additive, 1)
            case "*": return (.multiply, Precedence.multiplicative, 1)
            case "/": return (.divide, Precedence.multiplicative, 1)
            default: return nil
            }
        default: return nil
        }
    }

    mutating func unary() throws(Diagnostic) -> Expr {
        // A run of minus signs is read in a loop, not by recursion, so no run can exhaust the stack.
        var minuses: [SourceRange] = []
        while atSymbol("-") {
            minuses.append(advance().range)
            if minuses.count > Self.maxExpressionDepth { throw Self.tooDeep(at: minuses[minuses.count - 1]) }
        }
        if atSymbol("!") {
            throw .syntax("use 'not' for negation", at: current.range, hints: ["not isblank(Email)"])
        }
        var e = try primary()
        for r in minuses.reversed() {
            e = Expr(.unary(.negate, e), r.through(e.range))
            if e.depth > Self.maxExpressionDepth { throw Self.tooDeep(at: r) }
        }
        return e
    }

    /// An expression tree too deep to evaluate safely.
    static func tooDeep(at range: SourceRange) -> Diagnostic {
        .syntax(
            "this expression is more than \(maxExpressionDepth) operations deep", at: range,
            hints: ["compute its parts in steps (let, or set A = …, B = …) and combine those"])
    }

    mutating func primary() throws(Diagnostic) -> Expr {
        let t = current
        switch t.kind {
        case .string(let s):
            _ = advance()
            return Expr(.text(s), t.range)
        case .number(let v, let text):
            // More digits than a number holds exactly would compare wrongly; as text they compare exactly.
            if text.filter(\.isNumber).drop(while: { $0 == "0" }).count > 15 {
                throw .syntax(
                    "\(text) has more digits than a number holds exactly (15)", at: t.range,
                    hints: ["write it in quotes, \"\(text)\": cells are text, and long codes compare exactly as text"])
            }
            _ = advance()
            return Expr(.number(v), t.range)
        case .variable(let name):
            _ = advance()
            return Expr(.variable(name), t.range)
        case .quotedName(let name):
            _ = advance()
            return Expr(.column(name), t.range)
        case .identifier(let name):
            let low = name.lowercased()
            if low == "true" || low == "false" {
                _ = advance()
                return Expr(.bool(low == "true"), t.range)
            }
            _ = advance()
            if atSymbol("(") {
                _ = advance()
                var args: [Expr] = []
                if !atSymbol(")") {
                    args.append(try expression())
                    while acceptSymbol(",") { args.append(try expression()) }
                }
                try expectSymbol(")", "to close the arguments of \(name)(…)")
                return Expr(.call(low, args), t.range.through(previousRange))
            }
            if atSymbol("."), case .identifier(let col) = peek().kind {
                _ = advance(); _ = advance()
                return Expr(.tableColumn(table: name, column: col), t.range.through(previousRange))
            }
            if atSymbol("."), case .quotedName(let col) = peek().kind {
                _ = advance(); _ = advance()
                return Expr(.tableColumn(table: name, column: col), t.range.through(previousRange))
            }
            return Expr(.column(name), t.range)
        case .symbol("("):
            _ = advance()
            let inner = try expression()
            try expectSymbol(")", "to close this '('")
            return Expr(inner.kind, t.range.through(previousRange))
        case .symbol("["):
            _ = advance()
            var items: [Expr] = []
            if !atSymbol("]") {
                items.append(try expression())
                while acceptSymbol(",") {
                    if atSymbol("]") { break }
                    items.append(try expression())
                }
            }
            try expectSymbol("]", "to close this list")
            return Expr(.list(items), t.range.through(previousRange))
        case .symbol("{"):
            _ = advance()
            var pairs: [(key: Expr, value: Expr)] = []
            if !atSymbol("}") {
                repeat {
                    if atSymbol("}") { break }
                    let k = try expression(minPrecedence: Precedence.concat)
                    try expectSymbol(":", "between a key and its value ({\"Test Administrator\": \"TA\"})")
                    let v = try expression()
                    pairs.append((k, v))
                } while acceptSymbol(",")
            }
            try expectSymbol("}", "to close this map")
            return Expr(.map(pairs), t.range.through(previousRange))
        default:
            throw unexpected("a value, a column name or a function call")
        }
    }
}
