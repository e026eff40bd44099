import CProcessor
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
    /// One partition of the index (rows are partitioned by the hash's top bit, so two threads can
    /// group a large column at once): an open-addressing table whose slot holds the hash's high 32
    /// bits (a tag that rejects most mismatches without touching cells) and the partition's own group
    /// number + 1 in the low 32 (0 = empty); the first row of each of its groups; and the number each
    /// of its groups has in the whole index (empty when there is one partition: the numbers agree).
    private struct Partition {
        var slots: [UInt64]
        var firstRow: [Int]
        var global: [Int32]
    }
    private var partitions: [Partition]
    private let partitionShift: UInt64

    public var groupCount: Int { firstRow.count }

    public init(_ column: TextColumn) {
        self.column = column
        let n = column.count
        let parts = n >= Parallel.rows ? 2 : 1
        partitionShift = parts == 2 ? 63 : 64
        let shift = partitionShift
        let halves = [0..<(n / 2), (n / 2)..<n]
        // Each row's group, written by the partition that holds the row: its own group number, with
        // the top bit set in the second partition's (until the numbers are merged below).
        var rows = [Int32](repeating: 0, count: n)
        let results: [([UInt64], [Int])] = rows.withUnsafeMutableBufferPointer { out in
            let groupOfRow = UncheckedSendable(out)
            // The hashes are needed only while grouping, and let go before the numbers are merged.
            let hashes = [UInt64](unsafeUninitializedCapacity: n) { h, count in
                let shared = UncheckedSendable(h)
                _ = Parallel.map(halves, work: n / 2) { half in
                    column.withCells(half) { r, cell in shared.value[r] = CellIndex.hash(cell) }
                    return true
                }
                count = n
            }
            // Each partition's table is sized for the rows in it (a group per row at most), filled to 3/4 at most.
            var inFirst = n
            if parts == 2 {
                inFirst = 0
                for h in hashes where h >> 63 == 0 { inFirst += 1 }
            }
            let sizes = parts == 2 ? [inFirst, n - inFirst] : [n]
            let shared = UncheckedSendable(hashes)
            return Parallel.map(Array(0..<parts), work: parts == 2 ? Parallel.always : 0) { part -> ([UInt64], [Int]) in
                ColumnIndex.group(
                    column, hashes: shared.value, partition: UInt64(part), shift: shift, expected: sizes[part], into: groupOfRow.value)
            }
        }
        if parts == 1 {
            partitions = [Partition(slots: results[0].0, firstRow: results[0].1, global: [])]
            firstRow = results[0].1
            groupOfRow = rows
            return
        }
        // Number the groups of both partitions in first-seen order (merge by first row), then give each
        // row its group's number (the two halves of the rows side by side).
        let a = results[0].1, b = results[1].1
        let (first, mapA, mapB) = Self.merge(a, b)
        firstRow = first
        let maps = UncheckedSendable((mapA, mapB))
        rows.withUnsafeMutableBufferPointer { out in
            let groupOfRow = UncheckedSendable(out)
            _ = Parallel.map(halves, work: n / 2) { half in
                let (mapA, mapB) = maps.value
                for r in half {
                    let v = groupOfRow.value[r]
                    groupOfRow.value[r] = v < 0 ? mapB[Int(v & Int32.max)] : mapA[Int(v)]
                }
                return true
            }
        }
        groupOfRow = rows
        partitions = [
            Partition(slots: results[0].0, firstRow: a, global: mapA),
            Partition(slots: results[1].0, firstRow: b, global: mapB),
        ]
    }

    /// The first rows of both partitions' groups in row order (the groups' numbers in the whole
    /// index), and the number each partition's groups get. Without branches: the two lists
    /// interleave at random, so a branch on which comes next would be mispredicted half the time.
    /// Both maps are written at every step; a slot written for the list not taken is written again
    /// when its own element is taken.
    static func merge(_ a: [Int], _ b: [Int]) -> (first: [Int], mapA: [Int32], mapB: [Int32]) {
        var mapA = [Int32](repeating: 0, count: a.count), mapB = [Int32](repeating: 0, count: b.count)
        let first = [Int](unsafeUninitializedCapacity: a.count + b.count) { out, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    mapA.withUnsafeMutableBufferPointer { ma in
                        mapB.withUnsafeMutableBufferPointer { mb in
                            var i = 0, j = 0, k = 0
                            while i < a.count && j < b.count {
                                let x = a[i], y = b[j]
                                let takeA = x < y
                                out[k] = takeA ? x : y
                                ma[i] = Int32(truncatingIfNeeded: k)
                                mb[j] = Int32(truncatingIfNeeded: k)
                                i &+= takeA ? 1 : 0
                                j &+= takeA ? 0 : 1
                                k &+= 1
                            }
                            while i < a.count {
                                out[k] = a[i]
                                ma[i] = Int32(truncatingIfNeeded: k)
                                i += 1
                                k += 1
                            }
                            while j < b.count {
                                out[k] = b[j]
                                mb[j] = Int32(truncatingIfNeeded: k)
                                j += 1
                                k += 1
                            }
                            count = k
                        }
                    }
                }
            }
        }
        return (first, mapA, mapB)
    }

    /// Groups the rows whose hash is in `partition`: the slot table and each group's first row; each
    /// of the partition's rows gets its group in `groupOfRow` (with the top bit set in partition 1).
    static func group(
        _ column: TextColumn, hashes: [UInt64], partition: UInt64, shift: UInt64, expected: Int, into groupOfRow: UnsafeMutableBufferPointer<Int32>
    ) -> ([UInt64], [Int]) {
        let n = column.count
        var cap = 16
        while cap * 3 < expected * 4 + 4 { cap <<= 1 }
        var slots = [UInt64](repeating: 0, count: cap)
        let mark: Int32 = partition == 1 ? Int32.min : 0
        var firstRow = RawBuffer<Int>(capacity: expected / 2 + 16)
        defer { firstRow.free() }
        column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                slots.withUnsafeMutableBufferPointer { sl in
                    let mask = sl.count - 1
                    for r in 0..<n {
                        // The slot a later row will probe, fetched now so that its cache miss overlaps this row's work.
                        if r + 16 < n { roster_prefetch(sl.baseAddress! + (Int(truncatingIfNeeded: hashes[r + 16]) & mask)) }
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
                        groupOfRow[r] = Int32(found) | mark
                    }
                }
            }
        }
        return (slots, firstRow.array)
    }

    /// The partition that holds keys with hash `h`.
    @inline(__always)
    private func partition(_ h: UInt64) -> Int { partitionShift < 64 ? Int(h >> partitionShift) : 0 }

    /// The group whose cells equal `key`, or nil.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        withProber { prober in prober.group(key, hash: CellIndex.hash(key)) }
    }

    /// Groups for every cell of another column (-1 where the key is not in this index). A large
    /// column is looked up as two halves on two threads; each fetches the slots of the keys a block
    /// ahead before probing them, so their cache misses overlap.
    public func lookup(_ other: TextColumn) -> [Int32] {
        let n = other.count
        let halves = Parallel.halves(n)
        return [Int32](unsafeUninitializedCapacity: n) { out, count in
            let shared = UncheckedSendable(out)
            withProber { prober in
                let p = UncheckedSendable(prober)
                _ = Parallel.map(halves, work: halves.count == 2 ? Parallel.always : 0) { half in
                    let prober = p.value
                    let block = 16
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: block) { h in
                        var start = half.lowerBound
                        while start < half.upperBound {
                            let end = min(start + block, half.upperBound)
                            other.withCells(start..<end) { i, key in
                                h[i - start] = CellIndex.hash(key)
                                prober.prefetch(hash: h[i - start])
                            }
                            other.withCells(start..<end) { i, key in
                                shared.value[i] = Int32(prober.group(key, hash: h[i - start]) ?? -1)
                            }
                            start = end
                        }
                    }
                    return true
                }
            }
            count = n
        }
    }

    /// An index's buffers as pointers, valid inside `withProber`: look-ups without retaining arrays.
    struct Prober {
        let shift: UInt64
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<UInt32>
        let slots: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>)
        let firstRow: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>)
        let global: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>)

        @inline(__always) func second(_ h: UInt64) -> Bool { shift < 64 && h >> shift == 1 }

        /// Asks for the slot a key with hash `h` starts probing at.
        @inline(__always) func prefetch(hash h: UInt64) {
            let sl = second(h) ? slots.1 : slots.0
            roster_prefetch(sl.baseAddress! + (Int(truncatingIfNeeded: h) & (sl.count - 1)))
        }

        /// The global group of `key` (whose hash is `h`), or nil.
        @inline(__always) func group(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
            let two = second(h)
            let g = ColumnIndex.probe(two ? slots.1 : slots.0, hash: h, key: key, bytes: bytes, ends: ends, firstRow: two ? firstRow.1 : firstRow.0).group
            if g < 0 { return nil }
            let map = two ? global.1 : global.0
            return map.isEmpty ? g : Int(map[g])
        }
    }

    /// Calls `body` with a prober over this index's buffers.
    private func withProber<R>(_ body: (Prober) -> R) -> R {
        let p0 = partitions[0], p1 = partitions[partitions.count - 1]
        return column.bytes.withUnsafeBufferPointer { b in
            column.ends.withUnsafeBufferPointer { e in
                p0.slots.withUnsafeBufferPointer { s0 in
                    p1.slots.withUnsafeBufferPointer { s1 in
                        p0.firstRow.withUnsafeBufferPointer { f0 in
                            p1.firstRow.withUnsafeBufferPointer { f1 in
                                p0.global.withUnsafeBufferPointer { g0 in
                                    p1.global.withUnsafeBufferPointer { g1 in
                                        body(Prober(shift: partitionShift, bytes: b, ends: e, slots: (s0, s1), firstRow: (f0, f1), global: (g0, g1)))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
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

    /// Each group's rows in row order, laid out group after group.
    public func groupedRows() -> GroupedRows { GroupedRows(groupOfRow: groupOfRow, groupCount: firstRow.count) }
}

/// The rows of every group of a `ColumnIndex`, group after group: group `g`'s rows, in row order,
/// are `rows[starts[g]..<starts[g + 1]]`.
public struct GroupedRows: Sendable {
    public let starts: [Int32]
    public let rows: [Int32]

    /// Rows laid out by group (a counting sort). Walking a group reads a list of row numbers rather
    /// than following a chain of links, so the reads of a column's cells at those rows do not wait
    /// on one another.
    public init(groupOfRow: [Int32], groupCount groups: Int) {
        let n = groupOfRow.count
        var starts = [Int32](repeating: 0, count: groups + 1)
        for g in groupOfRow { starts[Int(g) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        rows = [Int32](unsafeUninitializedCapacity: n) { out, count in
            var next = starts
            for r in 0..<n {
                let g = Int(groupOfRow[r])
                out[Int(next[g])] = Int32(r)
                next[g] += 1
            }
            count = n
        }
        self.starts = starts
    }

    public var groupCount: Int { starts.count - 1 }

    /// How many rows group `g` holds.
    @inlinable public func size(_ g: Int) -> Int { Int(starts[g + 1] - starts[g]) }

    /// The rows of group `g`, as positions into `rows`.
    @inlinable public func span(_ g: Int) -> Range<Int> { Int(starts[g])..<Int(starts[g + 1]) }
}
