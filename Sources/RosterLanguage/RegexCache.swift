import RosterDiagnostics
import RosterData

/// Compiled patterns, reused across the rows of one evaluation. Each evaluator owns one, so
/// evaluations on different threads never share a pattern's lazily built DFA.
public final class RegexCache {
    private var cache: [String: Regex] = [:]
    public init() {}

    public func regex(_ pattern: String) throws(RegexError) -> Regex {
        if let r = cache[pattern] { return r }
        let r = try Regex(pattern)
        if cache.count > 256 { cache.removeAll() }
        cache[pattern] = r
        return r
    }
}
