/// A file format a table can be loaded as or saved as. Plain `csv` has no rules; the portal formats
/// (their columns, rules and messages as data) register here too.
public struct FormatDescriptor: Sendable {
    public let name: String
    public let summary: String
}

public struct FormatRegistry: Sendable {
    public let formats: [FormatDescriptor]
    public init(_ formats: [FormatDescriptor]) { self.formats = formats }
    public var names: [String] { formats.map(\.name) }
    public func format(named name: String) -> FormatDescriptor? { formats.first { $0.name == name.lowercased() } }

    public static let standard = FormatRegistry([
        FormatDescriptor(name: "csv", summary: "plain CSV: no rules, keeps whatever columns the file has"),
    ])
}
