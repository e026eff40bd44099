import RosterDiagnostics

// Small text helpers for messages and reports.

extension Int {
    /// `1234567` → `1,234,567`.
    public var grouped: String {
        let s = String(self.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (self < 0 ? "-" : "") + out
    }
}

extension String {
    /// `WhereVerb` → `where`.
    public var replacingVerbSuffix: String {
        (hasSuffix("Verb") ? String(dropLast(4)) : self).lowercased()
    }

    public var trimmingTrailingNewline: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}

/// "3 values: 'a', 'b', 'c'" with at most `limit` listed.
public func listSome(_ items: [String], limit: Int = 5) -> String {
    let shown = items.prefix(limit).map { "'\($0)'" }.joined(separator: ", ")
    return items.count > limit ? shown + ", … (\(items.count) in all)" : shown
}

/// "a, b, c, d, e, f, g, h, … (40,000 in all)": the first `limit` items of a list whose length is
/// `count` (by default, as many as given), for messages about lists of any length.
public func firstFew<C: Collection<String>>(_ items: C, count: Int? = nil, limit: Int = 8) -> String {
    let total = count ?? items.count
    return items.prefix(limit).joined(separator: ", ") + (total > limit ? ", … (\(total.grouped) in all)" : "")
}

public func plural(_ n: Int, _ word: String) -> String { "\(n.grouped) \(word)\(n == 1 ? "" : "s")" }

extension String {
    /// Every occurrence of `target` replaced (without Foundation, which the data layer does not link).
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
