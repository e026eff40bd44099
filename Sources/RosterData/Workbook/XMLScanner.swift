/// A forward-only scanner over the XML of a workbook part: tags, their attributes and the text
/// between them, straight from the bytes. It knows only what spreadsheet XML uses: elements,
/// attributes, character references and the five predefined entities. A document type declaration
/// (where entity expansion attacks live) is refused, never read.
struct XMLScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// One tag: its name (without a namespace prefix), where its attributes are, and its kind.
    struct Tag {
        var name: Range<Int>
        var attributes: Range<Int>
        var closing: Bool
        var selfClosing: Bool
    }

    enum Failure: Error { case doctype, truncated }

    /// Whether the bytes at `r` spell `name`.
    @inline(__always) func equals(_ r: Range<Int>, _ name: StaticString) -> Bool {
        guard r.count == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<r.count where b[r.lowerBound + k] != p[k] { return false }
        return true
    }

    /// The next tag, skipping text, comments and processing instructions; nil at the end.
    mutating func nextTag() throws(Failure) -> Tag? {
        while true {
            guard let lt = find(0x3C, from: i) else {
                i = b.count
                return nil
            }
            i = lt + 1
            guard i < b.count else { throw .truncated }
            let c = b[i]
            if c == 0x3F {  // <? … ?>
                guard let end = find(0x3E, from: i) else { throw .truncated }
                i = end + 1
                continue
            }
            if c == 0x21 {  // <!-- … -->, <![CDATA[ … ]]>, <!DOCTYPE
                if i + 2 < b.count, b[i + 1] == 0x2D, b[i + 2] == 0x2D {
                    guard let end = findSequence([0x2D, 0x2D, 0x3E], from: i + 3) else { throw .truncated }
                    i = end + 3
                    continue
                }
                if startsCDATA(at: lt) {
                    // Text between tags is skipped here; `appendText` reads it where it is wanted.
                    guard let end = findSequence(Self.cdataEnd, from: lt + 9) else { throw .truncated }
                    i = end + 3
                    continue
                }
                throw .doctype
            }
            let closing = c == 0x2F
            if closing { i += 1 }
            var nameStart = i
            while i < b.count, !Self.isNameEnd(b[i]) {
                if b[i] == 0x3A { nameStart = i + 1 }  // drop a prefix such as x: or r:
                i += 1
            }
            let name = nameStart..<i
            let attrStart = i
            // Find the closing '>' outside attribute quotes.
            var quote: UInt8 = 0
            while i < b.count {
                let ch = b[i]
                if quote != 0 {
                    if ch == quote { quote = 0 }
                } else if ch == 0x22 || ch == 0x27 {
                    quote = ch
                } else if ch == 0x3E {
                    break
                }
                i += 1
            }
            guard i < b.count else { throw .truncated }
            let selfClosing = i > attrStart && b[i - 1] == 0x2F
            let tag = Tag(name: name, attributes: attrStart..<(selfClosing ? i - 1 : i), closing: closing, selfClosing: selfClosing)
            i += 1
            return tag
        }
    }

    static let cdataStart: [UInt8] = Array("<![CDATA[".utf8)
    static let cdataEnd: [UInt8] = Array("]]>".utf8)

    /// Whether a CDATA section starts at `k`.
    func startsCDATA(at k: Int) -> Bool {
        guard k + 9 <= b.count else { return false }
        for (n, c) in Self.cdataStart.enumerated() where b[k + n] != c { return false }
        return true
    }

    /// The text up to the next tag, unescaped, with CDATA sections (`<![CDATA[a<b]]>`, which some
    /// programs write) taken as they are, line ends normalised as XML requires.
    mutating func appendText(to out: inout [UInt8], excelEscapes: Bool = false) throws(Failure) {
        while true {
            appendUnescaped(text(), to: &out, excelEscapes: excelEscapes)
            guard startsCDATA(at: i) else { return }
            guard let end = findSequence(Self.cdataEnd, from: i + 9) else { throw .truncated }
            var k = i + 9
            while k < end { k = appendNormalisingLineEnd(at: k, before: end, to: &out) }
            i = end + 3
        }
    }

    /// A value's text (`<v>`): the raw bytes up to the next tag, or a CDATA section's inside.
    mutating func valueText() -> Range<Int> {
        let r = text()
        guard startsCDATA(at: i), r.allSatisfy({ Self.isSpace(b[$0]) }), let end = findSequence(Self.cdataEnd, from: i + 9) else { return r }
        let inside = (i + 9)..<end
        i = end + 3
        return inside
    }

    /// Appends the byte at `k`, with XML's end-of-line handling: a CR, alone or before an LF, is
    /// read as one LF (a CR written `&#13;` stays a CR). Returns the index after what it read.
    @inline(__always) func appendNormalisingLineEnd(at k: Int, before end: Int, to out: inout [UInt8]) -> Int {
        guard b[k] == 0x0D else {
            out.append(b[k])
            return k + 1
        }
        out.append(0x0A)
        return k + 1 < end && b[k + 1] == 0x0A ? k + 2 : k + 1
    }

    /// The raw text up to the next '<' (the scanner stays before it).
    mutating func text() -> Range<Int> {
        let start = i
        i = find(0x3C, from: i) ?? b.count
        return start..<i
    }

    /// The value of attribute `name` (without prefix) in a tag's attribute range, raw.
    func attribute(_ name: StaticString, in r: Range<Int>) -> Range<Int>? {
        var k = r.lowerBound
        while k < r.upperBound {
            while k < r.upperBound, Self.isSpace(b[k]) { k += 1 }
            var nameStart = k
            while k < r.upperBound, b[k] != 0x3D, !Self.isSpace(b[k]) {
                if b[k] == 0x3A { nameStart = k + 1 }
                k += 1
            }
            let attrName = nameStart..<k
            while k < r.upperBound, b[k] != 0x22, b[k] != 0x27 { k += 1 }
            guard k < r.upperBound else { return nil }
            let q = b[k]
            let valueStart = k + 1
            k = valueStart
            while k < r.upperBound, b[k] != q { k += 1 }
            let value = valueStart..<min(k, r.upperBound)
            k += 1
            if equals(attrName, name) { return value }
        }
        return nil
    }

    func string(_ r: Range<Int>) -> String {
        var out: [UInt8] = []
        appendUnescaped(r, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func int(_ r: Range<Int>?) -> Int? {
        guard let r, !r.isEmpty else { return nil }
        var v = 0
        for k in r {
            let d = Int(b[k]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
            if v > Int(Int32.max) { return nil }
        }
        return v
    }

    /// Appends text with character references and entities resolved, and Excel's `_xHHHH_` escapes
    /// (control characters in shared strings) decoded when `excelEscapes` is set.
    func appendUnescaped(_ r: Range<Int>, to out: inout [UInt8], excelEscapes: Bool = false) {
        var k = r.lowerBound
        while k < r.upperBound {
            let c = b[k]
            if c == 0x26, let semi = find(0x3B, from: k, before: min(r.upperBound, k + 12)) {
                let ent = (k + 1)..<semi
                if equals(ent, "amp") {
                    out.append(0x26)
                } else if equals(ent, "lt") {
                    out.append(0x3C)
                } else if equals(ent, "gt") {
                    out.append(0x3E)
                } else if equals(ent, "quot") {
                    out.append(0x22)
                } else if equals(ent, "apos") {
                    out.append(0x27)
                } else if ent.count > 1, b[ent.lowerBound] == 0x23, let scalar = numericReference(ent) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                } else {
                    out.append(c)
                    k += 1
                    continue
                }
                k = semi + 1
                continue
            }
            if excelEscapes, c == 0x5F, k + 6 < r.upperBound, b[k + 1] == 0x78, b[k + 6] == 0x5F, let v = hex((k + 2)..<(k + 6)),
                let scalar = Unicode.Scalar(v)
            {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                k += 7
                continue
            }
            k = appendNormalisingLineEnd(at: k, before: r.upperBound, to: &out)
        }
    }

    func numericReference(_ r: Range<Int>) -> Unicode.Scalar? {
        if r.count > 2, b[r.lowerBound + 1] == 0x78 || b[r.lowerBound + 1] == 0x58 {
            return hex((r.lowerBound + 2)..<r.upperBound).flatMap(Unicode.Scalar.init)
        }
        return int((r.lowerBound + 1)..<r.upperBound).flatMap { Unicode.Scalar(UInt32($0)) }
    }

    func hex(_ r: Range<Int>) -> UInt32? {
        guard !r.isEmpty, r.count <= 8 else { return nil }
        var v: UInt32 = 0
        for k in r {
            let c = b[k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    @inline(__always) func find(_ byte: UInt8, from start: Int, before end: Int? = nil) -> Int? {
        let stop = end ?? b.count
        guard start < stop, let base = b.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), stop - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    func findSequence(_ seq: [UInt8], from start: Int) -> Int? {
        var k = start
        while let hit = find(seq[0], from: k) {
            if hit + seq.count <= b.count, (0..<seq.count).allSatisfy({ b[hit + $0] == seq[$0] }) { return hit }
            k = hit + 1
        }
        return nil
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    @inline(__always) static func isNameEnd(_ c: UInt8) -> Bool { isSpace(c) || c == 0x3E || c == 0x2F }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
