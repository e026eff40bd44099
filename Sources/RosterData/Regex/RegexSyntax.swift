import RosterDiagnostics

/// A set of Unicode scalars as sorted, non-overlapping closed ranges.
struct ScalarSet: Hashable {
    var ranges: [ClosedRange<UInt32>] = []

    init(_ ranges: [ClosedRange<UInt32>] = []) { self.ranges = ScalarSet.normalize(ranges) }

    static func normalize(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = rs.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    func contains(_ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < c { lo = mid + 1 } else if ranges[mid].lowerBound > c { hi = mid - 1 } else { return true }
        }
        return false
    }

    var inverted: ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
            if r.upperBound == 0x10FFFF { return ScalarSet(out) }
        }
        out.append(next...0x10FFFF)
        return ScalarSet(out)
    }

    func union(_ o: ScalarSet) -> ScalarSet { ScalarSet(ranges + o.ranges) }

    /// Adds the other case of ASCII and Latin-1 letters.
    var caseFolded: ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for r in ranges {
            for c in r.lowerBound...min(r.upperBound, 0x24F) {
                guard let s = Unicode.Scalar(c) else { continue }
                let ch = Character(s)
                for v in [ch.lowercased(), ch.uppercased()] where v.unicodeScalars.count == 1 {
                    let u = v.unicodeScalars.first!.value
                    if u != c { extra.append(u...u) }
                }
            }
        }
        return ScalarSet(ranges + extra)
    }

    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet([0x09...0x0D, 0x20...0x20])
    static let anyButNewline = ScalarSet([0...9, 11...0x10FFFF])
}

/// The parsed form of a pattern.
indirect enum RegexNode {
    case set(ScalarSet)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeatNode(RegexNode, min: Int, max: Int?)
    case start, end
    case wordBoundary(Bool)
    case empty
}

public struct RegexError: Error, Sendable {
    public let message: String
    /// Offset of the problem in the pattern (characters).
    public let position: Int
}

/// Parses the pattern syntax people know from spreadsheets and scripting languages:
/// literals, `.`, `[…]`, `[^…]`, `\d \w \s \D \W \S \b \B`, groups `(…)` `(?:…)`, `|`,
/// `* + ? {n} {n,} {n,m}` (lazy forms accepted), `^ $`, and a leading `(?i)` for ignoring case.
struct RegexParser {
    let chars: [Character]
    var i = 0
    var ignoreCase = false
    var depth = 0

    init(_ pattern: String) { chars = Array(pattern) }

    mutating func parse() throws(RegexError) -> RegexNode {
        if chars.starts(with: Array("(?i)")) { ignoreCase = true; i = 4 }
        let node = try alternation()
        if i < chars.count { throw RegexError(message: "unmatched ')'", position: i) }
        return node
    }

