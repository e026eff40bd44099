import RosterDiagnostics
import RosterData
import RosterLanguage

/// The formats a session knows: the built-ins, and any a script defines with `format … end`.
public struct FormatRegistry: Sendable {
    /// A format the registry holds: a built-in one (parsed when first used) or one a script defined.
    enum Entry: Sendable {
        case builtin(String)
        case defined(FormatDefinition)

        var name: String {
            switch self {
            case .builtin(let n): return n
            case .defined(let f): return f.name
            }
        }

        var definition: FormatDefinition? {
            switch self {
            case .builtin(let n): return BuiltinFormats.definition(named: n)
            case .defined(let f): return f
            }
        }

        var header: FormatDefinition? {
            switch self {
            case .builtin(let n): return BuiltinFormats.headers.first { $0.name == n }
            case .defined(let f): return f
            }
        }
    }

    private var entries: [Entry]

    public init(_ formats: [FormatDefinition]) { entries = formats.map { .defined($0) } }

    init(builtins names: [String]) { entries = names.map { .builtin($0) } }

    /// Every format in full (which parses every built-in one not yet used).
    public var formats: [FormatDefinition] { entries.compactMap(\.definition) }

    public var names: [String] { entries.map(\.name) }

    public func format(named name: String) -> FormatDefinition? { entry(named: name)?.definition }

    /// The format called `name`, in any case.
    private func entry(named name: String) -> Entry? {
        let wanted = name.lowercased()
        return entries.first { $0.name == wanted }
    }

    /// What recognising a header needs of every format (name, columns, optional columns, how
    /// headers compare), without parsing the built-in formats in full.
    public var headers: [FormatDefinition] { entries.compactMap(\.header) }

    /// What recognising a header needs of the format `name` (see `headers`): checking that a table
    /// is still in its format after each step does not parse a built-in format in full.
    public func header(named name: String) -> FormatDefinition? { entry(named: name)?.header }

    /// The built-in crosswalks by the name `map` knows them by: `oneroster_to_mcas` for roles,
    /// `oneroster_to_pass_active` for another meaning.
    public var crosswalks: [(name: String, crosswalk: Crosswalk)] {
        formats.flatMap { f in
            f.conversion.crosswalks.map { c in
                ("\(c.from)_to_\(f.name)" + (c.meaning == .role ? "" : "_\(c.meaning)"), c)
            }
        }
    }

    /// Adds a format, replacing one of the same name.
    public mutating func register(_ f: FormatDefinition) {
        if let i = entries.firstIndex(where: { $0.name == f.name }) { entries[i] = .defined(f) } else { entries.append(.defined(f)) }
    }

    /// The built-in formats, each parsed when first used (a test checks they all parse, and that the
    /// header facts agree with the full definitions).
    public static let standard = FormatRegistry(builtins: BuiltinFormats.blocks.map(\.name))
}
