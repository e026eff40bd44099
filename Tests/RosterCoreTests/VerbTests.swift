import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Runs `text` with tables bound from CSV and returns the session (its tables) and what it printed.
func session(_ text: String, tables: [String: String]) throws -> (Session, BufferSink) {
    let sink = BufferSink()
    let s = Session(output: sink)
    for (name, csv) in tables { s.bindTable(name, try CSVReader.read(bytes: Array(csv.utf8), path: "\(name).csv").table) }
    try s.run(SourceFile(name: "test", text: text))
    return (s, sink)
}

func rows(_ text: String, _ tables: [String: String]) throws -> [[String]] {
    let (s, _) = try session(text, tables: tables)
    let t = s.tables["r"]!
    return [t.names] + t.rows
}

@Suite("Verbs")
struct VerbTests {
    static let users = """
        Email,Role,Org
        a@x.org,TA,01
        b@x.org,STC,02
        a@x.org,TA,03
        c@x.org,DTC,01

        """
    static let hr = "email,title\nb@x.org,Principal\na@x.org,Teacher\nd@x.org,Nurse\n"

    @Test func whereKeepsMatchingRows() throws {
        #expect(try rows("r = u | where Role == \"TA\"", ["u": Self.users]) == [["Email", "Role", "Org"], ["a@x.org", "TA", "01"], ["a@x.org", "TA", "03"]])
    }

