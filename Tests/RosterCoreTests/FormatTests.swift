import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

@Suite("Portal formats")
struct FormatTests {
    @Test func theBuiltInsParse() {
        #expect(
            FormatRegistry.standard.names == ["csv", "toms", "mcas", "pass", "pan", "tao", "tao_link", "oneroster", "tide", "tide_tx", "tide_id", "map_users"])
        let mcas = FormatRegistry.standard.format(named: "mcas")!
        #expect(mcas.columns.count == 10 && mcas.maxRows == 200)
        #expect(mcas.requiredColumns == ["Username", "Fname", "Lname", "Email", "Role", "Org"])
    }

    /// Each built-in format is parsed on its own when first used, and recognising a header needs
    /// only its header lines: both agree with parsing the whole text at once.
    @Test func theBuiltInsParsedOneByOneAgreeWithTheWhole() throws {
        let whole = try BuiltinFormats.parse()
        #expect(BuiltinFormats.blocks.map(\.name) == whole.map(\.name))
        #expect(FormatRegistry.standard.names == whole.map(\.name))
        #expect(BuiltinFormats.headers.map(\.name) == whole.map(\.name))
        for (f, header) in zip(whole, BuiltinFormats.headers) {
            let one = try #require(FormatRegistry.standard.format(named: f.name))
            #expect(one.title == f.title && one.columns == f.columns && one.rules.count == f.rules.count && one.order.count == f.order.count)
            #expect(header.columns == f.columns, "\(f.name)")
            #expect(header.optionalColumns == f.optionalColumns, "\(f.name)")
            #expect(header.headerIgnoresCase == f.headerIgnoresCase && header.headerInOrder == f.headerInOrder, "\(f.name)")
        }
        #expect(FormatRegistry.standard.formats.map(\.name) == whole.map(\.name))
    }

    /// Validates CSV text as a format and returns each row's Notes.
    func notes(_ csv: String, as format: String, defining: String = "") throws -> [String] {
        let s = Session(output: BufferSink())
        s.quiet = true
        if !defining.isEmpty { try s.run(SourceFile(name: "def", text: defining)) }
        s.bindTable("t", try CSVReader.read(bytes: Array(csv.utf8), path: "t.csv").table)
        try s.run(SourceFile(name: "test", text: "r = t | validate as \(format)"))
        return s.tables["r"]!.column("Notes")!.strings
    }

    @Test func mcasMessagesOneRowPerRule() throws {
        let csv = """
            Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address
            ana@x.org,Ana,Lee,ana@x.org,TA,00050000-00055555,1030,555-201-0001,,
            ab,Ana,Lee,ab@x.org,DTC,00050000,,,,
            bo@x.org,,Lee,bo@x.org,DTC,00050000,,,,
            cy@x.org,Cy,L,cy@x.org,DTC,00050000,,,,
            di@x.org,Di,Lee,di@x.org,IT,00050000,,,,
            ed@x.org,Ed,Lee,ed@x.org,DTC,00-771777,,,,
            fa@x.org,Fa,Lee,fa@x.org,STC,00050000,,,,
            gu@x.org,Gu,Lee,gu@x.org,DTC,00050000,1036,,,
            ANA@x.org,Ana,Lee,ana2@x.org,TA,00050000-00055555,,,,

            """
        #expect(
            try notes(csv, as: "mcas") == [
                "",
                "Username must be 4-50 alpha-numeric characters",
                "First name must be 1-25 characters long",
                "Last names must be 2-25 characters long",
                "Invalid role",
                "Invalid organization number",
                "Invalid organization and role pairing",
                "Invalid/Not allowed program ID",
                "User exists with same username",
            ])
    }

    @Test func severalProblemsInARowAreJoined() throws {
        let csv = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nab,,L,x,XX,1,9,1,,\n"
        #expect(
            try notes(csv, as: "mcas") == [
                "Username must be 4-50 alpha-numeric characters; First name must be 1-25 characters long; Last names must be 2-25 characters long; Email must be a standard e-mail address (roster's words: the guide gives no message for this); Invalid role; Invalid organization number; Invalid/Not allowed program ID; Phone must be in xxx-xxx-xxxx format (roster's words: the guide gives no message for this)"
            ])
    }

    /// A district's own portal, described without Swift.
    static let tide = """
        format tide "Cambium TIDE user upload"
          columns Action, Email, "First Name", "Last Name", Role, Phone
          header ignores case
          rows per file 500
          meaning Email = email, "First Name" = first_name, "Last Name" = last_name, Role = role, Phone = phone
          rule Action required, one of ["Add", "Delete"] ignoring case message "Action must be Add or Delete"
          rule Email required, pattern "[^@\\s]+@[^@\\s]+\\.[^@\\s]+" message "Email must be a valid e-mail address (it is the username)"
          rule Email unique ignoring case message "Email appears more than once"
          rule Role one of ["DC", "SC", "TA", "TE"] message "Role must be a TIDE role code"
          rule Phone pattern "\\d{3}-\\d{3}-\\d{4}" message "Phone must be xxx-xxx-xxxx"
          check lower(Action) == "add" and isblank(`First Name`) message "First Name is required to add a user"
        end
        """

    @Test func aUserWrittenFormat() throws {
        let csv = "action,email,first name,last name,role,phone\nAdd,a@x.org,Ana,Lee,TA,555-201-0001\nadd,b@x.org,,Lee,XX,5552010001\nDelete,A@x.org,,,,\n"
        #expect(
            try notes(csv, as: "tide", defining: Self.tide) == [
                "", "Role must be a TIDE role code; Phone must be xxx-xxx-xxxx; First Name is required to add a user", "Email appears more than once",
            ])
    }

    @Test func detectionFromTheHeader() {
        let r = FormatRegistry.standard
        #expect(
            FormatDetection.detect(["First name", "Last name", "CDS code", "E-mail address", "Telephone number", "Role in organization"], in: r)
                == .format("toms", errorFile: false))
        #expect(
            FormatDetection.detect(["Username", "Fname", "Lname", "Email", "Role", "Org", "Program", "Phone", "Fax", "Address", "Notes"], in: r)
                == .format("mcas", errorFile: true))
        #expect(
            FormatDetection.detect(
                [" FirstName ", "LASTNAME", "email", "role", "gradyear", "status", "idnumber"].map { $0 == " FirstName " ? " firstname " : $0 }, in: r)
                == .format("pass", errorFile: false))
        #expect(FormatDetection.detect(["user_username", "group_name", "group_role"], in: r) == .format("tao_link", errorFile: false))
        if case .nearly(let name, let d) = FormatDetection.detect(
            ["Username", "Fname", "Lname", "E-mail", "Role", "Org", "Program", "Phone", "Fax", "Address"], in: r)
        {
            #expect(name == "mcas")
            #expect(d.map(\.have) == ["E-mail"] && d.map(\.want) == ["Email"])
        } else {
            Issue.record("expected a near match")
        }
        #expect(FormatDetection.detect(["a", "b"], in: r) == .none)
    }

    @Test func formatBlockErrorsAreLocated() {
        let d = parseError("format x\n  columns A\n  rule A lenght 1 to 2 message \"m\"\nend")
        #expect(d?.message == "unknown constraint 'lenght'")
        #expect(d?.hints == ["did you mean 'length'?"])
        #expect(parseError("format x\n  columns A\n")?.message == "this format block never ends")
        #expect(parseError("format x\n  colums A\nend")?.hints == ["did you mean 'columns'?"])
    }

    @Test func checkReport() throws {
        let sink = BufferSink()
        let s = Session(output: sink)
        s.quiet = true
        s.bindTable(
            "u",
            try CSVReader.read(
                bytes: Array(
                    "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nana@x.org,Ana,Lee,ana@x.org,Test Admin,00050000-00055555,,,,\nbo@x.org,Bo,Lee,bo@x.org,TA,00050000-00055555,,,,\n"
                        .utf8), path: "u.csv"
            ).table)
        try s.run(SourceFile(name: "t", text: "check u as mcas"))
        #expect(
            sink.stdout == """
                check u as mcas: 2 rows checked, 1 would be rejected, 1 accepted
                  Invalid role — 1 row: 2
                    how to resolve (the portal's guide): Add a valid role abbreviation.
                    'Test Admin' (1 row)
                  not checked (no deactivated given): Username — User exists with same username
                  not checked (no orgs given): Org — Invalid organization number

                """)
    }
}

