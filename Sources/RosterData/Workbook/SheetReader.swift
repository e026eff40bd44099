import RosterDiagnostics

/// Reads one worksheet's XML into cells: a cell's own text goes straight into one byte buffer as the
/// text Excel shows; a shared string stays a reference until its column is built. Every cell's bytes
/// are counted against `maxTextBytes` as it is read, so a string repeated in thousands of cells stops
/// the load at the cell that passes the limit, not after gigabytes. `SheetTable` makes the table.
struct SheetReader {
    let parts: WorkbookReader.Parts
    let path: String
    let sheet: String
    /// The most bytes of text the sheet's cells may hold in all (at most 4 GiB, what a column holds).
    var maxTextBytes = 1 << 30
    /// The longest number format code applied (`CellStyle`), for the note about longer ones.
    var maxFormatLength = 1_024

    /// One cell with a value: where it is, and its text — shared string `shared`, or when that is
    /// negative the bytes `text[start..<end]`.
    struct Cell {
        var row: Int32
        var column: Int32
        var shared: Int32
        var start: UInt32
        var end: UInt32
    }

    func read(_ xml: [UInt8]) throws(Diagnostic) -> CSVReadResult {
        var text: [UInt8] = []
        text.reserveCapacity(xml.count / 3)
        var cells: [Cell] = []
        cells.reserveCapacity(xml.count / 40)
        var found = SheetFindings()
        var problem: Diagnostic?
        var unsorted = false
        let strings = parts.sharedStrings
        let styles = parts.styles
        let date1904 = parts.date1904
        // The styles whose format has a text section: only their text cells are looked at again.
        let textStyles = styles.map { if case .format(let f) = $0 { f.textSection != nil } else { false } }
        let limit = min(maxTextBytes, TextColumn.maxBytes - 1)
        var total = 0

        try WorkbookReader.scan(xml, path: path, part: "sheet '\(sheet)'") { x throws(XMLScanner.Failure) in
            var row = 0
            var nextColumn = 0
            var last: (row: Int, column: Int) = (-1, -1)
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
                        if x.equals(c.name, "is") {
                            inline = inline ?? []  // an inline string, even an empty one, is the cell's text: never its <v>
                        } else if x.equals(c.name, "v") {
                            value = x.valueText()
                        } else if x.equals(c.name, "f") {
                            hasFormula = true
                        } else if x.equals(c.name, "t") {
                            var run = inline ?? []
                            try x.appendText(to: &run, excelEscapes: true)
                            inline = run
                        }
                    }
                    if hasFormula && (value != nil || inline != nil) { found.formulas += 1 }
                    let start = text.count
                    var shared = -1
                    if let inline {
                        text.append(contentsOf: inline)
                    } else if let v = value {
                        let kind: UInt8 = type.map { $0.isEmpty ? 0x6E : x.b[$0.lowerBound] } ?? 0x6E
                        switch kind {
                        case 0x73 where type!.count == 1:  // s: shared string
                            guard let k = x.int(v), k < strings.count else {
                                problem = missingSharedString(x.string(v), at: WorkbookReader.cellName(column, row))
                                return
                            }
                            shared = k
                        case 0x62:  // b
                            if !v.isEmpty { text.append(contentsOf: x.b[v.lowerBound] == 0x31 ? Array("TRUE".utf8) : Array("FALSE".utf8)) }
                        case 0x65:  // e
                            x.appendUnescaped(v, to: &text)
                            found.errors.add(WorkbookReader.cellName(column, row))
                        case 0x6E:  // n
                            var format: NumberFormat?
                            if style < styles.count {
                                switch styles[style] {
                                case .general: break
                                case .format(let f): format = f
                                case .tooLong(let id, let length):
                                    found.unformatted[id, default: (length, CellList())].cells.add(WorkbookReader.cellName(column, row))
                                }
                            }
                            Self.appendNumber(x, v, format, date1904, to: &text)
                        case 0x64 where type!.count == 1:  // d: an ISO 8601 date, shown through the cell's format
                            let iso = x.string(v)
                            var format: NumberFormat?
                            if style < styles.count, case .format(let f) = styles[style] { format = f }
                            if let serial = DateParts.serial(iso: iso, date1904: date1904) {
                                text.append(
                                    contentsOf: (format ?? (serial == serial.rounded(.down) ? NumberFormat.isoDate : NumberFormat.isoDateTime)).format(
                                        serial, date1904: date1904
                                    ).utf8)
                            } else {
                                text.append(contentsOf: iso.utf8)
                            }
                        default:  // str (a formula's text), inlineStr without <is>
                            x.appendUnescaped(v, to: &text)
                        }
                    } else if hasFormula {
                        found.uncached.add(WorkbookReader.cellName(column, row))
                    }
                    // A text cell goes through its format's text section (`"ID "@`, `_(@_)`).
                    if style < textStyles.count, textStyles[style], case .format(let f) = styles[style],
                        inline != nil || shared >= 0 || type.map({ x.equals($0, "str") }) == true
                    {
                        let own = shared >= 0 ? strings.text[shared] : String(decoding: text[start...], as: UTF8.self)
                        if let shown = f.formatText(own) {
                            text.removeSubrange(start...)
                            text.append(contentsOf: shown.utf8)
                            shared = -1
                        }
                    }
                    let bytes: Int
                    if shared >= 0 {
                        bytes = strings.text.length(shared)
                        if strings.withNul.contains(shared) { found.withNul.add(WorkbookReader.cellName(column, row)) }
                    } else {
                        if text.count > start, SheetText.dropNul(&text, from: start) { found.withNul.add(WorkbookReader.cellName(column, row)) }
                        bytes = text.count - start
                    }
                    guard bytes > 0 else { continue }
                    total += bytes
                    if total > limit {
                        problem = tooMuchText(at: WorkbookReader.cellName(column, row), total: total, limit: limit, shared: shared, cells: cells)
                        return
                    }
                    if row < last.row {
                        found.rowsOutOfOrder += 1
                        if found.outOfOrder == nil { found.outOfOrder = (row, last.row) }
                    }
                    if (row, column) <= last { unsorted = true }
                    last = (row, column)
                    cells.append(Cell(row: Int32(row), column: Int32(column), shared: Int32(shared), start: UInt32(start), end: UInt32(text.count)))
                } else if x.equals(name, "row") {
                    guard !t.closing else { continue }
                    row = x.int(x.attribute("r", in: t.attributes)) ?? row + 1
                    // Excel's sheets end at row 1,048,576; a larger number is a damaged part.
                    guard row <= 1_048_576 else { throw .truncated }
                    nextColumn = 0
                    if Self.isTrue(x, x.attribute("hidden", in: t.attributes)) { found.hiddenRows.append(Int32(row)) }
                } else if x.equals(name, "col"), !t.closing {
                    if Self.isTrue(x, x.attribute("hidden", in: t.attributes)), let lo = x.int(x.attribute("min", in: t.attributes)),
                        let hi = x.int(x.attribute("max", in: t.attributes))
                    {
                        found.hiddenColumns.hide(lo, through: hi)
                    }
                } else if x.equals(name, "mergeCell"), !t.closing, let r = x.attribute("ref", in: t.attributes) {
                    found.merged.add(x.string(r))
                }
            }
        }
        if let problem { throw problem }
        if unsorted {
            // Rows (or a row's cells) written out of order are read in the order their `r` gives;
            // the same cell written twice would keep one value in silence, so it is refused.
            cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            for k in cells.indices.dropFirst() where cells[k].row == cells[k - 1].row && cells[k].column == cells[k - 1].column {
                throw .data(
                    "the sheet '\(sheet)' writes cell \(WorkbookReader.cellName(Int(cells[k].column), Int(cells[k].row))) twice, so it is not known which value it holds",
                    DataLocation(path: path), hints: ["a program other than Excel wrote this workbook; open it in Excel and save it again"])
            }
        }
        return try SheetTable(reader: self, text: text, strings: strings.text).table(cells, xmlBytes: xml.count, found: found)
    }

    /// The refusal when a cell shows a shared string the workbook does not have: its text is not in
    /// the file, and reading it as blank would lose it without a word.
    func missingSharedString(_ index: String, at cell: String) -> Diagnostic {
        let have =
            switch (parts.names.sharedStrings, parts.sharedStringsFound) {
            case (nil, _): "the workbook has no shared strings part"
            case (let part?, false): "the workbook's shared strings part (\(part)) is missing"
            case (let part?, true): "the workbook's shared strings (\(part)) hold \(plural(parts.sharedStrings.count, "string"))"
            }
        return .data(
            "this workbook is damaged: cell \(cell) of sheet '\(sheet)' shows shared string \(index.isEmpty ? "(none given)" : index), but \(have)",
            DataLocation(path: path), hints: ["open it in Excel or LibreOffice and save it again; if the cell is blank there too, the file lost its text"])
    }

    /// The refusal when the cell at `cell` takes the sheet's text past the limit.
    func tooMuchText(at cell: String, total: Int, limit: Int, shared: Int, cells: [Cell]) -> Diagnostic {
        let size =
            limit % (1 << 30) == 0 ? "\((limit >> 30).grouped) GiB" : limit % (1 << 20) == 0 ? "\((limit >> 20).grouped) MiB" : "\(limit.grouped) bytes"
        var message = "refused: the sheet '\(sheet)' holds more than \(size) of text: cell \(cell) takes it to \(total.grouped) bytes"
        if shared >= 0 {
            let uses = cells.reduce(1) { $0 + ($1.shared == shared ? 1 : 0) }
            message +=
                "; it shows shared string \(shared) (\(parts.sharedStrings.text.length(shared).grouped) bytes), as \(plural(uses - 1, "cell")) before it do"
        }
        return .data(
            message, DataLocation(path: path),
            hints: ["roster reads at most \(size) of text a sheet, as from a CSV file; a shared string counts for every cell that shows it"])
    }

    /// `hidden="1"` or `hidden="true"`.
    static func isTrue(_ x: XMLScanner, _ r: Range<Int>?) -> Bool {
        guard let r, !r.isEmpty else { return false }
        return x.b[r.lowerBound] == 0x31 || x.b[r.lowerBound] == 0x74
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
        text.append(contentsOf: shown.utf8)
    }
}
