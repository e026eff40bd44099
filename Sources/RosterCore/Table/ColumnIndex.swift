/// Groups a column's rows by equal cells, in one pass with no per-cell allocation: each row gets the
/// number of its group (groups numbered in first-seen order) and each group remembers its first row.
/// The index then answers "which group holds this key?" for cells of other columns.
/// This is the engine of `collapse`, `unique`, `count by`, `join`, `diff` and `in`.
public struct ColumnIndex {
    public let column: TextColumn
    /// The group of each row.
    public private(set) var groupOfRow: [Int32]
    /// The first row of each group.
    public private(set) var firstRow: [Int]
    /// Open addressing: the hash's high 32 bits (a tag that rejects most mismatches without touching
    /// the cells) and group + 1 in the low 32; 0 = empty.
    private var slots: [UInt64]
    private let mask: Int

    public var groupCount: Int { firstRow.count }

    public init(_ column: TextColumn) {
        self.column = column
        let n = column.count
        var cap = 16
        while cap < n * 2 { cap <<= 1 }
        mask = cap - 1
        var slots = [UInt64](repeating: 0, count: cap)
        var groupOfRow = [Int32](repeating: 0, count: n)
        var firstRow: [Int] = []
        firstRow.reserveCapacity(n / 2 + 16)
        let m = mask
        column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                slots.withUnsafeMutableBufferPointer { sl in
                    var start = 0
                    for r in 0..<n {
                        let end = Int(e[r])
                        let cell = UnsafeBufferPointer(rebasing: b[start..<end])
                        let h = CellIndex.hash(cell)
                        var s = Int(truncatingIfNeeded: h) & m
                        let tag = h & 0xFFFF_FFFF_0000_0000
                        var found = -1
                        while true {
                            let v = sl[s]
                            if v == 0 { break }
                            if v & 0xFFFF_FFFF_0000_0000 == tag {
                                let g = Int(v & 0xFFFF_FFFF) - 1
                                let f = firstRow[g]
                                let fs = f == 0 ? 0 : Int(e[f - 1])
                                if Self.same(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), cell) { found = g; break }
                            }
                            s = (s + 1) & m
                        }
                        if found < 0 {
                            found = firstRow.count
                            firstRow.append(r)
                            sl[s] = tag | UInt64(found + 1)
                        }
                        groupOfRow[r] = Int32(found)
                        start = end
                    }
                }
            }
        }
        self.slots = slots
        self.groupOfRow = groupOfRow
        self.firstRow = firstRow
    }

    /// The group whose cells equal `key`, or nil.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = CellIndex.hash(key)
        var s = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        return column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                while true {
                    let v = slots[s]
                    if v == 0 { return nil }
                    if v & 0xFFFF_FFFF_0000_0000 == tag {
                        let g = Int(v & 0xFFFF_FFFF) - 1
                        let f = firstRow[g]
                        let fs = f == 0 ? 0 : Int(e[f - 1])
                        if Self.same(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), key) { return g }
                    }
                    s = (s + 1) & mask
                }
            }
        }
    }

    /// Groups for every cell of another column (nil where the key is not in this index), looked up
    /// inside one pointer scope.
    public func lookup(_ other: TextColumn) -> [Int32] {
        var out = [Int32](repeating: -1, count: other.count)
        let m = mask
        column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                other.forEachCell { i, key in
                    let h = CellIndex.hash(key)
                    let tag = h & 0xFFFF_FFFF_0000_0000
                    var s = Int(truncatingIfNeeded: h) & m
                    while true {
                        let v = slots[s]
                        if v == 0 { return }
                        if v & 0xFFFF_FFFF_0000_0000 == tag {
                            let g = Int(v & 0xFFFF_FFFF) - 1
                            let f = firstRow[g]
                            let fs = f == 0 ? 0 : Int(e[f - 1])
                            if Self.same(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), key) { out[i] = Int32(g); return }
                        }
                        s = (s + 1) & m
                    }
                }
            }
        }
        return out
    }

    /// Byte equality, comparing eight bytes at a time inline (keys are short: a call to memcmp costs
    /// more than the comparison).
    @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = a.count
        if n != b.count { return false }
        if n == 0 { return true }
        let pa = UnsafeRawPointer(a.baseAddress!), pb = UnsafeRawPointer(b.baseAddress!)
        var i = 0
        while i + 8 <= n {
            if pa.loadUnaligned(fromByteOffset: i, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if pa.load(fromByteOffset: i, as: UInt8.self) != pb.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// Rows of each group chained in row order: `next[row]` is the group's following row, or -1.
    public func chains() -> [Int32] {
        var next = [Int32](repeating: -1, count: groupOfRow.count)
        var last = [Int32](repeating: -1, count: firstRow.count)
        for i in 0..<groupOfRow.count {
            let g = Int(groupOfRow[i])
            if last[g] >= 0 { next[Int(last[g])] = Int32(i) }
            last[g] = Int32(i)
        }
        return next
    }
}