@Suite("Safe repairs")
struct FixerTests {
    func rule(_ constraints: [ColumnRule.Constraint], each: String? = nil) -> ColumnRule {
        ColumnRule(column: "c", constraints: constraints, separator: each, message: "m")
    }

    @Test func spellingsIgnoringCaseSpacesDashesAndQuotes() {
        let roles = rule([.oneOf(["Educator – Test Site", "Educator - District", "Test Administrator"], ignoringCase: false)])
        #expect(Fixer.apply(roles, to: "Educator - Test Site").0 == "Educator – Test Site")
        #expect(Fixer.apply(roles, to: "educator  –  test site").0 == "Educator – Test Site")
        #expect(Fixer.apply(roles, to: "Educator – District").0 == "Educator - District")
        #expect(Fixer.apply(roles, to: "TEST ADMINISTRATOR").0 == "Test Administrator")
        // Not one value for certain: left, with a suggestion.
        let (v, why, problem) = Fixer.apply(roles, to: "Test Admin")
        #expect(v == "Test Admin" && why == nil && problem?.contains("did you mean 'Test Administrator'?") == true)
        let twins = rule([.oneOf(["TA", "ta"], ignoringCase: false)])
        #expect(Fixer.apply(twins, to: "Ta").0 == "Ta")  // two could be meant: no guess
    }

