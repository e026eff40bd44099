import RosterDiagnostics

/// What a saved workbook shows beyond the cells: cells to fill with a comment (a failing cell and
/// its messages), and rows to tint (a row with a note, a planned row by what the portal will do).
public struct WorkbookMarks: Sendable {
    public enum Tint: String, Sendable, CaseIterable {
        case problem, note, create, update, activate, remove, reject, archive
    }
    /// Row → column → the comment on that cell (filled as a problem).
    public var cells: [Int: [Int: String]] = [:]
    /// Row → its tint.
    public var rows: [Int: Tint] = [:]
    public init() {}
}

/// Writes a table as an .xlsx workbook that Excel, LibreOffice and openpyxl open, in which every cell
/// is a text cell (so Excel strips no zero and reads no code as a number or a date, and a formula-like
/// cell stays inert text): the header row bold, frozen and filtered; column widths fitted to the
/// values; cells and rows marked as `WorkbookMarks` says, with comments.
public enum WorkbookWriter {
    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not blank.
    public static func sheetName(_ wanted: String) -> String {
        var s = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        s = s.trimmingSpaces
        if s.hasPrefix("'") { s.removeFirst() }
        return s.isEmpty ? "Sheet1" : s
    }

    /// Excel's limits for a sheet: rows (the header is one), columns, and characters in a cell.
    public static let maxRows = 1_048_576, maxColumns = 16_384, maxCellCharacters = 32_767

    /// Refuses a table Excel could not open whole: more rows or columns than a sheet holds, or a cell
    /// longer than Excel keeps (it would cut it) — never a file Excel cannot open, or opens cut.
    public static func checkFits(_ table: Table, path: String) throws(Diagnostic) {
        let at = DataLocation(path: path)
        if table.rowCount + 1 > maxRows {
            throw Diagnostic(
                .data("\(table.rowCount) rows do not fit a workbook: an Excel sheet holds at most \(maxRows) rows, the header one of them"), data: at,
                hints: ["save it as CSV, or in numbered workbooks: save \"….xlsx\" chunk \(maxRows - 1)"])
        }
        if table.columns.count > maxColumns {
            throw Diagnostic(.data("\(table.columns.count) columns do not fit a workbook: an Excel sheet holds at most \(maxColumns)"), data: at)
        }
        for c in table.columns {
            // A cell's characters are at most its bytes: only a cell of more bytes than the limit is counted.
            var start = 0
            for (r, end) in c.cells.ends.enumerated() {
                defer { start = Int(end) }
                guard Int(end) - start > maxCellCharacters else { continue }
                let n = c.cells[r].count
                if n > maxCellCharacters {
                    throw Diagnostic(
                        .data("row \(r + 2), column '\(c.name)' holds \(n) characters; an Excel cell keeps at most \(maxCellCharacters) and would cut it"),
                        data: at, hints: ["save it as CSV, which keeps every character"])
                }
            }
        }
    }

