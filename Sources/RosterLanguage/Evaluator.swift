import RosterDiagnostics
import RosterData

/// Evaluates expressions over a table, a column at a time.
public struct Evaluator {
    public let table: Table
    let bindings: any Bindings
    /// Outside any table (`let`, `print`, `assert`): a bare name is not a column.
    let scalarContext: Bool
    let regexCache = RegexCache()

    public init(table: Table, bindings: any Bindings, scalarContext: Bool = false) {
        self.table = table
        self.bindings = bindings
        self.scalarContext = scalarContext
    }

    package var rows: Int { table.rowCount }

    public func eval(_ e: Expr) throws(Diagnostic) -> Vector {
        do {
            return try evalInner(e)
        } catch .diagnostic(let d) {
            throw masked(d.at(e.range), reading: e)
        } catch {
            throw masked(diagnostic(error, at: e.range), reading: e)
        }
    }

    /// A message about an expression that reads a password column must not show its values.
    func masked(_ d: Diagnostic, reading e: Expr) -> Diagnostic {
        guard e.columnsRead.contains(where: Secrets.isSecret) else { return d }
        var out = d
        out.id = d.id.maskingValues
        return out
    }

    /// True/false per row, for `where`.
    public func condition(_ e: Expr) throws(Diagnostic) -> [Bool] {
        let v = try eval(e)
        do { return try v.bools(rows) } catch { throw diagnostic(error, at: e.range) }
    }

    /// The expression's value for every row, as text cells.
    package func cells(_ e: Expr) throws(Diagnostic) -> TextColumn {
        let v = try eval(e)
        do { return try v.textColumn(rows) } catch { throw diagnostic(error, at: e.range) }
    }

    package func diagnostic(_ error: EvalError, at range: SourceRange) -> Diagnostic {
        switch error {
        case .type(let m): return .runtime(m, at: range)
        case .atRow(let id, let row):
            var d = Diagnostic(id, at: range)
            if let origin = table.origin {
                d.data = DataLocation(path: origin.path, line: table.displayLine(ofRow: row))
            } else {
                d.hints.append("in row \(row + 1)")
            }
            return d
        case .diagnostic(let d): return d.at(range)
        }
    }

    func evalInner(_ e: Expr) throws(EvalError) -> Vector {
        switch e.kind {
        case .text(let s): return .scalar(.text(s))
        case .number(let d): return .scalar(.number(d))
        case .bool(let b): return .scalar(.bool(b))
        case .column(let name):
            if let c = table.column(name) { return .text(c) }
            throw .diagnostic(unknownColumn(name, at: e.range))
        case .variable(let name):
            if let v = bindings.values[name] { return .scalar(v) }
            var hints = Suggest.hint(name, in: Array(bindings.values.keys), quote: { "$\($0)" })
            if bindings.tables[name] != nil { hints.append("'\(name)' is a table: write it without $") }
            if bindings.values.isEmpty { hints.append("bind it first: let \(name) = …") }
            throw .diagnostic(Diagnostic(.unknownValue(name), at: e.range, hints: hints))
        case .tableColumn(let t, let c):
            guard let tab = bindings.tables[t] else {
                if table.column(t) != nil {
                    throw .diagnostic(Diagnostic.runtime("'\(t)' is a column here, not a table", at: e.range))
                }
                throw .diagnostic(bindings.unknownTable(t, at: e.range))
            }
            guard let col = tab.column(c) else {
                // A table of nothing (an extra a recipe was not given: `load $synced optional=true`)
                // has no values in any column.
                if tab.columns.isEmpty && tab.rowCount == 0 { return .scalar(.column(TextColumn([String]()))) }
                throw .diagnostic(
                    .runtime("table '\(t)' has no column '\(c)'", at: e.range, hints: Suggest.hint(c, in: tab.names, quote: { "\(t).\(Self.spell($0))" })))
            }
            return .scalar(.column(col))
        case .list(let items):
            var out: [Value] = []
            for item in items {
                guard case .scalar(let v) = try evalInner(item) else {
                    throw .diagnostic(Diagnostic.runtime("a list holds values, not columns", at: item.range))
                }
                out.append(v)
            }
            return .scalar(.list(out))
        case .map(let pairs):
            var m = ValueMap()
            for p in pairs {
                guard case .scalar(let k) = try evalInner(p.key), let key = k.asText else {
                    throw .diagnostic(Diagnostic.runtime("a map key must be text", at: p.key.range))
                }
                guard case .scalar(let v) = try evalInner(p.value) else {
                    throw .diagnostic(Diagnostic.runtime("a map value must be a value, not a column", at: p.value.range))
                }
                m[key] = v
            }
            return .scalar(.map(m))
        case .unary(.not, let x):
            let v = try evalInner(x)
            if case .scalar(let s) = v, case .bool(let b) = s { return .scalar(.bool(!b)) }
            return .bool(try v.bools(rows).map { !$0 })
        case .unary(.negate, let x):
            let v = try evalInner(x)
            if case .scalar(.number(let d)) = v { return .scalar(.number(-d)) }
            return .number(try VectorOps.numbers(v, rows: rows).map { -$0 })
        case .binary(let op, let a, let b):
            let left = try evalInner(a)
            if op == .and, case .bool(let keep) = left, let picked = try matching(b, onlyWhere: keep) { return picked }
            let right = try evalInner(b)
            do {
                return try Operators.apply(op, left, right, evaluator: self, rightRange: b.range)
            } catch {
                throw naming(error, e)
            }
        case .call(let name, let args):
            guard let f = FunctionRegistry.standard.function(named: name) else {
                throw .diagnostic(
                    Diagnostic(
                        .unknownFunction(name), at: e.range,
                        hints: Suggest.hint(name, in: FunctionRegistry.standard.names, quote: { "\($0)()" })))
            }
            if args.count < f.minArgs || args.count > f.maxArgs {
                let want = f.minArgs == f.maxArgs ? "\(f.minArgs)" : f.maxArgs == Int.max ? "at least \(f.minArgs)" : "\(f.minArgs) to \(f.maxArgs)"
                throw .diagnostic(
                    Diagnostic.runtime(
                        "\(name) takes \(want) argument\(f.maxArgs == 1 ? "" : "s"), not \(args.count)", at: e.range, hints: ["\(f.syntax), e.g. \(f.example)"])
                )
            }
            let context = FunctionContext(evaluator: self, arguments: args, range: e.range)
            if let special = f.special { return try special(context) }
            var values: [Vector] = []
            for a in args { values.append(try evalInner(a)) }
            do {
                if let owning = f.owning { return try owning(&values, context) }
                return try f.run(values, context)
            } catch {
                throw naming(error, e)
            }
        }
    }

