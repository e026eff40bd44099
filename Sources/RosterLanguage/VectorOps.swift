import RosterDiagnostics
import RosterData

/// Byte-level helpers the evaluator and the functions share: read any vector's cells as text, and map
/// text to text, to true/false or to numbers without making a `String` per cell.
package enum TextCells {
    case column(TextColumn)
    case constant([UInt8])

    package init(_ v: Vector, rows n: Int) throws(EvalError) {
        switch v {
        case .text(let c): self = .column(c)
        case .scalar(let s):
            guard let t = s.asText else { throw EvalError.type("a \(s.typeName) is not text") }
            self = .constant(Array(t.utf8))
        default: self = .column(try v.textColumn(n))
        }
    }

    /// Calls `body` for each of `n` rows with that row's bytes.
    @inline(__always)
    func forEach(_ n: Int, _ body: (Int, UnsafeBufferPointer<UInt8>) throws(EvalError) -> Void) throws(EvalError) {
        switch self {
        case .column(let c):
            var failure: EvalError?
            c.forEachCell { i, cell in
                if failure != nil { return }
                do { try body(i, cell) } catch { failure = (error as? EvalError) ?? .type("\(error)") }
            }
            if let f = failure { throw f }
        case .constant(let b):
            var failure: EvalError?
            b.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    do { try body(i, p) } catch { failure = (error as? EvalError) ?? .type("\(error)"); return }
                }
            }
            if let f = failure { throw f }
        }
    }

    /// Calls `body` with a reader that gives any row's bytes without a closure per cell.
    package func withReader<R>(_ body: (CellReader) throws -> R) rethrows -> R {
        switch self {
        case .column(let c):
            return try c.bytes.withUnsafeBufferPointer { b in
                try c.ends.withUnsafeBufferPointer { e in try body(CellReader(bytes: b, ends: e, constant: nil)) }
            }
        case .constant(let k):
            return try k.withUnsafeBufferPointer { try body(CellReader(bytes: $0, ends: nil, constant: $0)) }
        }
    }

    @inline(__always)
    func with<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch self {
        case .column(let c): c.withCell(i, body)
        case .constant(let b): b.withUnsafeBufferPointer(body)
        }
    }
}

/// Row access to a column's (or a constant's) bytes, valid inside `TextCells.withReader`.
package struct CellReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<UInt32>?
    let constant: UnsafeBufferPointer<UInt8>?

    @inline(__always)
    package subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        if let k = constant { return k }
        let e = ends!
        let s = i == 0 ? 0 : Int(e[i - 1])
        return UnsafeBufferPointer(rebasing: bytes[s..<Int(e[i])])
    }
}

