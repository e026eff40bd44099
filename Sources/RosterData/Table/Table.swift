import RosterDiagnostics

/// A named column of a table.
public struct Column: Sendable {
    public var name: String
    public var cells: TextColumn
    /// The source file quoted this header cell though minimal quoting would not (kept for lossless saves).
    public var nameQuoteFlip: Bool = false

    public init(name: String, cells: TextColumn, nameQuoteFlip: Bool = false) {
        self.name = name
        self.cells = cells
        self.nameQuoteFlip = nameQuoteFlip
    }
}

/// Where a table's rows came from, so messages can name the data file and line, and a plain save can
/// keep the file's encoding, BOM and line endings.
public struct TableOrigin: Sendable, Equatable {
    public var path: String
    public var dialect: CSVDialect
}

/// A table value: named text columns of equal length. Verbs never change a table; they return a new
/// one (columns are copy-on-write, so an unchanged column costs nothing to share).
public struct Table: Sendable {
    public var columns: [Column]
    public var rowCount: Int
    /// The line in the source file where each row starts (1-based), when the rows came from a file.
    public var lines: [Int32]?
    public var origin: TableOrigin?
    /// The portal format the table is known to be in (`csv` when none).
    public var formatName: String = "csv"
    /// Columns that hold secret values though their names do not say so: secrecy follows the values
    /// (`set initial = user_password`, `rename user_password as initial`).
    public var secretColumns: Set<String> = []

    /// Whether a column's values are secret: by its name (`Secrets`), or because they came from one.
    public func isSecret(column name: String) -> Bool { Secrets.isSecret(name) || secretColumns.contains(name) }

    /// The columns whose values are secret, as they stand (to compare with what a step makes of them).
    public var secretCells: [TextColumn] { columns.filter { isSecret(column: $0.name) && !$0.cells.bytes.isEmpty }.map(\.cells) }

    /// Marks every column holding exactly the values of one of `cells` (a secret column renamed,
    /// copied or reordered by a step) as secret.
    public mutating func markSecret(holding cells: [TextColumn]) {
        // A secret column with nothing in it carries no secret (every blank column would match it).
        let cells = cells.filter { !$0.bytes.isEmpty }
        guard !cells.isEmpty else { return }
        for c in columns where !isSecret(column: c.name) {
            if cells.contains(where: { $0.ends == c.cells.ends && $0.bytes == c.cells.bytes }) { secretColumns.insert(c.name) }
        }
    }

    public init(columns: [Column], rowCount: Int, lines: [Int32]? = nil, origin: TableOrigin? = nil) {
        self.columns = columns
        self.rowCount = rowCount
        self.lines = lines
        self.origin = origin
    }

    /// A table from plain strings (tests, small tables built by verbs).
    public init(names: [String], rows: [[String]]) {
        var cols: [Column] = []
        for (j, n) in names.enumerated() {
            cols.append(Column(name: n, cells: TextColumn(rows.map { j < $0.count ? $0[j] : "" })))
        }
        self.init(columns: cols, rowCount: rows.count)
    }

    public var names: [String] { columns.map(\.name) }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public func column(_ name: String) -> TextColumn? { index(of: name).map { columns[$0].cells } }

    /// Every row as strings (tests and small previews only).
    public var rows: [[String]] {
        (0..<rowCount).map { r in columns.map { $0.cells[r] } }
    }

    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Table {
        var t = self
        t.columns = Parallel.map(columns, work: indices.count) { Column(name: $0.name, cells: $0.cells.gather(indices), nameQuoteFlip: $0.nameQuoteFlip) }
        t.rowCount = indices.count
        t.lines = lines.map { l in indices.map { l[$0] } }
        return t
    }

    /// Keeps the rows where `mask` holds, in place. A column no other table shares is compacted
    /// within its own arrays; a shared one is gathered anew and replaces this table's copy as soon as
    /// it is made (two at a time, on two threads), so a table needs a column or two of extra memory
    /// at most rather than a second table.
    public mutating func keepRows(_ mask: [Bool]) {
        let rows = mask.indices.filter { mask[$0] }
        if rows.count == rowCount { return }
        var j = 0
        while j < columns.count {
            let batch = Array(j..<min(j + 2, columns.count))
            let slots = ColumnSlot.takeOut(batch, from: &self)
            _ = Parallel.map(slots, work: rows.count) { slot in
                slot.cells.keep(rows: rows)
                return true
            }
            ColumnSlot.putBack(slots, batch, into: &self)
            j += batch.count
        }
        rowCount = rows.count
        lines = lines.map { l in rows.map { l[$0] } }
    }

    /// Sets (or adds at the end) a column.
    public mutating func setColumn(_ name: String, _ cells: TextColumn) {
        if let i = index(of: name) {
            columns[i].cells = cells
        } else {
            columns.append(Column(name: name, cells: cells))
        }
    }

    /// The source line of row `r` (1-based) when known, else the row as a spreadsheet shows it (header = 1).
    public func displayLine(ofRow r: Int) -> Int {
        if let l = lines, r < l.count { return Int(l[r]) }
        return r + 2
    }
}