    public static func encode(_ table: Table, sheet: String, marks: WorkbookMarks = WorkbookMarks()) throws(Diagnostic) -> [UInt8] {
        let name = sheetName(sheet)
        let lastColumn = WorkbookReader.columnLetters(max(table.columns.count - 1, 0))
        let lastRow = table.rowCount + 1
        let comments = marks.cells.sorted { $0.key < $1.key }.flatMap { r, cols in cols.sorted { $0.key < $1.key }.map { (r, $0.key, $0.value) } }

        var sheetXML = Self.header
        sheetXML +=
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        sheetXML += "<dimension ref=\"A1:\(lastColumn)\(lastRow)\"/>"
        sheetXML +=
            #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        sheetXML += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if !table.columns.isEmpty {
            sheetXML += "<cols>"
            for (j, c) in table.columns.enumerated() {
                sheetXML += "<col min=\"\(j + 1)\" max=\"\(j + 1)\" width=\"\(width(c))\" customWidth=\"1\"/>"
            }
            sheetXML += "</cols>"
        }
        var out = Array(sheetXML.utf8)
        out.reserveCapacity(table.columns.reduce(0) { $0 + $1.cells.bytes.count } * 2 + table.rowCount * table.columns.count * 40)
        out += Array("<sheetData>".utf8)
        // The header row: bold.
        appendRow(&out, 1, table.columns.map { Array($0.name.utf8) }, style: { _ in Style.header })
        for r in 0..<table.rowCount {
            let tint = marks.rows[r]
            let marked = marks.cells[r]
            out += Array("<row r=\"\(r + 2)\">".utf8)
            for (j, c) in table.columns.enumerated() {
                let style = marked?[j] != nil ? Style.problem : (tint.map(Style.tint) ?? Style.text)
                c.cells.withCell(r) { cell in appendCell(&out, row: r + 2, column: j, cell, style: style) }
            }
            out += Array("</row>".utf8)
        }
        out += Array("</sheetData>".utf8)
        if !table.columns.isEmpty { out += Array("<autoFilter ref=\"A1:\(lastColumn)\(lastRow)\"/>".utf8) }
        out += Array(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#.utf8)
        if !table.columns.isEmpty {
            out += Array("<ignoredErrors><ignoredError sqref=\"A1:\(lastColumn)\(lastRow)\" numberStoredAsText=\"1\"/></ignoredErrors>".utf8)
        }
        if !comments.isEmpty { out += Array(#"<legacyDrawing r:id="rId2"/>"#.utf8) }
        out += Array("</worksheet>".utf8)

        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes(comments: !comments.isEmpty).utf8)),
            ("_rels/.rels", Array(rootRels.utf8)),
            ("xl/workbook.xml", Array(workbook(name, filter: table.columns.isEmpty ? nil : "$A$1:$\(lastColumn)$\(lastRow)").utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8)),
            ("xl/styles.xml", Array(styles.utf8)),
            ("xl/worksheets/sheet1.xml", out),
        ]
        if !comments.isEmpty {
            parts.append(("xl/worksheets/_rels/sheet1.xml.rels", Array(sheetRels.utf8)))
            parts.append(("xl/comments1.xml", commentsXML(comments)))
            parts.append(("xl/drawings/vmlDrawing1.vml", vml(comments)))
        }
        return try zip(parts)
    }

    // MARK: cells

    enum Style {
        static let text = 0, header = 1, problem = 2
        /// Styles 2… are the tints in `Tint.allCases` order (`problem` first).
        static func tint(_ t: WorkbookMarks.Tint) -> Int { 2 + WorkbookMarks.Tint.allCases.firstIndex(of: t)! }
    }

    static func appendRow(_ out: inout [UInt8], _ row: Int, _ values: [[UInt8]], style: (Int) -> Int) {
        out += Array("<row r=\"\(row)\">".utf8)
        for (j, v) in values.enumerated() { v.withUnsafeBufferPointer { appendCell(&out, row: row, column: j, $0, style: style(j)) } }
        out += Array("</row>".utf8)
    }

    /// One inline-string cell; a blank cell is written only when it carries a style other than text.
    static func appendCell(_ out: inout [UInt8], row: Int, column: Int, _ cell: UnsafeBufferPointer<UInt8>, style: Int) {
        if cell.isEmpty {
            if style != Style.text { out += Array("<c r=\"\(WorkbookReader.columnLetters(column))\(row)\" s=\"\(style)\"/>".utf8) }
            return
        }
        out += Array("<c r=\"\(WorkbookReader.columnLetters(column))\(row)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
        appendEscaped(&out, cell)
        out += Array("</t></is></c>".utf8)
    }

    /// XML text: `& < >` as entities, control characters XML cannot hold as Excel's `_xHHHH_`, and an
    /// underscore that would read as such an escape escaped itself.
    static func appendEscaped(_ out: inout [UInt8], _ cell: UnsafeBufferPointer<UInt8>) {
        var k = 0
        while k < cell.count {
            let c = cell[k]
            switch c {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]
            case 0x09, 0x0A, 0x0D: out.append(c)
            case 0..<0x20:
                let hex = String(c, radix: 16, uppercase: true)
                out += Array(("_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_").utf8)
            case 0x5F where k + 6 < cell.count && cell[k + 1] == 0x78 && cell[k + 6] == 0x5F:
                out += Array("_x005F_".utf8)
            default: out.append(c)
            }
            k += 1
        }
    }

    static func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        Array(s.utf8).withUnsafeBufferPointer { appendEscaped(&out, $0) }
        return String(decoding: out, as: UTF8.self).replacingAll("\"", with: "&quot;")
    }

    /// A column wide enough for its header and values (sampled), within Excel's sensible bounds.
    static func width(_ c: Column) -> Int {
        var widest = c.name.count + 3  // room for the filter button
        let n = c.cells.count
        let step = max(1, n / 2000)
        var r = 0
        while r < n {
            let len = c.cells.withCell(r) { b in b.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) } }
            widest = max(widest, len + 1)
            r += step
        }
        return min(max(widest, 8), 60)
    }

    // MARK: parts

    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    static func contentTypes(comments: Bool) -> String {
        header
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
            + (comments ? #"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>"# : "")
            + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + (comments
                ? #"<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>"# : "")
            + "</Types>"
    }

    static let rootRels =
        header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    static let workbookRels =
        header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#

    static let sheetRels =
        header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>"#

    static func workbook(_ name: String, filter: String?) -> String {
        let quoted = "'" + name.replacingAll("'", with: "''") + "'"
        return header
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>"#
            + "<sheet name=\"\(escaped(name))\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
            + (filter.map {
                "<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">\(escaped(quoted))!\($0)</definedName></definedNames>"
            } ?? "")
            + "</workbook>"
    }

    /// Fills, in `Tint` order after the two Excel requires: a problem cell light red, a noted row
    /// light yellow, plan rows by action.
    static let tintColours: [WorkbookMarks.Tint: String] = [
        .problem: "FFFFC7CE", .note: "FFFFF2CC", .create: "FFC6EFCE", .update: "FFDDEBF7", .activate: "FFE2EFDA",
        .remove: "FFFCE4D6", .reject: "FFFFC7CE", .archive: "FFF8CBAD",
    ]

    static var styles: String {
        let tints = WorkbookMarks.Tint.allCases
        var fills = #"<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
        for t in tints {
            fills += "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"\(tintColours[t]!)\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        }
        // xf 0 text, 1 header (bold), 2… one per tint (problem first); all with the text format (@).
        var xfs = #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        xfs += #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>"#
        for k in tints.indices {
            xfs += "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"\(2 + k)\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFill=\"1\"/>"
        }
        return header
            + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
            + "<fills count=\"\(2 + tints.count)\">\(fills)</fills>"
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + "<cellXfs count=\"\(2 + tints.count)\">\(xfs)</cellXfs>"
            + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
    }

    static func commentsXML(_ comments: [(Int, Int, String)]) -> [UInt8] {
        var s =
            header
            + #"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>roster</author></authors><commentList>"#
        for (r, j, text) in comments {
            s +=
                "<comment ref=\"\(WorkbookReader.columnLetters(j))\(r + 2)\" authorId=\"0\"><text><t xml:space=\"preserve\">\(escaped(text))</t></text></comment>"
        }
        return Array((s + "</commentList></comments>").utf8)
    }

    /// The legacy drawing Excel needs to show comments: one hidden note shape per comment.
    static func vml(_ comments: [(Int, Int, String)]) -> [UInt8] {
        var s =
            #"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#
        for (k, (r, j, _)) in comments.enumerated() {
            let row = r + 1
            s +=
                "<v:shape id=\"_x0000_s\(1025 + k)\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:60pt;z-index:\(k + 1);visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>\(j + 1), 15, \(row), 2, \(j + 4), 15, \(row + 4), 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>\(row)</x:Row><x:Column>\(j)</x:Column></x:ClientData></v:shape>"
        }
        return Array((s + "</xml>").utf8)
    }

    static func zip(_ parts: [(String, [UInt8])]) throws(Diagnostic) -> [UInt8] { try ZipContainer.write(parts) }
}
