import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Small workbooks built part by part for one hostile case each, zipped by roster's own writer.
enum HostileWorkbook {
    static let workbook =
        #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    static let relationships =
        #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#

    /// A workbook of one sheet, `Staff`: `rows` is the XML inside `<sheetData>`, `columns` what
    /// comes before it (`<cols>…</cols>`); `formats` become number formats 164, 165 … used by cell
    /// styles 1, 2 ….
    static func xlsx(rows: String, columns: String = "", sharedStrings: [String]? = nil, formats: [String] = []) throws -> [UInt8] {
        var parts: [(String, [UInt8])] = [
            ("xl/workbook.xml", Array(workbook.utf8)), ("xl/_rels/workbook.xml.rels", Array(relationships.utf8)),
            ("xl/worksheets/sheet1.xml", Array(("<worksheet>" + columns + "<sheetData>" + rows + "</sheetData></worksheet>").utf8)),
        ]
        if let sharedStrings {
            parts.append(("xl/sharedStrings.xml", Array(("<sst>" + sharedStrings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>").utf8)))
        }
        if !formats.isEmpty {
            let numFmts = formats.enumerated().map { #"<numFmt numFmtId="\#(164 + $0.offset)" formatCode="\#($0.element)"/>"# }.joined()
            let xfs = #"<xf numFmtId="0"/>"# + formats.indices.map { #"<xf numFmtId="\#(164 + $0)"/>"# }.joined()
            parts.append(("xl/styles.xml", Array("<styleSheet><numFmts>\(numFmts)</numFmts><cellXfs>\(xfs)</cellXfs></styleSheet>".utf8)))
        }
        return try ZipContainer.write(parts)
    }

    /// An inline string cell.
    static func text(_ ref: String, _ value: String) -> String { #"<c r="\#(ref)" t="inlineStr"><is><t>\#(value)</t></is></c>"# }

    /// Loads `bytes` as `staff.xlsx` through the session's `load`, in a folder of its own.
    static func load(_ bytes: [UInt8], options: String = "") throws -> (Table, String) {
        let folder = temporaryFolder()
        try Files.write(bytes, to: folder + "/staff.xlsx")
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: folder)
        try s.run(SourceFile(name: "t", text: "t = load \"staff.xlsx\" \(options)"))
        return (s.tables["t"]!, sink.stderr)
    }

    /// Letters that deflate no better than text does (a run of one letter would be refused as a zip
    /// bomb before the case is reached).
    static func letters(_ count: Int, seed: UInt64 = 7) -> String {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        return String(decoding: (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, as: UTF8.self)
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
}

/// Workbooks made to exhaust memory or time (issue 26, item 7): each ends in bounded time and
/// memory with a message naming the file, the sheet and the place, or reads what Excel shows and
/// says what was unusual. Nothing traps, stalls or is dropped in silence.
@Suite("Hostile workbooks")
struct HostileWorkbookTests {
    /// Apache POI's `poc-shared-strings.xlsx` shape: one 1 MiB shared string used by more cells than
    /// a sheet may hold text for. Counted as each cell is read, without copying the string, so the
    /// load stops at once instead of trapping past 4 GiB.
    @Test func aSharedStringUsedByManyCellsStopsAtTheTextLimit() throws {
        let big = HostileWorkbook.letters(1 << 20)
        let rows =
            "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + "</row>"
            + (2...1_100).map { "<row r=\"\($0)\"><c r=\"A\($0)\" t=\"s\"><v>0</v></c></row>" }.joined()
        let bytes = try HostileWorkbook.xlsx(rows: rows, sharedStrings: [big])
        var stopped: Diagnostic?
        let time = HostileWorkbook.seconds {
            // Not #expect(throws:): a table read in full would be printed whole.
            do {
                let (t, _) = try HostileWorkbook.load(bytes)
                Issue.record("no error: \(t.rowCount) rows read")
            } catch let error as Diagnostic {
                stopped = error
            } catch {
                Issue.record("\(error)")
            }
        }
        #expect(time < 10, "took \(time) s")
        let message = stopped?.message ?? ""
        #expect(message.contains("sheet 'Staff'") && message.contains("cell A1025") && message.contains("more than 1 GiB of text"), "\(message)")
        #expect(message.contains("it shows shared string 0 (1,048,576 bytes), as 1,023 cells before it do"), "\(message)")
        #expect(stopped?.data?.path.hasSuffix("staff.xlsx") == true)
    }

    /// The limit is the reader's option, so a small one stands in for it; a sheet within it reads.
    @Test func theSheetTextLimitIsAnOption() throws {
        let word = String(repeating: "y", count: 1_000)
        func book(_ cells: Int) throws -> [UInt8] {
            try HostileWorkbook.xlsx(
                rows: "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + "<c r=\"B1\" t=\"s\"><v>1</v></c></row>"
                    + (2...(cells + 1)).map { "<row r=\"\($0)\"><c r=\"A\($0)\" t=\"s\"><v>0</v></c></row>" }.joined(),
                sharedStrings: [word, "Role"])
        }
        var options = WorkbookReadOptions()
        options.maxTextBytes = 10_000
        let read = try WorkbookReader.read(bytes: try book(9), path: "staff.xlsx", options: options)
        #expect(read.table.rowCount == 9 && read.table.column("Name")![8] == word)
        let stopped = #expect(throws: Diagnostic.self) { try WorkbookReader.read(bytes: try book(10), path: "staff.xlsx", options: options) }
        #expect(stopped?.message.contains("cell A11") == true, "\(stopped?.message ?? "")")
        #expect(stopped?.message.contains("more than 10,000 bytes of text") == true, "\(stopped?.message ?? "")")
    }

    /// A format of 10,000 zeros on 400 cells took 58 s (its cost grew with cells × format length),
    /// one of 1,000,000 `%` signs 17 s and 4.9 GB: a format longer than the reader allows is not
    /// applied, its cells keep their value as General, and the load says so, naming the cells.
    @Test func longNumberFormatsAreNotAppliedAndSaid() throws {
        let rows =
            "<row r=\"1\">" + HostileWorkbook.text("A1", "Code") + HostileWorkbook.text("B1", "Share") + "</row>"
            + (2...401).map { "<row r=\"\($0)\"><c r=\"A\($0)\" s=\"1\"><v>\($0)</v></c><c r=\"B\($0)\" s=\"2\"><v>0.5</v></c></row>" }.joined()
        let bytes = try HostileWorkbook.xlsx(
            rows: rows, formats: [String(repeating: "0", count: 10_000), "0" + String(repeating: "%", count: 100_000)])
        var loaded: (Table, String)?
        let time = try HostileWorkbook.seconds { loaded = try HostileWorkbook.load(bytes) }
        #expect(time < 10, "took \(time) s")
        let (t, log) = try #require(loaded)
        #expect(t.column("Code")![0] == "2" && t.column("Share")![0] == "0.5")
        #expect(log.contains("number format 164 is 10,000 bytes long, more than 1,024"), "\(log)")
        #expect(log.contains("cells read as General: A2, A3"), "\(log)")
        #expect(log.contains("number format 165 is 100,001 bytes long"), "\(log)")
    }

    /// A number format costs the text it writes: each is compiled once, and a long one (within the
    /// limit, or given to `NumberFormat` directly) formats in time linear in its length.
    @Test func aNumberFormatCostsItsOutput() {
        let zeros = NumberFormat(String(repeating: "0", count: 3_000))
        let grouped = NumberFormat("#,##" + String(repeating: "0", count: 3_000))
        let time = HostileWorkbook.seconds {
            for v in 0..<50 {
                #expect(zeros.format(Double(v)).utf8.count == 3_000)
                #expect(grouped.format(Double(v)).utf8.count == 3_999)
            }
        }
        #expect(time < 3, "took \(time) s")
        let percent = NumberFormat("0" + String(repeating: "%", count: 100_000))
        #expect(percent.format(0).hasPrefix("0%%"))
        var options = WorkbookReadOptions()
        options.maxFormatLength = 8
        let rows = "<row r=\"1\">" + HostileWorkbook.text("A1", "Code") + "</row><row r=\"2\"><c r=\"A2\" s=\"1\"><v>7</v></c></row>"
        let read = try? WorkbookReader.read(bytes: try HostileWorkbook.xlsx(rows: rows, formats: ["000000000"]), path: "staff.xlsx", options: options)
        #expect(read?.table.column("Code")?[0] == "7")
    }

    /// 2,000,000 `<col hidden>` entries took 1.2 GB, each `max="16384"` one some 520 bytes: hidden
    /// columns are ranges now, at most one count per column of the sheet, and named once each.
    @Test func hiddenColumnsAreRanges() throws {
        var rng = SplitMix64(seed: 26)
        let entries = (0..<200_000).map { _ in #"<col hidden="1" min="1" max="16384" width="\#(rng.next() % 100_000)"/>"# }.joined()
        let rows = "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + "</row><row r=\"2\">" + HostileWorkbook.text("A2", "Ann") + "</row>"
        let (_, log) = try HostileWorkbook.load(try HostileWorkbook.xlsx(rows: rows, columns: "<cols>" + entries + "</cols>"))
        #expect(log.contains("hidden columns were read too: A\n") || log.hasSuffix("hidden columns were read too: A"), "\(log.suffix(300))")
        let wide = "<row r=\"1\">" + ["A", "B", "C", "D", "E", "F"].map { HostileWorkbook.text("\($0)1", "h\($0)") }.joined() + "</row>"
        let cols =
            #"<cols><col min="2" max="3" hidden="true"/><col min="5" max="5" hidden="1"/><col min="3" max="3" hidden="1"/><col min="6" max="9" hidden="0"/></cols>"#
        let (_, named) = try HostileWorkbook.load(
            try HostileWorkbook.xlsx(rows: wide + "<row r=\"2\">" + HostileWorkbook.text("A2", "x") + "</row>", columns: cols))
        #expect(named.contains("hidden columns were read too: B, C, E\n"), "\(named)")
    }

    /// Rows written out of order (row 3 before row 2) lost row 2 in silence: they are read in the
    /// order their `r` gives, and the load says which were out of order.
    @Test func rowsWrittenOutOfOrderAreReadInTheirOrder() throws {
        let rows =
            "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + HostileWorkbook.text("B1", "Role") + "</row>"
            + "<row r=\"3\">" + HostileWorkbook.text("A3", "Cy") + HostileWorkbook.text("B3", "TA") + "</row>"
            + "<row r=\"2\">" + HostileWorkbook.text("B2", "STC") + HostileWorkbook.text("A2", "Bo") + "</row>"
        let (t, log) = try HostileWorkbook.load(try HostileWorkbook.xlsx(rows: rows))
        #expect(t.rows == [["Bo", "STC"], ["Cy", "TA"]])
        #expect(log.contains("rows written out of order in sheet 'Staff' (row 2 after row 3), read in their order"), "\(log)")
        // Rows before the header that come after it in the file are not taken for data or header.
        let late =
            "<row r=\"2\">" + HostileWorkbook.text("A2", "Name") + "</row><row r=\"3\">" + HostileWorkbook.text("A3", "Ann") + "</row>"
            + "<row r=\"1\">" + HostileWorkbook.text("A1", "Title") + "</row>"
        let (u, _) = try HostileWorkbook.load(try HostileWorkbook.xlsx(rows: late))
        #expect(u.names == ["Title"] && u.rows == [["Name"], ["Ann"]])
    }

    /// The same cell written twice would keep one of the two values in silence: refused, naming it.
    @Test func aCellWrittenTwiceIsRefused() throws {
        let rows =
            "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + "</row><row r=\"2\">" + HostileWorkbook.text("A2", "Ann") + "</row>"
            + "<row r=\"2\">" + HostileWorkbook.text("A2", "Bo") + "</row>"
        let stopped = #expect(throws: Diagnostic.self) { try HostileWorkbook.load(try HostileWorkbook.xlsx(rows: rows)) }
        #expect(stopped?.message.contains("sheet 'Staff' writes cell A2 twice") == true, "\(stopped?.message ?? "")")
    }

    /// `&#0;` (or a NUL byte, or Excel's `_x0000_`) became a NUL byte in the saved CSV, which roster
    /// then refused as binary: the NUL is dropped, with a warning naming each cell.
    @Test func nulCharactersAreDroppedAndNamed() throws {
        let rows =
            "<row r=\"1\">" + HostileWorkbook.text("A1", "Name") + HostileWorkbook.text("B1", "Role") + "</row>"
            + "<row r=\"2\">" + HostileWorkbook.text("A2", "Bo&#0;b") + #"<c r="B2" t="s"><v>0</v></c></row>"#
            + "<row r=\"3\">" + HostileWorkbook.text("A3", "Cy&#x0;") + "<c r=\"B3\" t=\"str\"><v>T\u{0}A</v></c></row>"
        let folder = temporaryFolder()
        try Files.write(try HostileWorkbook.xlsx(rows: rows, sharedStrings: ["ST_x0000_C"]), to: folder + "/staff.xlsx")
        let r = runScript("load \"staff.xlsx\" | save \"out.csv\"", in: folder, quiet: false)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readFile(folder + "/out.csv") == Array("Name,Role\nBob,STC\nCy,TA\n".utf8))
        #expect(r.stderr.contains("NUL characters dropped (they are not text) from cells A2, B2, A3, B3"), "\(r.stderr)")
        #expect(runScript("load \"out.csv\"", in: folder).status == 0)
    }
}
