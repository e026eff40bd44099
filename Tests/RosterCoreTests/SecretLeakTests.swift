import Foundation
import Testing
@testable import RosterData
@testable import RosterSession

/// No secret value reaches a terminal or a log: every verb, statement and report is run on a table
/// with a password column whose values differ between a user's rows, and nothing printed may hold them.
@Suite("Secrets never printed")
struct SecretLeakTests {
    static let secrets = ["Aa#Secret-one", "Bb#Secret-two", "Cc#Secret-three"]

    @Test func noVerbPrintsAPassword() throws {
        let dir = temporaryFolder()
        writeFile(
            dir + "/tao.csv",
            "user_username,user_name,user_password,user_email,user_language,user_active,group_role,group_name,user_organizationId\n"
                + "ann,Ann Lee,Aa#Secret-one,ann@x.org,en-US,TRUE,GRADER,G1,root\n"
                + "ann,Ann Lee,Bb#Secret-two,ann@x.org,en-US,TRUE,GRADER,G2,root\n"
                + "bo,Bo Cho,Cc#Secret-three,bo@x.org,xx-XX,TRUE,GRADER,G9,root\n")
        writeFile(dir + "/groups.csv", "group_name\nG1\nG2\n")
        writeFile(
            dir + "/current.csv",
            "user_username,user_name,user_password,user_email,user_language,user_active,group_role,group_name,user_organizationId\nann,Ann Lee,,ann@x.org,en-US,TRUE,GRADER,G1,root\n"
        )
        let script = """
            t = load "tao.csv" as tao
            g = load "groups.csv"
            c = load "current.csv" as tao
            t | show
            check t as tao with groups = g
            plan t against c as tao with groups = g
            t | validate as tao with users = c, groups = g | show
            t | convert to oneroster | show
            t | collapse by user_username | show
            t | diff c on user_username, group_name | show
            t | join c on user_username | show
            t | fix as tao | show
            t | sort user_password | head 2 | show
            t | count by user_password | show
            t | unique by user_username | show
            t | select user_username, user_password | show
            t | select user_username, initial = user_password | show
            t | select user_username, user_password | rename user_password as initial | show
            t | select user_username, user_password as first | show
            t | set initial = user_password | select user_username, initial | show
            t | set initial = user_password | select user_username, initial | save "out/initial.xlsx"
            t | select user_username, user_password | rename user_password as initial | sort initial | count by initial | show
            t | save "out/review.xlsx"
            print t.user_password
            """
        let r = runScript(script, in: dir, quiet: false)
        for s in Self.secrets {
            #expect(!r.stdout.contains(s), "stdout shows \(s)")
            #expect(!r.stderr.contains(s), "stderr shows \(s)")
        }
        for report in ["text", "json", "csv"] {
            let c = try runBinary(["check", "tao.csv", "--as", "tao", "--format", report], in: dir)
            for s in Self.secrets { #expect(!c.stdout.contains(s) && !c.stderr.contains(s), "check --format \(report) shows \(s)") }
        }
    }
}
