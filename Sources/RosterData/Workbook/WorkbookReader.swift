import RosterDiagnostics

/// What `load "staff.xlsx" [sheet="HR"]` is told to do.
public struct WorkbookReadOptions: Sendable {
    /// The sheet to read, by name (ignoring case); nil reads the first visible sheet.
    public var sheet: String?
    /// The most bytes the workbook's parts may inflate to.
    public var maxBytes = 1 << 30
    /// The most bytes of text the sheet's cells may hold in all, as much as roster reads from a CSV
    /// file. Counted cell by cell as the sheet is read, a shared string once for every cell that
    /// shows it: POI's `poc-shared-strings.xlsx` packs a 1 MiB string shown by thousands of cells
    /// (gigabytes) into a 110 kB file. At most 4 GiB, what a column holds.
    public var maxTextBytes = 1 << 30
    /// The longest number format code (in bytes, as the file writes it) that is applied. Excel writes
    /// at most 255 characters; a longer code is not applied, its cells read as General, and the load
    /// says so, so no format can make each of its cells megabytes long.
    public var maxFormatLength = 1_024
    public init(sheet: String? = nil) { self.sheet = sheet }
}

/// Reads a sheet of an Excel workbook (.xlsx, .xlsm) into a table whose every cell is the text a
/// person sees in Excel: shared and inline strings (rich text runs joined), numbers through their
/// number format, dates in their format and the workbook's date system, TRUE/FALSE, error values as
/// written, a formula's cached value. The header is the first row with a value; trailing empty rows
/// and columns are dropped, as for CSV. What a person might not expect (a formula without a cached
/// value, error values, merged cells, hidden rows and columns, the other sheets) is said in notes.
public enum WorkbookReader {
    /// A sheet of the workbook: its name, its part in the zip, whether Excel hides it.
    public struct SheetInfo: Sendable, Equatable {
        public var name: String
        public var part: String
        public var hidden: Bool
    }

    /// The parts a sheet needs, read once.
    struct Parts {
        var sheets: [SheetInfo] = []
        var date1904 = false
        var sharedStrings = SharedStrings()
        /// What each cell style (`s` attribute) does to a number.
        var styles: [CellStyle] = []
        /// Where the workbook's parts are.
        var names = WorkbookParts(workbook: "xl/workbook.xml")
        /// Whether the shared strings part the workbook names is in the zip.
        var sharedStringsFound = false
    }

    /// The sheets of a workbook, in the workbook's order (for `sheet=` completion and messages).
    public static func sheets(bytes: [UInt8], path: String) throws(Diagnostic) -> [SheetInfo] {
        var zip = try ZipContainer(bytes: bytes, path: path)
        zip.maxTotalBytes = 64 << 20
        zip = try checked(zip, path: path)
        return try workbookSheets(&zip, path: path).sheets
    }

    public static func read(bytes: [UInt8], path: String, options: WorkbookReadOptions = WorkbookReadOptions()) throws(Diagnostic) -> CSVReadResult {
        var zip = try ZipContainer(bytes: bytes, path: path)
        zip.maxTotalBytes = options.maxBytes
        return try read(zip, path: path, options: options)
    }

    /// A workbook whose zip container is already open (`DataFileReader` opened it to tell what it is).
    public static func read(_ container: ZipContainer, path: String, options: WorkbookReadOptions = WorkbookReadOptions()) throws(Diagnostic) -> CSVReadResult {
        var zip = try checked(container, path: path)
        var parts = try workbookSheets(&zip, path: path)
        let visible = parts.sheets.filter { !$0.hidden }
        let chosen: SheetInfo
        if let want = options.sheet {
            guard let s = parts.sheets.first(where: { $0.name.lowercased() == want.lowercased() }) else {
                throw .data(
                    "this workbook has no sheet named '\(want)'", DataLocation(path: path),
                    hints: Suggest.hint(want, in: parts.sheets.map(\.name)) + ["its sheets: " + parts.sheets.map { "'\($0.name)'" }.joined(separator: ", ")])
            }
            chosen = s
        } else {
            guard let first = visible.first ?? parts.sheets.first else {
                throw .data("this workbook has no sheets", DataLocation(path: path))
            }
            chosen = first
        }
        parts.sharedStrings = try SharedStrings.read(&zip, part: parts.names.sharedStrings, path: path)
        parts.sharedStringsFound = parts.names.sharedStrings.map { zip.contains($0) } ?? false
        parts.styles = try CellStyle.read(&zip, part: parts.names.styles, path: path, maxFormatLength: options.maxFormatLength)
        guard let xml = try zip.read(chosen.part) else {
            throw .data("this workbook is damaged: its sheet '\(chosen.name)' (\(chosen.part)) is missing", DataLocation(path: path))
        }
        let reader = SheetReader(
            parts: parts, path: path, sheet: chosen.name, maxTextBytes: options.maxTextBytes, maxFormatLength: options.maxFormatLength)
        var result = try reader.read(xml)
        var which = "read sheet '\(chosen.name)'"
        let others = parts.sheets.filter { $0 != chosen }.map { "'\($0.name)'" + ($0.hidden ? " (hidden)" : "") }
        if !others.isEmpty { which += "; the workbook also has " + others.joined(separator: ", ") + " (load … sheet=\"NAME\" reads another)" }
        result.notes.insert(.note(which, data: DataLocation(path: path)), at: 0)
        if zip.contains("xl/vbaProject.bin") {
            result.notes.insert(.note("a macro-enabled workbook (.xlsm): its cells are read, its macros never run", data: DataLocation(path: path)), at: 1)
        }
        return result
    }

