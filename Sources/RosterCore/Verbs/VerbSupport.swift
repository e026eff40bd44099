extension Table {
    /// The index of a column, or an error at `range` with a did-you-mean.
    func requireColumn(_ name: String, at range: SourceRange, verb: String) throws(Diagnostic) -> Int {
        if let i = index(of: name) { return i }
        var hints = Suggest.hint(name, in: names, quote: { "'\(Evaluator.spell($0))'" })
        if hints.isEmpty { hints.append("columns: " + names.prefix(12).map(Evaluator.spell).joined(separator: ", ")) }
        return try { () throws(Diagnostic) -> Int in
            throw Diagnostic.runtime("\(verb): no column '\(name)'", at: range, hints: hints)
        }()
    }
}

extension Session {
    /// Runs the argument of `join`, `append` and `diff`: a table name or a parenthesised pipeline.
    func table(for source: PipelineSource) throws(Diagnostic) -> (Table, String) {
        switch source {
        case .table(let name, let range):
            guard let t = tables[name] else { throw unknownTable(name, at: range) }
            return (t, name)
        case .nested(let p):
            return (try evaluate(p), "the other table")
        case .load(_, _, _, _):
            return (try evaluate(Pipeline(source: source, steps: [], range: SourceRange(offset: 0, length: 0))), "the loaded table")
        }
    }

    func evaluator(for table: Table) -> Evaluator { Evaluator(table: table, session: self) }

    /// The tables of a `with` clause, by name; a name the format's rules do not use is an error.
    func portalState(_ given: [(String, PipelineSource)], for f: FormatDefinition, at range: SourceRange) throws(Diagnostic) -> [String: Table] {
        var out: [String: Table] = [:]
        let used = Set(f.stateRules.map(\.state))
        for (name, source) in given {
            guard used.contains(name) else {
                throw Diagnostic.runtime("format \(f.name) has no rule that uses '\(name)'", at: range,
                                         hints: Suggest.hint(name, in: Array(used)) + (used.isEmpty ? ["\(f.name) checks nothing against the portal's data"] : ["it uses: " + used.sorted().joined(separator: ", ")]))
            }
            out[name] = try table(for: source).0
        }
        return out
    }
}

extension Parser {
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
            out.append((name, try otherTable("=")))
        } while acceptSymbol(",")
        return out
    }

    /// An optional whole number (`head`, `show`).
    mutating func optionalCount() throws(Diagnostic) -> (Int, SourceRange)? {
        if case .number(let d, _) = current.kind {
            let r = advance().range
            guard d == d.rounded(), d >= 0, d < 1e12 else { throw Diagnostic.syntax("expected a whole number", at: r) }
            return (Int(d), r)
        }
        return nil
    }
}

/// "3 values: 'a', 'b', 'c'" with at most `limit` listed.
func listSome(_ items: [String], limit: Int = 5) -> String {
    let shown = items.prefix(limit).map { "'\($0)'" }.joined(separator: ", ")
    return items.count > limit ? shown + ", … (\(items.count) in all)" : shown
}

func plural(_ n: Int, _ word: String) -> String { "\(n.grouped) \(word)\(n == 1 ? "" : "s")" }