    mutating func alternation() throws(RegexError) -> RegexNode {
        var branches = [try sequence()]
        while i < chars.count && chars[i] == "|" {
            i += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    mutating func sequence() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while i < chars.count && chars[i] != "|" && chars[i] != ")" {
            var atom = try atom()
            // Quantifiers.
            while i < chars.count {
                let c = chars[i]
                var minR = 0, maxR: Int? = nil
                if c == "*" {
                    i += 1
                } else if c == "+" {
                    minR = 1; i += 1
                } else if c == "?" {
                    maxR = 1; i += 1
                } else if c == "{", let (a, b, len) = counted(at: i) {
                    minR = a; maxR = b; i += len
                } else {
                    break
                }
                if i < chars.count && chars[i] == "?" { i += 1 }  // lazy: same for a yes/no match
                if minR > 1000 || (maxR ?? 0) > 1000 { throw RegexError(message: "a repeat count over 1000", position: i) }
                atom = .repeatNode(atom, min: minR, max: maxR)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// `{n}`, `{n,}`, `{n,m}` at `p`: (min, max, length), or nil when `{` is a literal.
    func counted(at p: Int) -> (Int, Int?, Int)? {
        var j = p + 1
        var a = "", b = ""
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { a.append(chars[j]); j += 1 }
        guard !a.isEmpty, j < chars.count else { return nil }
        // A count too large for an Int is as much "over 1000" as 1001: the caller says so.
        let lo = Int(a) ?? Int.max
        if chars[j] == "}" { return (lo, lo, j - p + 1) }
        guard chars[j] == "," else { return nil }
        j += 1
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { b.append(chars[j]); j += 1 }
        guard j < chars.count, chars[j] == "}" else { return nil }
        if b.isEmpty { return (lo, nil, j - p + 1) }
        let hi = Int(b) ?? Int.max
        return hi >= lo ? (lo, hi, j - p + 1) : nil
    }

    func literal(_ c: Character) -> RegexNode {
        let scalars = c.unicodeScalars
        if scalars.count == 1 {
            let v = scalars.first!.value
            let s = ScalarSet([v...v])
            return .set(ignoreCase ? s.caseFolded : s)
        }
        return .concat(scalars.map { .set(ScalarSet([$0.value...$0.value])) })
    }

    mutating func atom() throws(RegexError) -> RegexNode {
        let c = chars[i]
        switch c {
        case "(":
            depth += 1
            if depth > 100 { throw RegexError(message: "groups nested too deep", position: i) }
            i += 1
            if i + 1 < chars.count && chars[i] == "?" && chars[i + 1] == ":" { i += 2 }
            let inner = try alternation()
            guard i < chars.count && chars[i] == ")" else { throw RegexError(message: "a '(' is not closed", position: i) }
            i += 1
            depth -= 1
            return inner
        case "[":
            return try bracket()
        case ".":
            i += 1
            return .set(ScalarSet.anyButNewline)
        case "^":
            i += 1
            return .start
        case "$":
            i += 1
            return .end
        case "\\":
            return try escape(inClass: false).node
        case "*", "+", "?":
            throw RegexError(message: "'\(c)' has nothing to repeat", position: i)
        default:
            i += 1
            return literal(c)
        }
    }

    /// An escape at `i`: a node (outside classes) and a set (inside classes).
    mutating func escape(inClass: Bool) throws(RegexError) -> (node: RegexNode, set: ScalarSet?) {
        i += 1
        guard i < chars.count else { throw RegexError(message: "a pattern cannot end with '\\'", position: i - 1) }
        let c = chars[i]
        i += 1
        switch c {
        case "d": return (.set(.digit), .digit)
        case "D": return (.set(ScalarSet.digit.inverted), ScalarSet.digit.inverted)
        case "w": return (.set(.word), .word)
        case "W": return (.set(ScalarSet.word.inverted), ScalarSet.word.inverted)
        case "s": return (.set(.space), .space)
        case "S": return (.set(ScalarSet.space.inverted), ScalarSet.space.inverted)
        case "b" where !inClass: return (.wordBoundary(true), nil)
        case "B" where !inClass: return (.wordBoundary(false), nil)
        case "t": return (literal("\t"), ScalarSet([9...9]))
        case "n": return (literal("\n"), ScalarSet([10...10]))
        case "r": return (literal("\r"), ScalarSet([13...13]))
        default:
            if c.isLetter || c.isNumber {
                throw RegexError(message: "'\\\(c)' is not a known escape", position: i - 2)
            }
            let v = c.unicodeScalars.first!.value
            return (literal(c), ScalarSet([v...v]))
        }
    }

    mutating func bracket() throws(RegexError) -> RegexNode {
        let open = i
        i += 1
        var negate = false
        if i < chars.count && chars[i] == "^" { negate = true; i += 1 }
        var set = ScalarSet()
        var first = true
        while i < chars.count && (chars[i] != "]" || first) {
            first = false
            var lo: UInt32
            if chars[i] == "\\" {
                let (_, s) = try escape(inClass: true)
                guard let s else { throw RegexError(message: "this escape cannot stand in [ ]", position: i) }
                if s.ranges.count != 1 || s.ranges[0].count != 1 { set = set.union(s); continue }
                lo = s.ranges[0].lowerBound
            } else {
                lo = chars[i].unicodeScalars.first!.value
                i += 1
            }
            if i + 1 < chars.count && chars[i] == "-" && chars[i + 1] != "]" {
                i += 1
                var hi: UInt32
                if chars[i] == "\\" {
                    let (_, s) = try escape(inClass: true)
                    guard let s, s.ranges.count == 1, s.ranges[0].count == 1 else { throw RegexError(message: "bad range in [ ]", position: i) }
                    hi = s.ranges[0].lowerBound
                } else {
                    hi = chars[i].unicodeScalars.first!.value
                    i += 1
                }
                if hi < lo { throw RegexError(message: "range out of order in [ ]", position: i) }
                set = set.union(ScalarSet([lo...hi]))
            } else {
                set = set.union(ScalarSet([lo...lo]))
            }
        }
        guard i < chars.count else { throw RegexError(message: "a '[' is not closed", position: open) }
        i += 1
        if ignoreCase { set = set.caseFolded }
        return .set(negate ? set.inverted : set)
    }
}
