import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// Where a pipeline's rows come from.
public indirect enum PipelineSource: Sendable {
    case load(path: Expr, format: String?, options: [Option<LoadOption>], range: SourceRange)
    case table(String, SourceRange)
    case nested(Pipeline)
    /// A list of values given in place of a table (`with domains = ["district.org"]`): one column, `value`.
    case values([String], SourceRange)
    /// A value given in place of a table, evaluated when the statement runs (`with domains =
    /// $domains`): a list, or text whose parts are separated by commas.
    case value(Expr)
}

/// One step of a pipeline: a verb with its parsed arguments.
public protocol VerbStep: Sendable {
    var range: SourceRange { get }
    /// Takes its input (a verb that can change a table no one else holds may do it in place).
    func run(_ input: consuming Table, _ context: any VerbContext) throws(Diagnostic) -> Table
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
        case plan(table: String, tableRange: SourceRange, clause: PlanClause)
    }
    public var kind: Kind
    public var range: SourceRange
}

extension Pipeline {
    /// The last verb's name (`count`, `show`, `save` …), or nil for a bare source.
    public var lastVerbName: String? {
        steps.last.map { String(describing: type(of: $0)).replacingVerbSuffix }
    }
}
