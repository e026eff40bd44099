import RosterDiagnostics
import RosterData
import RosterLanguage

/// The formats a session knows: the built-ins, and any a script defines with `format … end`.
public struct FormatRegistry: Sendable {
    public private(set) var formats: [FormatDefinition]

    public init(_ formats: [FormatDefinition]) { self.formats = formats }

    public var names: [String] { formats.map(\.name) }

    public func format(named name: String) -> FormatDefinition? { formats.first { $0.name == name.lowercased() } }

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
        if let i = formats.firstIndex(where: { $0.name == f.name }) { formats[i] = f } else { formats.append(f) }
    }

    /// The built-in formats (their definitions are parsed once; a test checks they parse).
    public static let standard = FormatRegistry((try? BuiltinFormats.parse()) ?? [])
}
