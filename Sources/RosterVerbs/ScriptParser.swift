import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// The script grammar: statements and pipelines over the expression parser, with each verb parsing
/// its own arguments through the registry (see `Grammar/roster.ebnf`).
public struct ScriptParser: ParserExtension {
    public var base: Parser
    let verbs: VerbRegistry

    public init(_ text: String, verbs: VerbRegistry = .standard) throws(Diagnostic) {
        base = try Parser(text)
        self.verbs = verbs
    }

    /// Parses a whole script.
    public static func parse(_ source: SourceFile, verbs: VerbRegistry = .standard) throws(Diagnostic) -> [Statement] {
        do {
            var p = try ScriptParser(source.text, verbs: verbs)
            return try p.statements()
        } catch {
            throw error.located(in: source)
        }
    }

    // MARK: statements

    public mutating func statements() throws(Diagnostic) -> [Statement] {
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
                if let word = first.identifier, let k = Suggest.nearest(word, in: StatementKeyword.firstWords), k != word.lowercased() {
                    hints.append("did you mean '\(k)'?")
                }
                throw unexpected("the end of the statement", hints: hints)
            }
        }
        return out
    }

    /// A statement whose first word is a misspelled keyword (`lett x = 1`, `lod "a.csv"`) says so.
    static func withKeywordHint(_ d: Diagnostic, first: Token) -> Diagnostic {
        // Short names (a table called `t`) are near every keyword: only words of three letters or more.
        guard let word = first.identifier, word.count >= 3, !StatementKeyword.firstWords.contains(word.lowercased()),
            let k = Suggest.nearest(word, in: StatementKeyword.firstWords), Suggest.distance(word, k) <= 2
        else { return d }
        var d = d
        let hint = "did you mean '\(k)'?"
        if !d.hints.contains(hint) { d.hints.append(hint) }
        return d
    }

    mutating func statement() throws(Diagnostic) -> Statement {
        let start = current.range
        if let name = current.identifier {
            if let keyword = StatementKeyword(rawValue: name.lowercased()), keyword.begins(self) {
                _ = advance()
                return Statement(kind: try statement(keyword, start: start), range: start.through(previousRange))
            }
            if peek().isSymbol("=") {
                _ = advance()
                _ = advance()
                skipNewlines()
                let p = try pipeline()
                return Statement(kind: .bind(name, p), range: start.through(previousRange))
            }
        }
        let p = try pipeline()
        return Statement(kind: .pipeline(p), range: p.range)
    }

    /// The rest of a keyword statement (the keyword consumed).
    mutating func statement(_ keyword: StatementKeyword, start: SourceRange) throws(Diagnostic) -> Statement.Kind {
        switch keyword {
        case .let, .param:
            let (name, _) = try columnName("a name")
            try expectSymbol("=", "after the name (\(keyword.rawValue) NAME = VALUE)")
            let value = try expression()
            return keyword == .let ? .let(name, value) : .param(name, value)
        case .print:
            var items = [try expression()]
            while acceptSymbol(",") { items.append(try expression()) }
            return .print(items)
        case .assert:
            let cond = try expression()
            var message: Expr?
            if acceptSymbol(",") { message = try expression() }
            return .assert(cond, message: message)
        case .include:
            return .include(try expression())
        case .format:
            return .format(try base.formatBlock(start: start))
        case .check:
            let (table, tableRange) = try columnName("a table name")
            try expectKeyword("as", "after the table (check TABLE as FORMAT)")
            let format = try formatName()
            let state = try portalState()
            return .check(table: table, tableRange: tableRange, format: format, state: state)
        case .plan:
            let (table, tableRange) = try columnName("a table name")
            return .plan(table: table, tableRange: tableRange, clause: try planClause())
        }
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

    public mutating func pipelineSource() throws(Diagnostic) -> PipelineSource {
        let start = current.range
        if acceptKeyword("load") {
            let path = try expression(minPrecedence: Parser.Precedence.concat)
            var format: String?
            if acceptKeyword("as") { format = try formatName() }
            let options = try options(LoadOption.self)
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
                throw .syntax(
                    "a pipeline starts with a table, not the verb '\(name)'", at: current.range,
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

    mutating func verbStep() throws(Diagnostic) -> any VerbStep {
        guard let word = current.identifier else {
            throw unexpected("a verb after '|'", hints: ["verbs: " + verbs.names.joined(separator: ", ")])
        }
        let start = current.range
        // A verb's name may be two words (`left join`): the longer name wins.
        if let second = peek().identifier, let d = verbs.descriptor(named: word + " " + second) {
            _ = advance()
            _ = advance()
            return try d.parse(&self, start)
        }
        guard let d = verbs.descriptor(named: word) else {
            // A statement's word after `|` (`t | check as tao`): say how the statement is written.
            if let k = StatementKeyword(rawValue: word.lowercased()) {
                throw Diagnostic(.unknownVerb(word), at: current.range, hints: ["\(k.rawValue) is a statement, not a verb: \(k.syntax)"])
            }
            throw Diagnostic(.unknownVerb(word), at: current.range, hints: Suggest.hint(word, in: verbs.names))
        }
        _ = advance()
        return try d.parse(&self, start)
    }
}
