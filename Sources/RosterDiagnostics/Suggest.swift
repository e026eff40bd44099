/// "Did you mean …?" — the nearest candidate to a misspelled name.
public enum Suggest {
    /// Edit distance on characters, case-insensitive, where a swapped pair of neighbouring letters
    /// counts as one edit (`mcsa` is one from `mcas`): optimal string alignment.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = Array(0...y.count)  // row i - 2
        var prev = Array(0...y.count)  // row i - 1
        var cur = Array(repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { cur[j] = min(cur[j], before[j - 2] + 1) }
            }
            (before, prev, cur) = (prev, cur, before)
        }
        return prev[y.count]
    }

    /// The closest candidate within a distance that scales with the name's length, or nil.
    public static func nearest(_ name: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        // A code of a few letters is another code at two edits (IT is not DTC, NV is not CA).
        let limit = name.count <= 3 ? 1 : max(2, name.count / 3)
        for c in candidates {
            if c == name || isOpposite(name, c) { continue }
            let d = c.lowercased() == name.lowercased() ? 0 : distance(name, c)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        if best == nil {
            // A candidate that contains the name (or the reverse) is a good guess too: `mail` → `Email`.
            let low = name.lowercased()
            if low.count >= 3,
                let c = candidates.first(where: { c in
                    // The reverse (a candidate inside the name) only when what it drops is letters:
                    // `1030|1034` is not `1030`.
                    let inside = low.contains(c.lowercased()) && c.count >= 3 && low.replacingFirst(c.lowercased()).allSatisfy(\.isLetter)
                    return !isOpposite(name, c) && (c.lowercased().contains(low) || inside)
                })
            {
                return c
            }
        }
        return best?.0
    }

    /// Words of opposite meaning that are near in spelling: a suggestion must never turn one into
    /// the other (`Inactive` is not a slip for `Active`, nor `0` for `1`).
    static let opposites: [(String, String)] = [
        ("true", "false"), ("yes", "no"), ("y", "n"), ("on", "off"), ("enabled", "disabled"), ("enable", "disable"),
        ("allow", "deny"), ("add", "remove"), ("create", "delete"),
    ]

    /// Whether `a` and `b` mean opposite things: a listed pair, one the other with a negating prefix
    /// (`in`, `un`, `non`, `not`, `dis`, `de`), or two different numbers.
    public static func isOpposite(_ a: String, _ b: String) -> Bool {
        let trim = { (s: String) in String(s.lowercased().drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
        let x = trim(a), y = trim(b)
        if x == y { return false }
        if opposites.contains(where: { ($0.0 == x && $0.1 == y) || ($0.0 == y && $0.1 == x) }) { return true }
        let isNumber = { (s: String) in !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } }
        if isNumber(x) && isNumber(y) { return true }
        for prefix in ["in", "un", "non", "non-", "not ", "not-", "dis", "de", "im"] {
            if x == prefix + y || y == prefix + x { return true }
        }
        return false
    }

    /// `did you mean 'X'?` as a hint list (empty when nothing is near).
    public static func hint(_ name: String, in candidates: [String], quote: (String) -> String = { "'\($0)'" }) -> [String] {
        nearest(name, in: candidates).map { ["did you mean \(quote($0))?"] } ?? []
    }
}

extension String {
    /// The string with the first occurrence of `part` taken out.
    func replacingFirst(_ part: String) -> String {
        let a = Array(self), b = Array(part)
        guard !b.isEmpty, a.count >= b.count else { return self }
        for i in 0...(a.count - b.count) where Array(a[i..<(i + b.count)]) == b {
            return String(a[..<i] + a[(i + b.count)...])
        }
        return self
    }
}
