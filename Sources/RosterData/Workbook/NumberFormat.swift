/// An Excel number format, applied to a cell's stored number to give the text a person sees in the
/// cell: `General` (shortest exact digits, no `.0`, no exponent for integers up to 15 digits), digit
/// placeholders (`00000000000000` keeps a code's leading zeros, `0.00`, `#,##0`, `0%`), literal text,
/// and dates and times (`m/d/yyyy`, `mm/dd/yy`, `yyyy-mm-dd`, `h:mm AM/PM`, `[h]:mm:ss`).
///
/// A code is compiled once into sections of tokens with everything a number needs counted in
/// advance, so formatting a cell costs the text it writes: a code of 10,000 zeros used to cost its
/// length squared in every cell.
public struct NumberFormat: Sendable, Equatable {
    public let code: String
    /// The sections of the code (positive; negative; zero; text).
    let sections: [Section]
    public let isDate: Bool
    /// The section text cells go through (`0;-0;0;"text: "@`, `"ID "@`, `_(@_)`), when it writes more
    /// than the text itself.
    let textSection: Section?

    enum Token: Sendable, Equatable {
        case literal(String)
        case digits(DigitRun)
        case date(String)  // y, m, d, h, s, ampm, elapsed (with its letters)
        case general
        case text  // @
        /// A placeholder after the first run (`000-000-0000`): the number's digits fill them all.
        case placeholder(Character)
        /// A fraction (`# ?/?`, `?/8`, `#\:#=/=#`): the whole section, laid out by `FractionLayout`.
        case fraction(FractionLayout)
        /// A section's condition (`[<=9999999]`), which picks the section instead of the sign.
        case condition(Condition)
    }

    /// `[<=9999999]`: the section applies to numbers for which the comparison holds.
    struct Condition: Sendable, Equatable {
        var op: String
        var value: Double

        func holds(_ v: Double) -> Bool {
            switch op {
            case "<": v < value
            case "<=", "=<": v <= value
            case ">": v > value
            case ">=", "=>": v >= value
            case "<>": v != value
            default: v == value
            }
        }
    }

    /// One section's tokens, with what applying it asks of them worked out once.
    struct Section: Sendable, Equatable {
        var tokens: [Token]
        /// The digit placeholders of a layout (`000-000-0000`), in order; nil when the section has one
        /// run of digits at most.
        var layout: [Character]?
        /// Hours on a 12-hour clock (`AM/PM` or `A/P` in the section).
        var twelveHour: Bool
        var condition: Condition?
        /// Digits shown after the seconds (`ss.000`), at most 3.
        var subsecondDigits: Int

        init(_ all: [Token]) {
            var tokens: [Token] = []
            var condition: Condition?
            for t in all {
                if case .condition(let c) = t { condition = c } else { tokens.append(t) }
            }
            self.tokens = tokens
            self.condition = condition
            subsecondDigits = tokens.reduce(0) { n, t in
                if case .date(let s) = t, s.first == "." { return min(3, s.count - 1) } else { return n }
            }
            twelveHour = tokens.contains {
                if case .date(let s) = $0 { return s == "am/pm" || s.hasPrefix("a/p") } else { return false }
            }
            if tokens.contains(where: { if case .placeholder = $0 { return true } else { return false } }) {
                var slots: [Character] = []
                for t in tokens {
                    if case .digits(let run) = t { slots += run.integer }
                    if case .placeholder(let c) = t { slots.append(c) }
                }
                layout = slots
            }
        }
    }

    /// A run of digit placeholders (`#,##0.00`) with its counts: how many digits it shows at least,
    /// how many decimals, and the power of ten and the percent signs it scales by.
    struct DigitRun: Sendable, Equatable {
        var integer: [Character]
        var minInteger: Int
        var decimals: Int
        var grouping: Bool
        var percent: Int
        var exponent: Bool
        /// The placeholders after the point, and whether the code has a point at all (`#.` shows one).
        var fractionSlots: [Character]
        var hasPoint: Bool
        /// The exponent's least digits and whether it shows `+` (`E+00`) or only `-` (`E-0`).
        var exponentDigits = 1
        var exponentPlus = true
        /// Commas after the last placeholder: each divides by 1,000.
        var thousands = 0

