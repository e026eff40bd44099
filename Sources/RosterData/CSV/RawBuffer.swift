import RosterDiagnostics

/// A growable buffer of plain values in malloc'ed memory, for the reader's inner loop: appending is a
/// bounds check and a `memcpy`, with none of `Array`'s per-call uniqueness and capacity bookkeeping.
/// Growth uses `realloc`, which for large blocks remaps pages instead of copying them. The contents
/// end up in an `Array` once, when the column is finished.
struct RawBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = SystemCall.allocate(self.capacity * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func free() { SystemCall.release(base) }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    mutating func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        base = SystemCall.reallocate(base, c * MemoryLayout<T>.stride)!.assumingMemoryBound(to: T.self)
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
