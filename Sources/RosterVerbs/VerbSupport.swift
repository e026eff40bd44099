import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

extension Table {
    /// The index of a column, or an error at `range` with a did-you-mean.
    func requireColumn(_ name: String, at range: SourceRange, verb: String) throws(Diagnostic) -> Int {
        if let i = index(of: name) { return i }
        var hints = Suggest.hint(name, in: names, quote: { "'\(Evaluator.spell($0))'" })
        if hints.isEmpty { hints.append("columns: " + names.prefix(12).map(Evaluator.spell).joined(separator: ", ")) }
        return try { () throws(Diagnostic) -> Int in
            throw Diagnostic(.unknownColumn(name, verb: verb), at: range, hints: hints)
        }()
    }
}

extension VerbContext {
    /// Runs the argument of `join`, `append` and `diff`: a table name or a parenthesised pipeline.
    func table(for source: PipelineSource) throws(Diagnostic) -> (Table, String) {
        switch source {
        case .table(let name, let range):
            guard let t = tables[name] else { throw unknownTable(name, at: range) }
            return (t, name)
        case .nested(let p):
            return (try evaluate(p), "the other table")
        case .load(_, _, _, _), .values, .value:
            return (try evaluate(Pipeline(source: source, steps: [], range: SourceRange(offset: 0, length: 0))), "the loaded table")
        }
    }

    /// The tables of a `with` clause, by name; a name the format's rules do not use is an error.
    package func portalState(_ given: [(String, PipelineSource)], for f: FormatDefinition, at range: SourceRange) throws(Diagnostic) -> [String: Table] {
        var out: [String: Table] = [:]
        let used = f.stateNames
        for (name, source) in given {
            guard used.contains(name) else {
                throw Diagnostic.runtime(
                    "format \(f.name) has no rule that uses '\(name)'", at: range,
                    hints: Suggest.hint(name, in: Array(used))
                        + (used.isEmpty ? ["\(f.name) checks nothing against the portal's data"] : ["it uses: " + used.sorted().joined(separator: ", ")]))
            }
            let t = try table(for: source).0
            // A parameter left blank gives nothing: the rule is not checked, rather than checked
            // against an empty list.
            if case .value = source, t.rowCount == 0 { continue }
            // Nor does an extra loaded with optional=true from a blank file name.
            if t.rowCount == 0 && t.columns.isEmpty { continue }
            out[name] = t
        }
        return out
    }
}

extension ScriptParser {
    /// The other table of `join`, `append`, `diff`: a name, `(pipeline)` or `load "file"`.
    mutating func otherTable(_ verb: String) throws(Diagnostic) -> PipelineSource {
        if let name = current.identifier, !current.isKeyword("load") {
            let r = current.range
            _ = advance()
            return .table(name, r)
        }
        if atSymbol("(") || atKeyword("load") { return try pipelineSource() }
        throw unexpected("a table name or (pipeline) after \(verb)")
    }

    /// `with users = current, orgs = (load "orgs.csv")`: the portal's own data for `validate` and `check`.
    mutating func portalState() throws(Diagnostic) -> [(String, PipelineSource)] {
        guard acceptKeyword("with") else { return [] }
        var out: [(String, PipelineSource)] = []
        repeat {
            guard let name = current.identifier else { throw unexpected("a name such as users or orgs") }
            _ = advance()
            try expectSymbol("=", "after the name (with users = current_users)")
            if atSymbol("[") {
                let e = try expression()
                guard case .list(let items) = e.kind else { throw unexpected("a list of values in quotes") }
                var values: [String] = []
                for item in items {
                    guard case .text(let v) = item.kind else { throw Diagnostic.syntax("the list holds values in quotes", at: item.range) }
                    values.append(v)
                }
                out.append((name, .values(values, e.range)))
            } else if case .variable = current.kind {
                // A recipe's parameter: the list (or comma-separated text) it holds when the statement runs.
                out.append((name, .value(try expression(minPrecedence: Parser.Precedence.concat))))
            } else if current.isKeyword("true") || current.isKeyword("false") {
                // A setting of the portal's (`with hierarchies = true`): one value.
                let t = advance()
                out.append((name, .values([t.isKeyword("true") ? "true" : "false"], t.range)))
            } else {
                out.append((name, try otherTable("=")))
            }
        } while acceptSymbol(",")
        return out
    }
}
