import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Runs a program (python3, soffice) for a test; nil when it is not installed.
func runProgram(_ name: String, _ arguments: [String], in folder: String? = nil) throws -> RunResult? {
    let candidates = ["/usr/bin/", "/usr/local/bin/", "/opt/homebrew/bin/"].map { $0 + name }
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" } + candidates
    guard let exe = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = arguments
    if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self), status: p.terminationStatus)
}

/// Like `session`, in a temporary folder of its own, so saves land there.
func folderSession(_ text: String, tables: [String: String]) throws -> (Session, BufferSink) {
    let sink = BufferSink()
    let s = Session(output: sink, baseDirectory: temporaryFolder())
    for (name, csv) in tables { s.bindTable(name, try CSVReader.read(bytes: Array(csv.utf8), path: "\(name).csv").table) }
    try s.run(SourceFile(name: "test", text: text))
    return (s, sink)
}

/// Workbooks written by openpyxl and LibreOffice (Tests/Fixtures/workbooks, made by its
/// make_fixtures.py), read as the text Excel shows; workbooks roster writes, read back by openpyxl
/// and LibreOffice; hostile and unreadable workbooks refused with a message.
@Suite("Excel workbooks")
struct WorkbookTests {
    static let fixtures = projectRoot + "/Tests/Fixtures/workbooks/"

