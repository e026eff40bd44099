/// Whole-column questions about the shape of the cells, answered from the bytes in one pass: they let
/// a verb hand a column on as it is (shared, not copied) when a cell-by-cell pass could not change it.
extension TextColumn {
    /// The bytes of every cell, one after another.
    private func withCellBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let used = ends.last.map(Int.init) ?? 0
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<used])) }
    }

    /// Whether no cell begins or ends with a space or a tab (an empty cell has no ends): trimming
    /// spaces and tabs from every cell would leave the column as it is.
    public var hasNoSpacesAtEnds: Bool {
        bytes.withUnsafeBufferPointer { b in
            ends.withUnsafeBufferPointer { e in
                var s = 0
                for k in 0..<e.count {
                    let end = Int(e[k])
                    if end > s {
                        let first = b[s], last = b[end - 1]
                        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
                    }
                    s = end
                }
                return true
            }
        }
    }

    /// Whether `byte` occurs in no cell.
    public func lacks(_ byte: UInt8) -> Bool {
        withCellBytes { b in !b.contains(byte) }
    }

    /// Whether every cell is ASCII without capital letters (lowercasing it changes nothing).
    public var isLowercaseASCII: Bool {
        withCellBytes { b in
            var bad: UInt8 = 0
            for c in b { bad |= (c & 0x80) | (c &- 0x41 < 26 ? 1 : 0) }
            return bad == 0
        }
    }

    /// The same cells without the source file's quoting marks, as cells a verb made carry none.
    public var withoutQuoteMarks: TextColumn { TextColumn(bytes: bytes, ends: ends) }

    /// Whether some cell is empty.
    public var hasEmptyCell: Bool {
        ends.withUnsafeBufferPointer { e in
            var s: UInt32 = 0
            for end in e {
                if end == s { return true }
                s = end
            }
            return false
        }
    }
}