    @Test func selectOrdersRenamesAndComputes() throws {
        #expect(
            try rows("r = u | head 1 | select Org, Role as R, Mail = upper(Email)", ["u": Self.users]) == [["Org", "R", "Mail"], ["01", "TA", "A@X.ORG"]])
    }

    @Test func dropAndRename() throws {
        #expect(try rows("r = u | head 1 | drop Org | rename Role as `Role code`", ["u": Self.users]) == [["Email", "Role code"], ["a@x.org", "TA"]])
    }

    @Test func setAddsReplacesAndHonoursWhere() throws {
        #expect(
            try rows("r = u | head 2 | set Role = \"X\", New = Org & \"!\" where Org == \"02\"", ["u": Self.users])
                == [["Email", "Role", "Org", "New"], ["a@x.org", "TA", "01", ""], ["b@x.org", "X", "02", "02!"]])
        #expect(try rows("r = u | head 2 | set New = Org & \"!\"", ["u": Self.users]).last! == ["b@x.org", "STC", "02", "02!"])
        // Later assignments see earlier ones.
        #expect(try rows("r = u | head 1 | set A = \"1\", B = A & \"2\"", ["u": Self.users]).last! == ["a@x.org", "TA", "01", "1", "12"])
    }

    @Test func mapReportsValuesWithNoEntry() throws {
        let (s, sink) = try session("r = u | map Role using {\"TA\": \"Test Administrator\", \"STC\": \"School Test Coordinator\"}", tables: ["u": Self.users])
        #expect(s.tables["r"]!.column("Role")!.strings == ["Test Administrator", "School Test Coordinator", "Test Administrator", "DTC"])
        #expect(sink.stderr.contains("map: 1 row of Role had no entry and kept their value: 'DTC'"))
        let (s2, _) = try session("r = u | map Role using {\"TA\": \"T\"} else \"?\"", tables: ["u": Self.users])
        #expect(s2.tables["r"]!.column("Role")!.strings == ["T", "?", "T", "?"])
    }

    /// `where` and `collapse` work in place on a table no one else holds; a table still bound to a
    /// name is never changed through them.
    @Test func verbsThatWorkInPlaceLeaveBoundTablesAlone() throws {
        let (s, _) = try session("r = t | where Role == \"TA\"\nc = t | collapse by Email join Org", tables: ["t": Self.users])
        #expect(s.tables["t"]!.rows == (try CSVReader.read(bytes: Array(Self.users.utf8), path: "t.csv").table.rows))
        #expect(s.tables["r"]!.rows == [["a@x.org", "TA", "01"], ["a@x.org", "TA", "03"]])
        #expect(s.tables["c"]!.rows == [["a@x.org", "TA", "01|03"], ["b@x.org", "STC", "02"], ["c@x.org", "DTC", "01"]])
        let (fresh, _) = try session("r = (t | where Role == \"TA\") | collapse by Email join Org", tables: ["t": Self.users])
        #expect(fresh.tables["r"]!.rows == [["a@x.org", "TA", "01|03"]])
    }

    /// `lower` and `upper` change a column another function just made where it is, and never a
    /// column a table holds; text with accents goes the per-cell way.
    @Test func caseMappingInPlaceLeavesTablesAlone() throws {
        for extra in ["", "\" Zoé@X.org \",TA,04\n"] {
            let users = Self.users + extra
            let (s, _) = try session("r = t | set L = lower(Email), M = lower(trim(Email)), U = upper(trim(Email))", tables: ["t": users])
            let t = s.tables["t"]!, r = s.tables["r"]!
            let email = t.column("Email")!.strings
            #expect(email == (try CSVReader.read(bytes: Array(users.utf8), path: "t.csv").table.column("Email")!.strings))
            #expect(r.column("L")!.strings == email.map { $0.lowercased() })
            #expect(r.column("M")!.strings == email.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(r.column("U")!.strings == email.map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
        }
    }

    /// On a table large enough for the two-thread paths (partitioned index, columns side by side),
    /// collapse agrees with a plain dictionary reference, in place and on a table still bound.
    @Test func collapseOnManyRowsAgreesWithAReference() throws {
        var rng = Rng(state: 77)
        var csv = "Email,Name,Org\n"
        var data: [[String]] = []
        for _ in 0..<120_000 {
            let row = ["u\(rng.next() % 50_000)@x.org", rng.pick(["Ann", "Bo", "", "Cy"]), rng.pick(["01", "02", "", "03", "04"])]
            data.append(row)
            csv += row.joined(separator: ",") + "\n"
        }
        var order: [String] = []
        var groups: [String: [[String]]] = [:]
        for row in data {
            if groups[row[0]] == nil { order.append(row[0]) }
            groups[row[0], default: []].append(row)
        }
        let want: [[String]] = order.map { key in
            let rows = groups[key]!
            var orgs: [String] = []
            for r in rows where !r[2].isEmpty && !orgs.contains(r[2]) { orgs.append(r[2]) }
            return [key, rows[0][1], orgs.joined(separator: "|")]
        }
        let disagreeing = order.filter { key in Set(groups[key]!.map { $0[1] }).count > 1 }.count
        let (s, sink) = try session("r = t | collapse by Email join Org\nfresh = (t | where Email != \"\") | collapse by Email join Org", tables: ["t": csv])
        #expect(s.tables["r"]!.rows == want)
        #expect(s.tables["fresh"]!.rows == want)
        #expect(s.tables["t"]!.rowCount == data.count)
        #expect(sink.stderr.contains("merged rows disagree in Name (\(disagreeing.grouped) keys)"))
    }

    @Test func sortIsStableAndNumericOnlyForNumbers() throws {
        let numbers = "n,k\n10,a\n9,b\n,e\n9,d\n"
        #expect(try rows("r = t | sort n", ["t": numbers]).dropFirst().map { $0[1] } == ["b", "d", "a", "e"])  // blanks last
        #expect(try rows("r = t | sort n desc", ["t": numbers]).dropFirst().map { $0[1] } == ["e", "a", "b", "d"])
        // One cell that is not a number: the whole column sorts as text.
        let mixed = "n,k\n10,a\n9,b\nx,c\n9,d\n"
        #expect(try rows("r = t | sort n", ["t": mixed]).dropFirst().map { $0[1] } == ["a", "b", "d", "c"])
        #expect(try rows("r = t | sort n desc", ["t": mixed]).dropFirst().map { $0[1] } == ["c", "b", "d", "a"])
    }

    @Test func uniqueKeepsTheFirst() throws {
        #expect(try rows("r = u | unique by Email", ["u": Self.users]).dropFirst().map { $0[2] } == ["01", "02", "01"])
        #expect(try rows("r = u | append u | unique", ["u": Self.users]).count == 5)
    }

    @Test func collapseJoinsDistinctValuesAndReportsConflicts() throws {
        let (s, sink) = try session("r = u | collapse by Email join Org", tables: ["u": Self.users + "a@x.org,STC,01\n"])
        let r = s.tables["r"]!
        #expect(r.rows == [["a@x.org", "TA", "01|03"], ["b@x.org", "STC", "02"], ["c@x.org", "DTC", "01"]])
        #expect(sink.stderr.contains("merged rows disagree in Role (1 key)"))
        #expect(try rows("r = u | collapse by Role join Email, Org with \";\"", ["u": Self.users])[1] == ["a@x.org", "TA", "01;03"])
    }

    @Test func expandIsTheReverseOfCollapse() throws {
        let t = "E,Org\na,01|02|03\nb,\n"
        #expect(try rows("r = t | expand Org", ["t": t]) == [["E", "Org"], ["a", "01"], ["a", "02"], ["a", "03"], ["b", ""]])
        #expect(try rows("r = t | expand Org | collapse by E join Org", ["t": t]) == [["E", "Org"], ["a", "01|02|03"], ["b", ""]])
        #expect(try rows("r = t | expand Org on \"0\"", ["t": t])[1] == ["a", ""])
    }

    @Test func joinAndLeftJoinReportMatches() throws {
        let (s, sink) = try session("r = u | join hr on Email = email", tables: ["u": Self.users, "hr": Self.hr])
        #expect(s.tables["r"]!.rows == [["a@x.org", "TA", "01", "Teacher"], ["b@x.org", "STC", "02", "Principal"], ["a@x.org", "TA", "03", "Teacher"]])
        #expect(sink.stderr.contains("join: 3 of 4 rows matched hr; 1 did not (left out)"))
        let l = try rows("r = u | left join hr on Email = email", ["u": Self.users, "hr": Self.hr])
        #expect(l.last! == ["c@x.org", "DTC", "01", ""])
    }

    @Test func joinWarnsAboutRepeatedKeysAndRenamesClashes() throws {
        let (s, sink) = try session("r = u | join (u | select Email, Org) on Email", tables: ["u": Self.users])
        #expect(s.tables["r"]!.names == ["Email", "Role", "Org", "Org (the other table)"])
        #expect(s.tables["r"]!.rowCount == 6)
        #expect(sink.stderr.contains("matched more than one row"))
    }

    @Test func appendMatchesColumnsByName() throws {
        let (s, sink) = try session("r = u | head 1 | append hr", tables: ["u": Self.users, "hr": Self.hr])
        let r = s.tables["r"]!
        #expect(r.names == ["Email", "Role", "Org", "email", "title"])
        #expect(r.rowCount == 4)
        #expect(r.rows[1] == ["", "", "", "b@x.org", "Principal"])
        #expect(sink.stderr.contains("brings new columns"))
    }

    @Test func diffMarksAddedRemovedChangedSame() throws {
        let old = "Email,Role\na,TA\nb,STC\nc,TA\n"
        let new = "Email,Role\na,TA\nb,TA\nd,STC\n"
        #expect(
            try rows("r = new | diff old on Email", ["old": old, "new": new]) == [
                ["Email", "Role", "Change", "Changed"], ["a", "TA", "same", ""], ["b", "TA", "changed", "Role"], ["d", "STC", "added", ""],
                ["c", "TA", "removed", ""],
            ])
    }

    @Test func headTailAndCount() throws {
        #expect(try rows("r = u | tail 1", ["u": Self.users]).last! == ["c@x.org", "DTC", "01"])
        #expect(try rows("r = u | head 2", ["u": Self.users]).count == 3)
        #expect(try rows("r = u | count", ["u": Self.users]) == [["count"], ["4"]])
        #expect(try rows("r = u | count by Role", ["u": Self.users]) == [["Role", "count"], ["TA", "2"], ["STC", "1"], ["DTC", "1"]])
    }

    @Test func showPrintsAPreviewAndPassesTheTableOn() throws {
        let (s, sink) = try session("r = u | show 2 | count", tables: ["u": Self.users])
        #expect(
            sink.stdout == """
                Email    Role  Org
                ───────  ────  ───
                a@x.org  TA    01
                b@x.org  STC   02
                4 rows × 3 columns (first 2 shown)

                """)
        #expect(s.tables["r"]!.rows == [["4"]])
    }

    @Test func previewsMaskPasswords() {
        let t = Table(names: ["user_username", "user_password"], rows: [["ann", "S3cret!pass"]])
        let text = TablePreview.render(t)
        #expect(!text.contains("S3cret"))
        #expect(text.contains("••••••"))
    }

    @Test func everyVerbIsTested() {
        // Each registered verb has a test above; this list must grow with the registry.
        let covered: Set<String> = [
            "where", "select", "drop", "rename", "set", "map", "sort", "unique", "collapse", "expand",
            "join", "left join", "append", "diff", "head", "tail", "count", "show", "save",
            "validate", "fix", "convert", "plan", "actions", "reconcile",
        ]  // validate, fix: FormatTests and golden tests; convert: ConvertTests; plan, actions, reconcile: PlanTests
        #expect(Set(VerbRegistry.standard.names) == covered)
    }

    @Test func verbErrorsSuggestColumns() {
        #expect(runtimeError("r = t | drop AA")?.hints == ["did you mean 'A'?"])
        #expect(runtimeError("r = t | sort Bee")?.message == "sort: no column 'Bee'")
        #expect(runtimeError("r = t | rename A as B")?.message == "rename: there is already a column 'B'")
    }
}
