/// What the sheet reader noticed on the way, for the load's notes, each in memory bounded however
/// often a hostile sheet repeats it.
struct SheetFindings {
    var formulas = 0
    var uncached = CellList()
    var errors = CellList()
    var merged = CellList()
    var withNul = CellList()
    var hiddenRows: [Int32] = []
    var hiddenColumns = HiddenColumns()
    /// Cells of each style whose number format is too long to apply, by the format's id.
    var unformatted: [Int: (length: Int, cells: CellList)] = [:]
    /// The first row written after a later one (`row 2 after row 3`), and how many such there are.
    var outOfOrder: (row: Int, after: Int)?
    var rowsOutOfOrder = 0
}

/// Cells named in a message: the first few, and how many in all.
struct CellList {
    private(set) var first: [String] = []
    private(set) var count = 0
    static let shown = 8

    mutating func add(_ name: @autoclosure () -> String) {
        if count < Self.shown { first.append(name()) }
        count += 1
    }

    var isEmpty: Bool { count == 0 }

    /// `A2, A3, … (400 in all)`.
    var text: String { first.joined(separator: ", ") + (count > first.count ? ", … (\(count.grouped) in all)" : "") }
}

/// The columns a sheet's `<col hidden="1" min="…" max="…"/>` entries hide, as ranges: an entry adds
/// one at its first column and takes one away after its last, in one slot per column Excel has. Two
/// million entries cost the same 64 KiB as one, and each costs the same whatever its width.
struct HiddenColumns {
    static let excelColumns = 16_384
    private var edges: [Int32] = []

    /// Columns `first…last`, 1-based as the XML writes them (a range past Excel's last column stops there).
    mutating func hide(_ first: Int, through last: Int) {
        guard first >= 1, last >= first, first <= Self.excelColumns else { return }
        if edges.isEmpty { edges = [Int32](repeating: 0, count: Self.excelColumns + 1) }
        edges[first - 1] &+= 1
        edges[min(last, Self.excelColumns)] &-= 1
    }

    /// The hidden columns (0-based) of the first `width`.
    func columns(below width: Int) -> [Int] {
        guard !edges.isEmpty else { return [] }
        var out: [Int] = []
        var depth: Int32 = 0
        for k in 0..<min(width, Self.excelColumns) {
            depth &+= edges[k]
            if depth > 0 { out.append(k) }
        }
        return out
    }
}

/// A cell's text, cleaned of what is not text.
enum SheetText {
    /// Removes NUL bytes from `text[from...]` (`&#0;`, `_x0000_` or a raw NUL in the XML); true when
    /// there were some.
    static func dropNul(_ text: inout [UInt8], from start: Int) -> Bool {
        guard text[start...].contains(0) else { return false }
        var kept = start
        for k in start..<text.count where text[k] != 0 {
            text[kept] = text[k]
            kept += 1
        }
        text.removeLast(text.count - kept)
        return true
    }
}
