import RosterDiagnostics

/// A sheet's cells, in row order, made into a table: the header is the first row holding a value,
/// the rows after it up to the last with a value (empty rows in between are kept blank), each column
/// written once at its final size. The notes say what a person might not expect.
struct SheetTable {
    let reader: SheetReader
    /// The cells' own text, and the shared strings cells refer to.
    let text: [UInt8]
    let strings: TextColumn

    var path: String { reader.path }
    var sheet: String { reader.sheet }

    func table(_ cells: [SheetReader.Cell], xmlBytes: Int, found: SheetFindings) throws(Diagnostic) -> CSVReadResult {
        guard let headerRow = cells.first?.row else {
            throw .data("the sheet '\(sheet)' is empty: no header row", DataLocation(path: path))
        }
        var width = 0
        var lastRow = headerRow
        for c in cells {
            width = max(width, Int(c.column) + 1)
            lastRow = max(lastRow, c.row)
        }
        guard width <= 16_384 else { throw .data("the sheet has more than 16,384 columns", DataLocation(path: path)) }
        // A few values at far corners would make a vast, empty table: the grid may hold at most as
        // many cells as the sheet's XML has bytes (each cell takes more than that).
        guard width * Int(lastRow - headerRow + 1) <= max(1 << 20, xmlBytes) else {
            throw .data(
                "the sheet's values span \(WorkbookReader.columnLetters(width - 1))\(lastRow) but hold only \(plural(cells.count, "cell")): refused as a table",
                DataLocation(path: path),
                hints: ["delete the stray cells far from the data in Excel, or copy the data to a new sheet"])
        }
        // Each column's bytes, summed first, so its buffer is made once at its size.
        var columnBytes = [Int](repeating: 0, count: width)
        for c in cells where c.row > headerRow { columnBytes[Int(c.column)] += length(c) }
        let rowCount = Int(lastRow - headerRow)
        var builders = (0..<width).map { TextColumnBuilder(expectedCells: rowCount, expectedBytes: columnBytes[$0]) }
        var names = [String](repeating: "", count: width)
        var filled = [Int](repeating: 0, count: width)  // rows appended so far per column
        text.withUnsafeBufferPointer { own in
            strings.bytes.withUnsafeBufferPointer { shared in
                for c in cells {
                    let bytes =
                        c.shared >= 0
                        ? UnsafeBufferPointer(rebasing: shared[strings.start(Int(c.shared))..<strings.end(Int(c.shared))])
                        : UnsafeBufferPointer(rebasing: own[Int(c.start)..<Int(c.end)])
                    let j = Int(c.column)
                    if c.row == headerRow {
                        names[j] = String(decoding: bytes, as: UTF8.self)
                        continue
                    }
                    // Cells are in row order and no cell is written twice (`SheetReader`), so each
                    // lands in its own row.
                    let r = Int(c.row - headerRow - 1)
                    while filled[j] < r {
                        builders[j].endCell()
                        filled[j] += 1
                    }
                    builders[j].append(bytes)
                    filled[j] += 1
                }
            }
        }
        var unnamed: [String] = []
        var columns: [Column] = []
        for j in 0..<width {
            while filled[j] < rowCount {
                builders[j].endCell()
                filled[j] += 1
            }
            var name = names[j]
            if name.isEmpty {
                name = "column " + WorkbookReader.columnLetters(j)
                unnamed.append(name)
            }
            columns.append(Column(name: name, cells: builders[j].finish()))
        }
        var table = Table(columns: columns, rowCount: rowCount)
        table.lines = (0..<rowCount).map { Int32(Int(headerRow) + 1 + $0) }
        table.origin = TableOrigin(path: path, dialect: CSVDialect(workbook: true))
        return CSVReadResult(table: table, notes: notes(found, unnamed: unnamed, headerRow: Int(headerRow), width: width))
    }

    func length(_ c: SheetReader.Cell) -> Int { c.shared >= 0 ? strings.length(Int(c.shared)) : Int(c.end - c.start) }

    func notes(_ found: SheetFindings, unnamed: [String], headerRow: Int, width: Int) -> [Diagnostic] {
        let at = DataLocation(path: path)
        var notes: [Diagnostic] = []
        if let first = found.outOfOrder {
            let more = found.rowsOutOfOrder > 1 ? ", and \(plural(found.rowsOutOfOrder - 1, "other")) out of order" : ""
            notes.append(
                .note("rows written out of order in sheet '\(sheet)' (row \(first.row) after row \(first.after)\(more)), read in their order", data: at))
        }
        if !unnamed.isEmpty {
            notes.append(.note("header cells with no name, named after their column: " + unnamed.joined(separator: ", "), data: at))
        }
        if found.formulas > 0 { notes.append(.note("\(plural(found.formulas, "formula")) read as the value Excel last calculated", data: at)) }
        if !found.uncached.isEmpty {
            notes.append(
                .warning(
                    "\(plural(found.uncached.count, "formula")) with no value Excel calculated, read as blank: " + found.uncached.text, data: at,
                    hints: ["open the workbook in Excel and save it again, so each formula's value is stored"]))
        }
        if !found.errors.isEmpty { notes.append(.warning("error values kept as written: " + found.errors.text, data: at)) }
        if !found.merged.isEmpty {
            notes.append(.warning("merged cells: the value is in the first cell of each, the others are blank: " + found.merged.text, data: at))
        }
        for (id, format) in found.unformatted.sorted(by: { $0.key < $1.key }) {
            notes.append(
                .warning(
                    "number format \(id) is \(format.length.grouped) bytes long, more than \(reader.maxFormatLength.grouped) (Excel writes at most 255 characters): not applied; its cells read as General: "
                        + format.cells.text, data: at))
        }
        if !found.withNul.isEmpty {
            notes.append(.warning("NUL characters dropped (they are not text) from cells " + found.withNul.text, data: at))
        }
        var rows = found.hiddenRows.filter { Int($0) >= headerRow }
        rows.sort()
        var shownRows = CellList()
        for (k, r) in rows.enumerated() where k == 0 || rows[k - 1] != r { shownRows.add(String(r)) }
        if !shownRows.isEmpty { notes.append(.note("hidden rows were read too: " + shownRows.text, data: at)) }
        var shownColumns = CellList()
        for c in found.hiddenColumns.columns(below: width) { shownColumns.add(WorkbookReader.columnLetters(c)) }
        if !shownColumns.isEmpty { notes.append(.note("hidden columns were read too: " + shownColumns.text, data: at)) }
        return notes
    }
}
