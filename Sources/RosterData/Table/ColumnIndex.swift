import RosterDiagnostics

/// Groups a column's rows by equal cells, in one pass with no per-cell allocation: each row gets the
/// number of its group (groups numbered in first-seen order) and each group remembers its first row.
/// The index then answers "which group holds this key?" for cells of other columns.
/// This is the engine of `collapse`, `unique`, `count by`, `join`, `diff` and `in`.
public struct ColumnIndex: @unchecked Sendable {
    public let column: TextColumn
    /// The group of each row.
    public private(set) var groupOfRow: [Int32]
    /// The first row of each group.
    public private(set) var firstRow: [Int]
    /// One open-addressing table per partition (rows are partitioned by the hash's top bit, so two
    /// threads can group a large column at once). A slot holds the hash's high 32 bits (a tag that
    /// rejects most mismatches without touching cells) and the group + 1 in the low 32; 0 = empty.
    private var tables: [[UInt64]]
    private let partitionShift: UInt64

    public var groupCount: Int { firstRow.count }

    public init(_ column: TextColumn) {
        self.column = column
        let n = column.count
        let parts = n >= 100_000 ? 2 : 1
        partitionShift = parts == 2 ? 63 : 64
        var hashes = [UInt64](repeating: 0, count: n)
        column.forEachCell { r, cell in hashes[r] = CellIndex.hash(cell) }
        let shift = partitionShift
        // Each partition's table is sized for the rows in it (a group per row at most), filled to 3/4 at most.
        var inFirst = n
        if parts == 2 {
            inFirst = 0
            for h in hashes where h >> 63 == 0 { inFirst += 1 }
        }
        let sizes = parts == 2 ? [inFirst, n - inFirst] : [n]
        let shared = UncheckedSendable((column, hashes))
        // Group each partition: local group numbers and first rows, in row order.
        let results = Parallel.map(Array(0..<parts), work: parts == 2 ? Parallel.always : 0) { part -> ([UInt64], [Int], [Int32]) in
            let (column, hashes) = shared.value
            return ColumnIndex.group(column, hashes: hashes, partition: UInt64(part), shift: shift, expected: sizes[part])
        }
        tables = results.map(\.0)
        if parts == 1 {
            firstRow = results[0].1
            groupOfRow = results[0].2
            return
        }
        // Number the groups of both partitions in first-seen order (merge by first row), and
        // rewrite the slots and rows to the global numbers.
        let a = results[0].1, b = results[1].1
        var first: [Int] = []
        first.reserveCapacity(a.count + b.count)
        var mapA = [Int32](repeating: 0, count: a.count), mapB = [Int32](repeating: 0, count: b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j >= b.count || (i < a.count && a[i] < b[j]) {
                mapA[i] = Int32(first.count); first.append(a[i]); i += 1
            } else {
                mapB[j] = Int32(first.count); first.append(b[j]); j += 1
            }
        }
        firstRow = first
        let localA = results[0].2, localB = results[1].2
        var rows = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            rows[r] = hashes[r] >> shift == 0 ? mapA[Int(localA[r])] : mapB[Int(localB[r])]
        }
        groupOfRow = rows
        for (t, map) in [(0, mapA), (1, mapB)] {
            tables[t] = tables[t].map { v in v == 0 ? 0 : (v & 0xFFFF_FFFF_0000_0000) | UInt64(map[Int(v & 0xFFFF_FFFF) - 1] + 1) }
        }
    }

    /// Groups the rows whose hash is in `partition`: the slot table, each group's first row, and
    /// each row's (partition-local) group; rows of other partitions get 0.
    static func group(_ column: TextColumn, hashes: [UInt64], partition: UInt64, shift: UInt64, expected: Int) -> ([UInt64], [Int], [Int32]) {
        let n = column.count
        var cap = 16
        while cap * 3 < expected * 4 + 4 { cap <<= 1 }
        var slots = [UInt64](repeating: 0, count: cap)
        var groupOfRow = [Int32](repeating: 0, count: n)
        var firstRow = RawBuffer<Int>(capacity: expected / 2 + 16)
        defer { firstRow.free() }
        column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                slots.withUnsafeMutableBufferPointer { sl in
                    for r in 0..<n {
                        let h = hashes[r]
                        if shift < 64 && h >> shift != partition { continue }
                        let start = r == 0 ? 0 : Int(e[r - 1])
                        let cell = UnsafeBufferPointer(rebasing: b[start..<Int(e[r])])
                        var (found, s) = probe(
                            UnsafeBufferPointer(sl), hash: h, key: cell, bytes: b, ends: e,
                            firstRow: UnsafeBufferPointer(start: firstRow.base, count: firstRow.count))
                        if found < 0 {
                            found = firstRow.count
                            firstRow.append(r)
                            sl[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(found + 1)
                        }
                        groupOfRow[r] = Int32(found)
                    }
                }
            }
        }
        return (slots, firstRow.array, groupOfRow)
    }

    /// The group whose cells equal `key`, or nil.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = CellIndex.hash(key)
        let slots = tables[partitionShift < 64 ? Int(h >> partitionShift) : 0]
        let g = column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                slots.withUnsafeBufferPointer { sl in
                    firstRow.withUnsafeBufferPointer { Self.probe(sl, hash: h, key: key, bytes: b, ends: e, firstRow: $0).group }
                }
            }
        }
        return g >= 0 ? g : nil
    }

    /// Groups for every cell of another column (nil where the key is not in this index), looked up
    /// inside one pointer scope.
    public func lookup(_ other: TextColumn) -> [Int32] {
        var out = [Int32](repeating: -1, count: other.count)
        let shift = partitionShift
        column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                firstRow.withUnsafeBufferPointer { first in
                    tables[0].withUnsafeBufferPointer { t0 in
                        (tables.count > 1 ? tables[1] : tables[0]).withUnsafeBufferPointer { t1 in
                            other.forEachCell { i, key in
                                let h = CellIndex.hash(key)
                                let slots = shift < 64 && h >> shift == 1 ? t1 : t0
                                out[i] = Int32(Self.probe(slots, hash: h, key: key, bytes: b, ends: e, firstRow: first).group)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Looks `key` up in an open-addressing table: the group holding it, or -1 and the empty slot
    /// where it would go.
    @inline(__always)
    static func probe(
        _ slots: UnsafeBufferPointer<UInt64>, hash h: UInt64, key: UnsafeBufferPointer<UInt8>,
        bytes b: UnsafeBufferPointer<UInt8>, ends e: UnsafeBufferPointer<UInt32>, firstRow: UnsafeBufferPointer<Int>
    ) -> (group: Int, slot: Int) {
        let m = slots.count - 1
        let tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & m
        while true {
            let v = slots[s]
            if v == 0 { return (-1, s) }
            if v & 0xFFFF_FFFF_0000_0000 == tag {
                let g = Int(v & 0xFFFF_FFFF) - 1
                let f = firstRow[g]
                let fs = f == 0 ? 0 : Int(e[f - 1])
                if same(UnsafeBufferPointer(rebasing: b[fs..<Int(e[f])]), key) { return (g, s) }
            }
            s = (s + 1) & m
        }
    }

    /// Byte equality, comparing eight bytes at a time inline (keys are short: a call to memcmp costs
    /// more than the comparison).
    @inlinable @inline(__always)
    public static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
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
