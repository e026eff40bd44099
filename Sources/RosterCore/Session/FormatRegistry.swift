/// The formats a session knows: the built-ins, and any a script defines with `format … end`.
public struct FormatRegistry: Sendable {
    public private(set) var formats: [FormatDefinition]

    public init(_ formats: [FormatDefinition]) { self.formats = formats }

    public var names: [String] { formats.map(\.name) }

    public func format(named name: String) -> FormatDefinition? { formats.first { $0.name == name.lowercased() } }

    /// Adds a format, replacing one of the same name.
    public mutating func register(_ f: FormatDefinition) {
        if let i = formats.firstIndex(where: { $0.name == f.name }) { formats[i] = f } else { formats.append(f) }
    }

    /// The built-in formats (their definitions are parsed once; a test checks they parse).
    public static let standard: FormatRegistry = {
        let statements = (try? Parser.parse(SourceFile(name: "built-in formats", text: BuiltinFormats.source))) ?? []
        return FormatRegistry(statements.compactMap { s in
            if case .format(let f) = s.kind { return f }
            return nil
        })
    }()
}