    /// One sheet part on its own, with no shared strings or styles (for fuzzing the scanner).
    public static func readSheet(_ xml: [UInt8], path: String) throws(Diagnostic) -> CSVReadResult {
        try SheetReader(parts: Parts(), path: path, sheet: "Sheet1").read(xml)
    }

    /// The container, once it is known to hold a workbook roster reads.
    static func checked(_ zip: ZipContainer, path: String) throws(Diagnostic) -> ZipContainer {
        if zip.contains("xl/workbook.bin") {
            throw .data(
                "this is a binary Excel workbook (.xlsb), which roster does not read", DataLocation(path: path),
                hints: ["in Excel save it as .xlsx or CSV UTF-8"])
        }
        return zip
    }

    /// A part as XML, scanned by `body`; a document type declaration or a cut-off part is refused.
    static func scan<T>(_ bytes: [UInt8], path: String, part: String, _ body: (inout XMLScanner) throws(XMLScanner.Failure) -> T) throws(Diagnostic) -> T {
        do {
            return try bytes.withUnsafeBufferPointer { (b) throws(XMLScanner.Failure) -> T in
                var x = XMLScanner(b)
                return try body(&x)
            }
        } catch .doctype {
            throw .data("refused: the workbook part \(part) declares a document type (DTD), which workbooks never need", DataLocation(path: path))
        } catch {
            throw .data("this workbook is damaged: its part \(part) is cut short", DataLocation(path: path))
        }
    }

    static func workbookSheets(_ zip: inout ZipContainer, path: String) throws(Diagnostic) -> Parts {
        var parts = Parts()
        guard let names = try WorkbookParts.find(&zip, path: path), let wb = try zip.read(names.workbook) else {
            throw .data("this zip file is not an Excel workbook (it has no workbook part)", DataLocation(path: path))
        }
        parts.names = names
        let folder = WorkbookParts.folder(of: names.workbook)
        var sheets: [SheetInfo] = []
        var date1904 = false
        try scan(wb, path: path, part: names.workbook) { x throws(XMLScanner.Failure) in
            while let t = try x.nextTag() {
                guard !t.closing else { continue }
                if x.equals(t.name, "workbookPr"), let d = x.attribute("date1904", in: t.attributes) {
                    let v = x.string(d).lowercased()
                    date1904 = v == "1" || v == "true"
                } else if x.equals(t.name, "sheet") {
                    let name = x.attribute("name", in: t.attributes).map { x.string($0) } ?? "Sheet\(sheets.count + 1)"
                    let state = x.attribute("state", in: t.attributes).map { x.string($0) } ?? "visible"
                    let id = x.attribute("id", in: t.attributes).map { x.string($0) } ?? ""
                    let target = names.targets[id] ?? folder + "worksheets/sheet\(sheets.count + 1).xml"
                    sheets.append(SheetInfo(name: name, part: zip.storedName(target) ?? target, hidden: state != "visible"))
                }
            }
        }
        parts.sheets = sheets
        parts.date1904 = date1904
        return parts
    }

    /// `AB12` → column index 27 (0-based) and row 12.
    static func cellReference(_ x: XMLScanner, _ r: Range<Int>) -> (column: Int, row: Int)? {
        var col = 0, row = 0, k = r.lowerBound
        while k < r.upperBound, x.b[k] >= 0x41 && x.b[k] <= 0x5A {
            col = col * 26 + Int(x.b[k] - 0x40)
            if col > 16_384 { return nil }
            k += 1
        }
        while k < r.upperBound, x.b[k] >= 0x30 && x.b[k] <= 0x39 {
            row = row * 10 + Int(x.b[k] - 0x30)
            if row > 1_048_576 { return nil }
            k += 1
        }
        guard col > 0, col <= 16_384 else { return nil }
        return (col - 1, row)
    }

    /// A cell's name in messages: column 1 (0-based), row 2 → `B2`.
    static func cellName(_ column: Int, _ row: Int) -> String { columnLetters(column) + String(row) }

    /// 0 → `A`, 27 → `AB`.
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }
}
