import RosterDiagnostics

/// A hash index built one value at a time (`ColumnIndex` groups a whole column at once): distinct
/// values get small integers in first-seen order. Open addressing over the bytes of the values, with
/// no `String` or array per value. Used for lists and maps (`in`, `lookup`, `map`) and for large
/// groups in `collapse`.
public struct CellIndex {
    /// The distinct keys, in first-seen order.
    // The look-ups are inlinable: they run per cell inside other targets' loops (collapse, lookup).
    public var keys: TextColumnBuilder { storedKeys }
    @usableFromInline var storedKeys = TextColumnBuilder()
    @usableFromInline var slots: [Int32]  // group number + 1, 0 = empty
    @usableFromInline var hashes: [UInt64] = []  // per group
    @usableFromInline var mask: Int

    public init(expected: Int = 16) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        slots = Array(repeating: 0, count: cap)
        mask = cap - 1
        storedKeys = TextColumnBuilder(expectedCells: expected)
        hashes.reserveCapacity(expected)
    }

    public var count: Int { hashes.count }

    @inlinable @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        // FNV-1a over 8-byte words, then a final mix.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = b.count
        if let base = b.baseAddress {
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                h = (h ^ w) &* 0x100_0000_01b3
                h ^= h >> 29
                i += 8
            }
            while i < n {
                h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3
                i += 1
            }
        }
        h ^= UInt64(n)
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// The group number of `key`, adding it when new. `isNew` tells which.
    @inlinable @inline(__always)
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (group: Int, isNew: Bool) {
        let h = Self.hash(key)
        if let g = find(key, hash: h) { return (g, false) }
        let g = hashes.count
        hashes.append(h)
        storedKeys.append(key)
        if hashes.count * 2 > slots.count { grow() } else { place(g, hash: h) }
        return (g, true)
    }

    /// The group number of `key`, or nil.
    @inlinable @inline(__always)
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? { find(key, hash: Self.hash(key)) }

    @inlinable @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        var s = Int(truncatingIfNeeded: h) & mask
        return storedKeys.bytes.withUnsafeBufferPointer { kb in
            storedKeys.ends.withUnsafeBufferPointer { ke in
                while true {
                    let v = Int(slots[s])
                    if v == 0 { return nil }
                    let g = v - 1
                    if hashes[g] == h {
                        let st = g == 0 ? 0 : Int(ke[g - 1])
                        let en = Int(ke[g])
                        if ColumnIndex.same(UnsafeBufferPointer(rebasing: kb[st..<en]), key) {
                            return g
                        }
                    }
                    s = (s + 1) & mask
                }
            }
        }
    }

    @usableFromInline
    mutating func place(_ g: Int, hash h: UInt64) {
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = Int32(g + 1)
    }

    @usableFromInline
    mutating func grow() {
        let cap = slots.count * 2
        slots = Array(repeating: 0, count: cap)
        mask = cap - 1
        for g in 0..<hashes.count { place(g, hash: hashes[g]) }
    }

    public static func of(_ column: TextColumn) -> CellIndex {
        var idx = CellIndex(expected: column.count)
        column.forEachCell { _, cell in _ = idx.insert(cell) }
        return idx
    }

    public static func of(_ strings: [String]) -> CellIndex {
        var idx = CellIndex(expected: strings.count)
        for var s in strings { s.withUTF8 { _ = idx.insert($0) } }
        return idx
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Composite keys: several columns' cells as one byte string per row (each part length-prefixed, so
/// `a|b` + `c` never equals `a` + `b|c`).
public enum CompositeKey {
    public static func column(_ parts: [TextColumn], rows: Int) -> TextColumn {
        if parts.count == 1 { return parts[0] }
        var b = TextColumnBuilder(expectedCells: rows)
        for r in 0..<rows {
            for p in parts {
                let len = p.length(r)
                withUnsafeBytes(of: UInt32(len).littleEndian) { b.bytes.append(contentsOf: $0) }
                p.withCell(r) { b.bytes.append(contentsOf: $0) }
            }
            b.endCell()
        }
        return b.finish()
    }
}
