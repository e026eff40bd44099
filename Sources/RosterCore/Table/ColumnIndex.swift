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
    private var slots: [Int32]        // group + 1; 0 = empty
    private var hashes: [UInt64]      // per group
    private let mask: Int

    public var groupCount: Int { firstRow.count }

    public init(_ column: TextColumn) {
        self.column = column
        let n = column.count
        var cap = 16
        while cap < n * 2 { cap <<= 1 }
        mask = cap - 1
        var slots = [Int32](repeating: 0, count: cap)
        var groupOfRow = [Int32](repeating: 0, count: n)
        var firstRow: [Int] = []
        var hashes: [UInt64] = []
        firstRow.reserveCapacity(n / 2 + 16)
        hashes.reserveCapacity(n / 2 + 16)
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
                        var found = -1
                        while true {
                            let v = Int(sl[s])
                            if v == 0 { break }
                            let g = v - 1
                            if hashes[g] == h {
                                let f = firstRow[g]
                                let fs = f == 0 ? 0 : Int(e[f - 1])
                                if VectorOps.equal(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), cell) { found = g; break }
                            }
                            s = (s + 1) & m
                        }
                        if found < 0 {
                            found = firstRow.count
                            firstRow.append(r)
                            hashes.append(h)
                            sl[s] = Int32(found + 1)
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
        self.hashes = hashes
    }

    /// The group whose cells equal `key`, or nil.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = CellIndex.hash(key)
        var s = Int(truncatingIfNeeded: h) & mask
        return column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                while true {
                    let v = Int(slots[s])
                    if v == 0 { return nil }
                    let g = v - 1
                    if hashes[g] == h {
                        let f = firstRow[g]
                        let fs = f == 0 ? 0 : Int(e[f - 1])
                        if VectorOps.equal(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), key) { return g }
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
                    var s = Int(truncatingIfNeeded: h) & m
                    while true {
                        let v = Int(slots[s])
                        if v == 0 { return }
                        let g = v - 1
                        if hashes[g] == h {
                            let f = firstRow[g]
                            let fs = f == 0 ? 0 : Int(e[f - 1])
                            if VectorOps.equal(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), key) { out[i] = Int32(g); return }
                        }
                        s = (s + 1) & m
                    }
                }
            }
        }
        return out
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
