import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Each portal's plan, checked against counts made by hand from the sample data in Tests/Fixtures/plans/<portal>/data
/// (the recipe's comments and the README say which row is which case).
@Suite("Upload plans")
struct PlanTests {
    /// Runs a recipe without writing anything and plans its upload again for the result, with the
    /// recipe's own `plan` clause (its `with` tables and `covering`).
    func plan(_ recipe: String, upload: String, current: String, as format: String, _ more: String = "") throws -> (Planner.Result, Table) {
        // The recipes as they were when these plans were written down, with their data: inputs that
        // exercise the planner (blank cells, Excel damage, leavers), kept apart from the recipes.
        let folder = projectRoot + "/Tests/Fixtures/plans/" + recipe
        let s = Session(output: BufferSink(), baseDirectory: folder)
        s.quiet = true
        s.dryRun = true
        try s.run(SourceFile(name: "rollover.roster", text: readText(folder + "/rollover.roster")!))
        let statements = try ScriptParser.parse(SourceFile(name: "t", text: "plan \(upload) against \(current) as \(format) \(more)"))
        guard case .plan(_, _, let clause) = statements[0].kind else { throw Diagnostic.runtime("not a plan", at: SourceRange(offset: 0, length: 0)) }
        return try s.plan(s.tables[upload]!, clause, at: SourceRange(offset: 0, length: 0))
    }

    func counts(_ r: Planner.Result) -> [PlanAction: Int] {
        var out: [PlanAction: Int] = [:]
        for a in PlanAction.allCases where r.count(a) > 0 { out[a] = r.count(a) }
        return out
    }

    func danger(_ r: Planner.Result, _ title: String) -> [String] {
        r.dangers.first { $0.title.contains(title) }?.lines ?? []
    }

    @Test func mcas() throws {
        let (r, t) = try plan("mcas", upload: "upload", current: "users", as: "mcas")
        // ann, dee, hal unchanged; bo role, cy school, gus e-mail updated; kim new; max (Counselor),
        // nia (TA at the district) and oz (DTC at a school) rejected; eli and fay not on staff.
        #expect(counts(r) == [.create: 1, .update: 3, .unchanged: 3, .reject: 3, .untouched: 2])
        // Two files, each with the portal's five lines over its own rows (point 3).
        let f = FormatRegistry.standard.format(named: "mcas")!
        let sums = { (u: String) in f.upload.totals.map { $0.counts.reduce(0) { $0 + r.count($1, in: u) } } }
        // Each over the file a save writes: rejected rows and rows with a danger are withheld for a person.
        #expect(sums("Add New Users") == [1, 0, 1, 1, 0])  // kim; max, nia and oz rejected, withheld
        #expect(sums("Update Existing Users") == [3, 0, 3, 0, 3])  // unchanged rows need no upload; Gus's case is a notice
        #expect(r.withheld(in: "Add New Users") == (rejected: 3, dangers: 0))
        #expect(r.withheld(in: "Update Existing Users") == (rejected: 0, dangers: 0))
        #expect(danger(r, "in case or spaces").count == 1 && danger(r, "in case or spaces")[0].contains("Gus.Hahn@"))
        #expect(danger(r, "cannot deactivate") == ["eli.fox@lincoln.k12.ma.us", "fay.gold@lincoln.k12.ma.us"])
        #expect(danger(r, "not the user's e-mail address") == ["row 6 hito"])
        #expect(t.column("Reason")![1] == "changes Role (TA → STC)")
        #expect(t.rowCount == 12)  // 10 rows of the file, then the 2 users it leaves out
    }