        init(integer: [Character], fraction: [Character], grouping: Bool, percent: Int, exponent: Bool) {
            self.integer = integer
            minInteger = integer.reduce(0) { $0 + ($1 == "0" ? 1 : 0) }
            fractionSlots = fraction.filter { $0 == "0" || $0 == "#" || $0 == "?" }
            hasPoint = fraction.contains(".")
            decimals = fractionSlots.count
            self.grouping = grouping
            self.percent = percent
            self.exponent = exponent
        }
    }

    /// The built-in formats by id (ECMA-376 §18.8.30, as Excel shows them in the United States).
    public static let builtIn: [Int: String] = [
        0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
        5: "$#,##0_);($#,##0)", 6: "$#,##0_);[Red]($#,##0)", 7: "$#,##0.00_);($#,##0.00)", 8: "$#,##0.00_);[Red]($#,##0.00)",
        12: "# ?/?", 13: "# ??/??", 14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
        18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm",
        37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
        41: #"_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)"#, 42: #"_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)"#,
        43: #"_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)"#, 44: #"_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)"#,
        45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    ]

    public static let general = NumberFormat("General")
    /// How a date cell (`t="d"`) without a date format is shown: as ISO dates, the way it is written.
    static let isoDate = NumberFormat("yyyy-mm-dd"), isoDateTime = NumberFormat("yyyy-mm-dd hh:mm:ss")

    public init(_ code: String) {
        self.code = code
        let parsed = Self.splitSections(code).map { text -> Section in
            let tokens = Self.tokens(text)
            guard let layout = FractionLayout.parse(text) else { return Section(tokens) }
            // A fraction is laid out as a whole; a condition before it still picks the section.
            return Section(tokens.filter { if case .condition = $0 { return true } else { return false } } + [.fraction(layout)])
        }
        sections = parsed.isEmpty ? [Section([.general])] : parsed
        isDate = sections[0].tokens.contains { if case .date = $0 { return true } else { return false } }
        let forText = sections.count == 4 ? sections[3] : sections.count == 1 && sections[0].tokens.contains(.text) ? sections[0] : nil
        textSection = forText.flatMap { $0.tokens == [.text] || !$0.tokens.contains(.text) ? nil : $0 }
    }

    // MARK: applying

    /// The text of `value` in this format; `date1904` picks the workbook's date system.
    public func format(_ value: Double, date1904: Bool = false) -> String {
        guard value.isFinite else { return Self.generalText(value) }
        let (section, v, signed) = section(for: value)
        if section.tokens.contains(where: { if case .date = $0 { return true } else { return false } }) {
            guard let parts = DateParts(serial: v, date1904: date1904, subsecondDigits: section.subsecondDigits) else {
                return Self.generalText(value)
            }
            let text = formatDate(parts, section)
            // Elapsed time may be negative (-2:03:04); a negative date has no text in Excel.
            let isElapsed = section.tokens.contains { if case .date(let s) = $0 { return s.first == "[" } else { return false } }
            return signed && isElapsed ? "-" + text : text
        }
        if let layout = section.layout { return Self.fillLayout(v, section.tokens, layout) }
        var out = ""
        var shown = false  // a digit other than 0 is written: only then does a negative number get its sign
        for t in section.tokens {
            switch t {
            case .literal(let s): out += s
            case .general, .text:
                let g = Self.generalText(v)
                shown = shown || g.contains { $0 >= "1" && $0 <= "9" }
                out += g
            case .digits(let run):
                let d = Self.formatDigits(v, run)
                shown = shown || d.contains { $0 >= "1" && $0 <= "9" }
                out += d
            case .fraction(let layout):
                let f = layout.format(v)
                shown = shown || f.contains { $0 >= "1" && $0 <= "9" }
                out += f
            case .date, .placeholder, .condition: break
            }
        }
        // A section that writes no sign of its own puts the minus before everything: `-$7,500`.
        return signed && shown ? "-" + out : out
    }

