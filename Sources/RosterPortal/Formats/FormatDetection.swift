import RosterDiagnostics
import RosterData
import RosterLanguage

/// Recognises a portal format from a header row: the format's columns (in any order, with its
/// optional columns), or the portal's error file (the same plus `Notes`). A header that almost
/// matches is reported with a did-you-mean for each column that differs.
public enum FormatDetection {
    public enum Result: Equatable {
        case none
        case format(String, errorFile: Bool)
        /// Most columns match: the names that differ, each with the format's nearest column.
        case nearly(String, differences: [(have: String, want: String?)])

        public static func == (a: Result, b: Result) -> Bool {
            switch (a, b) {
            case (.none, .none): return true
            case (.format(let x, let e), .format(let y, let f)): return x == y && e == f
            case (.nearly(let x, let d), .nearly(let y, let e)):
                return x == y && d.map(\.have) == e.map(\.have) && d.map(\.want) == e.map(\.want)
            default: return false
            }
        }
    }

    public static func detect(_ header: [String], in registry: FormatRegistry) -> Result {
        var best: (FormatDefinition, Int)?
        for f in registry.headers where !f.columns.isEmpty {
            if let errorFile = exact(header, f) { return .format(f.name, errorFile: errorFile) }
            let matched = f.columns.filter { want in header.contains { f.matches($0, want) } }.count
            if matched * 3 >= f.columns.count * 2, best == nil || matched > best!.1 { best = (f, matched) }
        }
        guard let (f, _) = best else { return .none }
        return .nearly(f.name, differences: differences(header, f))
    }

    /// True/false (error file or not) when the header is exactly the format's; nil otherwise.
    package static func exact(_ header: [String], _ f: FormatDefinition) -> Bool? {
        var rest = header
        var errorFile = false
        if let last = rest.last, last == "Notes", !f.columns.contains("Notes") {
            rest.removeLast()
            errorFile = true
        }
        guard f.columns.allSatisfy({ want in rest.contains { f.matches($0, want) } }),
            rest.allSatisfy({ have in f.allows(have) }),
            rest.count >= f.columns.count
        else { return nil }
        return errorFile
    }

    /// Header names the format does not have, each with the format's nearest missing column.
    public static func differences(_ header: [String], _ f: FormatDefinition) -> [(have: String, want: String?)] {
        let missing = f.columns.filter { want in !header.contains { f.matches($0, want) } }
        return header.filter { have in !f.allows(have) && have != "Notes" }
            .map { ($0, Suggest.nearest($0, in: missing)) }
    }
}
