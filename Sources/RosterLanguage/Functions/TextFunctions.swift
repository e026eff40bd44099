import RosterDiagnostics
import RosterData

/// Text functions. Each works on bytes with an ASCII fast path; non-ASCII text goes through Unicode
/// case mapping. Applied to a list, they apply to each item (`lower(hr.email)`).
package enum TextFunctions {
    static let all: [FunctionDescriptor] = [
        FunctionDescriptor(
            "lower", "lower(TEXT)", "lower-case letters", example: "lower(Email)", args: 1...1,
            { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
                try VectorOps.mapText(a[0], rows: c.rows, wholeColumn: { $0.asciiCaseMapped(upper: false) }, caseMap(upper: false))
            }, owning: { (a: inout [Vector], c: FunctionContext) throws(EvalError) -> Vector in try caseMapped(&a, c, upper: false) }),
        FunctionDescriptor(
            "upper", "upper(TEXT)", "upper-case letters", example: "upper(State)", args: 1...1,
            { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
                try VectorOps.mapText(a[0], rows: c.rows, wholeColumn: { $0.asciiCaseMapped(upper: true) }, caseMap(upper: true))
            }, owning: { (a: inout [Vector], c: FunctionContext) throws(EvalError) -> Vector in try caseMapped(&a, c, upper: true) }),
        FunctionDescriptor(
            "trim", "trim(TEXT [, CHARS])", "remove white space (spaces, tabs, line breaks, non-breaking spaces) at both ends; or only the characters in CHARS",
            example: "trim(`E-mail address`)", args: 1...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            if a.count == 2 {
                let set = Set(try Args.constantText(a[1], "the characters to remove").unicodeScalars)
                if set.allSatisfy(\.isASCII) {
                    var table = [Bool](repeating: false, count: 128)
                    for u in set { table[Int(u.value)] = true }
                    return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                        var s = 0, e = b.count
                        while s < e, b[s] < 0x80, table[Int(b[s])] { s += 1 }
                        while e > s, b[e - 1] < 0x80, table[Int(b[e - 1])] { e -= 1 }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<e]))
                    }
                }
                return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                    let scalars = String(decoding: b, as: UTF8.self).unicodeScalars
                    var s = scalars.startIndex, e = scalars.endIndex
                    while s < e, set.contains(scalars[s]) { s = scalars.index(after: s) }
                    while e > s, set.contains(scalars[scalars.index(before: e)]) { e = scalars.index(before: e) }
                    out.append(contentsOf: String(scalars[s..<e]).utf8)
                }
            }
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                let (s, e) = trimBounds(b)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<e]))
            }
        },
        FunctionDescriptor(
            "title", "title(TEXT)", "first letter of each word upper-case, the rest lower-case", example: "title(\"mARIA de la CRUZ\")", args: 1...1
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                var result = ""
                var startOfWord = true
                var lettersInWord = 0
                for ch in String(decoding: b, as: UTF8.self) {
                    if ch.isLetter {
                        result += startOfWord ? ch.uppercased() : ch.lowercased()
                        startOfWord = false
                        lettersInWord += 1
                    } else {
                        result.append(ch)
                        // An apostrophe after one letter starts a name's next part (O'Brien, D'Angelo);
                        // after more it is inside a word (Don't).
                        startOfWord = !(ch == "'" || ch == "’") || lettersInWord == 1
                        if startOfWord { lettersInWord = 0 }
                    }
                }
                out.append(contentsOf: result.utf8)
            }
        },
        FunctionDescriptor("len", "len(TEXT)", "number of characters (Unicode code points)", example: "len(Fname) <= 25", args: 1...1) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            if case .text(let column) = a[0] { return .number(VectorOps.codePointCounts(column)) }
            return try VectorOps.measure(a[0], rows: c.rows) { Double(VectorOps.codePoints($0)) }
        },
        FunctionDescriptor("left", "left(TEXT, N)", "the first N characters", example: "left(`CDS code`, 7)", args: 2...2) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            guard Args.isConstant(a[1]) else {
                return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in .text(String(try text(v[0]).prefix(try count(v[1])))) }
            }
            let k = try Args.constantInt(a[1], "the count")
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in out.append(contentsOf: b.prefix(byteCount(b, characters: k))) }
        },
        FunctionDescriptor("right", "right(TEXT, N)", "the last N characters", example: "right(Phone, 4)", args: 2...2) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            guard Args.isConstant(a[1]) else {
                return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in .text(String(try text(v[0]).unicodeScalars.suffix(try count(v[1])))) }
            }
            let k = try Args.constantInt(a[1], "the count")
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                let total = VectorOps.codePoints(b)
                out.append(contentsOf: b.dropFirst(byteCount(b, characters: max(0, total - k))))
            }
        },
        FunctionDescriptor(
            "substr", "substr(TEXT, START [, LENGTH])", "LENGTH characters from position START (the first is 1); to the end without LENGTH",
            example: "substr(`CDS code`, 3, 5)", args: 2...3
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in
                let s = Array(try text(v[0]).unicodeScalars)
                let start = max(1, try count(v[1])) - 1
                let len = v.count > 2 ? max(0, try count(v[2])) : s.count
                if start >= s.count { return .text("") }
                var out = String.UnicodeScalarView()
                out.append(contentsOf: s[start..<min(s.count, start + len)])
                return .text(String(out))
            }
        },
        FunctionDescriptor(
            "replace", "replace(TEXT, OLD, NEW)", "every OLD replaced by NEW (plain text, not a pattern)", example: "replace(Role, \" - \", \" – \")",
            args: 3...3
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            guard Args.isConstant(a[1]), Args.isConstant(a[2]) else {
                return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in .text(replaceAll(try text(v[0]), try text(v[1]), try text(v[2]))) }
            }
            let old = Array(try Args.constantText(a[1], "the text to replace").utf8), new = Array(try Args.constantText(a[2], "the new text").utf8)
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in replaceBytes(b, old, new, &out) }
        },
        FunctionDescriptor("contains", "contains(TEXT, PART)", "true when TEXT holds PART (case-sensitive)", example: "contains(Email, \"@\")", args: 2...2) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try substringTest(a, c) { b, k in find(k, in: b) != nil }
        },
        FunctionDescriptor("startswith", "startswith(TEXT, PART)", "true when TEXT begins with PART", example: "startswith(`CDS code`, \"01\")", args: 2...2) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try substringTest(a, c) { b, k in b.count >= k.count && VectorOps.equal(UnsafeBufferPointer(rebasing: b.prefix(k.count)), k) }
        },
        FunctionDescriptor(
            "endswith", "endswith(TEXT, PART)", "true when TEXT ends with PART", example: "endswith(lower(Email), \"@district.org\")", args: 2...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try substringTest(a, c) { b, k in b.count >= k.count && VectorOps.equal(UnsafeBufferPointer(rebasing: b.suffix(k.count)), k) }
        },
        FunctionDescriptor(
            "matches", "matches(TEXT, PATTERN)", "true when the regular expression matches (the same as TEXT ~ PATTERN)",
            example: "matches(Org, \"^\\d{8}(-\\d{8})?$\")", args: 2...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try Operators.regexTest(a[0], a[1], rows: c.rows, cache: c.evaluator.regexCache)
        },
        FunctionDescriptor(
            "pad", "pad(TEXT, N [, CHAR])", "TEXT padded on the left to N characters with CHAR (default 0): restores leading zeros",
            example: "pad(`CDS code`, 14)", args: 2...3
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let k = try Args.constantInt(a[1], "the width")
            let fill = a.count > 2 ? try Args.constantText(a[2], "the padding character") : "0"
            guard fill.unicodeScalars.count == 1 else { throw EvalError.type("the padding must be one character") }
            let fb = Array(fill.utf8)
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                let have = VectorOps.codePoints(b)
                if have < k { for _ in 0..<(k - have) { out.append(contentsOf: fb) } }
                out.append(contentsOf: b)
            }
        },
        FunctionDescriptor(
            "text", "text(NUMBER, FORMAT [, DATE1904])",
            "a number through an Excel number format, as Excel's TEXT() shows it (DATE1904 true: the workbook counts dates from 1904); text that is not a number stays as it is",
            example: "text(`Start`, \"m/d/yyyy\")", args: 2...3
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            var formats: [String: NumberFormat] = [:]
            return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in
                let value = try text(v[0]), code = try text(v[1])
                let date1904 = v.count > 2 && ["true", "1", "yes"].contains((v[2].asText ?? "").lowercased())
                guard let number = Double(String(value.filter { $0 != " " })), number.isFinite else { return .text(value) }
                let format = formats[code] ?? NumberFormat(code)
                formats[code] = format
                return .text(format.format(number, date1904: date1904))
            }
        },
        FunctionDescriptor("digits", "digits(TEXT)", "only the digits 0-9", example: "digits(\"(555) 123-4567\")", args: 1...1) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try VectorOps.mapText(a[0], rows: c.rows) { b, out in for x in b where x >= 0x30 && x <= 0x39 { out.append(x) } }
        },
        FunctionDescriptor(
            "phone", "phone(TEXT [, OTHERWISE])", "a phone number as xxx-xxx-xxxx when it has exactly 10 digits; otherwise OTHERWISE (default blank)",
            example: "phone(`Telephone number`)", args: 1...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            if a.count == 2 {
                return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in
                    let s = try text(v[0])
                    var out: [UInt8] = []
                    var t = s
                    let ok = t.withUTF8 { formatPhone($0, &out) }
                    return ok ? .text(String(decoding: out, as: UTF8.self)) : v[1]
                }
            }
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in _ = formatPhone(b, &out) }
        },
    ]

    static func text(_ v: Value) throws(EvalError) -> String {
        guard let t = v.asText else { throw EvalError.type("a \(v.typeName) is not text") }
        return t
    }

    static func count(_ v: Value) throws(EvalError) -> Int {
        guard let t = v.asText, let d = Value.parseNumber(t) else { throw EvalError.type("'\(v.display)' is not a number") }
        return Int(d)
    }

    /// `lower` or `upper` of the argument, taken from `a`: a column of ASCII text that no one else
    /// holds (`lower(trim(Email))`: `trim` made it) is mapped where it is, with no second column.
    static func caseMapped(_ a: inout [Vector], _ c: FunctionContext, upper: Bool) throws(EvalError) -> Vector {
        guard case .text(var column) = a[0] else {
            return try VectorOps.mapText(a[0], rows: c.rows, wholeColumn: { $0.asciiCaseMapped(upper: upper) }, caseMap(upper: upper))
        }
        a[0] = .scalar(.text(""))  // given up: the column may now be the only copy
        if column.mapASCIICase(upper: upper) { return .text(column) }
        return .text(VectorOps.mapColumn(column, caseMap(upper: upper)))
    }

    static func caseMap(upper: Bool) -> (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void {
        { b, out in
            var ascii = true
            for x in b where x >= 0x80 { ascii = false; break }
            if ascii {
                let start = out.count
                out.append(contentsOf: b)
                out.withUnsafeMutableBufferPointer { o in
                    if upper {
                        for i in start..<o.count where o[i] >= 0x61 && o[i] <= 0x7A { o[i] -= 32 }
                    } else {
                        for i in start..<o.count where o[i] >= 0x41 && o[i] <= 0x5A { o[i] += 32 }
                    }
                }
            } else {
                let s = String(decoding: b, as: UTF8.self)
                out.append(contentsOf: (upper ? s.uppercased() : s.lowercased()).utf8)
            }
        }
    }

    /// Start and end of the text without surrounding white space (ASCII white space and U+00A0).
    @inline(__always)
    static func trimBounds(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var s = 0, e = b.count
        while s < e {
            let x = b[s]
            if x == 0x20 || (x >= 0x09 && x <= 0x0D) { s += 1 } else if x == 0xC2 && s + 1 < e && b[s + 1] == 0xA0 { s += 2 } else { break }
        }
        while e > s {
            let x = b[e - 1]
            if x == 0x20 || (x >= 0x09 && x <= 0x0D) { e -= 1 } else if x == 0xA0 && e - 2 >= s && b[e - 2] == 0xC2 { e -= 2 } else { break }
        }
        return (s, e)
    }

    /// Bytes taken by the first `k` characters.
    static func byteCount(_ b: UnsafeBufferPointer<UInt8>, characters k: Int) -> Int {
        if k <= 0 { return 0 }
        var seen = 0
        for i in 0..<b.count where b[i] & 0xC0 != 0x80 {
            if seen == k { return i }
            seen += 1
        }
        return b.count
    }

    package static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        if needle.isEmpty { return 0 }
        if needle.count > hay.count { return nil }
        let first = needle[0]
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == first && memcmp(hay.baseAddress! + i, needle.baseAddress!, needle.count) == 0 { return i }
            i += 1
        }
        return nil
    }

    static func replaceBytes(_ b: UnsafeBufferPointer<UInt8>, _ old: [UInt8], _ new: [UInt8], _ out: inout [UInt8]) {
        if old.isEmpty { out.append(contentsOf: b); return }
        old.withUnsafeBufferPointer { o in
            var i = 0
            while i < b.count {
                if let k = find(o, in: UnsafeBufferPointer(rebasing: b[i...])) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + k)]))
                    out.append(contentsOf: new)
                    i += k + o.count
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i...]))
                    break
                }
            }
        }
    }

    static func replaceAll(_ s: String, _ old: String, _ new: String) -> String {
        var out: [UInt8] = []
        var s = s
        s.withUTF8 { replaceBytes($0, Array(old.utf8), Array(new.utf8), &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func substringTest(
        _ a: [Vector], _ c: FunctionContext, _ f: @escaping (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) throws(EvalError) -> Vector {
        if Args.isConstant(a[1]) {
            let k = Array(try Args.constantText(a[1], "the text to look for").utf8)
            return try k.withUnsafeBufferPointer { (kp) throws(EvalError) -> Vector in try VectorOps.test(a[0], rows: c.rows) { f($0, kp) } }
        }
        return try Args.rowwise(a, rows: c.rows) { v throws(EvalError) in
            var x = try text(v[0]), y = try text(v[1])
            return .bool(x.withUTF8 { xp in y.withUTF8 { yp in f(xp, yp) } })
        }
    }

    /// `xxx-xxx-xxxx` from text with exactly ten digits; false (nothing written) otherwise.
    static func formatPhone(_ b: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) -> Bool {
        // Counted first, then written: no buffer per cell.
        var digits = 0
        for x in b where x &- 0x30 < 10 {
            digits += 1
            if digits > 10 { return false }
        }
        guard digits == 10 else { return false }
        var written = 0
        for x in b where x &- 0x30 < 10 {
            if written == 3 || written == 6 { out.append(UInt8(ascii: "-")) }
            out.append(x)
            written += 1
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
