import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Binds each CSV text as a table loaded from a file (so its format is detected from the header, as
/// a user's load would), then runs `script`.
func loadedSession(_ script: String, tables: [String: String]) throws -> (Session, BufferSink) {
    let folder = temporaryFolder()
    var text = ""
    for (name, csv) in tables.sorted(by: { $0.key < $1.key }) {
        writeFile(folder + "/\(name).csv", csv)
        text += "\(name) = load \"\(name).csv\"\n"
    }
    let sink = BufferSink()
    let s = Session(output: sink, baseDirectory: folder)
    try s.run(SourceFile(name: "test", text: text + script))
    return (s, sink)
}

@Suite("Conversions")
struct ConvertTests {
    static let oneRoster = readText(projectRoot + "/Scripts/oneroster/data/users.csv")!

    /// Converts the sample OneRoster export's enabled staff and students to `format`.
    func convert(_ format: String, _ before: String = "") throws -> (Table, String) {
        let (s, sink) = try loadedSession("r = u | where enabledUser == \"true\" \(before) | convert to \(format)", tables: ["u": Self.oneRoster])
        return (s.tables["r"]!, sink.stderr)
    }

    /// The whole export, disabled users included.
    func convertAll(_ format: String) throws -> (Table, String) {
        let (s, sink) = try loadedSession("r = u | convert to \(format)", tables: ["u": Self.oneRoster])
        return (s.tables["r"]!, sink.stderr)
    }

    @Test func oneRosterToEveryPortal() throws {
        // toms: one row per user and organization; roles by the crosswalk; guardian and aide reported.
        let (toms, tomsLog) = try convert("toms")
        #expect(toms.names == FormatRegistry.standard.format(named: "toms")!.columns)
        #expect(toms.rowCount == 8)  // Ann has two organizations
        #expect(toms.column("Role in organization")!.strings.prefix(3) == ["Test Administrator", "Test Administrator", "Test Site Coordinator"])
        #expect(tomsLog.contains("no mapping for 'aide' (1 value), 'student' (1 value), 'guardian' (1 value), kept as written"))

        // mcas: one row per user, organizations joined with |, the username is the e-mail.
        let (mcas, mcasLog) = try convert("mcas")
        #expect(mcas.rowCount == 7)
        #expect(mcas.rows[0] == ["ann.lee@lincoln.k12.ma.us", "Ann", "Lee", "ann.lee@lincoln.k12.ma.us", "TA", "org-hs|org-ms", "", "6175550101", "", ""])
        #expect(mcasLog.contains("left blank (oneroster has no such data): Program, Fax, Address"))
        #expect(mcasLog.contains("Role: no mapping for 'aide'"))

        // pass: roles and the enabled flag through crosswalks, sourcedId as the stable idnumber.
        let (pass, passLog) = try convert("pass")
        #expect(pass.rows[1] == ["Bo", "Cho", "bo.cho@lincoln.k12.ma.us", "admin", "", "Active", "t-002"])
        #expect(passLog.contains("role: no mapping for 'guardian'"))

        // pan: Action left for `actions`; State Code and Disabled from the format's defaults; no source
        // documents pan role codes, so roles stay as written and the report asks for the district's.
        let (pan, panLog) = try convert("pan")
        #expect(pan.rows[0] == ["", "ann.lee@lincoln.k12.ma.us", "CA", "Ann", "Lee", "org-hs|org-ms", "teacher", "", "", "No", ""])
        #expect(panLog.contains("Roles: pan documents no list of role codes, so the values are kept as written"))
        let (panCoded, _) = try convert("pan with role = {\"teacher\": \"TA\", \"administrator\": \"district_admin\"}")
        #expect(panCoded.column("Roles")!.strings.prefix(2) == ["TA", "district_admin"])

        // tao: a full name from first and last; no group in a SIS export, so it is left blank and said.
        let (tao, taoLog) = try convert("tao")
        #expect(tao.column("user_name")![0] == "Ann Lee")
        #expect(tao.column("group_role")![4] == "TEST_TAKER" || tao.column("group_role")!.strings.contains("TEST_TAKER"))
        #expect(taoLog.contains("left blank (oneroster has no such data): user_language, group_name"))
        let (link, _) = try convert("tao_link")
        #expect(link.names == ["user_username", "group_name", "group_role"])
    }

    @Test func aUserMapOverridesTheBuiltInCrosswalk() throws {
        let (mcas, log) = try convert("mcas", "| map role using {\"administrator\": \"DTC\", \"aide\": \"TA\"}")
        #expect(mcas.column("Role")!.strings.prefix(5) == ["TA", "DTC", "DTC", "TA", "TA"])
        #expect(!log.contains("'aide'"))
    }

    @Test func theHighestRoleWinsWhereAUserHasOne() throws {
        let csv = "Email,First Name,Last Name,Org,Role\nann@x.org,Ann,Lee,00050000-00055555,TA\nann@x.org,Ann,Lee,00050000-00055556,STC\n"
        let (s, sink) = try loadedSession("r = u | convert to mcas", tables: ["u": csv])
        #expect(s.tables["r"]!.rows == [["ann@x.org", "Ann", "Lee", "ann@x.org", "STC", "00050000-00055555|00050000-00055556", "", "", "", ""]])
        #expect(sink.stderr.contains("Role: 1 user had several; one per user, so the highest was kept (DTC > STC > TC > TA > RAO): ann@x.org (TA, STC → STC)"))
    }

    @Test func pipeJoinedOrganizationsBecomeOneRowEach() throws {
        let csv = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555|00050000-00055556,,,,\n"
        let (s, _) = try loadedSession("r = u | convert to toms", tables: ["u": csv])
        #expect(s.tables["r"]!.column("CDS code")!.strings == ["00050000-00055555", "00050000-00055556"])
        #expect(s.tables["r"]!.formatName == "toms")
    }

    @Test func disagreeingCellsKeepTheFirstAndSaySo() throws {
        let csv =
            "First name,Last name,CDS code,E-mail address,Telephone number,Role in organization\nAnn,Lee,01611920130229,ann@x.org,510-555-0101,Test Administrator\nAnne,Lee,01611920134106,ann@x.org,,Test Examiner\n"
        let (s, sink) = try loadedSession(
            "r = u | convert to pan with role = {\"Test Administrator\": \"TA\", \"Test Examiner\": \"TE\"}", tables: ["u": csv])
        #expect(s.tables["r"]!.rows == [["", "ann@x.org", "CA", "Ann", "Lee", "01611920130229|01611920134106", "TA|TE", "", "", "No", ""]])
        // Which role went with which school is not kept by pan's two lists, and that is said per user.
        #expect(
            sink.stderr.contains(
                "1 user had different roles at different organizations; pan lists a user's roles and organizations apart, so which role goes with which is not kept: ann@x.org (Test Administrator at 01611920130229, Test Examiner at 01611920134106)"
            ))
        #expect(sink.stderr.contains("First Name: 1 user had different values in their rows; the first was kept: ann@x.org (Ann, Anne → Ann)"))
        #expect(sink.stderr.contains("not carried over (pan has no column for them): Telephone number"))
    }

    /// Point 9: users the SIS marks as not enabled are left out of uploads that activate, and named;
    /// pan disables them with a reason.
    @Test func disabledUsersAreLeftOutOrDisabled() throws {
        for format in ["toms", "mcas", "pass", "tao"] {
            let (t, log) = try convertAll(format)
            #expect(!t.rows.joined().contains("pia.old@lincoln.k12.ma.us"), "\(format)")
            #expect(
                log.contains("left out 1 user the oneroster file marks as not enabled (an upload to \(format) would make them active): 'pold'"), "\(format)")
        }
        let (pan, _) = try convertAll("pan")
        let pia = pan.rows.first { $0[1] == "pia.old@lincoln.k12.ma.us" }!
        #expect(pia[9] == "Yes" && pia[10] == "not enabled in the oneroster file")
    }

    /// Point 11: an ordinary HR export's headings are understood.
    @Test func commonHrHeadings() throws {
        let csv = "first,last,e-mail,job title,school\nAnn,Lee,ann@x.org,Teacher,01611920130229\n"
        let (s, sink) = try loadedSession("r = u | convert to toms", tables: ["u": csv])
        #expect(s.tables["r"]!.rows == [["Ann", "Lee", "01611920130229", "ann@x.org", "", "Teacher"]])
        #expect(sink.stderr.contains("Role in organization: no mapping for 'Teacher'"))
        let (s2, _) = try loadedSession("r = u | convert to pass", tables: ["u": "Given Name,Surname,E-mail\nBo,Cho,bo@x.org\n"])
        #expect(s2.tables["r"]!.rows[0].prefix(3) == ["Bo", "Cho", "bo@x.org"])
    }

    /// Point 10: the highest role is chosen among values the target ranks; the others are reported.
    @Test func rankingOnlyRanksKnownValues() throws {
        let csv = "Email,First Name,Last Name,Org,Role\nann@x.org,Ann,Lee,00050000-00055555,Coach\nann@x.org,Ann,Lee,00050000-00055556,TA\n"
        let (s, sink) = try loadedSession("r = u | convert to mcas", tables: ["u": csv])
        #expect(s.tables["r"]!.column("Role")![0] == "TA")
        #expect(sink.stderr.contains("not in Role's ranking, so never chosen by rank: 'Coach'"))
    }

    @Test func builtInCrosswalksByName() throws {
        let (s, _) = try loadedSession("r = u | map role using oneroster_to_pass", tables: ["u": Self.oneRoster])
        #expect(s.tables["r"]!.column("role")!.strings.prefix(3) == ["teacher", "admin", "admin"])
        let (s2, _) = try loadedSession("", tables: ["u": Self.oneRoster])
        do { try s2.run(SourceFile(name: "t", text: "r = u | map role using oneroster_to_mcsa")); Issue.record("no error") } catch {
            #expect(error.message == "no crosswalk named 'oneroster_to_mcsa'" && error.hints.first == "did you mean 'oneroster_to_mcas'?")
        }
    }

    @Test func formatLinesForConversionsAndUploadsParse() throws {
        let text = """
            format portal "a district's portal"
              columns Login, Given, Family, School, Kind
              meaning Login = email, Given = first_name, Family = last_name, School = organization each ";", Kind = role
              one role per user, highest first "boss", "staff"
              crosswalk role from oneroster {"administrator": "boss", "teacher": "staff"}
              default Kind = "staff"
              key Login ignoring case
              missing users are archived message "gone" warn "the portal archives them"
              separate uploads "New" = create, "Changed" = update + unchanged
              totals "Rows" = total, "Made" = created
            end
            r = u | where enabledUser == "true" and role in ["administrator", "teacher"] | convert to portal
            """
        let (s, _) = try loadedSession(text, tables: ["u": Self.oneRoster])
        #expect(s.tables["r"]!.rows[0] == ["ann.lee@lincoln.k12.ma.us", "Ann", "Lee", "org-hs;org-ms", "staff"])
        let f = s.formats.format(named: "portal")!
        #expect(f.upload.missing.action == .archived && f.upload.separateUploads[1].actions == [.update, .unchanged])
        #expect(f.upload.totals.map(\.label) == ["Rows", "Made"])
    }

    @Test func badFormatLinesSayWhatWasExpected() {
        func error(_ line: String) -> Diagnostic? {
            do { _ = try ScriptParser.parse(SourceFile(name: "f", text: "format p\n  columns A\n  \(line)\nend\n")); return nil } catch { return error }
        }
        #expect(error("totals \"Made\" = creatd")?.hints.first == "did you mean 'created'?")
        #expect(error("crosswalk role from oneroster {\"a\": 1}")?.message == "crosswalk keys and values are text in quotes")
        #expect(error("missing users are deleted message \"x\"")?.message.contains("expected archived or untouched") == true)
        #expect(error("crosswlk role from x {}")?.hints.first == "did you mean 'crosswalk'?")
    }
}
