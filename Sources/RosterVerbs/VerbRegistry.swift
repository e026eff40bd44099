import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// What the registry knows of a verb: its name, syntax and help (which drive `:help`, completion and
/// the README's verb table) and how to parse its arguments.
public struct VerbDescriptor: Sendable {
    public let name: String
    public let syntax: String
    public let summary: String
    public let example: String
    public let parse: @Sendable (inout ScriptParser, SourceRange) throws(Diagnostic) -> any VerbStep

    public init(
        name: String, syntax: String, summary: String, example: String,
        parse: @escaping @Sendable (inout ScriptParser, SourceRange) throws(Diagnostic) -> any VerbStep
    ) {
        self.name = name
        self.syntax = syntax
        self.summary = summary
        self.example = example
        self.parse = parse
    }
}

/// The one list of verbs.
public struct VerbRegistry: Sendable {
    public let descriptors: [VerbDescriptor]
    private let byName: [String: VerbDescriptor]

    public init(_ descriptors: [VerbDescriptor]) {
        self.descriptors = descriptors
        var m: [String: VerbDescriptor] = [:]
        for d in descriptors { m[d.name] = d }
        byName = m
    }

    public var names: [String] { descriptors.map(\.name) }

    public func descriptor(named name: String) -> VerbDescriptor? { byName[name.lowercased()] }

    public static let standard = VerbRegistry([
        WhereVerb.descriptor, SelectVerb.descriptor, DropVerb.descriptor, RenameVerb.descriptor,
        SetVerb.descriptor, MapVerb.descriptor, SortVerb.descriptor, UniqueVerb.descriptor,
        CollapseVerb.descriptor, ExpandVerb.descriptor, JoinVerb.innerDescriptor, JoinVerb.leftDescriptor,
        AppendVerb.descriptor, DiffVerb.descriptor, HeadVerb.headDescriptor, HeadVerb.tailDescriptor,
        CountVerb.descriptor, ShowVerb.descriptor, SaveVerb.descriptor, ValidateVerb.descriptor, FixVerb.descriptor, ConvertVerb.descriptor,
        PlanVerb.descriptor, ActionsVerb.descriptor, ReconcileVerb.descriptor,
    ])
}
