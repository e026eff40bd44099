import CProcessor

/// Reads a column's cells at rows listed in an order the processor cannot foresee (a group's rows,
/// a gather) while asking it to fetch the cells a fixed distance ahead: first each listed row's end
/// offset, then, a little later, the cell's bytes at that offset. The cache misses overlap instead of
/// being waited on one by one, which is most of the cost of such a walk on a column larger than the
/// cache.
public struct CellPrefetcher {
    @usableFromInline let rows: UnsafeBufferPointer<Int32>
    @usableFromInline let ends: UnsafePointer<UInt32>?
    @usableFromInline let bytes: UnsafePointer<UInt8>?
    @usableFromInline let byteCount: Int
    @usableFromInline var endsAhead = 0
    @usableFromInline var bytesAhead = 0
    /// How many listed rows ahead the cell bytes are fetched; end offsets twice as far.
    @usableFromInline static let distance = 16

    /// `rows` lists the rows to be read; `ends` and `bytes` are the column's.
    @inlinable
    public init(rows: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<UInt32>, bytes: UnsafeBufferPointer<UInt8>) {
        self.rows = rows
        self.ends = ends.baseAddress
        self.bytes = bytes.baseAddress
        self.byteCount = bytes.count
    }

    /// Asks for the cells of the rows listed up to `position` + the distance (call before reading the
    /// cell at `rows[position]`).
    @inlinable @inline(__always)
    public mutating func prepare(_ position: Int) {
        guard let ends else { return }
        let n = rows.count
        let endsTarget = min(n, position + 2 * Self.distance)
        while endsAhead < endsTarget {
            roster_prefetch(ends + Int(rows[endsAhead]))
            endsAhead += 1
        }
        let bytesTarget = min(n, position + Self.distance)
        while bytesAhead < bytesTarget {
            let r = Int(rows[bytesAhead])
            let start = r == 0 ? 0 : Int(ends[r - 1])
            if let b = bytes, start < byteCount { roster_prefetch(b + start) }
            bytesAhead += 1
        }
    }
}
