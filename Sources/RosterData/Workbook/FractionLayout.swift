/// A number format section that writes a fraction, in the general shape Excel reads: literals, a
/// whole part (placeholders with literals among them: `#\:?`), a gap, the numerator's placeholders,
/// literals, `/`, literals, the denominator's placeholders or a fixed number, literals. Excel's own
/// results for these (POI's NumberFormatTests.xlsx holds hundreds, cached from Excel) decide the
/// details: a whole part of only `#` at zero is left out with its gap (spaces in the gap stay), a
/// fraction of zero is blank space where a `?` asks for it and left out otherwise, and a numerator
/// with a `0` place shows 0/1.
struct FractionLayout: Sendable, Equatable {
    enum Item: Sendable, Equatable {
        case place(Character)
        case literal(String)
    }

    var prefix: [Item]
    var whole: [Item]  // empty: no whole part
    var gap: String
    var numerator: [Character]
    var beforeSlash: String
    var afterSlash: String
    var denominator: [Character]
    var fixedDenominator: Int?
    var suffix: [Item]

    /// The section's items, or nil when it writes no fraction.
    static func parse(_ section: String) -> FractionLayout? {
        let chars = Array(section)
        var items: [Item] = []
        var slashes: [Int] = []  // indexes in items of each unquoted /
        var k = 0
        func literal(_ s: String) {
            if case .literal(let t)? = items.last {
                items[items.count - 1] = .literal(t + s)
            } else {
                items.append(.literal(s))
            }
        }
        while k < chars.count {
            let c = chars[k]
            switch c {
            case "\"":
                var j = k + 1
                var s = ""
                while j < chars.count, chars[j] != "\"" { s.append(chars[j]); j += 1 }
                literal(s)
                k = j + 1
                continue
            case "\\":
                if k + 1 < chars.count { literal(String(chars[k + 1])) }
                k += 2
                continue
            case "_", "*":
                if c == "_" { literal(" ") }  // the width of the next character; * fills, which text does not show
                k += 2
                continue
            case "[":
                let (inner, end) = NumberFormat.bracket(chars, at: k)
                if let symbol = NumberFormat.currency(inner) { literal(symbol) }
                k = end + 1
                continue
            case "0", "#", "?":
                items.append(.place(c))
            case "/":
                slashes.append(items.count)
                items.append(.literal("/"))
                items.append(.literal(""))  // what follows the slash is its own literal, not merged into it
            case _ where "ymdhs@.%Ee".contains(c) || c.isLetter && "ymdhsae".contains(Character(c.lowercased())):
                return nil  // a date, a decimal point, text or an exponent: not a fraction
            default:
                literal(String(c))
            }
            k += 1
        }
        for s in slashes {
            // The numerator: the places just before the slash (literals between them and it aside).
            var n = s - 1
            var before = ""
            while n >= 0, case .literal(let t) = items[n] {
                before = t + before
                n -= 1
            }
            var numerator: [Character] = []
            while n >= 0, case .place(let p) = items[n] {
                numerator.insert(p, at: 0)
                n -= 1
            }
            guard !numerator.isEmpty else { continue }
            // The denominator: places after the slash, or a number written there.
            var d = s + 1
            var after = ""
            while d < items.count, case .literal(let t) = items[d], !t.contains(where: { $0.isNumber }) {
                after += t
                d += 1
            }
            var denominator: [Character] = []
            var fixed: Int?
            if d < items.count, case .literal(let t) = items[d], let digits = Int(String(t.prefix { $0.isASCII && $0.isNumber }.prefix(9))), digits > 0 {
                fixed = digits
                let rest = String(t.drop { $0.isASCII && $0.isNumber })
                items[d] = .literal(rest)
                if rest.isEmpty { d += 1 }
            } else {
                while d < items.count, case .place(let p) = items[d] {
                    denominator.append(p)
                    d += 1
                }
            }
            guard fixed != nil || !denominator.isEmpty else { continue }
            // The whole part: every place before the numerator, with the literals among them.
            let head = n >= 0 ? Array(items[0...n]) : []
            let firstPlace = head.firstIndex { if case .place = $0 { return true } else { return false } }
            let lastPlace = head.lastIndex { if case .place = $0 { return true } else { return false } }
            var layout = FractionLayout(
                prefix: head, whole: [], gap: "", numerator: numerator, beforeSlash: before, afterSlash: after, denominator: denominator,
                fixedDenominator: fixed, suffix: Array(items[d...]))
            if let firstPlace, let lastPlace {
                layout.prefix = Array(head[..<firstPlace])
                layout.whole = Array(head[firstPlace...lastPlace])
                layout.gap = head[(lastPlace + 1)...].map { if case .literal(let t) = $0 { return t } else { return "" } }.joined()
            }
            return layout
        }
        return nil
    }