    /// The section a number goes through, the number it shows (without its sign where the section
    /// is the negative one or a condition chose it), and whether a minus must go in front.
    func section(for value: Double) -> (Section, Double, Bool) {
        let numeric = sections.count == 4 ? Array(sections.prefix(3)) : sections
        if numeric.contains(where: { $0.condition != nil }) {
            // Conditions pick a section (Excel's phone number: [<=9999999]###-####;(###) ###-####);
            // a section without one takes what the others did not.
            for (k, s) in numeric.enumerated() {
                if let c = s.condition {
                    if c.holds(value) { return (s, abs(value), value < 0 && k == 0 && c.op.first != "<") }
                } else {
                    return (s, abs(value), value < 0 && k == 0)
                }
            }
            return (numeric[numeric.count - 1], abs(value), value < 0)
        }
        if value < 0, numeric.count > 1 { return (numeric[1], -value, false) }
        if value == 0, numeric.count > 2 { return (numeric[2], 0, false) }
        return (numeric[0], abs(value), value < 0)
    }

    /// A text cell as the format shows it: its text section's literals around the text; nil when the
    /// format shows text as it is.
    public func formatText(_ text: String) -> String? {
        guard let section = textSection else { return nil }
        var out = ""
        for t in section.tokens {
            if case .literal(let s) = t { out += s } else if case .text = t { out += text }
        }
        return out
    }

    /// General: integers up to 15 digits written out; other numbers in their shortest exact form.
    public static func generalText(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        if v.isFinite, v != 0, abs(v) >= 1e-9, abs(v) < 1e15 {
            // Excel keeps 15 significant digits: 0.1 + 0.2 shows as 0.3.
            let d = DecimalDigits(abs(v))
            var out = v < 0 ? "-" : ""
            let int = d.integerDigits
            out += int.isEmpty ? "0" : String(decoding: int, as: UTF8.self)
            let frac = d.fractionDigits(max(0, d.digits.count - d.point))
            if !frac.isEmpty { out += "." + String(decoding: frac, as: UTF8.self) }
            // A small number whose decimals would not fit a cell (more than 11 characters) is
            // written in scientific form, as General does.
            if abs(v) >= 1e-4 || out.count <= 11 { return out }
        }
        var s = "\(v)"
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // 1e-05 → 1E-05, as Excel writes it.
            let mantissa = s[..<e]
            var exp = String(s[s.index(after: e)...])
            let sign = exp.hasPrefix("-") ? "-" : "+"
            exp = String(exp.drop { $0 == "+" || $0 == "-" })
            if exp.count < 2 { exp = "0" + exp }
            s = mantissa + "E" + sign + exp
        }
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// A number (at least 0) through one run of digit placeholders, in time linear in the text it
    /// writes: rounded on its decimal digits as Excel rounds, leading places filled as the code says
    /// (`0` a zero, `?` a space, `#` nothing), trailing places after the point likewise.
    static func formatDigits(_ value: Double, _ run: DigitRun) -> String {
        // Each % multiplies by 100; past 400 of them any number is beyond what a cell shows.
        guard run.percent <= 400 else { return value == 0 ? "0" : generalText(value * .infinity) }
        let d = DecimalDigits(value).shifted(2 * run.percent - 3 * min(run.thousands, 100))
        if run.exponent { return scientific(d, run) }
        let r = d.rounded(decimals: run.decimals)
        return placed(r.integerDigits, r.fractionDigits(run.decimals), run)
    }