    @Test func layouts() {
        #expect(Fixer.apply(rule([.pattern(#"\d{3}-\d{3}-\d{4}"#)]), to: "(555) 201.0001").0 == "555-201-0001")
        #expect(Fixer.apply(rule([.pattern(#"\d{3}-\d{3}-\d{4}"#)]), to: "201-0001").2 == "not a 10-digit phone number")
        #expect(Fixer.apply(rule([.pattern(#"\d{1,2}/\d{1,2}/\d{4}"#)]), to: "2025-08-01").0 == "8/1/2025")
        #expect(Fixer.apply(rule([.pattern(#"\d{14}"#)]), to: "1611920000000", isCode: true).0 == "01611920000000")
        #expect(Fixer.apply(rule([.pattern(#"\d{14}"#)]), to: "1.61192E+12", isCode: true).2?.contains("lost digits") == true)
        #expect(
            Fixer.apply(rule([.pattern(#"\d{8}(-\d{8})?"#)], each: "|"), to: "50000|00050000-00055555", isCode: true).0 == "00050000|00050000-00055555")
        #expect(Fixer.apply(rule([.pattern(#"\d{14}"#)]), to: "12ab", isCode: true).0 == "12ab")
    }

    /// Leading zeros come back only where the result is a plausible code: a CDS code's county is 01–58,
    /// so only one zero can have been dropped; a column that holds no codes is never padded.
    @Test func leadingZerosOnlyWhereCertain() {
        let cds = rule([.pattern(#"\d{14}"#)])
        let twelve = Fixer.apply(cds, to: "161192013410", isCode: true)
        #expect(twelve.0 == "161192013410" && twelve.1 == nil && twelve.2?.contains("12 digits") == true)
        let countyZero = Fixer.apply(cds, to: "0611920130946", isCode: true)  // 13 digits, would be county 00
        #expect(countyZero.0 == "0611920130946" && countyZero.2 != nil)
        #expect(Fixer.apply(cds, to: "5811920130946", isCode: true).0 == "05811920130946")
        // Pass gradyear: two digits are listed with the likely year, never padded to 0027.
        let year = Fixer.apply(rule([.pattern(#"\d{4}"#)]), to: "27")
        #expect(year.0 == "27" && year.1 == nil && year.2 == "a two-digit year; did you mean '2027'?")
        #expect(Fixer.apply(cds, to: "1611920000000").0 == "1611920000000")  // not a code column: untouched
        // Every repair says why it is certain.
        #expect(Fixer.repairs.allSatisfy { !$0.whyCertain.isEmpty } && Fixer.repairs.count >= 6)
    }

    @Test func fixAsPassListsTwoDigitYears() throws {
        let (s, sink) = try session(
            "t = t | fix as pass", tables: ["t": "firstname,lastname,email,role,gradyear,status,idnumber\nSam,Young,s@x.org,student,27,Active,\n"])
        #expect(s.tables["t"]!.column("gradyear")![0] == "27")
        #expect(sink.stdout.contains("row 2, gradyear: '27' — a two-digit year; did you mean '2027'?"))
    }

    @Test func mojibake() {
        #expect(Fixer.mojibake("Educator â€“ Roster") == "Educator – Roster")
        #expect(Fixer.mojibake("RenÃ©e") == "Renée")
        #expect(Fixer.mojibake("Renée") == nil)  // already right
        #expect(Fixer.mojibake("Nguyễn") == nil)  // not Windows-1252 text at all
        #expect(Fixer.mojibake("plain") == nil)
    }

    @Test func fixKeepsUntouchedCellsAndListsChanges() throws {
        let t = try CSVReader.read(bytes: Array("Role,Note\n\"Test Administrator\", x \n".utf8), path: "t.csv").table
        let f = FormatRegistry.standard.format(named: "toms")!
        let (out, changes, _) = Fixer(f).fix(t)
        #expect(changes == [Fixer.Change(row: 0, column: "Note", before: " x ", after: "x", why: "spaces")])
        // The untouched quoted cell keeps its quotes on a save.
        #expect(String(decoding: try CSVWriter.encode(out, dialect: out.origin!.dialect, path: "t"), as: UTF8.self) == "Role,Note\n\"Test Administrator\",x\n")
    }
}
