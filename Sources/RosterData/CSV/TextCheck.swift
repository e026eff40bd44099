/// Checks text block by block as a pass over a file goes: every byte must be part of valid UTF-8
/// and none NUL. A pass over 64-byte blocks hands over each block's mask of bytes that are not
/// plain ASCII (`roster_byte_mask64` makes it beside the structural one), so ASCII costs nothing;
/// bytes the pass skipped are checked one by one (`check(upTo:)`).
struct TextCheck {
    /// Bytes before this are checked.
    private(set) var checkedUpTo: Int
    /// A NUL or a byte that is not UTF-8 was found: the file needs the reader's full checks.
    private(set) var failed = false

    init(from start: Int) { checkedUpTo = start }

    /// Checks the bytes of the 64-byte block at `at` that are not plain ASCII (`unusual`): each must
    /// start a valid UTF-8 sequence, or continue one begun before it (then it is before
    /// `checkedUpTo`). A character may run on up to `limit`.
    @inline(__always)
    mutating func check(_ p: UnsafePointer<UInt8>, block at: Int, unusual: UInt64, limit: Int) {
        var m = unusual
        while m != 0 && !failed {
            let i = at + m.trailingZeroBitCount
            m &= m &- 1
            if i < checkedUpTo { continue }
            guard p[i] != 0, let length = TextEncoding.sequenceLength(p, at: i, count: limit) else {
                failed = true
                return
            }
            checkedUpTo = i + length
        }
    }

    /// Marks everything before `end` checked, after the blocks up to there were handed over.
    mutating func passed(upTo end: Int) { checkedUpTo = max(checkedUpTo, end) }

    /// Checks, byte by byte, whatever before `upTo` is not checked yet.
    mutating func check(_ p: UnsafePointer<UInt8>, upTo: Int) {
        guard !failed, checkedUpTo < upTo else { return }
        if TextEncoding.checkCharacters(p, from: checkedUpTo, to: upTo, limit: upTo) == nil { failed = true }
        checkedUpTo = upTo
    }
}
