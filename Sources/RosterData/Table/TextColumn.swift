import CProcessor
import RosterDiagnostics

/// One column of text cells, stored the way Arrow stores strings: every cell's UTF-8 bytes one after
/// another in `bytes`, and `ends[i]` the offset just past cell `i`. Cells are never `String`s in bulk
/// work; a verb reads and writes bytes. The struct is a value (copy-on-write arrays), so a table that
/// shares a column with another can never be changed through it.
public struct TextColumn: Sendable {
    public internal(set) var bytes: [UInt8]
    public internal(set) var ends: [UInt32]
    /// Lossless quoting: `true` where the source file quoted a cell differently from what minimal
    /// quoting would write (quoted though it need not be, or a bare `"` left unquoted). `nil` when no
    /// cell of the column deviates, which is the common case. Cells made by a verb carry `false`.
    public internal(set) var quoteFlips: [Bool]?
    /// Shared by every copy of this column value, so a column can tell that it is the only copy and
    /// change its arrays in place instead of making new ones (`isOnlyCopy`).
    private var token = Token()

    final class Token: Sendable {}

    public init() {
        bytes = []
        ends = []
        quoteFlips = nil
    }

    public init(bytes: [UInt8], ends: [UInt32], quoteFlips: [Bool]? = nil) {
        self.bytes = bytes
        self.ends = ends
        self.quoteFlips = quoteFlips
    }

    /// Whether no other copy of this column value exists, so changing it in place copies nothing.
    /// (An array taken out of it and held elsewhere would still be copied on change: never wrong, only slower.)
    public mutating func isOnlyCopy() -> Bool { isKnownUniquelyReferenced(&token) }

    /// A column of `count` copies of one value.
    public init(repeating value: String, count: Int) {
        var b = TextColumnBuilder(expectedCells: count, expectedBytes: value.utf8.count * count)
        let u = Array(value.utf8)
        for _ in 0..<count { b.append(u) }
        self = b.finish()
    }

    public init<S: Sequence>(_ values: S) where S.Element == String {
        var b = TextColumnBuilder()
        for v in values { b.append(v) }
        self = b.finish()
    }

    @inlinable public var count: Int { ends.count }

    /// The most bytes a column holds: its cells' ends are 32-bit offsets.
    public static let maxBytes = Int(UInt32.max)

    @inlinable public func start(_ i: Int) -> Int { i == 0 ? 0 : Int(ends[i - 1]) }
    @inlinable public func end(_ i: Int) -> Int { Int(ends[i]) }
    @inlinable public func length(_ i: Int) -> Int { end(i) - start(i) }
    @inlinable public func isBlank(_ i: Int) -> Bool { length(i) == 0 }

