import RosterDiagnostics

/// A growable buffer of plain values in raw memory, for the reader's inner loop: appending is a
/// bounds check and a `memcpy`, with none of `Array`'s per-call uniqueness and capacity bookkeeping.
/// The contents end up in an `Array` once, when the column is finished. From 16 MiB the memory is
/// whole pages from the system (`SystemCall.mapPages`): growing remaps them instead of copying, and
/// freeing gives them back at once, so a large load's scaffolding never stays behind in the heap.
/// (Smaller buffers stay in the heap, where the finished columns reuse their pages.)
struct RawBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` is pages from `mapPages` rather than from `malloc`.
    private var mapped: Bool

    static var pagesFrom: Int { 1 << 24 }

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        let bytes = self.capacity * MemoryLayout<T>.stride
        if bytes >= Self.pagesFrom, let pages = SystemCall.mapPages(bytes) {
            base = pages.assumingMemoryBound(to: T.self)
            mapped = true
        } else {
            base = SystemCall.allocate(bytes)!.assumingMemoryBound(to: T.self)
            mapped = false
        }
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func free() {
        if mapped { SystemCall.unmapPages(base, capacity * MemoryLayout<T>.stride) } else { SystemCall.release(base) }
    }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    mutating func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let stride = MemoryLayout<T>.stride
        if mapped {
            base = SystemCall.remapPages(base, from: capacity * stride, to: c * stride)!.assumingMemoryBound(to: T.self)
        } else if c * stride >= Self.pagesFrom, let pages = SystemCall.mapPages(c * stride) {
            pages.copyMemory(from: base, byteCount: count * stride)
            SystemCall.release(base)
            base = pages.assumingMemoryBound(to: T.self)
            mapped = true
        } else {
            base = SystemCall.reallocate(base, c * stride)!.assumingMemoryBound(to: T.self)
        }
        capacity = c
    }

    @inline(__always)
    mutating func append(_ v: T) {
        if count == capacity { grow(count + 1) }
        base[count] = v
        count += 1
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<T>, _ n: Int) {
        if n == 0 { return }
        if count + n > capacity { grow(count + n) }
        (base + count).update(from: p, count: n)
        count += n
    }

    /// Drops the last `n` values.
    mutating func removeLast(_ n: Int) { count -= n }

    var array: [T] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// The reader's column under construction: cell bytes and end offsets in raw buffers.
struct RawColumnBuilder {
    var bytes: RawBuffer<UInt8>
    var ends: RawBuffer<UInt32>

    init(expectedCells: Int, expectedBytes: Int) {
        bytes = RawBuffer(capacity: expectedBytes)
        ends = RawBuffer(capacity: expectedCells)
    }

    @inline(__always)
    mutating func endCell() { ends.append(UInt32(truncatingIfNeeded: bytes.count)) }

    var cellCount: Int { ends.count }

    /// The finished column; the raw memory is freed.
    func finish() -> TextColumn {
        let col = TextColumn(bytes: bytes.array, ends: ends.array)
        bytes.free()
        ends.free()
        return col
    }

    func discard() {
        bytes.free()
        ends.free()
    }
}
