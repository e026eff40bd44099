/// Orders rows by integer keys in linear time: a least-significant-digit radix sort, eleven bits a
/// pass, so keys of up to 22 bits (two columns of a few hundred distinct values each) take two
/// passes over the rows. Each pass keeps the order of rows whose digits are equal, so rows with
/// equal keys stay in their order: the sort is stable without the row in the key.
package enum RadixSort {
    static let digitBits = 11

    /// The rows `0..<keys.count` in order of their keys, each below `1 << bits`.
    package static func order(_ keys: [UInt64], bits: Int) -> [Int] {
        let n = keys.count
        var rows = [Int32](unsafeUninitializedCapacity: n) { b, count in
            for i in 0..<n { b[i] = Int32(truncatingIfNeeded: i) }
            count = n
        }
        guard n > 1 else { return rows.map(Int.init) }
        var from = keys
        var to = [UInt64](repeating: 0, count: n)
        var rowsTo = [Int32](repeating: 0, count: n)
        let buckets = 1 << digitBits
        var counts = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < bits {
            let mask = UInt64(buckets - 1)
            let moved = from.withUnsafeBufferPointer { src in
                counts.withUnsafeMutableBufferPointer { count in
                    for d in 0..<buckets { count[d] = 0 }
                    for k in src { count[Int((k >> UInt64(shift)) & mask)] += 1 }
                    // A digit every key shares moves nothing.
                    if count[Int((src[0] >> UInt64(shift)) & mask)] == n { return false }
                    var start = 0
                    for d in 0..<buckets {
                        let c = count[d]
                        count[d] = start
                        start += c
                    }
                    rows.withUnsafeBufferPointer { r in
                        to.withUnsafeMutableBufferPointer { dst in
                            rowsTo.withUnsafeMutableBufferPointer { rdst in
                                for i in 0..<n {
                                    let k = src[i]
                                    let d = Int((k >> UInt64(shift)) & mask)
                                    let at = count[d]
                                    count[d] = at + 1
                                    dst[at] = k
                                    rdst[at] = r[i]
                                }
                            }
                        }
                    }
                    return true
                }
            }
            if moved {
                swap(&from, &to)
                swap(&rows, &rowsTo)
            }
            shift += digitBits
        }
        return rows.map(Int.init)
    }
}
