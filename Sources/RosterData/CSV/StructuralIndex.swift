import CProcessor

/// Where the bytes that can end a field or start quoting are (the delimiter, the quote, LF and CR)
/// in a window of a CSV file. The reader finds a quote-free record's fields here instead of scanning
/// each field for its end, which costs a mispredicted branch per field: the window is classified
/// 64 bytes at a time with vector compares (`roster_byte_mask64`), and each block's positions are
/// written without a branch per position.
struct StructuralIndex {
    /// Offsets from `origin` of the structural bytes in `origin..<end`, in order.
    private(set) var positions: UnsafeMutablePointer<UInt32>
    private(set) var count = 0
    /// Where the indexed window starts and ends in the file.
    private(set) var origin = 0
    private(set) var end = 0
    /// Bytes indexed at a time; doubled when a record does not fit.
    private(set) var window: Int

    init(window: Int = 1 << 16) {
        self.window = window
        positions = UnsafeMutablePointer<UInt32>.allocate(capacity: window + 64)
    }

    /// Frees the memory; the index must not be used afterwards.
    func free() { positions.deallocate() }

    /// The file position of the `k`th structural byte.
    @inline(__always)
    func position(_ k: Int) -> Int { origin &+ Int(positions[k]) }

    /// A window twice as large (up to 16 MiB), for records longer than the current one.
    mutating func widen() {
        guard window < 1 << 24 else { return }
        positions.deallocate()
        window *= 2
        positions = UnsafeMutablePointer<UInt32>.allocate(capacity: window + 64)
        count = 0
        end = origin
    }

    /// The text check made as windows are indexed, when asked for (the first pass over a large file
    /// checks the text this way instead of in a pass of its own).
    private(set) var text: TextCheck?

    /// Whether the text checked so far failed.
    var textFailed: Bool { text?.failed ?? false }

    /// Checks the text of everything indexed from `start` on.
    mutating func checkText(from start: Int) { text = TextCheck(from: start) }

    /// Checks whatever of `..<upTo` no window covered (a quoted field longer than a window).
    mutating func finishChecking(_ p: UnsafePointer<UInt8>, upTo: Int) { text?.check(p, upTo: upTo) }

    /// Indexes `start..<min(start + window, limit)` of `p`.
    mutating func index(_ p: UnsafePointer<UInt8>, from start: Int, limit: Int, delimiter: UInt8) {
        finishChecking(p, upTo: start)
        origin = start
        end = min(limit, start + window)
        count = 0
        let checks = text != nil
        var at = start
        var unusual: UInt64 = 0
        while at + 64 <= end {
            emit(roster_byte_mask64(p + at, delimiter, 0x22, 0x0A, 0x0D, &unusual), at: at - start)
            if unusual != 0 && checks { text!.check(p, block: at, unusual: unusual, limit: limit) }
            at += 64
        }
        if at < end {
            let (mask, tailUnusual) = Self.tailMask(p, from: at, to: end, delimiter: delimiter)
            emit(mask, at: at - start)
            if tailUnusual != 0 && checks { text!.check(p, block: at, unusual: tailUnusual, limit: limit) }
        }
        text?.passed(upTo: end)
    }

    /// The masks of the last partial block `at..<end` (fewer than 64 bytes), through a copy padded
    /// with zeros: a zero is never structural, and the padding is left out of the unusual mask.
    static func tailMask(_ p: UnsafePointer<UInt8>, from at: Int, to end: Int, delimiter: UInt8) -> (UInt64, unusual: UInt64) {
        var tail = (SIMD32<UInt8>(), SIMD32<UInt8>())
        var unusual: UInt64 = 0
        let mask = withUnsafeMutableBytes(of: &tail) { t in
            t.baseAddress!.copyMemory(from: p + at, byteCount: end - at)
            return roster_byte_mask64(t.baseAddress!.assumingMemoryBound(to: UInt8.self), delimiter, 0x22, 0x0A, 0x0D, &unusual)
        }
        return (mask, unusual & ((1 << UInt64(end - at)) &- 1))
    }

    /// Appends the positions of the set bits of one block's mask. Eight are written whatever the
    /// count (the slack after `count` takes the extra ones), so a block with up to eight fields
    /// costs no branch on its contents.
    @inline(__always)
    private mutating func emit(_ mask: UInt64, at offset: Int) {
        var m = mask
        let base = UInt32(truncatingIfNeeded: offset)
        let out = positions + count
        let n = m.nonzeroBitCount
        for k in 0..<8 {
            out[k] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
            m &= m &- 1
        }
        var i = 8
        while m != 0 {
            out[i] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
            m &= m &- 1
            i += 1
        }
        count += n
    }
}
