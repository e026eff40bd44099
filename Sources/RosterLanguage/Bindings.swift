import RosterDiagnostics
import RosterData

/// What expressions can name besides the piped table's columns: tables (`hr.email`, `rows(hr)`) and
/// values (`$year`). A session provides them; the evaluator reads nothing else of it.
public protocol Bindings: AnyObject {
    var tables: [String: Table] { get }
    var values: [String: Value] { get }
}

extension Bindings {
    /// "no table named …", with a did-you-mean and a hint for a value of that name.
    public func unknownTable(_ name: String, at range: SourceRange) -> Diagnostic {
        var hints = Suggest.hint(name, in: Array(tables.keys))
        if tables.isEmpty { hints.append("bind one first: \(name) = load \"file.csv\"") }
        if values[name] != nil { hints.append("'\(name)' is a value: write $\(name)") }
        return Diagnostic(.unknownTable(name), at: range, hints: hints)
    }
}
