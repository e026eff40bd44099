import RosterDiagnostics

/// A growable buffer of plain values in raw memory, for the reader's inner loop: appending is a
/// bounds check and a `memcpy`, with none of `Array`'s per-call uniqueness and capacity bookkeeping.
/// From 16 MiB the memory is whole pages from the system (`SystemCall.mapPages`): growing remaps them
/// instead of copying, and freeing gives them back at once, so a large load's scaffolding never stays
/// behind in the heap. (Smaller buffers stay in the heap, where the finished columns reuse their pages.)
///
/// Two other kinds serve the reader's two passes over a large file: a *counting* buffer only counts
/// what would be appended (the first pass measures each column), and a *borrowed* one writes into
/// memory the caller owns, sized by that count (the second pass writes each column where it ends up).
/// A borrowed buffer that would overflow moves to memory of its own and says so (`leftBorrowed`).
struct RawBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int
    private var storage: Storage

    enum Storage {
        /// From `malloc`.
        case heap
        /// Pages from `mapPages`.
        case pages
        /// The caller's memory, never freed here.
        case borrowed
        /// No memory: appends only count.
        case counting
    }

    static var pagesFrom: Int { 1 << 24 }

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        let bytes = self.capacity * MemoryLayout<T>.stride
        if bytes >= Self.pagesFrom, let pages = SystemCall.mapPages(bytes) {
            base = pages.assumingMemoryBound(to: T.self)
            storage = .pages
        } else {
            base = SystemCall.allocate(bytes)!.assumingMemoryBound(to: T.self)
            storage = .heap
        }
    }

    /// A buffer over `capacity` values of the caller's memory at `base`.
    init(borrowing base: UnsafeMutablePointer<T>, capacity: Int) {
        self.base = base
        self.capacity = capacity
        storage = .borrowed
    }

    /// A buffer that holds nothing and counts what is appended.
    static func counting() -> RawBuffer {
        var b = RawBuffer(borrowing: UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!, capacity: Int.max / 2)
        b.storage = .counting
        return b
    }

    /// Whether appends only count.
    @inline(__always)
    var isCounting: Bool { storage == .counting }

    /// Whether a borrowed buffer had to move to memory of its own (the caller's was too small).
    var leftBorrowed: Bool { storage == .heap || storage == .pages }

    /// Frees the memory; the buffer must not be used afterwards.
    func free() {
        switch storage {
        case .pages: SystemCall.unmapPages(base, capacity * MemoryLayout<T>.stride)
        case .heap: SystemCall.release(base)
        case .borrowed, .counting: break
        }
    }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    mutating func grow(_ needed: Int) {
        var c = max(capacity, 16)
        while c < needed { c *= 2 }
        let stride = MemoryLayout<T>.stride
        switch storage {
        case .pages:
            base = SystemCall.remapPages(base, from: capacity * stride, to: c * stride)!.assumingMemoryBound(to: T.self)
        case .heap where c * stride < Self.pagesFrom:
            base = SystemCall.reallocate(base, c * stride)!.assumingMemoryBound(to: T.self)
        case .heap, .borrowed:
            let pages = c * stride >= Self.pagesFrom ? SystemCall.mapPages(c * stride) : nil
            let memory = pages ?? SystemCall.allocate(c * stride)!
            memory.copyMemory(from: base, byteCount: count * stride)
            if storage == .heap { SystemCall.release(base) }
            base = memory.assumingMemoryBound(to: T.self)
            storage = pages == nil ? .heap : .pages
        case .counting:
            return
        }
        capacity = c
    }

    @inline(__always)
    mutating func append(_ v: T) {
        if count == capacity { grow(count + 1) }
        if storage != .counting { base[count] = v }
        count += 1
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<T>, _ n: Int) {
        if n == 0 { return }
        if count + n > capacity { grow(count + n) }
        if storage != .counting { (base + count).update(from: p, count: n) }
        count += n
    }

    /// Faults in borrowed memory for the next `n` values in one call (see `prepareForWriting`).
    func prepareAhead(_ n: Int) {
        guard storage == .borrowed else { return }
        SystemCall.prepareForWriting(UnsafeMutableRawPointer(base + count), min(n, capacity - count) * MemoryLayout<T>.stride)
    }

    /// Counts `n` values appended to a counting buffer.
    @inline(__always)
    mutating func addCount(_ n: Int) { count &+= n }

    /// Drops the last `n` values.
    mutating func removeLast(_ n: Int) { count -= n }

    var array: [T] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

extension RawBuffer where T == UInt8 {
    /// Appends `n` bytes from `p`, where `readable` bytes from `p` may be read. A run of up to 32
    /// bytes with 32 readable and 32 free is copied as two 16-byte words without a call (the bytes past
    /// `n` land in the free capacity and are overwritten by the next append).
    @inline(__always)
    mutating func appendRun(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) {
        if count &+ n > capacity { grow(count + n) }
        if storage == .counting {
        } else if n <= 32 && readable >= 32 && count &+ 32 <= capacity {
            let from = UnsafeRawPointer(p)
            let to = UnsafeMutableRawPointer(base + count)
            to.storeBytes(of: from.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self), toByteOffset: 16, as: SIMD16<UInt8>.self)
        } else if n > 0 {
            (base + count).update(from: p, count: n)
        }
        count &+= n
    }
}

/// The reader's column under construction: cell bytes and end offsets in raw buffers.
struct RawColumnBuilder {
    var bytes: RawBuffer<UInt8>
    var ends: RawBuffer<UInt32>
    /// Added to every end offset: the bytes the column holds before this builder's part.
    var offset: UInt32 = 0

    init(expectedCells: Int, expectedBytes: Int) {
        bytes = RawBuffer(capacity: expectedBytes)
        ends = RawBuffer(capacity: expectedCells)
    }

    init(bytes: RawBuffer<UInt8>, ends: RawBuffer<UInt32>, offset: UInt32) {
        self.bytes = bytes
        self.ends = ends
        self.offset = offset
    }

    /// A builder that only counts cells and bytes.
    static func counting() -> RawColumnBuilder { RawColumnBuilder(bytes: .counting(), ends: .counting(), offset: 0) }

    /// Counts a cell of `bytes` bytes (a counting builder's whole work).
    @inline(__always)
    mutating func count(bytes n: Int) {
        bytes.addCount(n)
        ends.addCount(1)
    }

    @inline(__always)
    mutating func endCell() { ends.append(offset &+ UInt32(truncatingIfNeeded: bytes.count)) }

    var cellCount: Int { ends.count }

    /// The finished column; the raw memory is freed.
    func finish() -> TextColumn {
        let col = TextColumn(bytes: bytes.array, ends: ends.array)
        bytes.free()
        ends.free()
        return col
    }

    /// Faults in the borrowed memory the next `cells` cells will likely need, judged by the sizes
    /// this builder was made for.
    func prepareAhead(cells: Int) {
        guard ends.capacity > 0 else { return }
        bytes.prepareAhead(bytes.capacity / ends.capacity * cells + cells / 8 + 64)
        ends.prepareAhead(cells)
    }

    func discard() {
        bytes.free()
        ends.free()
    }
}
