/// Expressions, with their place in the source for messages.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case text(String)
        case number(Double)
        case bool(Bool)
        /// A column of the table being piped: `Email`, `` `E-mail address` ``.
        case column(String)
        /// `$name`: a value bound with `let` or `param`.
        case variable(String)
        /// `hr.email`: a column of another table, as a list.
        case tableColumn(table: String, column: String)
        case list([Expr])
        case map([(key: Expr, value: Expr)])
        case unary(UnaryOp, Expr)
        case binary(BinaryOp, Expr, Expr)
        case call(String, [Expr])
    }

    public var kind: Kind
    public var range: SourceRange
    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public enum UnaryOp: String, Sendable { case not, negate = "-" }

public enum BinaryOp: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in`, notIn = "not in", like, matches = "~"
    case concat = "&", add = "+", subtract = "-", multiply = "*", divide = "/", coalesce = "??"
}

/// `name = value` options after `load` and `save`.
public struct Option: Sendable {
    public var name: String
    public var value: Expr
    public var range: SourceRange
}

/// Where a pipeline's rows come from.
public indirect enum PipelineSource: Sendable {
    case load(path: Expr, format: String?, options: [Option], range: SourceRange)
    case table(String, SourceRange)
    case nested(Pipeline)
}

/// One step of a pipeline: a verb with its parsed arguments.
public protocol VerbStep: Sendable {
    var range: SourceRange { get }
    func run(_ input: Table, _ session: Session) throws(Diagnostic) -> Table
}

public struct Pipeline: Sendable {
    public var source: PipelineSource
    public var steps: [any VerbStep]
    public var range: SourceRange
}

public struct Statement: Sendable {
    public enum Kind: Sendable {
        case bind(String, Pipeline)
        case pipeline(Pipeline)
        case `let`(String, Expr)
        case param(String, Expr)
        case print([Expr])
        case assert(Expr, message: Expr?)
        case include(Expr)
        /// `format NAME … end`: a portal format described as data.
        case format(FormatDefinition)
        /// `check TABLE as FORMAT`: print what the portal would reject, and why.
        case check(table: String, tableRange: SourceRange, format: String, state: [(String, PipelineSource)])
        /// `plan NEW against CURRENT as FORMAT`: print what the portal will do with the upload.
        case plan(table: String, tableRange: SourceRange, current: PipelineSource, format: String, state: [(String, PipelineSource)])
    }
    public var kind: Kind
    public var range: SourceRange
}

extension Expr {
    /// The names of the piped table's columns this expression reads.
    var columnsRead: Set<String> {
        switch kind {
        case .column(let name): return [name]
        case .text, .number, .bool, .variable, .tableColumn: return []
        case .list(let items): return items.reduce(into: []) { $0.formUnion($1.columnsRead) }
        case .map(let pairs): return pairs.reduce(into: []) { $0.formUnion($1.key.columnsRead); $0.formUnion($1.value.columnsRead) }
        case .unary(_, let x): return x.columnsRead
        case .binary(_, let a, let b): return a.columnsRead.union(b.columnsRead)
        case .call(let name, let args):
            // rows(t) names a table, not a column.
            if name == "rows" { return [] }
            return args.reduce(into: []) { $0.formUnion($1.columnsRead) }
        }
    }
}

extension Pipeline {
    /// The last verb's name (`count`, `show`, `save` …), or nil for a bare source.
    public var lastVerbName: String? {
        steps.last.map { String(describing: type(of: $0)).replacingVerbSuffix }
    }
}