    /// `COLUMN ~ "pattern"` on the right of `and`, run only on the rows the left side keeps: a fixed
    /// pattern cannot fail on a row, so leaving the others out changes nothing but the time. Nil for
    /// any other expression.
    func matching(_ e: Expr, onlyWhere keep: [Bool]) throws(EvalError) -> Vector? {
        guard case .binary(.matches, let subject, let pattern) = e.kind, case .column = subject.kind, case .text = pattern.kind else { return nil }
        let column = try evalInner(subject), p = try evalInner(pattern)
        do {
            return try Operators.regexTest(column, p, rows: rows, cache: regexCache, where: keep)
        } catch {
            throw naming(error, e)
        }
    }

    /// A value error in a row, from an expression that reads one column, names that column.
    func naming(_ error: EvalError, _ e: Expr) -> EvalError {
        guard case .atRow = error, e.columnsRead.count == 1, let column = e.columnsRead.first else { return error }
        var d = masked(diagnostic(error, at: e.range), reading: e)
        d.data?.field = column
        return .diagnostic(d)
    }

    func unknownColumn(_ name: String, at range: SourceRange) -> Diagnostic {
        if scalarContext {
            var hints: [String] = []
            if bindings.values[name] != nil {
                hints.append("it is a value: write $\(name)")
            } else if bindings.tables[name] != nil {
                hints.append("'\(name)' is a table; use rows(\(name)) or \(name).COLUMN")
            } else {
                hints += Suggest.hint(name, in: Array(bindings.values.keys), quote: { "$\($0)" })
            }
            if hints.isEmpty { hints.append("text goes in quotes: \"\(name)\"") }
            return .runtime("'\(name)' is not a value here: there is no table to take a column from", at: range, hints: hints)
        }
        var hints = Suggest.hint(name, in: table.names, quote: { "'\(Self.spell($0))'" })
        if bindings.tables[name] != nil { hints.append("'\(name)' is a table, not a column") }
        if bindings.values[name] != nil { hints.append("'\(name)' is a value: write $\(name)") }
        if hints.isEmpty { hints.append("columns: " + table.names.prefix(12).map(Self.spell).joined(separator: ", ")) }
        return Diagnostic(.unknownColumn(name, verb: nil), at: range, hints: hints)
    }

    /// A column name as it must be written: backticked when not a plain identifier.
    public static func spell(_ name: String) -> String {
        var lexer = Lexer(name)
        let plain =
            (try? lexer.tokenize().map(\.kind)) == [.identifier(name), .end]
            && !Parser.expressionKeywords.contains(name.lowercased())
        return plain ? name : "`\(name)`"
    }
}