    func load(_ file: String, _ options: String = "") throws -> (Table, String) {
        let folder = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.fixtures + file, toPath: folder + "/" + file)
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: folder)
        try s.run(SourceFile(name: "t", text: "t = load \"\(file)\" \(options)"))
        return (s.tables["t"]!, sink.stderr)
    }

    static let expectedRows: [[String]] = [
        [
            "Renée Nguyễn", "Educator – Test Site", "1611920130946", "01611920130946", "3.50", "25%", "1,234,567", "8/30/2025", "8/30/2025",
            "08/30/25", "2025-08-30", "1:05 PM", "TRUE", "#N/A", "", "x",
        ],
        [
            "Bo Cho", "Test Examiner", "0.1", "00000000050000", "2.00", "100%", "999", "1/1/1900", "2/29/2024", "02/29/24", "2024-02-29",
            "12:00 AM", "FALSE", "", "", "merged",
        ],
    ]

    @Test func openpyxlCellsAreTheTextExcelShows() throws {
        let (t, log) = try load("openpyxl-cells.xlsx")
        #expect(t.names.first == "Name" && t.names.count == 16)  // the blank first row and the styled debris are not columns
        #expect(t.rowCount == 3)
        #expect(Array(t.rows.prefix(2)) == Self.expectedRows)
        #expect(t.rows[2][0] == "Hidden Row" && t.rows[2][3] == "00000000000000")
        #expect(log.contains("read sheet 'Staff'; the workbook also has 'Lists' (hidden)"))
        #expect(log.contains("1 formula with no value Excel calculated, read as blank: O3"))
        #expect(log.contains("error values kept as written: N3"))
        #expect(log.contains("merged cells: the value is in the first cell of each, the others are blank: P4:P5"))
        #expect(log.contains("hidden rows were read too: 5") && log.contains("hidden columns were read too: O"))
        #expect(log.contains("(Excel workbook)"))
    }

    @Test func libreOfficeCellsWithCachedFormulas() throws {
        let (t, log) = try load("libreoffice-cells.xlsx")
        var want = Self.expectedRows
        want[0][14] = "2"  // =1+1, as LibreOffice calculated and stored it
        #expect(Array(t.rows.prefix(2)) == want)
        #expect(log.contains("formula") && !log.contains("with no value"))
    }

    @Test func theSheetIsChosenByName() throws {
        let (lists, log) = try load("openpyxl-cells.xlsx", "sheet=\"lists\"")
        #expect(lists.rows == [["Test Administrator"]] && lists.names == ["role"])
        #expect(log.contains("read sheet 'Lists'"))
        do {
            _ = try load("openpyxl-cells.xlsx", "sheet=\"Staf\"")
            Issue.record("no error")
        } catch let error as Diagnostic {
            #expect(error.message == "this workbook has no sheet named 'Staf'")
            #expect(error.hints == ["did you mean 'Staff'?", "its sheets: 'Lists', 'Staff'"])
        }
    }

    @Test func the1904DateSystem() throws {
        let (t, _) = try load("openpyxl-1904.xlsx")
        #expect(t.rows == [["8/30/2025"]])
    }

    @Test func unreadableAndHostileWorkbooksAreRefused() throws {
        let cases: [(String, String)] = [
            ("truncated.xlsx", "damaged or cut short"),
            ("bomb.xlsx", "inflates to more than 300 times its packed size (a zip bomb)"),
            ("doctype.xlsx", "declares a document type (DTD)"),
            ("binary.xlsb", "binary Excel workbook (.xlsb)"),
            ("encrypted.xlsx", "or Excel encrypted it with its own built-in key"),
            ("libreoffice-old.xls", "old Excel workbook (.xls)"),
        ]
        for (file, words) in cases {
            do {
                _ = try load(file)
                Issue.record("\(file): no error")
            } catch let error as Diagnostic {
                #expect(error.message.contains(words), "\(file): \(error.message)")
                #expect(error.data?.path.hasSuffix(file) == true, "\(file) names the file")
            }
        }
        // From the shell: exit status 1, and nothing written.
        let dir = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.fixtures + "bomb.xlsx", toPath: dir + "/bomb.xlsx")
        let r = try runBinary(["-c", "load \"bomb.xlsx\" | save \"out.csv\""], in: dir)
        #expect(r.status == 1 && r.stderr.contains("bomb.xlsx"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
    }

    @Test("part names are found ignoring case, through the package's relationships")
    func partNamesIgnoreCase() throws {
        let (t, _) = try load("shared-strings-uppercase.xlsx")
        let (expected, _) = try load("libreoffice-cells.xlsx")
        #expect(t.rows == expected.rows && t.rows[0][0] == "Renée Nguyễn")
    }

    @Test("a cell showing a shared string the workbook lacks is an error, never blank text")
    func aMissingSharedStringsPartIsAnError() throws {
        #expect {
            _ = try load("shared-strings-missing.xlsx")
        } throws: { e in
            (e as? Diagnostic)?.message
                == "this workbook is damaged: cell A2 of sheet 'Staff' shows shared string 2, but the workbook's shared strings part (xl/sharedStrings.xml) is missing"
        }
    }

    @Test("ISO 8601 date cells through their format, CDATA sections as text, CR LF in a cell as one line break")
    func isoDatesCDATAAndLineEnds() throws {
        let (t, _) = try load("iso-dates-cdata.xlsx")
        #expect(t.rows == [["Ann <Lee> & co", "8/30/2025", "8/30/2025 14:05", "two\nlines"]])
    }

    @Test("an HTML table saved as .xls reads as Excel opens it; a page of two tables is refused")
    func webPagesThatPretendToBeWorkbooks() throws {
        let (t, log) = try load("export-html.xls")
        #expect(t.names == ["First Name", "Last Name", "CDS code", "Role"])
        #expect(t.rows == [["Renée", "Nguyễn & Co", "01612340000001", "Test Site\nCoordinator"], ["Bo Cho", "", "00050000", ""]])
        #expect(log.contains("this file is a web page (HTML) holding a table"))
        #expect(log.contains("merged cells: the value is in the first cell of each, the others are blank: A3:B3"))
        #expect {
            _ = try load("export-two-tables.xlsx")
        } throws: { e in
            let d = e as? Diagnostic
            return d?.message == "this file is a web page holding several tables, so it is not known which to read"
                && d?.hints.first?.contains("save it as Excel Workbook (.xlsx) or CSV UTF-8") == true
        }
    }

    @Test("an Excel 2003 XML spreadsheet saved as .xls: its first sheet, styles' formats, merged and skipped cells")
    func excel2003XML() throws {
        let (t, log) = try load("export-2003.xls")
        #expect(t.names == ["Name", "Start", "Code", "Active"])
        #expect(t.rows == [["Ann", "8/30/2025", "00050", "TRUE"], ["", "", "", ""], ["", "", "1.5", ""]])
        #expect(log.contains("Excel 2003 XML spreadsheet (SpreadsheetML): read sheet 'Staff'; it also has 'Lists'"))
        let (lists, _) = try load("export-2003.xls", "sheet=\"Staff\"")
        #expect(lists.rowCount == 3)
        // An index that goes back names a cell twice, and one below 1 a cell before the first
        // (found by the csv fuzz target: the reader trapped).
        let head =
            #"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table><Row>"#
        let twice =
            head
            + #"<Cell><Data ss:Type="String">a</Data></Cell><Cell ss:Index="1"><Data ss:Type="String">b</Data></Cell></Row></Table></Worksheet></Workbook>"#
        let zero = head + #"<Cell ss:Index="0"><Data ss:Type="String">a</Data></Cell></Row></Table></Worksheet></Workbook>"#
        for (xml, message) in [
            (twice, "sheet 'S' writes cell A1 twice, so it is not known which value it holds"),
            (zero, "sheet 'S' names a row or column before the first (an index below 1)"),
        ] {
            #expect {
                _ = try DataFileReader.read(FileBytes(array: Array(xml.utf8)), path: "x.xls", options: CSVReadOptions())
            } throws: { e in (e as? Diagnostic)?.message == message }
        }
    }

    @Test("a password-protected zip says so, not that it is damaged")
    func aPasswordProtectedZipSaysSo() throws {
        #expect {
            _ = try load("password.zip")
        } throws: { e in
            (e as? Diagnostic)?.message == "this zip file is protected with a password: its part users.csv is encrypted"
        }
    }

    @Test("save writes .tsv as tab-separated values and .json as JSON; .ods and other kinds are refused, never written as CSV")
    func saveKindsFollowTheFileName() throws {
        let csv = "Name,Code\nAnn \"A\",00050000\nBo,x\ty\n"
        let (s, _) = try folderSession("t | save \"o.tsv\"\nt | save \"o.json\"", tables: ["t": csv])
        let folder = s.baseDirectory
        #expect(try String(contentsOfFile: folder + "/o.tsv", encoding: .utf8) == "Name\tCode\nAnn \"A\"\t00050000\nBo\t\"x\ty\"\n")
        #expect(
            try String(contentsOfFile: folder + "/o.json", encoding: .utf8)
                == "[\n  {\"Name\": \"Ann \\\"A\\\"\", \"Code\": \"00050000\"},\n  {\"Name\": \"Bo\", \"Code\": \"x\\ty\"}\n]\n")
        for (name, what) in [("o.ods", "an OpenDocument spreadsheet"), ("o.xls", "an old Excel workbook"), ("o.numbers", "a Numbers spreadsheet")] {
            #expect {
                _ = try folderSession("t | save \"\(name)\"", tables: ["t": csv])
            } throws: { e in
                (e as? Diagnostic)?.message == "save writes .csv, .tsv, .xlsx or .json files; \(name) would be \(what)"
            }
        }
        #expect {
            _ = try folderSession("t | save \"o.json\" as toms", tables: ["t": "First name\nAnn\n"])
        } throws: { e in
            (e as? Diagnostic)?.message.hasPrefix("save as toms writes the portal's comma-separated file") == true
        }
    }

    @Test func aWorkbookHeaderIsRecognised() throws {
        let toms = "First name,Last name,CDS code,E-mail address,Telephone number,Role in organization\nAnn,Lee,01611920130229,ann@x.org,,Test Administrator\n"
        let (s, _) = try folderSession("t | save \"template.xlsx\"\nu = load \"template.xlsx\"", tables: ["t": toms])
        #expect(s.tables["u"]!.formatName == "toms")
        #expect(s.tables["u"]!.rows == [["Ann", "Lee", "01611920130229", "ann@x.org", "", "Test Administrator"]])
    }

    // MARK: writing

    func written(_ csv: String, _ script: String) throws -> (String, BufferSink) {
        let (s, sink) = try folderSession(script, tables: ["t": csv])
        return (s.baseDirectory, sink)
    }

    @Test func whatRosterWritesOpenpyxlReads() throws {
        let csv = "Code,Name,Formula,Date\n01611920130946,\"Renée, Nguyễn\",=HYPERLINK(\"x\"),2025-08-30\n00050000,<b>&amp;,+1,\n"
        let (dir, _) = try written(csv, "t | save \"out.xlsx\" sheet=\"Staff list\"")
        // roster reads its own workbook back cell for cell.
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: dir)
        try s.run(SourceFile(name: "t", text: "u = load \"out.xlsx\""))
        #expect(s.tables["u"]!.rows == [["01611920130946", "Renée, Nguyễn", "=HYPERLINK(\"x\")", "2025-08-30"], ["00050000", "<b>&amp;", "+1", ""]])
        let script = """
            import openpyxl, json
            wb = openpyxl.load_workbook("out.xlsx")
            ws = wb.active
            rows = [[c.value for c in r] for r in ws.iter_rows()]
            print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "bold": ws["A1"].font.b,
              "types": sorted({c.data_type for r in ws.iter_rows(min_row=2) for c in r if c.value is not None}),
              "formats": sorted({c.number_format for r in ws.iter_rows() for c in r if c.value is not None}), "rows": rows,
              "width": ws.column_dimensions["B"].width}))
            """
        guard let r = try runProgram("python3", ["-c", script], in: dir) else {
            Issue.record("python3 is needed for this test (Scripts/ensure-deps.sh installs it)")
            return
        }
        #expect(r.status == 0, "openpyxl: \(r.stderr)")
        guard r.status == 0 else { return }
        let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(j["title"] as? String == "Staff list")
        #expect(j["freeze"] as? String == "A2")
        #expect(j["filter"] as? String == "A1:D3")
        #expect(j["bold"] as? Bool == true)
        #expect(j["types"] as? [String] == ["s"])  // every cell is text: no number, date or formula
        #expect(j["formats"] as? [String] == ["@"])
        let rows = j["rows"] as! [[Any]]
        #expect(rows[1].compactMap { $0 as? String } == ["01611920130946", "Renée, Nguyễn", "=HYPERLINK(\"x\")", "2025-08-30"])
        #expect((j["width"] as? Double ?? 0) >= 14)
    }

    @Test func whatRosterWritesLibreOfficeConvertsBack() throws {
        let csv = "Code,Name\n01611920130946,Educator – Test Site\n00050000,Renée\n"
        let (dir, _) = try written(csv, "t | save \"out.xlsx\"")
        guard
            let r = try runProgram(
                "soffice", ["--headless", "--calc", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir + "/lo", dir + "/out.xlsx"])
        else {
            print("LibreOffice is not installed here: the conversion back to CSV is checked where it is")
            return
        }
        #expect(r.status == 0)
        let back = try String(contentsOfFile: dir + "/lo/out.csv", encoding: .utf8)
        #expect(back.replacingOccurrences(of: "\r\n", with: "\n") == csv)
    }

    @Test func aValidatedTableBecomesAReviewWorkbook() throws {
        let mcas =
            "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\nbo@x.org,Bo,C,bo@x.org,XX,00050000-00055555,,,,\n"
        let (dir, _) = try written(mcas, "t | validate as mcas | save \"review.xlsx\"")
        var zip = try ZipContainer(bytes: try Files.readAll(dir + "/review.xlsx", limit: 1 << 20), path: "review.xlsx")
        let comments = String(decoding: try zip.read("xl/comments1.xml") ?? [], as: UTF8.self)
        #expect(comments.contains("<comment ref=\"E3\" authorId=\"0\"><text><t xml:space=\"preserve\">Invalid role</t>"))
        #expect(comments.contains("<comment ref=\"C3\" authorId=\"0\"><text><t xml:space=\"preserve\">Last names must be 2-25 characters long</t>"))
        let sheet = String(decoding: try zip.read("xl/worksheets/sheet1.xml") ?? [], as: UTF8.self)
        #expect(sheet.contains("<c r=\"E3\" s=\"2\" t=\"inlineStr\">"))  // the failing cell: problem fill
        #expect(sheet.contains("<c r=\"A3\" s=\"3\" t=\"inlineStr\">"))  // the rest of the row: the note tint
        #expect(sheet.contains("<c r=\"A2\" s=\"0\" t=\"inlineStr\">"))  // a clean row: plain
        #expect(sheet.contains("<legacyDrawing r:id=\"rId2\"/>"))
        #expect(zip.contains("xl/drawings/vmlDrawing1.vml"))
    }

    @Test func aPlannedTableIsColouredByPlan() {
        var t = Table(columns: [Column(name: "Plan", cells: TextColumn(["Create", "Unchanged", "Archive"]))], rowCount: 3)
        t.formatName = "csv"
        let marks = WorkbookReview.marks(t, format: nil)
        #expect(marks.rows == [0: .create, 2: .archive])
    }

    @Test func passwordsAreMaskedUnlessKept() throws {
        let csv = "user_username,user_password\nann,S3cret!x\n"
        let (dir, sink) = try written(csv, "t | save \"masked.xlsx\"\nt | save \"kept.xlsx\" passwords=\"keep\"")
        let masked = try WorkbookReader.read(bytes: try Files.readAll(dir + "/masked.xlsx", limit: 1 << 20), path: "masked.xlsx").table
        let kept = try WorkbookReader.read(bytes: try Files.readAll(dir + "/kept.xlsx", limit: 1 << 20), path: "kept.xlsx").table
        #expect(masked.rows == [["ann", Secrets.mask]])
        #expect(kept.rows == [["ann", "S3cret!x"]])
        #expect(sink.stderr.contains("user_password masked in the workbook (passwords=\"keep\" writes them)"))
    }

    // MARK: number formats

    @Test func numberFormats() {
        func f(_ code: String, _ v: Double, _ d1904: Bool = false) -> String { NumberFormat(code).format(v, date1904: d1904) }
        #expect(NumberFormat.generalText(1611920130946) == "1611920130946")
        #expect(
            NumberFormat.generalText(0.1) == "0.1" && NumberFormat.generalText(-2) == "-2" && NumberFormat.generalText(1e-5) == "0.00001"
                && NumberFormat.generalText(1e-12) == "1E-12")
        #expect(f("00000000000000", 1611920130946) == "01611920130946")
        #expect(f("0.00", 3.14159) == "3.14" && f("0.00", -1.5) == "-1.50")
        #expect(f("#,##0", 1234567) == "1,234,567" && f("#,##0.00", 1234.5) == "1,234.50")
        #expect(f("0%", 0.256) == "26%" && f("0.00%", 0.5) == "50.00%")
        #expect(f("\"ID \"0", 42) == "ID 42" && f("0\\-0", 5) == "0-5")
        // A phone number stored as a number with a layout of its own.
        #expect(f("000-000-0000", 6175550101) == "617-555-0101" && f("(000) 000-0000", 6175550101) == "(617) 555-0101")
        #expect(f("#,##0;(#,##0)", -1234) == "(1,234)")
        // Dates: built-in ids as Excel shows them in the United States, custom codes, the 1900 quirk.
        let built = { (id: Int, v: Double) in NumberFormat(NumberFormat.builtIn[id]!).format(v) }
        #expect(built(14, 45899) == "8/30/2025" && built(15, 45899) == "30-Aug-25" && built(16, 45899) == "30-Aug" && built(17, 45899) == "Aug-25")
        #expect(built(18, 0.5625) == "1:30 PM" && built(19, 0.5625) == "1:30:00 PM" && built(20, 0.5625) == "13:30" && built(21, 0.5625) == "13:30:00")
        #expect(built(22, 45899.5) == "8/30/2025 12:00" && built(45, 0.0007) == "01:00" && built(46, 1.5) == "36:00:00")
        #expect(f("mm/dd/yy", 45899) == "08/30/25" && f("yyyy-mm-dd", 45899) == "2025-08-30" && f("dddd, mmmm d", 45899) == "Saturday, August 30")
        #expect(f("m/d/yyyy", 60) == "2/29/1900" && f("m/d/yyyy", 61) == "3/1/1900" && f("m/d/yyyy", 59) == "2/28/1900" && f("m/d/yyyy", 1) == "1/1/1900")
        #expect(f("m/d/yyyy", 44437, true) == "8/30/2025")
        #expect(NumberFormat("h:mm").isDate && !NumberFormat("0.00").isDate && !NumberFormat("\"d\"0").isDate)
    }

    /// Every section of a code as Excel renders it (values from Excel's documentation of custom
    /// number formats and its built-in formats): conditions, the text section, the minus before a
    /// literal, `#`, `?` and `_` places, scientific, fractions, currency tags, fractions of seconds,
    /// elapsed time, and rounding on the decimal value to 15 significant digits.
    @Test func numberFormatsAsExcelRendersThem() {
        func f(_ code: String, _ v: Double) -> String { NumberFormat(code).format(v) }
        let phone = "[<=9999999]###-####;(###) ###-####"
        #expect(f(phone, 5_551_234) == "555-1234" && f(phone, 6_175_550_101) == "(617) 555-0101")
        #expect(f("0;-0;0;\"text: \"@", 5) == "5" && f("0;-0;0;\"text: \"@", -5) == "-5" && f("0;-0;0;\"text: \"@", 0) == "0")
        #expect(f("$#,##0", -7_500) == "-$7,500" && f("\"ID \"0", -42) == "-ID 42")
        #expect(f("#", 0) == "" && f("#,##0", 0) == "0" && f("#.##", 0.5) == ".5" && f("0.##", 1) == "1.")
        #expect(f("??0", 5) == "  5" && f("0.0??", 1.5) == "1.5  " && f("0_)", 5) == "5 " && f("*-0", 5) == "5")
        #expect(f("0.00E+00", 12_345) == "1.23E+04" && f("0.00E+00", 0.000_123_45) == "1.23E-04" && f("##0.0E+0", 12_345) == "12.3E+3")
        #expect(f("0.0E+0", 0) == "0.0E+0" && f("0.00E+00", -12_345) == "-1.23E+04" && f("0.00E+00", 99_950) == "1.00E+05")
        #expect(f("# ?/?", 1.5) == "1 1/2" && f("# ?/?", 0.5) == " 1/2" && f("# ??/??", 3.141_59) == "3 14/99" && f("# ?/8", 1.3) == "1 2/8")
        #expect(f("?/?", 1.5) == "3/2" && f("# ?/?", 2) == "2    " && f("# ?/?", -1.25) == "-1 1/4")
        #expect(f("[$€-40C]#,##0.00", 1_234.5) == "€1,234.50" && f("[$¥-411]#,##0", 1_234) == "¥1,234" && f("[$-409]0.0", 2) == "2.0")
        #expect(f("[DBNum1]General", 5) == "5" && f("[Red]0.0", 2) == "2.0" && f("General\" units\"", 3) == "3 units")
        #expect(f("h:mm:ss.000", 0.5 + 0.5 / 86_400) == "12:00:00.500" && f("[h]:mm", 1.5) == "36:00" && f("mm:ss.0", 1.25 / 1_440) == "01:15.0")
        let built = { (id: Int, v: Double) in NumberFormat(NumberFormat.builtIn[id]!).format(v) }
        #expect(built(5, 1_234) == "$1,234 " && built(5, -1_234) == "($1,234)" && built(7, 1_234.5) == "$1,234.50 ")
        #expect(built(8, -1_234.5) == "($1,234.50)" && built(41, 1_234) == " 1,234 " && built(43, -2.5) == " (2.50)" && built(44, 1_234.5) == " $1,234.50 ")
        #expect(built(42, 0) == " $- ")
        #expect(built(12, 0.25) == " 1/4")
        #expect(built(13, 0.3) == "  3/10")
        #expect(built(11, 1_500) == "1.50E+03")
        #expect(f("0.00", 9.075) == "9.08" && f("0.00", 1.005) == "1.01" && f("0.00", 2.675) == "2.68" && f("0", 0.5) == "1" && f("0", 2.5) == "3")
        #expect(NumberFormat.generalText(0.1 + 0.2) == "0.3" && NumberFormat.generalText(1.0 / 3) == "0.333333333333333")
        // Fractions in Excel's general shape (its cached TEXT() results in POI's NumberFormatTests.xlsx).
        #expect(f(#"|#\:#/#|"#, 23.75) == "|23:3/4|" && f(#"|#\:#/#|"#, 0.75) == "|3/4|" && f(#"|#\:#/#|"#, 0) == "|0|")
        #expect(f("|#_#/#|", 3.75) == "|15 /4|" && f(#"|#\:#=/=?|"#, 1) == "|1      |" && f(#"|0\:0=/=#|"#, 0) == "|0:0=/=1|")
        #expect(f(#"|#\:? ?0#/000"#, 23.75) == "|2:3  03/004" && f("/#", 3) == "/3" && f("#/", 3) == "3/")
        // A number too large for a fraction's places is General (the sheet fuzz target found a trap).
        #expect(f("#,/??\"/", 1e300) == "1E+300" && !f("?/99999999999999", 2.5).isEmpty)
    }

    /// A workbook with a code of every kind (made by make_fixtures.py with openpyxl) reads as
    /// LibreOffice shows it (its display text, saved as CSV beside it), but for one place where
    /// LibreOffice differs from Excel: `0.##` on a whole number shows the point in Excel (`1.`).
    @Test func numberFormatsAgreeWithLibreOffice() throws {
        let (t, _) = try load("number-formats.xlsx")
        let shown = try CSVReader.read(
            bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "number-formats.libreoffice.csv"))),
            path: "lo.csv"
        ).table
        let excelOnly: [String: String] = ["0.##": "1."]
        #expect(t.rowCount == shown.rowCount && t.rowCount > 60)
        for r in 0..<t.rowCount {
            let code = t.column("Code")![r]
            #expect(t.column("Shown")![r] == (excelOnly[code] ?? shown.column("Shown")![r]), "\(code)")
        }
    }

    // MARK: OneRoster packages

    static let orgs =
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-d,,,Lincoln,district,00050000,\norg-hs,,,Lincoln High,school,00055555,org-d\n"

    func package(_ files: [(String, String)], zipped: Bool = true, options: String = "") throws -> (Table, String) {
        let folder = temporaryFolder()
        let target: String
        if zipped {
            let bytes = try WorkbookWriter.zip(files.map { ($0.0, Array($0.1.utf8)) })
            try Files.write(bytes, to: folder + "/oneroster.zip")
            target = "oneroster.zip"
        } else {
            try FileManager.default.createDirectory(atPath: folder + "/export", withIntermediateDirectories: true)
            for (name, text) in files { writeFile(folder + "/export/" + name, text) }
            target = "export"
        }
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: folder)
        try s.run(SourceFile(name: "t", text: "t = load \"\(target)\" \(options)"))
        return (s.tables["t"]!, sink.stderr)
    }

    @Test func oneRoster11Package() throws {
        let users =
            OneRosterPackage.usersHeader.joined(separator: ",")
            + "\nt-1,,,true,\"org-hs,org-d\",teacher,alee,,Ann,Lee,,E1,ann@x.org,,,,,\n"
        let manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,bulk\n"
        let (t, log) = try package([("manifest.csv", manifest), ("users.csv", users), ("orgs.csv", Self.orgs)])
        #expect(t.formatName == "oneroster")
        #expect(t.column("orgSourcedIds")![0] == "00055555,00050000")
        #expect(log.contains("OneRoster 1.1 package: read manifest.csv, users.csv, orgs.csv; orgSourcedIds written as each organization's identifier"))
        let (mcas, _) = try package([("users.csv", users), ("orgs.csv", Self.orgs)], options: "orgs=\"district-school\"")
        #expect(mcas.column("orgSourcedIds")![0] == "00050000-00055555,00050000")
        // A folder holding the same files reads the same, and convert makes MCAS codes of it.
        let (folder, _) = try package([("users.csv", users), ("orgs.csv", Self.orgs)], zipped: false, options: "orgs=\"district-school\"")
        #expect(folder.rows == mcas.rows)
    }

    @Test func oneRoster12RolesComeFromRolesCsv() throws {
        let users =
            "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email,preferredFirstName\nt-1,,,true,alee,Ann,Lee,ann@x.org,Annie\n"
        let roles =
            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,orgSourcedId\nr1,,,t-1,secondary,proctor,org-d\nr2,,,t-1,primary,teacher,org-hs\n"
        let manifest = "propertyName,value\noneroster.version,1.2\n"
        let (t, log) = try package([("manifest.csv", manifest), ("users.csv", users), ("roles.csv", roles), ("orgs.csv", Self.orgs)])
        #expect(t.column("role")![0] == "teacher")
        #expect(t.column("orgSourcedIds")![0] == "00050000,00055555")
        #expect(log.contains("OneRoster 1.2 package: read manifest.csv, users.csv, orgs.csv, roles.csv"))
        #expect(log.contains("users with different roles at different organizations (roles.csv); role holds the primary one: t-1"))
        #expect(log.contains("not carried: preferredFirstName"))
    }

    @Test func oneRoster12RolesAtOneOrganizationAreNotMixedAndEndingRolesAreLeftOut() throws {
        let users =
            "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email\nt-1,,,true,a,A,Lee,a@x.org\nt-2,,,true,b,B,Cho,b@x.org\n"
        let roles =
            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,orgSourcedId\nr1,active,,t-1,primary,teacher,org-hs\nr2,active,,t-1,secondary,proctor,org-hs\n"
            + "r3,tobedeleted,,t-2,primary,teacher,org-hs\n"
        let manifest = "propertyName,value\noneroster.version,1.2\nfile.users,delta\n"
        let (t, log) = try package([("manifest.csv", manifest), ("users.csv", users), ("roles.csv", roles), ("orgs.csv", Self.orgs)])
        #expect(!log.contains("different roles at different organizations"))
        #expect(log.contains("users with more than one role (roles.csv); role holds the primary one: t-1 (teacher; also proctor)"))
        #expect(t.column("status")!.strings == ["", "tobedeleted"])
        #expect(log.contains("this is a delta package (manifest.csv: file.users = delta)"))
    }
}
