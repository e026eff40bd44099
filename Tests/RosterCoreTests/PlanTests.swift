import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Each recipe's plan, checked against counts made by hand from its sample data in Scripts/<portal>/data
/// (the recipe's comments and the README say which row is which case).
@Suite("Upload plans")
struct PlanTests {
    /// Runs a recipe without writing anything and plans its upload again for the result.
    func plan(_ recipe: String, upload: String, current: String, as format: String) throws -> (Planner.Result, Table) {
        let folder = projectRoot + "/Scripts/" + recipe
        let s = Session(output: BufferSink(), baseDirectory: folder)
        s.quiet = true
        s.dryRun = true
        try s.run(SourceFile(name: "rollover.roster", text: readText(folder + "/rollover.roster")!))
        let f = s.formats.format(named: format)!
        return try Planner(f).plan(s.tables[upload]!, against: s.tables[current]!, bindings: s, at: SourceRange(offset: 0, length: 0))
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
        // ann, dee unchanged; bo role, cy school, gus e-mail updated; kim new; max (Counselor) and nia
        // (TA at the district) rejected; eli and fay not on staff.
        #expect(counts(r) == [.create: 1, .update: 3, .unchanged: 2, .reject: 2, .untouched: 2])
        let totals = FormatRegistry.standard.format(named: "mcas")!.upload.totals.map { ($0.label, $0.counts.reduce(0) { $0 + r.count($1) }) }
        #expect(totals.map(\.1) == [8, 2, 6, 1, 5])
        #expect(totals[0].0 == "Total number of records present in the uploaded file")
        #expect(danger(r, "in case or spaces").count == 1 && danger(r, "in case or spaces")[0].contains("Gus.Hahn@"))
        #expect(danger(r, "cannot deactivate") == ["eli.fox@lincoln.k12.ma.us", "fay.gold@lincoln.k12.ma.us"])
        #expect(t.column("Reason")![1] == "changes Role (TA → STC)")
        #expect(t.rowCount == 10)  // 8 rows of the file, then the 2 users it leaves out
    }

    @Test func toms() throws {
        let (r, _) = try plan("toms", upload: "upload", current: "past", as: "toms")
        // ann (2 schools), bo, dee activated; bo at a new school, eva, fred, gil created; hana's
        // role "Teacher" rejected; cy not on staff stays inactive.
        #expect(counts(r) == [.activate: 4, .create: 4, .reject: 1, .untouched: 1])
        #expect(r.entries.first { $0.label.hasPrefix("bo.cho@oakusd.org at 01611920134106") }?.reason == "adds the existing user to CDS code 01611920134106")
        #expect(r.dangers.isEmpty)
    }

    @Test func pass() throws {
        let (r, _) = try plan("pass", upload: "master", current: "current", as: "pass")
        // ann same; bo role, dee e-mail (kept by idnumber) updated; cy's new e-mail and fay created;
        // gus has no e-mail; cy's old account and eli archived.
        #expect(counts(r) == [.unchanged: 1, .update: 2, .create: 2, .reject: 1, .archive: 2])
        #expect(danger(r, "archives every user") == ["cy.diaz@riverside.edu", "eli.fox@riverside.edu"])
        #expect(danger(r, "without idnumber").count == 1 && danger(r, "without idnumber")[0].contains("cdiaz@riverside.edu looks like cy.diaz@riverside.edu"))
        #expect(r.entries.first { $0.label == "dee.ross@riverside.edu" }!.reason.contains("idnumber keeps the user and its history"))
    }

    @Test func pan() throws {
        let (r, t) = try plan("pan", upload: "upload", current: "current", as: "pan")
        // ann same; bo's second school and role, cy disabled as a leaver; eva, gil created; fay's
        // username is no e-mail; dee was disabled last year and is left alone.
        #expect(counts(r) == [.unchanged: 1, .update: 2, .create: 2, .reject: 1, .untouched: 1])
        #expect(r.count(PlanCount.disabled) == 1)
        #expect(danger(r, "in case or spaces").count == 1)
        // The file's own Action column holds the portal's words.
        #expect(t.column("Action")!.strings == ["Update", "Update", "Create", "Reject", "Create", "Update", "Untouched"])
    }

    @Test func tao() throws {
        let (r, _) = try plan("tao", upload: "upload", current: "current", as: "tao")
        // ann in G5 same; ann joins G6 and eva is new; bo's e-mail is blank; cy (FALSE) and jo (blank)
        // leave their groups; ANN.LEE has no password as a new user and max's language is unknown;
        // kai is not in the file.
        #expect(counts(r) == [.unchanged: 1, .create: 2, .update: 1, .remove: 2, .reject: 2, .untouched: 1])
        #expect(danger(r, "erase") == ["row 4 bo.cho at G5-Math: user_email is blank; the portal's 'bo.cho@school.org' will be erased"])
        #expect(danger(r, "group_user_active is blank") == ["row 6 jo.park at G6-ELA"])
        #expect(danger(r, "in case or spaces").count == 1 && danger(r, "in case or spaces")[0].contains("'ANN.LEE'"))
    }

    @Test func oneRoster() throws {
        let (r, _) = try plan("oneroster", upload: "mcas", current: "current", as: "mcas")
        // ann gains a school, bo becomes STC; dee (DTC by the recipe's override) same; kim new;
        // max is an aide (no MCAS role); pia is disabled in the SIS and left for a person.
        #expect(counts(r) == [.update: 2, .unchanged: 1, .create: 1, .reject: 1, .untouched: 1])
    }

    @Test func planStatementPrintsThePortalsTerms() throws {
        let current = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n"
        let upload =
            "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nann@x.org,Ann,Lee,ann@x.org,STC,00050000-00055555,,,,\nbo@x.org,Bo,Cho,bo@x.org,TA,00050000-00055555,,,,\n"
        let (_, sink) = try session("plan u against c as mcas", tables: ["u": upload, "c": current])
        #expect(sink.stdout.contains("  Number of Users Created                                   1\n"))
        #expect(sink.stdout.contains("row 2  ann@x.org — changes Role (TA → STC)"))
        #expect(sink.stdout.contains("Add New Users: 1 row in 1 file (Create)"))
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
