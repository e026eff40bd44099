/// Recursive-descent parser for the roster language (see `Grammar/roster.ebnf`). Verbs parse their own
/// arguments through the helpers here, so a verb's syntax lives beside its behaviour in the registry.
public struct Parser {
    var tokens: [Token]
    var index = 0
    let verbs: VerbRegistry
    var expressionDepth = 0
    static let maxExpressionDepth = 200

    public init(_ text: String, verbs: VerbRegistry = .standard) throws(Diagnostic) {
        var lexer = Lexer(text)
        tokens = try lexer.tokenize()
        self.verbs = verbs
    }

    /// Parses a whole script.
    public static func parse(_ source: SourceFile, verbs: VerbRegistry = .standard) throws(Diagnostic) -> [Statement] {
        do {
            var p = try Parser(source.text, verbs: verbs)
            return try p.statements()
        } catch {
            throw error.located(in: source)
        }
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

    /// Words that begin a statement or a pipeline, for did-you-mean on a misspelled first word.
    static let statementKeywords = ["let", "param", "print", "assert", "include", "load", "format", "check", "plan"]
    public mutating func expectSymbol(_ s: String, _ context: String) throws(Diagnostic) {
        guard acceptSymbol(s) else { throw unexpected("'\(s)' \(context)") }
    }

    public func unexpected(_ expected: String, hints: [String] = []) -> Diagnostic {
        var hints = hints
        if current.isSymbol("=") { hints.append("to compare two values use ==") }
        return .syntax("expected \(expected), found \(current.describe)", at: current.range, hints: hints)
    }

    /// True where a statement or pipeline step ends.
    public var atStatementEnd: Bool {
        switch current.kind {
        case .newline, .end: true
        case .symbol(let s): s == "|" || s == ")"
        default: false
        }
    }

    // MARK: statements

    mutating func statements() throws(Diagnostic) -> [Statement] {
        var out: [Statement] = []
        while true {
            while current.kind == .newline { _ = advance() }
            if current.kind == .end { break }
            let first = current
            do {
                out.append(try statement())
            } catch {
                throw Self.withKeywordHint(error, first: first)
            }
            guard current.kind == .newline || current.kind == .end else {
                var hints = current.isSymbol(")") ? ["this ')' has no matching '('"] : []
                if let word = first.identifier, let k = Suggest.nearest(word, in: Self.statementKeywords), k != word.lowercased() {
                    hints.append("did you mean '\(k)'?")
                }
                throw unexpected("the end of the statement", hints: hints)
            }
        }
        return out
    }

    /// A statement whose first word is a misspelled keyword (`lett x = 1`, `lod "a.csv"`) says so.
    static func withKeywordHint(_ d: Diagnostic, first: Token) -> Diagnostic {
        guard let word = first.identifier, !Self.statementKeywords.contains(word.lowercased()),
              let k = Suggest.nearest(word, in: Self.statementKeywords), Suggest.distance(word, k) <= 2 else { return d }
        var d = d
        let hint = "did you mean '\(k)'?"
        if !d.hints.contains(hint) { d.hints.append(hint) }
        return d
    }

    mutating func statement() throws(Diagnostic) -> Statement {
        let start = current.range
        if let word = current.identifier?.lowercased() {
            let nextIsName: Bool = {
                if case .identifier = peek().kind { return true }
                return false
            }()
            switch word {
            case "let" where nextIsName, "param" where nextIsName:
                _ = advance()
                let name = advance().identifier!
                try expectSymbol("=", "after the name (let NAME = VALUE)")
                let value = try expression()
                let r = start.through(previousRange)
                return Statement(kind: word == "let" ? .let(name, value) : .param(name, value), range: r)
            case "print" where !peek().isSymbol("="):
                _ = advance()
                var items = [try expression()]
                while acceptSymbol(",") { items.append(try expression()) }
                return Statement(kind: .print(items), range: start.through(previousRange))
            case "assert" where !peek().isSymbol("="):
                _ = advance()
                let cond = try expression()
                var message: Expr?
                if acceptSymbol(",") { message = try expression() }
                return Statement(kind: .assert(cond, message: message), range: start.through(previousRange))
            case "format" where nextIsName && !peek(2).isSymbol("="):
                _ = advance()
                let f = try formatBlock(start: start)
                return Statement(kind: .format(f), range: start.through(previousRange))
            case "check" where nextIsName && peek(2).isKeyword("as"):
                _ = advance()
                let t = advance()
                _ = advance()
                let format = try formatName()
                let state = try portalState()
                return Statement(kind: .check(table: t.identifier!, tableRange: t.range, format: format, state: state), range: start.through(previousRange))
            case "plan" where nextIsName && peek(2).isKeyword("against"):
                _ = advance()
                let t = advance()
                _ = advance()
                let current = try otherTable("against")
                try expectKeyword("as", "after the portal's users (plan NEW against CURRENT as FORMAT)")
                let format = try formatName()
                let state = try portalState()
                return Statement(kind: .plan(table: t.identifier!, tableRange: t.range, current: current, format: format, state: state), range: start.through(previousRange))
            case "include" where !peek().isSymbol("="):
                _ = advance()
                let path = try expression()
                return Statement(kind: .include(path), range: start.through(previousRange))
            default:
                break
            }
            if peek().isSymbol("=") {
                let name = advance().identifier!
                _ = advance()
                skipNewlines()
                let p = try pipeline()
                return Statement(kind: .bind(name, p), range: start.through(previousRange))
            }
        }
        let p = try pipeline()
        return Statement(kind: .pipeline(p), range: p.range)
    }

    mutating func skipNewlines() {
        while current.kind == .newline { _ = advance() }
    }

    // MARK: pipelines

    public mutating func pipeline() throws(Diagnostic) -> Pipeline {
        let start = current.range
        let source = try pipelineSource()
        var steps: [any VerbStep] = []
        while true {
            // A line starting with `|` continues the pipeline.
            if current.kind == .newline, peek().isSymbol("|") { _ = advance() }
            guard acceptSymbol("|") else { break }
            skipNewlines()
            steps.append(try verbStep())
        }
        return Pipeline(source: source, steps: steps, range: start.through(previousRange))
    }

    mutating func pipelineSource() throws(Diagnostic) -> PipelineSource {
        let start = current.range
        if acceptKeyword("load") {
            let path = try expression(minPrecedence: Precedence.concat)
            var format: String?
            if acceptKeyword("as") { format = try formatName() }
            let options = try options()
            return .load(path: path, format: format, options: options, range: start.through(previousRange))
        }
        if acceptSymbol("(") {
            skipNewlines()
            let inner = try pipeline()
            skipNewlines()
            try expectSymbol(")", "to close the '(' of this pipeline")
            return .nested(inner)
        }
        if let name = current.identifier {
            if verbs.descriptor(named: name) != nil && !peek().isSymbol("|") && !(peek().kind == .newline || peek().kind == .end) {
                throw .syntax("a pipeline starts with a table, not the verb '\(name)'", at: current.range,
                              hints: ["write TABLE | \(name) …, or load a file first: load \"file.csv\" | \(name) …"])
            }
            _ = advance()
            // `lod "users.csv"`: a near-miss of load followed by a path.
            switch current.kind {
            case .string, .variable:
                if Suggest.distance(name, "load") <= 2 {
                    throw unexpected("'|' or the end of the statement after the table '\(name)'", hints: ["did you mean 'load'?"])
                }
            default: break
            }
            return .table(name, start)
        }
        throw unexpected("a table name, 'load \"file.csv\"' or '('")
    }

    /// `name = value` pairs (after `load` and `save`).
    public mutating func options() throws(Diagnostic) -> [Option] {
        var out: [Option] = []
        while let name = current.identifier, peek().isSymbol("=") {
            let r = current.range
            _ = advance(); _ = advance()
            let v = try expression(minPrecedence: Precedence.concat)
            out.append(Option(name: name.lowercased(), value: v, range: r.through(previousRange)))
        }
        return out
    }

    public mutating func formatName() throws(Diagnostic) -> String {
        guard let name = current.identifier else { throw unexpected("a format name such as csv") }
        _ = advance()
        return name.lowercased()
    }

    mutating func verbStep() throws(Diagnostic) -> any VerbStep {
        guard let word = current.identifier else {
            throw unexpected("a verb after '|'", hints: ["verbs: " + verbs.names.joined(separator: ", ")])
        }
        var key = word.lowercased()
        if key == "left", peek().isKeyword("join") { key = "left join" }
        guard let d = verbs.descriptor(named: key) else {
            throw .syntax("unknown verb '\(word)'", at: current.range, hints: Suggest.hint(word, in: verbs.names))
        }
        let start = current.range
        _ = advance()
        if key == "left join" { _ = advance() }
        do {
            return try d.parse(&self, start)
        } catch let e as Diagnostic {
            throw e
        } catch {
            throw .syntax("\(error)", at: start)
        }
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

    enum Precedence {
        static let or = 1, and = 2, not = 3, comparison = 4, concat = 5, coalesce = 6, additive = 7, multiplicative = 8
    }

    public mutating func expression() throws(Diagnostic) -> Expr { try expression(minPrecedence: Precedence.or) }

    /// Precedence climbing: or < and < not < comparisons < & < ?? < + - < * /.
    mutating func expression(minPrecedence: Int) throws(Diagnostic) -> Expr {
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
        } else {
            left = try unary()
        }
        while true {
            guard let (op, prec, width) = binaryOperator(), prec >= minPrecedence else { break }
            for _ in 0..<width { _ = advance() }
            let right = try expression(minPrecedence: prec + 1)
            left = Expr(.binary(op, left, right), left.range.through(right.range))
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
        if atSymbol("-") {
            let r = advance().range
            let operand = try unary()
            return Expr(.unary(.negate, operand), r.through(operand.range))
        }
        if atSymbol("!") {
            throw .syntax("use 'not' for negation", at: current.range, hints: ["not isblank(Email)"])
        }
        return try primary()
    }

    mutating func primary() throws(Diagnostic) -> Expr {
        let t = current
        switch t.kind {
        case .string(let s):
            _ = advance()
            return Expr(.text(s), t.range)
        case .number(let v, _):
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
