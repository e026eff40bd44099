import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// The portal rules the seeds state, each checked with rows written in the seed's own words.
@Suite("Portal rules from the guides")
struct PortalRuleTests {
    static let mcas = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n"
    static let pan =
        "Action,Username,State Code,First Name,Last Name,Authorized Organizations,Roles,Active Begin Date,Active End Date,Disabled,Disabled Reason\n"
    static let tao = "user_username,user_name,user_password,user_email,user_language,user_active,group_role,group_name,user_organizationId\n"
    static let pass = "firstname,lastname,email,role,gradyear,status,idnumber\n"

    func notes(_ script: String, _ tables: [String: String]) throws -> [String] {
        let (s, _) = try session("r = u | " + script, tables: tables)
        return s.tables["r"]!.column("Notes")!.strings
    }

    /// MCAS Table 4: "District Test Coordinator … Org = District Code"; a school code is a wrong pairing.
    @Test func mcasDistrictRolesNeedADistrictCode() throws {
        let u = Self.mcas + "Demo_DTC@x.org,Demo,DTC,Demo_DTC@x.org,DTC,00050000-00055555,,,,\nDemo_DTC2@x.org,Demo,DTC,Demo_DTC2@x.org,DTC,00050000,,,,\n"
        #expect(try notes("validate as mcas", ["u": u]) == ["Invalid organization and role pairing", ""])
    }

