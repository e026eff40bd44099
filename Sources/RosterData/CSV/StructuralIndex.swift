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

    /// Whether indexing also checks the text: UTF-8 and no NUL byte (the first pass over a large
    /// file does this instead of a pass of its own).
    private(set) var checksText = false
    /// Bytes before this are checked.
    private(set) var checkedUpTo = 0
    /// A byte that is NUL or not UTF-8 was found: the file needs the reader's full checks.
    private(set) var textFailed = false

    /// Checks the text of everything indexed from `start` on.
    mutating func checkText(from start: Int) {
        checksText = true
        checkedUpTo = start
    }

    /// Checks whatever of `..<upTo` no window covered (a quoted field longer than a window).
    mutating func finishChecking(_ p: UnsafePointer<UInt8>, upTo: Int) {
        guard checksText, !textFailed, checkedUpTo < upTo else { return }
        if TextEncoding.checkCharacters(p, from: checkedUpTo, to: upTo, limit: upTo) == nil { textFailed = true }
        checkedUpTo = upTo
    }

    /// Indexes `start..<min(start + window, limit)` of `p`.
    mutating func index(_ p: UnsafePointer<UInt8>, from start: Int, limit: Int, delimiter: UInt8) {
        finishChecking(p, upTo: start)
        origin = start
        end = min(limit, start + window)
        count = 0
        var at = start
        var unusual: UInt64 = 0
        while at + 64 <= end {
            emit(roster_byte_mask64(p + at, delimiter, 0x22, 0x0A, 0x0D, &unusual), at: at - start)
            if unusual != 0 && checksText { check(p, block: at, unusual: unusual, limit: limit) }
            at += 64
        }
        if at < end {
            // The last partial block, through a copy padded with zeros (a zero is never structural).
            var tail = (SIMD32<UInt8>(), SIMD32<UInt8>())
            withUnsafeMutableBytes(of: &tail) { t in
                t.baseAddress!.copyMemory(from: p + at, byteCount: end - at)
                emit(roster_byte_mask64(t.baseAddress!.assumingMemoryBound(to: UInt8.self), delimiter, 0x22, 0x0A, 0x0D, &unusual), at: at - start)
            }
            unusual &= (1 << UInt64(end - at)) &- 1
            if unusual != 0 && checksText { check(p, block: at, unusual: unusual, limit: limit) }
        }
        if checksText { checkedUpTo = max(checkedUpTo, end) }
    }

    /// Checks the bytes of a 64-byte block at `at` that are not plain ASCII (`unusual`): each must
    /// start a valid UTF-8 sequence, or continue one begun before it (then it is before `checkedUpTo`).
    private mutating func check(_ p: UnsafePointer<UInt8>, block at: Int, unusual: UInt64, limit: Int) {
        var m = unusual
        while m != 0 && !textFailed {
            let i = at + m.trailingZeroBitCount
            m &= m &- 1
            if i < checkedUpTo { continue }
            guard p[i] != 0, let length = TextEncoding.sequenceLength(p, at: i, count: limit) else {
                textFailed = true
                return
            }
            checkedUpTo = i + length
        }
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
        out[0] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[1] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[2] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[3] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[4] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[5] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[6] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        out[7] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
        m &= m &- 1
        var i = 8
        while m != 0 {
            out[i] = base &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
            m &= m &- 1
            i += 1
        }
        count += n
    }
}
