import RosterDiagnostics

/// Cells gathered by a reader of files that are tables but not `.xlsx` workbooks (an HTML table, an
/// Excel 2003 XML sheet), made into a table the way a worksheet is (`SheetTable`): the same header
/// rule, blank rows kept, the same notes.
struct SheetGrid {
    let path: String
    let sheet: String
    var text: [UInt8] = []
    var cells: [SheetReader.Cell] = []
    var found = SheetFindings()
    /// The most bytes of text the cells may hold, as a worksheet's.
    var maxTextBytes = 1 << 30

    init(path: String, sheet: String) {
        self.path = path
        self.sheet = sheet
    }

    /// Adds a cell's text at (row, column), both 1-based rows and 0-based columns as in a sheet; an
    /// empty cell is left out.
    mutating func add(row: Int, column: Int, _ bytes: [UInt8]) throws(Diagnostic) {
        guard !bytes.isEmpty else { return }
        guard text.count + bytes.count <= min(maxTextBytes, TextColumn.maxBytes - 1) else {
            throw .data("refused: \(sheet) holds more than \(maxTextBytes >> 20) MiB of text", DataLocation(path: path))
        }
        guard column >= 0, row >= 1 else {
            throw .data("\(sheet) names a row or column before the first (an index below 1)", DataLocation(path: path))
        }
        guard column < 16_384, row <= 1_048_576 else {
            throw .data("\(sheet) is larger than an Excel sheet (1,048,576 rows, 16,384 columns)", DataLocation(path: path))
        }
        let start = text.count
        text.append(contentsOf: bytes)
        cells.append(SheetReader.Cell(row: Int32(row), column: Int32(column), shared: -1, start: UInt32(start), end: UInt32(text.count)))
    }

    /// The table, with the notes every sheet gets plus `notes`.
    func table(bytes: Int, notes: [Diagnostic]) throws(Diagnostic) -> CSVReadResult {
        var cells = cells
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        // Indexes that go back (Excel 2003's ss:Index) can name one cell twice: which value it
        // holds is not known, so the file is refused, as a worksheet writing a cell twice is.
        for k in cells.indices.dropFirst() where cells[k].row == cells[k - 1].row && cells[k].column == cells[k - 1].column {
            throw .data(
                "\(sheet) writes cell \(WorkbookReader.cellName(Int(cells[k].column), Int(cells[k].row))) twice, so it is not known which value it holds",
                DataLocation(path: path), hints: ["open it in Excel and save it as .xlsx or CSV UTF-8"])
        }
        var result = try SheetTable(reader: SheetReader(parts: WorkbookReader.Parts(), path: path, sheet: sheet), text: text, strings: TextColumn())
            .table(cells, xmlBytes: bytes, found: found)
        result.notes.insert(contentsOf: notes, at: 0)
        return result
    }
}