    /// The text of `value` (at least 0; the caller writes the sign).
    func format(_ value: Double) -> String {
        // A number too large for a fraction's places is written as General (and never overflows).
        guard value.isFinite, value < 1e15 else { return NumberFormat.generalText(value) }
        let hasWhole = !whole.isEmpty
        var integer = hasWhole ? value.rounded(.down) : 0
        let part = value - integer
        var numerator = 0, denominator = 1
        if let fixed = fixedDenominator {
            denominator = fixed
            numerator = Int((part * Double(fixed)).rounded())
        } else {
            let most = Int(NumberFormat.pow10(min(self.denominator.count, 4))) - 1
            var best = Double.infinity
            for d in 1...max(1, most) {
                let n = (part * Double(d)).rounded()
                let error = abs(part - n / Double(d))
                if error < best - 1e-12 {
                    best = error
                    numerator = Int(n)
                    denominator = d
                }
            }
        }
        if hasWhole, numerator == denominator {
            integer += 1
            numerator = 0
        }
        let zeroNumerator = numerator == 0 && !self.numerator.contains("0")
        var out = Self.text(prefix)
        var gapText = gap
        if hasWhole {
            let places = whole.compactMap { if case .place(let p) = $0 { return p } else { return nil } }
            if integer == 0 && !zeroNumerator && !places.contains("0") {
                // A zero whole part before a fraction: `#` leaves it out (and a gap that is not
                // space), `?` leaves blank space the width of it and its gap.
                if places.contains("?") {
                    out += String(repeating: " ", count: Self.text(whole, number: "").count)
                    gapText = String(repeating: " ", count: gap.count)
                } else {
                    out += Self.text(whole, number: "")
                    gapText = gap.filter { $0 == " " }
                }
            } else {
                let digits = integer == 0 ? (zeroNumerator ? "0" : "") : String(Int64(integer))
                out += Self.text(whole, number: digits)
            }
        }
        if zeroNumerator {
            // No fraction: blank space where a ? asks for it, nothing otherwise.
            let places = whole.compactMap { if case .place(let p) = $0 { return p } else { return nil } } + self.numerator + self.denominator
            if places.contains("?") {
                let width =
                    gap.count + self.numerator.count + beforeSlash.count + 1 + afterSlash.count
                    + max(self.denominator.count, fixedDenominator.map { String($0).count } ?? 0)
                out += String(repeating: " ", count: width)
            } else if !hasWhole {
                out += "0"
            }
            return out + Self.text(suffix)
        }
        if numerator == 0 { denominator = fixedDenominator ?? 1 }
        out += gapText + Self.padded(numerator, self.numerator, left: true) + beforeSlash + "/" + afterSlash
        out += fixedDenominator.map(String.init) ?? Self.padded(denominator, self.denominator, left: false)
        return out + Self.text(suffix)
    }

    /// Items as text, with `number`'s digits filling the places from the right (the extra digits in
    /// the first place); a place with no digit writes 0 for `0`, a space for `?`, nothing for `#`.
    static func text(_ items: [Item], number: String = "") -> String {
        var digits = Array(number)
        var slots: [String] = []
        let places = items.filter { if case .place = $0 { return true } else { return false } }.count
        var filled = [String](repeating: "", count: places)
        var p = places - 1
        for item in items.reversed() {
            guard case .place(let c) = item else { continue }
            if let d = digits.popLast() {
                filled[p] = String(d)
            } else {
                filled[p] = c == "0" ? "0" : c == "?" ? " " : ""
            }
            p -= 1
        }
        if !digits.isEmpty, !filled.isEmpty { filled[0] = String(digits) + filled[0] }
        var k = 0
        for item in items {
            switch item {
            case .literal(let t): slots.append(t)
            case .place:
                slots.append(filled[k])
                k += 1
            }
        }
        return slots.joined()
    }

    /// A numerator padded on the left (`?` a space, `0` a zero), a denominator: zeros on the left,
    /// spaces on the right.
    static func padded(_ n: Int, _ places: [Character], left: Bool) -> String {
        let digits = String(n)
        guard digits.count < places.count else { return digits }
        let missing = places.count - digits.count
        if left {
            return String(places.prefix(missing).compactMap { $0 == "0" ? "0" : $0 == "?" ? " " : nil }) + digits
        }
        let unused = places.prefix(missing)
        let zeros = String(repeating: "0", count: unused.filter { $0 == "0" }.count)
        let spaces = String(repeating: " ", count: unused.filter { $0 == "?" }.count)
        return zeros + digits + spaces
    }
}
