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
        let limit = max(2, name.count / 3)
        for c in candidates {
            if c == name { continue }
            let d = c.lowercased() == name.lowercased() ? 0 : distance(name, c)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        if best == nil {
            // A candidate that contains the name (or the reverse) is a good guess too: `mail` → `Email`.
            let low = name.lowercased()
            if low.count >= 3, let c = candidates.first(where: { $0.lowercased().contains(low) || low.contains($0.lowercased()) && $0.count >= 3 }) {
                return c
            }
        }
        return best?.0
    }

    /// `did you mean 'X'?` as a hint list (empty when nothing is near).
    public static func hint(_ name: String, in candidates: [String], quote: (String) -> String = { "'\($0)'" }) -> [String] {
        nearest(name, in: candidates).map { ["did you mean \(quote($0))?"] } ?? []
    }
}
