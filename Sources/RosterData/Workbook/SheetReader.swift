import RosterDiagnostics

/// Reads one worksheet's XML into a table: cells go straight into one byte buffer as the text Excel
/// shows, then into columns. Header = the first row holding a value.
struct SheetReader {
    let parts: WorkbookReader.Parts
    let path: String
    let sheet: String

    /// One cell with a value: where it is, and its text in `text[start..<end]`.
    struct Cell {
        var row: Int32
        var column: Int32
        var end: UInt32
    }

    func read(_ xml: [UInt8]) throws(Diagnostic) -> CSVReadResult {
        var text: [UInt8] = []
        text.reserveCapacity(xml.count / 3)
        var cells: [Cell] = []
        cells.reserveCapacity(xml.count / 40)
        var formulas = 0
        var uncached: [String] = []
        var errors: [String] = []
        var merged: [String] = []
        var hiddenRows: [Int] = []
        var hiddenColumns: [Int] = []
        let strings = parts.sharedStrings
        let styles = parts.styles
        let date1904 = parts.date1904

        try WorkbookReader.scan(xml, path: path, part: "sheet '\(sheet)'") { x throws(XMLScanner.Failure) in
            var row = 0
            var nextColumn = 0
            while let t = try x.nextTag() {
                let name = t.name
                if x.equals(name, "c") {
                    guard !t.closing else { continue }
                    var column = nextColumn
                    if let r = x.attribute("r", in: t.attributes), let ref = WorkbookReader.cellReference(x, r) { column = ref.column }
                    nextColumn = column + 1
                    if t.selfClosing { continue }
                    let type = x.attribute("t", in: t.attributes)
                    let style = x.int(x.attribute("s", in: t.attributes)) ?? 0
                    // The cell's children: <f>, <v>, <is><t>…</t></is>.
                    var value: Range<Int>?
                    var hasFormula = false
                    var inline: [UInt8]?
                    while let c = try x.nextTag() {
                        if c.closing && x.equals(c.name, "c") { break }
                        if c.closing || c.selfClosing {
                            if x.equals(c.name, "f") { hasFormula = true }
                            continue
                        }
                        if x.equals(c.name, "v") {
                            value = x.text()
                        } else if x.equals(c.name, "f") {
                            hasFormula = true
                        } else if x.equals(c.name, "t") {
                            var run = inline ?? []
                            x.appendUnescaped(x.text(), to: &run, excelEscapes: true)
                            inline = run
                        }
                    }
                    if hasFormula && (value != nil || inline != nil) { formulas += 1 }
                    let start = text.count
                    if let inline {
                        text.append(contentsOf: inline)
                    } else if let v = value {
                        let kind: UInt8 = type.map { $0.isEmpty ? 0x6E : x.b[$0.lowerBound] } ?? 0x6E
                        switch kind {
                        case 0x73 where type!.count == 1:  // s: shared string
                            if let k = x.int(v), k < strings.count {
                                strings.withCell(k) { text.append(contentsOf: $0) }
                            }
                        case 0x62:  // b
                            if !v.isEmpty { text.append(contentsOf: x.b[v.lowerBound] == 0x31 ? Array("TRUE".utf8) : Array("FALSE".utf8)) }
                        case 0x65:  // e
                            x.appendUnescaped(v, to: &text)
                            errors.append(WorkbookReader.columnLetters(column) + String(row))
                        case 0x6E:  // n
                            let format = style < styles.count ? styles[style] : nil
                            Self.appendNumber(x, v, format, date1904, to: &text)
                        default:  // str (a formula's text), d (an ISO date), inlineStr without <is>
                            x.appendUnescaped(v, to: &text)
                        }
                    } else if hasFormula {
                        uncached.append(WorkbookReader.columnLetters(column) + String(row))
                    }
                    if text.count > start {
                        cells.append(Cell(row: Int32(row), column: Int32(column), end: UInt32(text.count)))
                    }
                } else if x.equals(name, "row") {
                    guard !t.closing else { continue }
                    row = x.int(x.attribute("r", in: t.attributes)) ?? row + 1
                    // Excel's sheets end at row 1,048,576; a larger number is a damaged part.
                    guard row <= 1_048_576 else { throw .truncated }
                    nextColumn = 0
                    if let h = x.attribute("hidden", in: t.attributes), !h.isEmpty, x.b[h.lowerBound] == 0x31 || x.b[h.lowerBound] == 0x74 {
                        hiddenRows.append(row)
                    }
                } else if x.equals(name, "col"), !t.closing {
                    if let h = x.attribute("hidden", in: t.attributes), !h.isEmpty, x.b[h.lowerBound] == 0x31 || x.b[h.lowerBound] == 0x74,
                        let lo = x.int(x.attribute("min", in: t.attributes)), let hi = x.int(x.attribute("max", in: t.attributes)), lo >= 1, hi >= lo
                    {
                        hiddenColumns += Array((lo - 1)...min(hi - 1, lo + 64))
                    }
                } else if x.equals(name, "mergeCell"), !t.closing, let r = x.attribute("ref", in: t.attributes) {
                    merged.append(x.string(r))
                }
            }
        }
        guard text.count < Int(UInt32.max) else {
            throw .data("this sheet holds more than 4 GiB of text", DataLocation(path: path))
        }
        return try table(
            text, cells, xmlBytes: xml.count, formulas: formulas, uncached: uncached, errors: errors, merged: merged, hiddenRows: hiddenRows,
            hiddenColumns: hiddenColumns)
    }

