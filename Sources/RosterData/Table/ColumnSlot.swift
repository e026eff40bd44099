/// A column taken out of its table so a worker thread can change it in place: while the slot holds
/// the only copy, the worker's changes copy nothing. Swap it out, work, swap it back.
public final class ColumnSlot: @unchecked Sendable {
    public var cells = TextColumn()

    public init() {}

    /// Slots holding the columns at `indices`, each left empty in `table` until `putBack`.
    public static func takeOut(_ indices: [Int], from table: inout Table) -> [ColumnSlot] {
        indices.map { at in
            let slot = ColumnSlot()
            swap(&slot.cells, &table.columns[at].cells)
            return slot
        }
    }

    /// Returns the slots' columns to their places in `table`.
    public static func putBack(_ slots: [ColumnSlot], _ indices: [Int], into table: inout Table) {
        for (slot, at) in zip(slots, indices) { swap(&slot.cells, &table.columns[at].cells) }
    }
}