package enum VectorOps {
    /// Applies a byte transform to text: per cell for a column, once for a value, per item for a list.
    /// `f` over text; `wholeColumn`, when given, may do a whole column at once (nil: it cannot).
    static func mapText(
        _ v: Vector, rows n: Int, wholeColumn: ((TextColumn) -> TextColumn?)? = nil, _ f: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void
    ) throws(EvalError) -> Vector {
        func one(_ s: String) -> String {
            var out: [UInt8] = []
            var s = s
            s.withUTF8 { f($0, &out) }
            return String(decoding: out, as: UTF8.self)
        }
        switch v {
        case .scalar(.list(let items)):
            var out: [Value] = []
            for item in items {
                guard let t = item.asText else { throw EvalError.type("a list inside a list cannot be changed as text") }
                out.append(.text(one(t)))
            }
            return .scalar(.list(out))
        case .scalar(.column(let c)):
            return .scalar(.column(mapColumn(c, f)))
        case .scalar(.map):
            throw EvalError.type("a map is not text")
        case .scalar(let s):
            return .scalar(.text(one(s.asText!)))
        case .lists(let rows):
            return .lists(rows.map { $0.map(one) })
        default:
            let c = try v.textColumn(n)
            if let whole = wholeColumn?(c) { return .text(whole) }
            return .text(mapColumn(c, f))
        }
    }

    package static func mapColumn(_ c: TextColumn, _ f: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void) -> TextColumn {
        var b = TextColumnBuilder(expectedCells: c.count, expectedBytes: c.bytes.count + c.count)
        c.forEachCell { _, cell in
            f(cell, &b.bytes)
            b.endCell()
        }
        return b.finish()
    }

    /// A yes/no test of text: per cell, once for a value, per item for a list (giving a list).
    static func test(_ v: Vector, rows n: Int, _ f: (UnsafeBufferPointer<UInt8>) -> Bool) throws(EvalError) -> Vector {
        switch v {
        case .scalar(.list(let items)):
            return .scalar(
                .list(
                    items.map { item in
                        var s = item.asText ?? ""
                        return .bool(s.withUTF8 { f($0) })
                    }))
        case .scalar(.column(let c)):
            var out: [Value] = []
            c.forEachCell { _, cell in out.append(.bool(f(cell))) }
            return .scalar(.list(out))
        case .scalar(let s):
            guard var t = s.asText else { throw EvalError.type("a \(s.typeName) is not text") }
            return .scalar(.bool(t.withUTF8 { f($0) }))
        default:
            let c = try v.textColumn(n)
            var out = [Bool](repeating: false, count: c.count)
            c.forEachCell { i, cell in out[i] = f(cell) }
            return .bool(out)
        }
    }

    /// A number from text: per cell, once for a value, per item for a list.
    static func measure(_ v: Vector, rows n: Int, _ f: (UnsafeBufferPointer<UInt8>) -> Double) throws(EvalError) -> Vector {
        switch v {
        case .scalar(.list(let items)):
            return .scalar(
                .list(
                    items.map { item in
                        var s = item.asText ?? ""
                        return .number(s.withUTF8 { f($0) })
                    }))
        case .scalar(.column(let c)):
            var out: [Value] = []
            c.forEachCell { _, cell in out.append(.number(f(cell))) }
            return .scalar(.list(out))
        case .scalar(let s):
            guard var t = s.asText else { throw EvalError.type("a \(s.typeName) is not text") }
            return .scalar(.number(t.withUTF8 { f($0) }))
        default:
            let c = try v.textColumn(n)
            var out = [Double](repeating: 0, count: c.count)
            c.forEachCell { i, cell in out[i] = f(cell) }
            return .number(out)
        }
    }

    /// Numbers per row (text cells must read as numbers).
    static func numbers(_ v: Vector, rows n: Int) throws(EvalError) -> [Double] {
        switch v {
        case .number(let d): return d
        case .scalar(.number(let d)): return Array(repeating: d, count: n)
        case .scalar(let s):
            guard let t = s.asText, let d = Value.parseNumber(t) else {
                throw EvalError.type("'\(s.display)' is not a number")
            }
            return Array(repeating: d, count: n)
        case .bool: throw EvalError.type("true/false is not a number")
        default:
            let c = try v.textColumn(n)
            var out = [Double](repeating: 0, count: n)
            var bad: Int?
            c.forEachCell { i, cell in
                if bad != nil { return }
                if let d = Value.parseNumber(cell) { out[i] = d } else { bad = i }
            }
            if let b = bad { throw EvalError.atRow(.notANumber(CellText(c[b])), row: b) }
            return out
        }
    }

    /// Blank: empty, or only spaces, tabs and non-breaking spaces.
    @inline(__always)
    static func isBlank(_ b: UnsafeBufferPointer<UInt8>) -> Bool { TextColumn.isBlank(b) }

    /// Unicode code points in UTF-8 text.
    @inline(__always)
    /// Every cell's count of code points: its byte length less its continuation bytes. An ASCII
    /// column has none; otherwise they are counted along the whole column eight bytes at a time,
    /// a running count read off at each cell's end.
    static func codePointCounts(_ c: TextColumn) -> [Double] {
        let n = c.count
        return c.bytes.withUnsafeBufferPointer { b in
            c.ends.withUnsafeBufferPointer { e in
                [Double](unsafeUninitializedCapacity: n) { out, count in
                    count = n
                    var s = 0
                    guard let base = b.baseAddress, !TextColumn.isASCII(b) else {
                        for i in 0..<n {
                            out[i] = Double(Int(e[i]) - s)
                            s = Int(e[i])
                        }
                        return
                    }
                    /// A continuation byte is 10xxxxxx: its top bit set and the next one clear.
                    @inline(__always) func continuations(_ w: UInt64) -> UInt64 { (w & ~(w << 1)) & 0x8080_8080_8080_8080 }
                    let total = b.count
                    let words = (total + 7) / 8
                    /// Word `k` of the column (the last one zero-padded).
                    @inline(__always) func word(_ k: Int) -> UInt64 {
                        if 8 * k + 8 <= total { return UnsafeRawPointer(base + 8 * k).loadUnaligned(as: UInt64.self) }
                        var w: UInt64 = 0
                        for j in stride(from: total - 1, through: 8 * k, by: -1) { w = w << 8 | UInt64(base[j]) }
                        return w
                    }
                    // Continuation bytes before each word, so the count before any offset is one look-up
                    // and one masked word: no loop or branch per cell.
                    var before = [UInt32](repeating: 0, count: words + 1)
                    for k in 0..<words { before[k + 1] = before[k] &+ UInt32(continuations(word(k)).nonzeroBitCount) }
                    var upToStart = 0
                    for i in 0..<n {
                        let end = Int(e[i])
                        let k = end >> 3, r = UInt64(end & 7)
                        let partial = k < words ? continuations(word(k)) & ((1 << (r * 8)) &- 1) : 0
                        let upToEnd = Int(before[k]) + partial.nonzeroBitCount
                        out[i] = Double(end - s - (upToEnd - upToStart))
                        upToStart = upToEnd
                        s = end
                    }
                }
            }
        }
    }

    static func codePoints(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n
    }

    @inline(__always)
    package static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        ColumnIndex.same(a, b)
    }

    /// Byte order, which for UTF-8 is code point order.
    @inline(__always)
    package static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let m = min(a.count, b.count)
        if m > 0 {
            let r = memcmp(a.baseAddress!, b.baseAddress!, m)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
