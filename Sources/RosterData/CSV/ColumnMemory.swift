/// The arrays of a table's columns, made at their final size before anything is written to them,
/// so a reader can fill them from several threads at once and no cell is ever copied again.
enum ColumnMemory {
    /// Where one column's bytes and cell ends go.
    struct Region {
        let bytes: UnsafeMutablePointer<UInt8>
        let ends: UnsafeMutablePointer<UInt32>
    }

    /// Makes, for each column `j`, a byte array of `bytes[j]` and an end array of `cells`, and lets
    /// `fill` write them all through their regions. `fill` returns whether it wrote every element;
    /// when it did not, the arrays are dropped and nil returned. (An array's memory is only valid
    /// inside its initializer, so the initializers nest, one level per column.)
    static func make(bytes: [Int], cells: Int, fill: ([Region]) -> Bool) -> [TextColumn]? {
        // Arrays of 4 MiB and more in huge pages, when the system has twice the table's worth free.
        let size = bytes.reduce(0, +) + cells * MemoryLayout<UInt32>.stride * bytes.count
        let huge = size >= 8 * SystemCall.hugePageSize && SystemCall.freeHugePages() * SystemCall.hugePageSize >= 2 * size
        func advise(_ p: UnsafeMutableRawPointer, _ count: Int) {
            if huge && count >= 2 * SystemCall.hugePageSize { SystemCall.adviseHugePages(p, count) }
        }
        var regions: [Region] = []
        regions.reserveCapacity(bytes.count)
        var filled = false
        var made: [TextColumn] = []
        func level(_ j: Int) {
            if j == bytes.count {
                filled = fill(regions)
                return
            }
            var ends: [UInt32] = []
            let column = [UInt8](unsafeUninitializedCapacity: max(1, bytes[j])) { byteBuffer, byteCount in
                ends = [UInt32](unsafeUninitializedCapacity: max(1, cells)) { endBuffer, endCount in
                    advise(UnsafeMutableRawPointer(byteBuffer.baseAddress!), bytes[j])
                    advise(UnsafeMutableRawPointer(endBuffer.baseAddress!), cells * MemoryLayout<UInt32>.stride)
                    regions.append(Region(bytes: byteBuffer.baseAddress!, ends: endBuffer.baseAddress!))
                    level(j + 1)
                    endCount = filled ? cells : 0
                }
                byteCount = filled ? bytes[j] : 0
            }
            made.append(TextColumn(bytes: column, ends: ends))
        }
        level(0)
        return filled ? made.reversed() : nil
    }
}
