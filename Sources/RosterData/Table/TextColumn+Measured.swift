/// Columns whose cells can be measured before they are written: two passes over the rows, each in
/// two halves on two threads for a large column, into arrays allocated once at their exact size. A
/// builder that grows by doubling copies its arrays as it goes, and joining the halves of two
/// builders copies them again; for a column of a million short cells that is most of the work.
extension TextColumn {
    /// A column of `count` cells: `length(i)` is the number of bytes of cell `i`, and `write(i, to)`
    /// writes exactly that many bytes at `to`. Nil when the cells would hold more than a column can
    /// (`maxBytes`).
    package static func measured(
        count n: Int, length: @Sendable (Int) -> Int, write: @Sendable (Int, UnsafeMutablePointer<UInt8>) -> Void
    ) -> TextColumn? {
        let halves = Parallel.halves(n)
        var total = 0
        var shift = 0
        // Pass 1: each half's ends counted from the start of the half, and its byte total.
        var ends = [UInt32](unsafeUninitializedCapacity: n) { e, count in
            prepare(e)
            let out = UncheckedSendable(e)
            let sums = Parallel.map(halves, work: n / halves.count) { rows -> Int in
                var pos = 0
                for i in rows {
                    pos += length(i)
                    out.value[i] = UInt32(truncatingIfNeeded: pos)
                }
                return pos
            }
            shift = sums[0]
            total = sums.reduce(0, +)
            count = n
        }
        // Pass 2: the bytes, each half at its own offset; the second half's ends moved past the first's.
        guard total <= maxBytes else { return nil }
        guard total > 0 else { return TextColumn(bytes: [], ends: ends) }
        let firstHalf = shift
        let bytes = ends.withUnsafeMutableBufferPointer { e in
            let endsOut = UncheckedSendable(e)
            return [UInt8](unsafeUninitializedCapacity: total) { b, count in
                prepare(b)
                let out = UncheckedSendable(b)
                _ = Parallel.map(Array(halves.enumerated()), work: n / halves.count) { (h, rows) -> Bool in
                    let e = endsOut.value
                    let base = h == 0 ? 0 : firstHalf
                    var pos = base
                    for i in rows {
                        write(i, out.value.baseAddress! + pos)
                        let end = base + Int(e[i])
                        if h > 0 { e[i] = UInt32(truncatingIfNeeded: end) }
                        pos = end
                    }
                    return true
                }
                count = total
            }
        }
        return TextColumn(bytes: bytes, ends: ends)
    }
}
