import RosterDiagnostics

/// Reads an Excel 2003 XML spreadsheet (SpreadsheetML: `<Workbook>`, `<Worksheet ss:Name>`,
/// `<Row>`, `<Cell>`, `<Data ss:Type>`), which older "Export to Excel" buttons save under an `.xls`
/// or `.xml` name. A sheet is chosen as in a workbook (`sheet=`, else the first); `ss:Index` skips
/// rows and cells; merged cells (`ss:MergeAcross`, `ss:MergeDown`) keep their value in the first cell
/// and are named; numbers and dates go through the cell's style's number format where it is a code
/// roster reads, else are shown as stored.
enum SpreadsheetMLReader {
    /// Whether the file's first bytes are an XML document naming Excel's 2003 spreadsheet schema.
    static func looksLikeSpreadsheetML(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = HTMLTableReader.firstTag(head)
        guard head[start...].starts(with: Array("<?xml".utf8)) || head[start...].starts(with: Array("<Workbook".utf8)) else { return false }
        let text = String(decoding: head.prefix(4_096), as: UTF8.self)
        return text.contains("urn:schemas-microsoft-com:office:spreadsheet") || text.contains("progid=\"Excel.Sheet\"")
    }

    /// Excel 2003's named number formats, as codes.
    static let namedFormats = [
        "General": "General", "General Number": "General", "Fixed": "0.00", "Standard": "#,##0.00", "Percent": "0.00%",
        "Scientific": "0.00E+00", "Short Date": "m/d/yyyy", "Medium Date": "d-mmm-yy", "Long Date": "dddd, mmmm d, yyyy",
        "Short Time": "h:mm", "Medium Time": "h:mm AM/PM", "Long Time": "h:mm:ss", "General Date": "m/d/yyyy h:mm", "@": "@",
    ]

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, path: String, sheet wanted: String?) throws(Diagnostic) -> CSVReadResult {
        let at = DataLocation(path: path)
        var names: [String] = []
        var formats: [String: NumberFormat] = [:]
        var grid: SheetGrid?
        var styleID = ""
        var problem: Diagnostic?
        do throws(XMLScanner.Failure) {
            var x = XMLScanner(bytes)
            var row = 0, column = 0
            var inChosen = false
            var cellStyle = ""
            /// The columns the open cell merges across, beyond its own.
            var span = 0
            tags: while let t = try x.nextTag() {
                switch (x.string(t.name), t.closing) {
                case ("Style", false):
                    styleID = x.attribute("ID", in: t.attributes).map { x.string($0) } ?? ""
                case ("NumberFormat", false):
                    let code = x.attribute("Format", in: t.attributes).map { x.string($0) } ?? "General"
                    formats[styleID] = NumberFormat(namedFormats[code] ?? code)
                case ("Worksheet", false):
                    let name = x.attribute("Name", in: t.attributes).map { x.string($0) } ?? "Sheet\(names.count + 1)"
                    names.append(name)
                    inChosen = grid == nil && (wanted.map { $0.lowercased() == name.lowercased() } ?? true)
                    if inChosen { grid = SheetGrid(path: path, sheet: "sheet '\(name)'") }
                    row = 0
                case ("Worksheet", true):
                    inChosen = false
                case ("Row", false) where inChosen:
                    row = x.int(x.attribute("Index", in: t.attributes)) ?? row + 1
                    column = 0
                case ("Cell", false) where inChosen:
                    if row == 0 { row = 1 }
                    if let index = x.int(x.attribute("Index", in: t.attributes)) { column = index - 1 }
                    cellStyle = x.attribute("StyleID", in: t.attributes).map { x.string($0) } ?? ""
                    let across = x.int(x.attribute("MergeAcross", in: t.attributes)) ?? 0
                    let down = x.int(x.attribute("MergeDown", in: t.attributes)) ?? 0
                    if across > 0 || down > 0 {
                        grid!.found.merged.add(
                            WorkbookReader.cellName(column, row) + ":" + WorkbookReader.cellName(min(column + across, 16_383), min(row + down, 1_048_576)))
                    }
                    if t.selfClosing { column += 1 + across } else { span = across }
                case ("Cell", true) where inChosen:
                    column += 1 + span
                    span = 0
                case ("Data", false) where inChosen && !t.selfClosing:
                    let type = x.attribute("Type", in: t.attributes).map { x.string($0) } ?? "String"
                    var text: [UInt8] = []
                    // The value's text, rich-text tags (<B>, <Font>) left out, until </Data>.
                    while true {
                        try x.appendText(to: &text)
                        guard let inner = try x.nextTag() else { break }
                        if inner.closing && x.equals(inner.name, "Data") { break }
                        if x.equals(inner.name, "Br") { text.append(0x0A) }
                    }
                    do {
                        try grid!.add(row: row, column: column, shown(text, type: type, format: formats[cellStyle]))
                    } catch {
                        problem = error
                        break tags
                    }
                default:
                    break
                }
            }
        } catch .doctype {
            throw .data("refused: the Excel 2003 XML file declares a document type (DTD), which such files never need", at)
        } catch {
            throw .data("this Excel 2003 XML file is damaged or cut short", at)
        }
        if let problem { throw problem }
        guard let grid else {
            if let wanted {
                throw .data(
                    "this Excel 2003 XML file has no sheet named '\(wanted)'", at,
                    hints: Suggest.hint(wanted, in: names) + ["its sheets: " + names.map { "'\($0)'" }.joined(separator: ", ")])
            }
            throw .data("this Excel 2003 XML file has no sheets", at)
        }
        var which = "this file is an Excel 2003 XML spreadsheet (SpreadsheetML): read \(grid.sheet)"
        let others = names.filter { "sheet '\($0)'" != grid.sheet }
        if !others.isEmpty { which += "; it also has " + others.map { "'\($0)'" }.joined(separator: ", ") + " (load … sheet=\"NAME\" reads another)" }
        return try grid.table(bytes: bytes.count, notes: [.note(which, data: at)])
    }

    /// A value as Excel shows it: text as it is, a number or a date through its format.
    static func shown(_ text: [UInt8], type: String, format: NumberFormat?) -> [UInt8] {
        let value = String(decoding: text, as: UTF8.self)
        switch type {
        case "Number":
            guard let format, let d = Double(value) else { return text }
            return Array(format.format(d, date1904: false).utf8)
        case "DateTime":
            guard let serial = DateParts.serial(iso: value, date1904: false) else { return text }
            let f = format ?? (serial == serial.rounded(.down) ? NumberFormat.isoDate : NumberFormat.isoDateTime)
            return Array(f.format(serial, date1904: false).utf8)
        case "Boolean":
            return value == "1" ? Array("TRUE".utf8) : value == "0" ? Array("FALSE".utf8) : text
        default:
            return text
        }
    }
}