    /// A number cell's text: General integers are copied as written; everything else goes through
    /// its number format.
    static func appendNumber(_ x: XMLScanner, _ v: Range<Int>, _ format: NumberFormat?, _ date1904: Bool, to text: inout [UInt8]) {
        if format == nil {
            var plainInteger = v.count <= 16 && !v.isEmpty
            for k in v where !(x.b[k] >= 0x30 && x.b[k] <= 0x39) && !(k == v.lowerBound && x.b[k] == 0x2D) { plainInteger = false }
            if plainInteger, v.count > 1 || x.b[v.lowerBound] != 0x2D {
                text.append(contentsOf: x.b[v])
                return
            }
        }
        guard let d = Double(String(decoding: x.b[v], as: UTF8.self)) else {
            text.append(contentsOf: x.b[v])
            return
        }
        let shown = format?.format(d, date1904: date1904) ?? NumberFormat.generalText(d)
        text.append(contentsOf: Array(shown.utf8))
    }

    func table(
        _ text: [UInt8], _ cells: [Cell], xmlBytes: Int, formulas: Int, uncached: [String], errors: [String], merged: [String], hiddenRows: [Int],
        hiddenColumns: [Int]
    ) throws(Diagnostic) -> CSVReadResult {
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
        // Rows after the header, up to the last row with a value; empty rows in between are kept as
        // blank rows (nothing is dropped that has anything after it).
        let rowCount = Int(lastRow - headerRow)
        var builders = (0..<width).map { _ in TextColumnBuilder(expectedCells: rowCount, expectedBytes: text.count / max(width, 1)) }
        var names = [String](repeating: "", count: width)
        var filled = [Int](repeating: 0, count: width)  // rows appended so far per column
        var start = 0
        text.withUnsafeBufferPointer { all in
            for c in cells {
                let bytes = UnsafeBufferPointer(rebasing: all[start..<Int(c.end)])
                start = Int(c.end)
                let j = Int(c.column)
                if c.row == headerRow {
                    names[j] = String(decoding: bytes, as: UTF8.self)
                    continue
                }
                if c.row < headerRow { continue }
                let r = Int(c.row - headerRow - 1)
                while filled[j] < r {
                    builders[j].endCell()
                    filled[j] += 1
                }
                if filled[j] == r {
                    builders[j].append(bytes)
                    filled[j] += 1
                }
            }
        }
        var notes: [Diagnostic] = []
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
        let at = DataLocation(path: path)
        if !unnamed.isEmpty {
            notes.append(.note("header cells with no name, named after their column: " + unnamed.joined(separator: ", "), data: at))
        }
        if formulas > 0 { notes.append(.note("\(plural(formulas, "formula")) read as the value Excel last calculated", data: at)) }
        if !uncached.isEmpty {
            notes.append(
                Diagnostic(
                    .warning("\(plural(uncached.count, "formula")) with no value Excel calculated, read as blank: " + cellList(uncached)), severity: .warning,
                    data: at, hints: ["open the workbook in Excel and save it again, so each formula's value is stored"]))
        }
        if !errors.isEmpty {
            notes.append(Diagnostic(.warning("error values kept as written: " + cellList(errors)), severity: .warning, data: at))
        }
        if !merged.isEmpty {
            notes.append(
                Diagnostic(
                    .warning("merged cells: the value is in the first cell of each, the others are blank: " + cellList(merged)), severity: .warning, data: at))
        }
        let shownRows = hiddenRows.filter { $0 >= Int(headerRow) }
        if !shownRows.isEmpty { notes.append(.note("hidden rows were read too: " + cellList(shownRows.map(String.init)), data: at)) }
        let shownColumns = hiddenColumns.filter { $0 < width }
        if !shownColumns.isEmpty {
            notes.append(.note("hidden columns were read too: " + cellList(shownColumns.map { WorkbookReader.columnLetters($0) }), data: at))
        }
        return CSVReadResult(table: table, notes: notes)
    }

    func cellList(_ items: [String]) -> String {
        items.prefix(8).joined(separator: ", ") + (items.count > 8 ? ", … (\(items.count) in all)" : "")
    }
}
