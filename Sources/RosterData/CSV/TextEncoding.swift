import RosterDiagnostics

/// UTF-8 validation and Windows-1252 (Excel's plain "CSV" save) decoding and encoding.
public enum TextEncoding {
    /// Unicode scalars of the bytes 0x80–0x9F in Windows-1252. The five bytes the code page leaves
    /// undefined map to the C1 control of the same number, as the WHATWG encoding standard does,
    /// so every byte decodes and encodes back to itself.
    static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The offset of the first byte that is not valid UTF-8, or nil when all of `bytes` is valid.
    /// Large inputs are checked as two halves on two threads, split where a character starts.
    public static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        guard n >= Parallel.bytes else { return firstInvalidUTF8Serial(bytes) }
        var mid = n / 2
        while mid < n && bytes[mid] & 0xC0 == 0x80 { mid += 1 }
        let halves = UncheckedSendable((bytes, mid))
        let results = Parallel.map([0, 1], work: Parallel.always) { k -> Int? in
            let (b, mid) = halves.value
            let part = k == 0 ? UnsafeBufferPointer(rebasing: b[0..<mid]) : UnsafeBufferPointer(rebasing: b[mid...])
            return firstInvalidUTF8Serial(part).map { $0 + (k == 0 ? 0 : mid) }
        }
        return results[0] ?? results[1]
    }

    package static func firstInvalidUTF8Serial(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            // Fast path: 32, then 8 ASCII bytes at a time.
            if i + 32 <= n {
                let p = UnsafeRawPointer(bytes.baseAddress! + i)
                let w =
                    p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 { i += 32; continue }
            }
            if i + 8 <= n {
                let w = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            if bytes[i] < 0x80 { i += 1; continue }
            guard let length = sequenceLength(bytes.baseAddress!, at: i, count: n) else { return i }
            i += length
        }
        return nil
    }

    /// The length of the valid UTF-8 sequence whose lead byte (0x80 or more) is at `i`, or nil.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafePointer<UInt8>, at i: Int, count n: Int) -> Int? {
        let b = bytes[i]
        var need = 0
        var minScalar: UInt32 = 0
        var scalar: UInt32 = 0
        if b & 0xE0 == 0xC0 {
            need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80
        } else if b & 0xF0 == 0xE0 {
            need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800
        } else if b & 0xF8 == 0xF0 {
            need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000
        } else {
            return nil
        }
        for k in 1...need {
            if i + k >= n { return nil }
            let c = bytes[i + k]
            if c & 0xC0 != 0x80 { return nil }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return nil }
        return need + 1
    }

    /// Checks the characters that start in `from..<to` of `bytes` (the last may run on up to `limit`):
    /// UTF-8 and no NUL. Returns where the last one ends, or nil at the first that fails.
    static func checkCharacters(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int, limit: Int) -> Int? {
        var i = from
        while i < to {
            let b = bytes[i]
            if b == 0 { return nil }
            if b < 0x80 { i += 1; continue }
            guard let length = sequenceLength(bytes, at: i, count: limit) else { return nil }
            i += length
        }
        return i
    }

    /// Windows-1252 bytes as UTF-8.
    public static func decodeWindows1252(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 { out.append(b); continue }
            let scalar = b < 0xA0 ? cp1252High[Int(b - 0x80)] : UInt32(b)
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    /// Text that mixes the two (a UTF-8 file where Excel or a person typed a few Windows-1252 bytes):
    /// valid UTF-8 sequences are kept, every other byte is read as Windows-1252.
    public static func decodeMixed(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var i = 0
        let n = bytes.count
        while i < n {
            let rest = UnsafeBufferPointer(rebasing: bytes[i...])
            guard let bad = firstInvalidUTF8Serial(rest) else {
                out.append(contentsOf: rest)
                break
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: rest[0..<bad]))
            let b = rest[bad]
            appendUTF8(b < 0xA0 ? cp1252High[Int(b - 0x80)] : UInt32(b), to: &out)
            i += bad + 1
        }
        return out
    }

    /// Whether the bytes hold at least one valid multi-byte UTF-8 sequence.
    public static func hasMultibyteUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 1 < n {
            let b = bytes[i]
            if b >= 0xC2 && b <= 0xF4 {
                let len = b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
                if i + len <= n, (1..<len).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }),
                    firstInvalidUTF8Serial(UnsafeBufferPointer(rebasing: bytes[i..<(i + len)])) == nil
                {
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// UTF-8 bytes as Windows-1252. Throws the first character the code page cannot hold.
    public static func encodeWindows1252(_ bytes: [UInt8]) throws(UnencodableCharacter) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { out.append(b); i += 1; continue }
            let (scalar, len) = decodeScalar(bytes, at: i)
            if scalar >= 0xA0 && scalar <= 0xFF {
                out.append(UInt8(scalar))
            } else if let k = cp1252High.firstIndex(of: scalar) {
                out.append(UInt8(0x80 + k))
            } else {
                throw UnencodableCharacter(scalar: scalar, offset: i)
            }
            i += len
        }
        return out
    }

    public struct UnencodableCharacter: Error {
        public let scalar: UInt32
        public let offset: Int
    }

    @inlinable public static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        if scalar < 0x80 {
            out.append(UInt8(scalar))
        } else if scalar < 0x800 {
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// The scalar starting at `i` in valid UTF-8 and its length in bytes.
    @inlinable public static func decodeScalar<C: RandomAccessCollection>(_ b: C, at i: C.Index) -> (UInt32, Int)
    where C.Element == UInt8, C.Index == Int {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 & 0xE0 == 0xC0, i + 1 < b.endIndex {
            return (UInt32(b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2)
        }
        if b0 & 0xF0 == 0xE0, i + 2 < b.endIndex {
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < b.endIndex {
            return (UInt32(b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }
}