    /// Integer and fraction digits set into a run's placeholders.
    static func placed(_ integerDigits: [UInt8], _ fractionDigits: [UInt8], _ run: DigitRun) -> String {
        let zero = UInt8(ascii: "0"), space = UInt8(ascii: " ")
        var intPart: [UInt8] = []
        let slots = run.integer
        if integerDigits.count < slots.count {
            for c in slots.prefix(slots.count - integerDigits.count) {
                if c == "0" { intPart.append(zero) } else if c == "?" { intPart.append(space) }
            }
        }
        intPart += integerDigits
        var out: [UInt8] = []
        out.reserveCapacity(intPart.count * 4 / 3 + fractionDigits.count + 2)
        if run.grouping, intPart.count > 3 {
            // Separators every three places; within the space padding of `?` places they are spaces
            // too, so numbers stay aligned (`?,?????????`).
            for (k, ch) in intPart.enumerated() {
                if k > 0 && (intPart.count - k) % 3 == 0 {
                    out.append(intPart[k - 1] == space ? space : UInt8(ascii: ","))
                }
                out.append(ch)
            }
        } else {
            out += intPart
        }
        var frac = fractionDigits
        var k = frac.count - 1
        while k >= 0, frac[k] == zero, k < run.fractionSlots.count, run.fractionSlots[k] != "0" {
            if run.fractionSlots[k] == "#" { frac.removeLast() } else { frac[k] = space }
            k -= 1
        }
        if run.hasPoint {
            out.append(UInt8(ascii: "."))
            out += frac
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Scientific notation (`0.00E+00`, `##0.0E+0`: with `#` before the point the exponent is a
    /// multiple of the integer places, as engineers write it).
    static func scientific(_ d: DecimalDigits, _ run: DigitRun) -> String {
        let places = max(1, run.integer.count)
        var exponent = 0
        if !d.isZero {
            let e10 = d.point - 1
            if run.integer.contains("#") && places > 1 {
                exponent = Int((Double(e10) / Double(places)).rounded(.down)) * places
            } else {
                exponent = e10 - (max(1, run.minInteger) - 1)
            }
        }
        var mantissa = d.shifted(-exponent).rounded(decimals: run.decimals)
        if !run.integer.contains("#"), mantissa.integerDigits.count > max(1, run.minInteger) {
            exponent += 1  // 9.995 rounds to 10.00: one more power of ten instead
            mantissa = d.shifted(-exponent).rounded(decimals: run.decimals)
        }
        var run = run
        run.grouping = false
        let number = placed(mantissa.integerDigits, mantissa.fractionDigits(run.decimals), run)
        var e = String(abs(exponent))
        if e.count < run.exponentDigits { e = String(repeating: "0", count: run.exponentDigits - e.count) + e }
        return number + "E" + (exponent < 0 ? "-" : run.exponentPlus ? "+" : "") + e
    }

    /// An integer laid out over placeholders separated by literals (`000-000-0000`): digits fill the
    /// placeholders from the right; `0` shows a zero where the number has no digit, `#` nothing; digits
    /// beyond the placeholders go in front.
    static func fillLayout(_ value: Double, _ tokens: [Token], _ slots: [Character]) -> String {
        guard value.isFinite, abs(value) < 9e17 else { return generalText(value) }
        var digits = Array(String(Int64(abs(value).rounded())))
        var filled: [String] = Array(repeating: "", count: slots.count)
        for k in stride(from: slots.count - 1, through: 0, by: -1) {
            if let d = digits.popLast() {
                filled[k] = String(d)
            } else {
                filled[k] = slots[k] == "0" ? "0" : slots[k] == "?" ? " " : ""
            }
        }
        if !digits.isEmpty, !filled.isEmpty { filled[0] = String(digits) + filled[0] }
        var out = value < 0 ? "-" : ""
        var slot = 0
        for t in tokens {
            switch t {
            case .literal(let s): out += s
            case .digits(let run):
                for _ in run.integer {
                    out += filled[slot]
                    slot += 1
                }
            case .placeholder:
                out += filled[slot]
                slot += 1
            default: break
            }
        }
        return out
    }

    static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }

    func formatDate(_ d: DateParts, _ section: Section) -> String {
        var out = ""
        for t in section.tokens {
            switch t {
            case .literal(let s): out += s
            case .date(let s): out += d.text(for: s, twelveHour: section.twelveHour)
            case .general, .text: out += String(d.year)
            case .digits, .placeholder, .fraction, .condition: break
            }
        }
        return out
    }

    // MARK: parsing

    static func splitSections(_ code: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        var escaped = false
        for ch in code {
            if escaped {
                cur.append(ch)
                escaped = false
                continue
            }
            if ch == "\\" {
                cur.append(ch)
                escaped = true
                continue
            }
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted {
                out.append(cur)
                cur = ""
                continue
            }
            cur.append(ch)
        }
        out.append(cur)
        return out
    }

    /// The text inside `[…]` starting at `k`, and the index of its `]`.
    static func bracket(_ chars: [Character], at k: Int) -> (inner: String, end: Int) {
        var j = k + 1
        var inner = ""
        while j < chars.count, chars[j] != "]" {
            inner.append(chars[j])
            j += 1
        }
        return (inner, j)
    }

    /// A currency or locale tag's text: `[$€-40C]` writes €, `[$-409]` nothing; nil for other tags.
    static func currency(_ inner: String) -> String? {
        inner.first == "$" ? String(inner.dropFirst().prefix { $0 != "-" }) : nil
    }

    static func tokens(_ section: String) -> [Token] {
        let chars = Array(section)
        var out: [Token] = []
        var literal = ""
        func flush() {
            if !literal.isEmpty { out.append(.literal(literal)) }
            literal = ""
        }
        if section.lowercased() == "general" { return [.general] }
        var k = 0
        var sawDigits = false
        while k < chars.count {
            let c = chars[k]
            switch c {
            case "\"":
                var j = k + 1
                while j < chars.count, chars[j] != "\"" { literal.append(chars[j]); j += 1 }
                k = j + 1
                continue
            case "\\":
                if k + 1 < chars.count { literal.append(chars[k + 1]) }
                k += 2
                continue
            case "_":
                literal.append(" ")
                k += 2
                continue
            case "*":
                k += 2
                continue
            case "[":
                let (inner, j) = bracket(chars, at: k)
                let low = inner.lowercased()
                if low.first == "h" || low.first == "m" || low.first == "s", low.allSatisfy({ $0 == low.first }) {
                    flush()
                    out.append(.date("[" + low + "]"))
                } else if let symbol = currency(inner) {
                    literal += symbol
                } else if let first = inner.first, "<>=".contains(first) {
                    let op = String(inner.prefix { "<>=".contains($0) })
                    if let v = Double(String(inner.dropFirst(op.count).filter { $0 != " " })) { out.append(.condition(Condition(op: op, value: v))) }
                }
                // Colours ([Red], [Color10]) and number systems ([DBNum1]) change nothing in the text.
                k = j + 1
                continue
            case "@":
                flush()
                out.append(.text)
            case "0", "#", "?", ".":
                if c == ".", !(k + 1 < chars.count && "0#?".contains(chars[k + 1])) {
                    literal.append(c)
                    break
                }
                if c == ".", case .date(let last)? = out.last(where: { if case .date = $0 { return true } else { return false } }),
                    last.first == "s" || last.hasPrefix("[s"), literal.isEmpty
                {
                    // Fractions of a second after the seconds: ss.000.
                    var j = k + 1
                    while j < chars.count, chars[j] == "0" { j += 1 }
                    out.append(.date("." + String(repeating: "0", count: j - k - 1)))
                    k = j
                    continue
                }
                if sawDigits {
                    // A second run of placeholders (000-000-0000): the digits fill the layout.
                    flush()
                    out.append(.placeholder(c))
                    k += 1
                    continue
                }
                // One run of digit placeholders (with its point, grouping and exponent).
                flush()
                var integer: [Character] = [], fraction: [Character] = [], grouping = false, inFraction = false, exponent = false
                var exponentPlus = true, exponentDigits = 1, thousands = 0
                var j = k
                while j < chars.count {
                    let d = chars[j]
                    if d == "0" || d == "#" || d == "?" {
                        if inFraction { fraction.append(d) } else { integer.append(d) }
                    } else if d == "." && !inFraction {
                        inFraction = true
                        fraction.append(".")
                    } else if d == "," {
                        // A comma between placeholders groups thousands; after the last one it
                        // divides by 1,000 (`0,` shows 1234567 as 1235).
                        var next = j + 1
                        while next < chars.count, chars[next] == "," { next += 1 }
                        if next < chars.count, "0#?".contains(chars[next]), !inFraction { grouping = true } else { thousands += next - j; j = next; continue }
                    } else if d == "E" || d == "e", j + 1 < chars.count, chars[j + 1] == "+" || chars[j + 1] == "-" {
                        exponent = true
                        exponentPlus = chars[j + 1] == "+"
                        j += 2
                        let start = j
                        while j < chars.count, "0#?".contains(chars[j]) { j += 1 }
                        exponentDigits = max(1, chars[start..<j].filter { $0 == "0" }.count)
                        continue
                    } else {
                        break
                    }
                    j += 1
                }
                var percent = 0
                for rest in chars[j...] where rest == "%" { percent += 1 }
                var run = DigitRun(integer: integer, fraction: fraction, grouping: grouping, percent: percent, exponent: exponent)
                run.exponentPlus = exponentPlus
                run.exponentDigits = exponentDigits
                run.thousands = thousands
                out.append(.digits(run))
                sawDigits = true
                k = j
                continue
            default:
                let low = Character(c.lowercased())
                if "ymdhs".contains(low) {
                    flush()
                    var j = k
                    var run = ""
                    while j < chars.count, Character(chars[j].lowercased()) == low { run.append(low); j += 1 }
                    out.append(.date(run))
                    k = j
                    continue
                }
                if low == "g", chars.count >= k + 7, String(chars[k..<(k + 7)]).lowercased() == "general" {
                    flush()
                    out.append(.general)
                    k += 7
                    continue
                }
                if low == "a", chars.count >= k + 5, String(chars[k..<(k + 5)]).lowercased() == "am/pm" {
                    flush()
                    out.append(.date("am/pm"))
                    k += 5
                    continue
                }
                if low == "a", chars.count >= k + 3, String(chars[k..<(k + 3)]).lowercased() == "a/p" {
                    flush()
                    out.append(.date(c == "a" ? "a/p lower" : "a/p"))  // Excel keeps the case of a/p
                    k += 3
                    continue
                }
                literal.append(c)
            }
            k += 1
        }
        flush()
        // m after h (or before s) is minutes, not months.
        var fixed = out
        // A unit written elapsed ([h]) makes its plain tokens elapsed too: "[h] … h" shows 75 twice.
        let elapsed = Set(
            out.compactMap { t -> Character? in
                if case .date(let s) = t, s.first == "[" { return s.dropFirst().first } else { return nil }
            })
        for (idx, t) in out.enumerated() {
            guard case .date(let s) = t, s.first == "m", s.count <= 2 else { continue }
            let before = out[..<idx].reversed().first { if case .date = $0 { return true } else { return false } }
            let after = out[(idx + 1)...].first { if case .date = $0 { return true } else { return false } }
            var minute = false
            if case .date(let p)? = before, p.first == "h" || p.hasPrefix("[h") || p.first == "s" || p.hasPrefix("[s") { minute = true }
            if case .date(let n)? = after, n.first == "s" || n.hasPrefix("[s") { minute = true }
            if minute { fixed[idx] = .date(s == "m" ? "n" : "nn") }
        }
        for (idx, t) in fixed.enumerated() {
            guard case .date(let s) = t, let unit = s.first, "hns".contains(unit), s.count <= 2 else { continue }
            let asWritten: Character = unit == "n" ? "m" : unit
            if elapsed.contains(asWritten) { fixed[idx] = .date("[" + String(repeating: asWritten, count: s.count) + "]") }
        }
        return fixed
    }
}

/// A date and time from an Excel serial number, in either date system, with Excel's quirk that the
/// 1900 system counts a 29 February 1900 that never was (serial 60).
struct DateParts {
    var year: Int, month: Int, day: Int, weekday: Int
    var hour: Int, minute: Int, second: Int
    var serial: Double
    /// The part of a second a format shows (`ss.000`), in units of 10^-subsecondDigits.
    var subsecond = 0
    var subsecondDigits = 0
    /// The whole seconds since serial 0, rounded as the seconds are, for elapsed time ([h]:mm).
    var elapsedSeconds = 0

    init?(serial: Double, date1904: Bool, subsecondDigits: Int = 0) {
        guard serial >= 0, serial < 2_958_466 else { return nil }  // up to 9999-12-31
        self.serial = serial
        self.subsecondDigits = subsecondDigits
        var days = Int(serial.rounded(.down))
        // Seconds are rounded to what the format shows: whole seconds, or thousandths for ss.000.
        let scale = Int(NumberFormat.pow10(subsecondDigits))
        let units = Int(((serial - Double(days)) * 86_400 * Double(scale)).rounded())
        var seconds = units / scale
        subsecond = units % scale
        elapsedSeconds = days * 86_400 + seconds
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        hour = seconds / 3600
        minute = seconds / 60 % 60
        second = seconds % 60
        if !date1904 && days == 60 {
            (year, month, day, weekday) = (1900, 2, 29, 3)
            return
        }
        if !date1904 && days == 0 {
            (year, month, day, weekday) = (1900, 1, 0, 6)
            return
        }
        // Days since 1 March of year 0 (a proleptic Gregorian calendar), from the system's epoch.
        let epochOffset = date1904 ? 1_462 : (days < 60 ? 1 : 0)
        let sinceExcelEpoch = days + epochOffset  // days since 1899-12-30
        let unixDays = sinceExcelEpoch - 25_569  // 1970-01-01 is serial 25569
        (year, month, day) = Self.civil(fromDays: unixDays)
        weekday = ((unixDays % 7) + 11) % 7  // 1970-01-01 was a Thursday (4); 0 = Sunday
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The serial number Excel stores for an ISO 8601 date or date-time (`2025-08-30`,
    /// `2025-08-30T14:05:00.5Z`, a time zone ignored as Excel does), as a `t="d"` cell writes it;
    /// nil when the text is not one or the date is before the workbook's epoch.
    static func serial(iso text: String, date1904: Bool) -> Double? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for k in from..<(from + count) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let year = number(0, 4), b.count >= 10, b[4] == 0x2D, b[7] == 0x2D, let month = number(5, 2), let day = number(8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = 0.0
        if b.count > 10 {
            guard b[10] == 0x54 || b[10] == 0x20, let h = number(11, 2), b.count >= 16, b[13] == 0x3A, let m = number(14, 2), h < 24, m < 60
            else { return nil }
            seconds = Double(h * 3600 + m * 60)
            if b.count >= 19, b[16] == 0x3A, let sec = number(17, 2), sec < 60 {
                seconds += Double(sec)
                if b.count > 20, b[19] == 0x2E {
                    var k = 20, scale = 0.1
                    while k < b.count, b[k] >= 0x30, b[k] <= 0x39 {
                        seconds += Double(b[k] - 0x30) * scale
                        scale /= 10
                        k += 1
                    }
                }
            }
        }
        var serial = days(fromCivil: year, month, day) + 25_569  // days since 1899-12-30
        if date1904 { serial -= 1_462 } else if serial < 61 { serial -= 1 }  // Excel's 29 February 1900
        guard serial >= 0 else { return nil }
        return Double(serial) + seconds / 86_400
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    func text(for token: String, twelveHour: Bool) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch token {
        case "y", "yy": return two(year % 100)
        case "yyy", "yyyy": return String(year)
        case "m": return String(month)
        case "mm": return two(month)
        case "mmm": return String(Self.months[month - 1].prefix(3))
        case "mmmmm": return String(Self.months[month - 1].prefix(1))
        case "d": return String(day)
        case "dd": return two(day)
        case "ddd": return String(Self.days[weekday].prefix(3))
        case "h", "hh":
            let h = twelveHour ? (hour % 12 == 0 ? 12 : hour % 12) : hour
            return token == "h" ? String(h) : two(h)
        case "n": return String(minute)
        case "nn": return two(minute)
        case "s": return String(second)
        case "ss": return two(second)
        case "am/pm": return hour < 12 ? "AM" : "PM"
        case "a/p": return hour < 12 ? "A" : "P"
        case "a/p lower": return hour < 12 ? "a" : "p"
        case "[h]": return String(elapsedSeconds / 3_600)
        case "[hh]": return two(elapsedSeconds / 3_600)
        case "[m]": return String(elapsedSeconds / 60)
        case "[mm]": return two(elapsedSeconds / 60)
        case "[s]": return String(elapsedSeconds)
        case "[ss]": return two(elapsedSeconds)
        case _ where token.first == ".":
            var digits = String(subsecond)
            if digits.count < subsecondDigits { digits = String(repeating: "0", count: subsecondDigits - digits.count) + digits }
            return "." + digits.prefix(token.count - 1)
        default:
            if token.first == "m" { return Self.months[month - 1] }
            if token.first == "d" { return Self.days[weekday] }
            if token.first == "y" { return String(year) }
            return ""
        }
    }
}