    /// "User exists with same username" belongs to an Add New Users file (and to a username repeated
    /// in it): with the portal's users given, a known user is an update, and a username repeated in an
    /// Update Existing Users file gets roster's own words (the guide gives none), not the Add message.
    @Test func mcasKnownUsersAreUpdates() throws {
        let u = Self.mcas + "ann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\nANN@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n"
        let (s, sink) = try session("r = u | validate as mcas with users = c", tables: ["u": u, "c": "Username\nann@x.org\n"])
        #expect(
            s.tables["r"]!.column("Notes")!.strings == [
                "", "the same username twice in one Update Existing Users file (roster's words: the guide gives no message for this)",
            ])
        #expect(s.tables["r"]!.column("Upload")!.strings == ["Update Existing Users", "Update Existing Users"])
        #expect(try notes("validate as mcas", ["u": u]) == ["", "User exists with same username"])
        #expect(sink.stderr.contains("2 rows are users the portal has (1 given): they go in Update Existing Users; the other 0 in Add New Users"))
    }

    /// MCAS: "at most 200 records"; a chunk above that, and a file that is not .csv, are errors before
    /// anything is written.
    @Test func mcasFileRulesOnSave() throws {
        let u = Self.mcas + "ann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n"
        let (s, _) = try session("", tables: ["u": u])
        do {
            try s.run(SourceFile(name: "t", text: "u | save \"add.csv\" as mcas chunk 500"))
            Issue.record("no error")
        } catch { #expect(error.message == "chunk 500 is above what mcas takes: at most 200 rows a file") }
        do {
            try s.run(SourceFile(name: "t", text: "u | save \"add.xlsx\" as mcas"))
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("The uploaded file is not in the expected .CSV format. Please update the file and try again."))
            #expect(error.hints == ["save it as \"add.csv\""])
        }
    }

    /// PearsonAccess: dates are M/D/YYYY and must be real dates (2/30/2025 is not).
    @Test func panDatesAreRealDates() throws {
        let u = Self.pan + "Create,a@x.org,CA,Ann,Lee,01611920130229,TA,2/30/2025,,No,\nCreate,b@x.org,CA,Bo,Cho,01611920130229,TA,2/28/2025,3/30/2025,No,\n"
        #expect(try notes("validate as pan", ["u": u]) == ["Active Begin Date must be a real date (M/D/YYYY)", ""])
    }

    /// TOMS: one row per user and organization.
    @Test func tomsTheSameUserTwiceAtOneSite() throws {
        let u =
            "First name,Last name,CDS code,E-mail address,Telephone number,Role in organization\nAnn,Lee,01611920130229,ann@x.org,,Test Administrator\nAnn,Lee,01611920130229,ANN@x.org,,Test Examiner\nAnn,Lee,01611920134106,ann@x.org,,Test Examiner\n"
        // The guide does not say TOMS rejects a second row: accepted with a warning that suggests the
        // combined role (and a danger in a plan).
        #expect(try notes("validate as toms", ["u": u]) == ["", "", ""])
        let (s, _) = try session("", tables: ["u": u])
        let f = FormatRegistry.standard.format(named: "toms")!
        #expect(
            try FormatValidator(f).warnings(s.tables["u"]!, bindings: s).map(\.message) == [
                "Test Administrator and Test Examiner for one user at one organization: one row with Role in organization 'Test Administrator & Test Examiner' instead of two"
            ])
        let twice =
            "First name,Last name,CDS code,E-mail address,Telephone number,Role in organization\nAnn,Lee,01611920130229,ann@x.org,,Test Administrator\nAnn,Lee,01611920130229,ANN@x.org,,Test Administrator\n"
        let (s2, _) = try session("", tables: ["u": twice])
        #expect(try FormatValidator(f).warnings(s2.tables["u"]!, bindings: s2).map(\.rows) == [[1]])
    }

    /// TAO: "user_password … is only mandatory when creating a new user"; group_name "references an
    /// existing group"; a user's fields agree across its group rows.
    @Test func taoRulesOnThePortalsData() throws {
        let u = Self.tao + "user1,UserName,,u1@x.org,EN-US,TRUE,TEST_TAKER,Group A,root\nuser2,Two,,u2@x.org,en-US,TRUE,GRADER,GroupB,root\n"
        let c = Self.tao + "user1,UserName,,u1@x.org,en-US,TRUE,TEST_TAKER,Group A,root\n"
        // Without the portal's users no one is known to be new: the password rule is not checked.
        #expect(try notes("validate as tao", ["u": u]) == ["", ""])
        #expect(
            try notes("validate as tao with users = c, groups = g", ["u": u, "c": c, "g": "group_name\nGroup A\n"]) == [
                "", "user_password is required when creating a user; group_name must be an existing group",
            ])
        let twoRows =
            Self.tao + "user3,Three,Aa1!aaaa,u3@x.org,en-US,TRUE,GRADER,Group A,root\nuser3,Three,Aa1!aaaa,other@x.org,en-US,TRUE,GRADER,GroupB,root\n"
        let agree = try notes("validate as tao", ["u": twoRows])
        #expect(agree.allSatisfy { $0.hasPrefix("the rows of one user differ in user_name") })
    }

    /// Pass: the e-mail's domain must be one of the school's domains (`with domains = […]`).
    @Test func passDomains() throws {
        let u = Self.pass + "Ann,Lee,ann@riverside.edu,teacher,,Active,\nBo,Cho,bo@gmail.com,teacher,,Active,\n"
        #expect(try notes("validate as pass with domains = [\"Riverside.edu\"]", ["u": u]) == ["", "email's domain is not one of the school's domains"])
        #expect(try notes("validate as pass", ["u": u]) == ["", ""])  // without the list, not judged
    }

    /// A note in the portal's error file that roster cannot check stays through fix and validate;
    /// roster's own messages are judged again (the fixed row is clean).
    @Test func thePortalsWordStays() throws {
        let errors: String =
            "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address,Notes\n"
            + "Demo_DTC@x.org,Demo,DTC,demoDTC@x.org,DTC,00050000,,,,,User exists with same username\n"
            + "Demo_TA@x.org,Demo,TA,demoTA@x.org,ta ,00050000-00055555,,,,,Invalid role.\n"
            + "Demo_TC@x.org,Demo,TC,demoTC@x.org,TC,00050000,,,,,Some note the guide does not list\n"
        let (s, sink) = try session("r = u | fix as mcas | validate as mcas", tables: ["u": errors])
        #expect(s.tables["r"]!.column("Notes")!.strings == ["User exists with same username", "", "Some note the guide does not list"])
        #expect(sink.stderr.contains("the portal's note 'User exists with same username' stays on 1 row"))
        #expect(sink.stderr.contains("Modify the username (the guide's Table 6)"))
        #expect(sink.stderr.contains("the portal's guide gives no advice for this note"))
    }

    /// Did-you-mean: a swapped pair of letters is one edit.
    @Test func swappedLettersAreOneEdit() {
        #expect(Suggest.distance("mcsa", "mcas") == 1)
        #expect(Suggest.distance("Fanme", "Fname") == 1)
        #expect(Suggest.nearest("mcsa", in: ["csv", "toms", "mcas", "pass", "pan", "tao", "tao_link", "oneroster"]) == "mcas")
        #expect(Suggest.distance("ab", "ba") == 1 && Suggest.distance("abc", "ca") == 3)
    }
}