    @Test func toms() throws {
        let (r, _) = try plan("toms", upload: "upload", current: "past", as: "toms")
        // ann (2 schools), bo, dee activated; bo at a new school, eva (twice at one school), fred, gil
        // created; hana's role "Teacher" and ivy's 12-digit code rejected; cy stays inactive.
        #expect(counts(r) == [.activate: 4, .create: 5, .reject: 2, .untouched: 1])
        #expect(r.entries.first { r.label($0).hasPrefix("bo.cho@oakusd.org at 01611920134106") }?.reason == "adds the existing user to CDS code 01611920134106")
        // eva is Test Administrator and Test Examiner at one school: TOMS's one role for both is suggested.
        // eva is Test Administrator and Test Examiner at one school: the guide does not say TOMS rejects
        // a second row, so it is a danger (withheld by a save) suggesting TOMS's one role for both.
        #expect(
            danger(
                r,
                "Test Administrator and Test Examiner for one user at one organization: one row with Role in organization 'Test Administrator & Test Examiner'")
                == ["row 11 eva.ford@oakusd.org at 01611920130229"])
        #expect(r.dangers.count == 1)
    }

    @Test func pass() throws {
        let (r, _) = try plan(
            "pass", upload: "master", current: "current", as: "pass",
            #"with synced = synced, domains = ["riverside.edu"] covering lower(role) in ["admin", "teacher", "staff"]"#)
        // ann same (Teacher/teacher, 1/Active are the same to Pass); bo role, dee and jo (by idnumber),
        // hana (Excel '?') updated; cdiaz, fay, kai, zed created; gus has no e-mail and max's domain is
        // not the school's; cy's old account and eli archived; ivy is a student, outside this file.
        #expect(counts(r) == [.unchanged: 1, .update: 4, .create: 4, .reject: 2, .archive: 2])
        #expect(r.uncovered == 1)
        #expect(danger(r, "archives every user") == ["cy.diaz@riverside.edu", "eli.fox@riverside.edu"])
        #expect(danger(r, "without idnumber").count == 1 && danger(r, "without idnumber")[0].contains("cdiaz@riverside.edu looks like cy.diaz@riverside.edu"))
        #expect(danger(r, "share an idnumber") == ["row 6 fay.gold@riverside.edu: idnumber 1006", "row 10 kai.lu@riverside.edu: idnumber 1006"])
        #expect(danger(r, "synced from Securly Sync, ClassLink or Clever") == ["row 12 zed.roe@riverside.edu"])
        #expect(danger(r, "another portal user holds").count == 1)
        #expect(danger(r, "Excel could not encode") == ["row 8 hana.nguyen@riverside.edu: lastname 'Nguy?n' would replace the portal's 'Nguyễn'"])
        #expect(r.entries.first { r.label($0) == "dee.ross@riverside.edu" }!.reason.contains("idnumber keeps the user and its history"))
        #expect(r.entries.first { r.label($0) == "ann.lee@riverside.edu" }!.action == .unchanged)
    }

    @Test func pan() throws {
        let (r, t) = try plan("pan", upload: "upload", current: "current", as: "pan")
        // ann loses a school and her dates; bo gains a school and role; cy disabled as a leaver by
        // `actions`; eva, gil created; fay's username is no e-mail; dee was disabled last year.
        #expect(counts(r) == [.update: 3, .create: 2, .reject: 1, .untouched: 1])
        #expect(r.count(PlanCount.disabled) == 1)
        #expect(danger(r, "in case or spaces").count == 1)
        #expect(danger(r, "the row replaces the account's data") == ["row 2 ann.lee@elmusd.org: Authorized Organizations loses 01611920134106"])
        #expect(danger(r, "erase").count == 2)
        // The plan adds Plan and Reason and changes no cell of the file (point 1).
        #expect(t.column("Action")!.strings == ["Update", "Update", "Create", "Create", "Create", "Update", ""])
        #expect(t.column("Plan")!.strings == ["Update", "Update", "Create", "Reject", "Create", "Update", "Untouched"])
    }

    @Test func tao() throws {
        let (r, _) = try plan("tao", upload: "upload", current: "current", as: "tao", "with groups = groups")
        // ann in G5 same; ann joins G6 and eva is new; bo's e-mail is blank, kai's role and lu's
        // active flag are blank; cy (FALSE) and jo (blank) leave their groups; ANN.LEE has no password
        // as a new user, max's language is unknown, G8-Art is no group of the portal's.
        #expect(counts(r) == [.unchanged: 1, .create: 2, .update: 3, .remove: 2, .reject: 3])
        #expect(danger(r, "erase") == ["row 4 bo.cho at G5-Math: user_email is blank; the portal's 'bo.cho@school.org' will be erased"])
        #expect(danger(r, "blank group_role") == ["row 10 kai.lim at G6-ELA: the portal's 'GRADER' becomes TEST_TAKER"])
        #expect(danger(r, "blank user_active") == ["row 11 lu.ng at G5-Math: the portal's 'FALSE' becomes TRUE"])
        #expect(danger(r, "group_user_active is blank") == ["row 6 jo.park at G6-ELA"])
        #expect(danger(r, "in case or spaces").count == 1 && danger(r, "in case or spaces")[0].contains("'ANN.LEE'"))
    }

    @Test func oneRoster() throws {
        let (r, _) = try plan("oneroster", upload: "mcas", current: "current", as: "mcas")
        // ann gains a school, bo becomes STC; dee (DTC by the recipe's override) same; kim new;
        // max is an aide (no MCAS role); pia is disabled in the SIS: left out by convert, untouched.
        #expect(counts(r) == [.update: 2, .unchanged: 1, .create: 1, .reject: 1, .untouched: 1])
    }

    /// `reconcile` on the TOMS recipe's sample: every person and school gets one decision, with why.
    @Test func reconcileDecidesEachPersonAtEachSchool() throws {
        let folder = projectRoot + "/Scripts/toms"
        let s = Session(output: BufferSink(), baseDirectory: folder)
        s.quiet = true
        s.dryRun = true
        s.paramOverrides = ["roles": "data/roles.csv"]
        try s.run(SourceFile(name: "rollover.roster", text: readText(folder + "/rollover.roster")!))
        let d = s.tables["decided"]!
        let who = d.column("E-mail address")!.strings, at = d.column("CDS code")!.strings, decision = d.column("Decision")!.strings
        func decided(_ email: String, _ cds: String) -> String? { (0..<d.rowCount).first { who[$0] == email && at[$0] == cds }.map { decision[$0] } }
        #expect(decided("ann.lee@oakusd.org", "01611920130229") == "keep")
        #expect(decided("cy.diaz@oakusd.org", "01611920130229") == "update")  // promoted at the same school: this year's role goes up
        #expect(decided("bo.cho@oakusd.org", "01611920134106") == "create")  // a second school
        #expect(decided("gil.hart@oakusd.org", "01611920134106") == "create")  // Excel's dropped zero put back before matching
        #expect(decided("dee.evans@oakusd.org", "01611920000000") == "leave")  // not on the staff list: stays inactive
        #expect(decided("klo@oakusd.org", "01611920134106") == "review")  // a changed e-mail? no stable id to tell
        #expect(decided("kim.lo@oakusd.org", "01611920134106") == "review")
        let eva = (0..<d.rowCount).filter { who[$0] == "eva.ford@oakusd.org" }
        #expect(eva.count == 1 && d.column("Role in organization")![eva[0]] == "Test Administrator & Test Examiner")
        #expect(d.column("Why")!.strings.allSatisfy { !$0.isEmpty })
    }

    /// The summary is the file: the MCAS recipe's plan, per upload, says what the files a save wrote
    /// hold — planned again from the written files, they give the same totals, and nothing in them
    /// is rejected or in a danger.
    @Test func thePlanSummaryIsOfTheWrittenFiles() throws {
        let work = temporaryFolder()
        try FileManager.default.copyItem(atPath: projectRoot + "/Scripts/mcas", toPath: work + "/mcas")
        try? FileManager.default.removeItem(atPath: work + "/mcas/out")
        let folder = work + "/mcas"
        let s = Session(output: BufferSink(), baseDirectory: folder)
        s.quiet = true
        s.paramOverrides = ["roles": "data/roles.csv"]
        try s.run(SourceFile(name: "rollover.roster", text: readText(folder + "/rollover.roster")!))
        let statements = try ScriptParser.parse(SourceFile(name: "t", text: "plan decided against portal as mcas"))
        guard case .plan(_, _, let clause) = statements[0].kind else { Issue.record("not a plan"); return }
        let (printed, _) = try s.plan(s.tables["decided"]!, clause, at: SourceRange(offset: 0, length: 0))
        let f = FormatRegistry.standard.format(named: "mcas")!
        for (upload, file) in [("Add New Users", "mcas-add.csv"), ("Update Existing Users", "mcas-update.csv")] {
            let path = folder + "/out/" + file
            let written = try CSVReader.read(bytes: Array(readText(path)!.utf8), path: path).table
            s.bindTable("written", written)
            let again = try ScriptParser.parse(SourceFile(name: "t", text: "plan written against portal as mcas"))
            guard case .plan(_, _, let c2) = again[0].kind else { return }
            let (replanned, _) = try s.plan(written, c2, at: SourceRange(offset: 0, length: 0))
            let totals = { (r: Planner.Result, name: String?) in f.upload.totals.map { $0.counts.reduce(0) { $0 + r.count($1, in: name) } } }
            #expect(totals(printed, upload) == totals(replanned, upload), "\(upload)")
            #expect(written.rowCount == printed.count(.total, in: upload))
            #expect(replanned.count(.reject) == 0)
            #expect(replanned.written().count == written.rowCount, "every row of \(file) is one the plan would write")
        }
    }

    @Test func planStatementPrintsThePortalsTerms() throws {
        let current = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n"
        let upload =
            "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,STC,00050000-00055555,,,,\nbo@x.org,Bo,Cho,bo@x.org,TA,00050000-00055555,,,,\nx,Cy,Diaz,cy@x.org,TA,00050000-00055555,,,,\n"
        let (_, sink) = try session("plan u against c as mcas", tables: ["u": upload, "c": current])
        // The summary is of the file a save writes: the rejected row is withheld, not in it.
        #expect(sink.stdout.contains("  Add New Users (Create): 1 row; withheld for a person, not in the file: 1 rejected row\n"))
        let lines = sink.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.filter { $0 == "Number of Users Created 1" }.count == 1)  // the add file's line; the update file's says 0
        #expect(lines.filter { $0 == "Number of Records Rejected 0" }.count == 2)
        #expect(sink.stdout.contains("the portal will say: \"The uploaded file has been processed and 1 user(s) have been successfully uploaded.\""))
        #expect(sink.stdout.contains("row 2  ann@x.org — changes Role (TA → STC)"))
    }

    /// Point 2: a portal user whose row is rejected is planned once, as the rejected row.
    @Test func aRejectedUserIsNotAlsoLeftOut() throws {
        let current = "firstname,lastname,email,role,gradyear,status,idnumber\nAnn,Lee,ann@x.org,teacher,,Active,\n"
        let upload = "firstname,lastname,email,role,gradyear,status,idnumber\nAnn,,ann@x.org,teacher,,Active,\n"
        let (s, _) = try session("p = u | plan against c as pass", tables: ["u": upload, "c": current])
        let p = s.tables["p"]!
        #expect(p.rowCount == 1 && p.column("Plan")![0] == "Reject")
        #expect(p.column("Reason")![0] == "lastname is required (this row is not uploaded; not in the file: Pass archives users missing from a full upload)")
    }

    /// Point 4: no false changes — each portal's comparison rules and blank defaults.
    @Test func comparisonsFollowThePortal() throws {
        let tao = "user_username,user_name,user_password,user_email,user_language,user_active,group_role,group_name,user_organizationId\n"
        let (s, _) = try session(
            "p = u | plan against c as tao",
            tables: [
                "c": tao + "ann,Ann Lee,,a@x.org,en-US,TRUE,TEST_TAKER,G1,root\nbo,Bo Cho,,b@x.org,en-US,1,GRADER,G1,root\n",
                "u": tao + "ann,Ann Lee,,a@x.org,EN-US,,,G1,root\nbo,Bo Cho,,b@x.org,en-us,true,GRADER,G1,root\n",
            ])
        #expect(s.tables["p"]!.column("Plan")!.strings == ["Unchanged", "Unchanged"])
        let pan = "Action,Username,State Code,First Name,Last Name,Authorized Organizations,Roles,Active Begin Date,Active End Date,Disabled,Disabled Reason\n"
        let (s2, _) = try session(
            "p = u | plan against c as pan",
            tables: ["c": pan + ",a@x.org,CA,Ann,Lee,01611920130229,ta,,,no,\n", "u": pan + "Update,a@x.org,CA,Ann,Lee,01611920130229,TA,,,No,\n"])
        #expect(s2.tables["p"]!.column("Plan")!.strings == ["Unchanged"])
        // A blank Action is the file's, and the portal rejects it.
        let (s3, _) = try session(
            "p = u | plan against c as pan",
            tables: ["c": pan + ",a@x.org,CA,Ann,Lee,01611920130229,TA,,,No,\n", "u": pan + ",a@x.org,CA,Ann,Lee,01611920130229,TA,,,No,\n"])
        #expect(s3.tables["p"]!.column("Plan")!.strings == ["Reject"] && s3.tables["p"]!.column("Action")!.strings == [""])
    }

    /// `actions` is the explicit step that writes PearsonAccess actions and disables leavers.
    @Test func actionsWritesTheActionColumn() throws {
        let pan = "Action,Username,State Code,First Name,Last Name,Authorized Organizations,Roles,Active Begin Date,Active End Date,Disabled,Disabled Reason\n"
        let (s, sink) = try session(
            "a = u | actions against c as pan disabling \"Left in 2026\"",
            tables: [
                "c": pan
                    + ",a@x.org,CA,Ann,Lee,01611920130229,TA,,,No,\n,b@x.org,CA,Bo,Cho,01611920130229,TA,,,No,\n,d@x.org,CA,Dee,Ng,01611920130229,TA,,,Yes,Retired\n",
                "u": pan + "Create,a@x.org,CA,Ann,Lee,01611920130229,TA,,,No,\n,n@x.org,CA,Nia,Oh,01611920130229,TA,,,No,\n",
            ])
        let a = s.tables["a"]!
        #expect(a.column("Action")!.strings == ["Update", "Create", "Update"])
        #expect(a.column("Username")!.strings == ["a@x.org", "n@x.org", "b@x.org"])
        #expect(a.column("Disabled")![2] == "Yes" && a.column("Disabled Reason")![2] == "Left in 2026")
        #expect(sink.stderr.contains("row 2 Create → Update"))
        #expect(throws: Diagnostic.self) { try s.run(SourceFile(name: "t", text: "x = u | actions against c as mcas")) }
    }

    /// Pass: a file of adults beside a file of students — the students are not archived by this one.
    @Test func coveringLeavesOtherUsersAlone() throws {
        let pass = "firstname,lastname,email,role,gradyear,status,idnumber\n"
        let (s, sink) = try session(
            "plan u against c as pass covering role != \"student\" and not isblank(role)",
            tables: ["c": pass + "Ann,Lee,a@x.org,teacher,,Active,\nSam,Young,s@x.org,,2027,Active,\n", "u": pass + "Bo,Cho,b@x.org,teacher,,Active,\n"])
        _ = s
        #expect(sink.stdout.contains("Archive        1"))
        #expect(sink.stdout.contains("1 portal user outside this upload (covering role != \"student\" and not isblank(role))"))
    }

    @Test func planErrorsNameTheMissingKey() throws {
        let (s, _) = try session("", tables: ["u": "Fname\nAnn\n", "c": "Username\nann@x.org\n"])
        #expect(throws: Diagnostic.self) { try s.run(SourceFile(name: "t", text: "plan u against c as mcas")) }
        do { try s.run(SourceFile(name: "t", text: "plan u against c as mcas")) } catch {
            #expect(error.message.contains("no Username column"))
        }
        do { try s.run(SourceFile(name: "t", text: "r = u | plan against cc as mcas")) } catch {
            #expect(error.message == "no table named 'cc'" && error.hints.contains("did you mean 'c'?"))
        }
    }
}
