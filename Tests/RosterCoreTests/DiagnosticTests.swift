import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Diagnostics have identity: code and tests decide by `DiagnosticID`, and the words come from one place.
@Suite("Diagnostic identity")
struct DiagnosticTests {
    func error(_ text: String, csv: String = "Email,Role,user_password\na@x,TA,s3cret\n") -> Diagnostic? {
        let dir = temporaryFolder()
        writeFile(dir + "/t.csv", csv)
        let session = Session(output: BufferSink(), baseDirectory: dir)
        session.quiet = true
        do {
            try session.run(SourceFile(name: "test", text: text))
            return nil
        } catch {
            return error
        }
    }

    @Test func namesAScriptGetsWrongHaveTheirOwnIdentity() {
        #expect(error("t = load \"t.csv\" | where Emial == \"\"")?.id == .unknownColumn("Emial", verb: nil))
        #expect(error("t = load \"t.csv\" | drop Emial")?.id == .unknownColumn("Emial", verb: "drop"))
        #expect(error("x = nothere | head")?.id == .unknownTable("nothere"))
        #expect(error("print $nothere")?.id == .unknownValue("nothere"))
        #expect(error("print lowr(\"A\")")?.id == .unknownFunction("lowr"))
        #expect(error("t = load \"t.csv\" | validate as mcsa")?.id == .unknownFormat("mcsa"))
        #expect(error("t = load \"t.csv\" | wher Role == \"TA\"")?.id == .unknownVerb("wher"))
        #expect(error("t = load \"t.csv\" sep2=\";\"")?.id == .unknownOption(statement: "load", name: "sep2"))
        #expect(error("assert 1 == 2, \"no\"")?.id == .assertionFailed("no"))
    }

    @Test func exitStatusesComeFromTheIdentity() {
        #expect(error("t = load \"t.csv\" |")?.exitStatus == 2)
        #expect(error("t = load \"t.csv\" | where Emial == \"\"")?.exitStatus == 1)
        #expect(Diagnostic(.paramNotDeclared(name: "x", script: "r.roster")).exitStatus == 2)
        #expect(Diagnostic(.cannotTellFormat(path: "a.csv")).exitStatus == 2)
        #expect(Diagnostic(.assertionFailed("no")).kind == .assertion)
    }

    /// A value from a password column is masked by identity, not by editing the sentence.
    @Test func secretValuesAreMaskedByIdentity() {
        let d = error("t = load \"t.csv\" | set x = user_password + 1")
        #expect(d?.id == .notANumber(CellText("s3cret", isSecret: true)))
        #expect(d?.message == "'••••••' is not a number")
        let plain = error("t = load \"t.csv\" | set x = Role + 1")
        #expect(plain?.id == .notANumber(CellText("TA")))
        #expect(plain?.message == "'TA' is not a number")
    }

    @Test func theRendererWordsEveryIdentityInOnePlace() {
        let src = SourceFile(name: "r.roster", text: "users | save \"users.csv\"\n")
        let d = Diagnostic(.wontOverwrite(path: "users.csv", loadedAs: "./users.csv"), at: SourceRange(offset: 13, length: 11)).located(in: src)
        #expect(
            DiagnosticRenderer(useColor: false).render(d) == """
                r.roster:1:14: error: will not overwrite users.csv: this session loaded it (as ./users.csv)
                 1 | users | save "users.csv"
                   |              ^~~~~~~~~~~

                """)
        #expect(DiagnosticID.interrupted(nothingChanged: true).message == "interrupted; nothing was changed")
        #expect(DiagnosticID.timing(step: "load", milliseconds: 12, peakMiB: 40).message == "time: load 12 ms (memory peak so far 40 MiB)")
    }

    /// The planner drops a blank password's problem for an existing user by the rule's identity.
    @Test func validatorProblemsNameTheirRule() throws {
        let f = try #require(FormatRegistry.standard.format(named: "mcas"))
        let t = try table("Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nana@x.org,,Lee,ana@x.org,DTC,00050000,,,,\n")
        let problems = try FormatValidator(f).problems(t, bindings: Session(output: BufferSink()))
        let rule = try #require(problems[0].first?.rule)
        guard case .rule(let k) = rule else { Issue.record("expected a column rule, got \(rule)"); return }
        #expect(f.rules[k].column == "Fname")
    }
}