    /// Whether a cell is blank as roster means it: empty, or only spaces, tabs and non-breaking spaces.
    @inlinable
    public static func isBlank(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 {
                i += 1
                continue
            }
            if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 {
                i += 2
                continue
            }
            return false
        }
        return true
    }

    public subscript(i: Int) -> String {
        let s = start(i), e = end(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }

    public var strings: [String] { (0..<count).map { self[$0] } }

    /// Calls `body` with every cell's bytes in row order.
    @inlinable public func forEachCell(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { base in
            try ends.withUnsafeBufferPointer { ends in
                var s = 0
                for i in 0..<ends.count {
                    let e = Int(ends[i])
                    try body(i, UnsafeBufferPointer(rebasing: base[s..<e]))
                    s = e
                }
            }
        }
    }

    /// Calls `body` with the bytes of each cell of `rows`, in order.
    @inlinable public func withCells(_ rows: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { base in
            try ends.withUnsafeBufferPointer { ends in
                var s = rows.lowerBound == 0 ? 0 : Int(ends[rows.lowerBound - 1])
                for i in rows {
                    let e = Int(ends[i])
                    try body(i, UnsafeBufferPointer(rebasing: base[s..<e]))
                    s = e
                }
            }
        }
    }

    /// Calls `body` with the bytes of cell `i`.
    @inlinable public func withCell<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let s = start(i), e = end(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
    }

    /// The rows at `indices`, in that order (an index may repeat; a negative one is a blank cell).
    /// Keeps quoting marks.
    /// Sizes are summed first so the bytes are copied once with `memcpy`, never appended cell by cell.
    public func gather(_ indices: [Int]) -> TextColumn {
        let m = indices.count
        var outBytes: [UInt8] = []
        var outEnds: [UInt32] = []
        bytes.withUnsafeBufferPointer { base in
            ends.withUnsafeBufferPointer { e in
                // A negative index is a blank cell (a left join's row with no match). One pass
                // over the indices finds the cells' ends, fetching end offsets 32 indices ahead
                // (in a sort's order each is a cache miss otherwise).
                var total = 0
                outEnds = [UInt32](unsafeUninitializedCapacity: m) { buf, count in
                    Self.prepare(buf)
                    var pos = 0
                    indices.withUnsafeBufferPointer { ix in
                        for k in 0..<m {
                            if k + 32 < m, ix[k + 32] > 0 { roster_prefetch(e.baseAddress! + ix[k + 32] - 1) }
                            let i = ix[k]
                            pos += i < 0 ? 0 : Int(e[i]) - (i == 0 ? 0 : Int(e[i - 1]))
                            buf[k] = UInt32(truncatingIfNeeded: pos)
                        }
                    }
                    total = pos
                    count = m
                }
                outBytes = [UInt8](unsafeUninitializedCapacity: total) { buf, count in
                    Self.prepare(buf)
                    var pos = 0
                    if let src = base.baseAddress, let dst = buf.baseAddress {
                        // Consecutive rows (most of a `where`) are copied as one run; the bytes of
                        // the cell 16 indices ahead are fetched as this one is copied.
                        var k = 0
                        while k < m {
                            if k + 16 < m, indices[k + 16] > 0 { roster_prefetch(src + Int(e[indices[k + 16] - 1])) }
                            let first = indices[k]
                            if first < 0 {
                                k += 1
                                continue
                            }
                            var last = first
                            while k + 1 < m && indices[k + 1] == last + 1 { k += 1; last += 1 }
                            let s = first == 0 ? 0 : Int(e[first - 1])
                            let len = Int(e[last]) - s
                            if len <= 16 && pos + 16 <= total && s + 16 <= base.count {
                                // A short cell (most, in a sort's order): one 16-byte copy, no call;
                                // the bytes past it are overwritten by the next cells.
                                UnsafeMutableRawPointer(dst + pos).storeBytes(
                                    of: UnsafeRawPointer(src + s).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
                            } else if len > 0 {
                                (dst + pos).update(from: src + s, count: len)
                            }
                            pos += len
                            k += 1
                        }
                    }
                    count = total
                }
            }
        }
        var out = TextColumn(bytes: outBytes, ends: outEnds)
        if let flips = quoteFlips {
            let g = indices.map { $0 >= 0 && flips[$0] }
            out.quoteFlips = g.contains(true) ? g : nil
        }
        return out
    }

    /// Faults in a new array's memory in one call when it is large (see
    /// `SystemCall.prepareForWriting`): a column of a million cells would otherwise take a trap per
    /// page as it is first written.
    @inline(__always)
    static func prepare<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let size = buffer.count * MemoryLayout<T>.stride
        if size >= Parallel.bytes, let p = buffer.baseAddress { SystemCall.prepareForWriting(UnsafeMutableRawPointer(p), size) }
    }

    /// Keeps only the cells of `rows` (increasing), moving each run of kept cells down within this
    /// column's own arrays: when this is the only copy (`isOnlyCopy`) no memory is allocated or
    /// touched beyond the moved bytes. Quoting marks kept.
    public mutating func keepOnly(rows: [Int]) {
        let m = rows.count
        var written = 0
        bytes.withUnsafeMutableBytes { b in
            ends.withUnsafeMutableBufferPointer { e in
                var kept = 0
                var k = 0
                while k < m {
                    let first = rows[k]
                    var last = first
                    while k + 1 < m && rows[k + 1] == last + 1 { k += 1; last += 1 }
                    k += 1
                    // Row first - 1 is not kept (it would have joined this run), so its end is still
                    // the original: every end rewritten so far belongs to an earlier position.
                    let s = first == 0 ? 0 : Int(e[first - 1])
                    let shift = UInt32(truncatingIfNeeded: s) &- UInt32(truncatingIfNeeded: written)
                    for r in first...last {
                        e[kept] = e[r] &- shift
                        kept += 1
                    }
                    let len = Int(e[kept - 1]) - written
                    if len > 0, let base = b.baseAddress { (base + written).copyMemory(from: base + s, byteCount: len) }
                    written += len
                }
            }
        }
        bytes.removeLast(bytes.count - written)
        ends.removeLast(ends.count - m)
        Self.giveBackUnused(&bytes)
        Self.giveBackUnused(&ends)
        if var flips = quoteFlips {
            quoteFlips = nil
            for (i, r) in rows.enumerated() { flips[i] = flips[r] }
            flips.removeLast(flips.count - m)
            if flips.contains(true) { quoteFlips = flips }
        }
    }

    /// Keeps only the cells of `rows` (increasing): in place when this is the only copy, else as a
    /// new column (`gather`).
    public mutating func keep(rows: [Int]) {
        if isOnlyCopy() { keepOnly(rows: rows) } else { self = gather(rows) }
    }

    /// Gives the system back the whole pages of an array's capacity past its count (1 MiB or more),
    /// so rows dropped in place stop costing memory. Those bytes are never read; an append that
    /// reaches them writes them first.
    static func giveBackUnused<T>(_ array: inout [T]) {
        let unused = (array.capacity - array.count) * MemoryLayout<T>.stride
        guard unused >= 1 << 20 else { return }
        let used = array.count * MemoryLayout<T>.stride
        array.withUnsafeMutableBytes { b in
            guard let base = b.baseAddress else { return }
            let page = SystemCall.pageSize
            let first = (Int(bitPattern: base) + used + page - 1) / page * page
            let last = (Int(bitPattern: base) + used + unused) / page * page
            if last > first { SystemCall.discardPages(UnsafeMutableRawPointer(bitPattern: first)!, last - first) }
        }
    }

    /// Rows where `mask` is true.
    public func filter(_ mask: [Bool]) -> TextColumn {
        var idx: [Int] = []
        idx.reserveCapacity(mask.count)
        for (i, m) in mask.enumerated() where m { idx.append(i) }
        return gather(idx)
    }

    /// This column followed by `other`'s cells.
    public func appending(_ other: TextColumn) -> TextColumn {
        var out = self
        let used = ends.last.map(Int.init) ?? 0, otherUsed = other.ends.last.map(Int.init) ?? 0
        out.bytes = [UInt8](unsafeUninitializedCapacity: used + otherUsed) { buf, count in
            Self.prepare(buf)
            guard let to = buf.baseAddress else { return }
            bytes.withUnsafeBufferPointer { b in if let from = b.baseAddress { to.initialize(from: from, count: used) } }
            other.bytes.withUnsafeBufferPointer { b in if let from = b.baseAddress { (to + used).initialize(from: from, count: otherUsed) } }
            count = used + otherUsed
        }
        let shift = UInt32(truncatingIfNeeded: used)
        out.ends = [UInt32](unsafeUninitializedCapacity: count + other.count) { buf, n in
            Self.prepare(buf)
            ends.withUnsafeBufferPointer { e in if let from = e.baseAddress, let to = buf.baseAddress { to.initialize(from: from, count: count) } }
            other.ends.withUnsafeBufferPointer { e in
                for k in 0..<e.count { buf[count + k] = e[k] &+ shift }
            }
            n = count + other.count
        }
        if quoteFlips != nil || other.quoteFlips != nil {
            out.quoteFlips =
                (quoteFlips ?? Array(repeating: false, count: count))
                + (other.quoteFlips ?? Array(repeating: false, count: other.count))
        }
        return out
    }

    /// Replaces cells where `mask` is true with the cells of `replacement` (same length as this column).
    /// The column in lower (or upper) case when every byte is ASCII, in one pass over its bytes with
    /// the cell boundaries kept; nil when some cell holds other text (which needs Unicode case mapping).
    public func asciiCaseMapped(upper: Bool) -> TextColumn? {
        let n = bytes.count
        var ascii = true
        let mapped = [UInt8](unsafeUninitializedCapacity: n) { out, count in
            bytes.withUnsafeBufferPointer { src in
                ascii = Self.caseMap(src, into: out, upper: upper)
            }
            count = ascii ? n : 0
        }
        return ascii ? TextColumn(bytes: mapped, ends: ends) : nil
    }

    /// Maps the column to lower (or upper) case when every byte is ASCII, in place when this is the
    /// only copy; false (the column unchanged) when some cell holds other text.
    public mutating func mapASCIICase(upper: Bool) -> Bool {
        guard isOnlyCopy() else {
            guard let mapped = asciiCaseMapped(upper: upper) else { return false }
            self = mapped
            return true
        }
        let ascii = bytes.withUnsafeBufferPointer { b in Self.isASCII(b) }
        guard ascii else { return false }
        bytes.withUnsafeMutableBufferPointer { b in _ = Self.caseMap(UnsafeBufferPointer(b), into: b, upper: upper) }
        quoteFlips = nil
        return true
    }

    /// Whether every byte is below 0x80, eight at a time.
    package static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= b.count {
            high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < b.count {
            high |= UInt64(base[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Writes `src` in lower (or upper) case into `out` (which may be `src` itself), eight bytes at a
    /// time with no branch per byte; false, with `out` partly written, at a byte of 0x80 or more.
    package static func caseMap(_ src: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, upper: Bool) -> Bool {
        let n = src.count
        guard let s = src.baseAddress, let o = out.baseAddress else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        // The letters to change: A–Z (0x41–0x5A) for lower case, a–z (0x61–0x7A) for upper.
        let first: UInt64 = upper ? 0x61 : 0x41, last: UInt64 = upper ? 0x7A : 0x5A
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
            if w & highs != 0 { return false }
            // Per byte (all below 0x80, so no carries cross bytes): the top bit set where x >= first,
            // and where x > last; a letter is the first without the second. Its 0x20 bit flips.
            let atLeastFirst = w &+ ones &* (0x80 - first)
            let aboveLast = w &+ ones &* (0x7F - last)
            let letters = atLeastFirst & ~aboveLast & highs
            UnsafeMutableRawPointer(o + i).storeBytes(of: w ^ (letters >> 2), as: UInt64.self)
            i += 8
        }
        while i < n {
            let x = s[i]
            if x >= 0x80 { return false }
            o[i] = UInt64(x) &- first <= last - first ? x ^ 0x20 : x
            i += 1
        }
        return true
    }

    /// The column with the cells of `rows` (in increasing order) replaced by `values`; every other
    /// cell, and its quoting mark, kept. One pass, copying the runs of cells between replacements.
    public func replacing(rows: [Int], with values: [String]) -> TextColumn {
        var b = TextColumnBuilder(expectedCells: count, expectedBytes: bytes.count + values.reduce(0) { $0 + $1.utf8.count })
        var flips = quoteFlips
        var from = 0  // first row not yet copied
        bytes.withUnsafeBufferPointer { mine in
            func copy(upTo row: Int) {
                guard row > from else { return }
                let s = start(from), shift = UInt32(truncatingIfNeeded: b.bytes.count) &- UInt32(truncatingIfNeeded: s)
                b.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: mine[s..<end(row - 1)]))
                for i in from..<row { b.ends.append(ends[i] &+ shift) }
                from = row
            }
            for (k, r) in rows.enumerated() {
                copy(upTo: r)
                b.append(values[k])
                flips?[r] = false
                from = r + 1
            }
            copy(upTo: count)
        }
        var out = b.finish()
        if let f = flips, f.contains(true) { out.quoteFlips = f }
        return out
    }

    public func merging(_ replacement: TextColumn, where mask: [Bool]) -> TextColumn {
        var b = TextColumnBuilder(expectedCells: count, expectedBytes: max(bytes.count, replacement.bytes.count))
        var flips: [Bool]? = quoteFlips == nil ? nil : []
        bytes.withUnsafeBufferPointer { mine in
            replacement.bytes.withUnsafeBufferPointer { theirs in
                for i in 0..<count {
                    if mask[i] {
                        b.append(UnsafeBufferPointer(rebasing: theirs[replacement.start(i)..<replacement.end(i)]))
                        flips?.append(false)
                    } else {
                        b.append(UnsafeBufferPointer(rebasing: mine[start(i)..<end(i)]))
                        flips?.append(quoteFlips![i])
                    }
                }
            }
        }
        var out = b.finish()
        if let f = flips, f.contains(true) { out.quoteFlips = f }
        return out
    }
}

/// Builds a `TextColumn` cell by cell.
public struct TextColumnBuilder: Sendable {
    public var bytes: [UInt8]
    public var ends: [UInt32]

    public init(expectedCells: Int = 0, expectedBytes: Int = 0) {
        bytes = []
        ends = []
        if expectedBytes > 0 { bytes.reserveCapacity(expectedBytes) }
        if expectedCells > 0 { ends.reserveCapacity(expectedCells) }
    }

    /// A builder that starts with `column`'s cells (sharing its arrays until one of them changes).
    public init(_ column: TextColumn) {
        let used = column.ends.last.map(Int.init) ?? 0
        bytes = column.bytes.count == used ? column.bytes : Array(column.bytes[0..<used])
        ends = column.ends
    }

    @inlinable public mutating func append(_ cell: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: cell)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    @inlinable public mutating func append(_ cell: [UInt8]) {
        bytes.append(contentsOf: cell)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    public mutating func append(_ cell: String) {
        bytes.append(contentsOf: cell.utf8)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Ends the current cell whose bytes were appended to `bytes` directly.
    @inlinable public mutating func endCell() {
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Another builder's cells after these.
    public mutating func append(contentsOf other: TextColumnBuilder) {
        let shift = UInt32(truncatingIfNeeded: bytes.count)
        bytes += other.bytes
        ends.reserveCapacity(ends.count + other.ends.count)
        for e in other.ends { ends.append(e &+ shift) }
    }

    public func finish() -> TextColumn { TextColumn(bytes: bytes, ends: ends) }
}
