import Foundation
import Testing

/// The district simulator (Tests/Simulator): a district over four years — hires, leavers, returning
/// staff, promotions, moves, people at two schools, name and e-mail changes, duplicate HR rows, Excel
/// damage of both inputs — with, for each portal and year, the upload the portal needs and what a
/// careful tool leaves to a person, computed from the portals' documents by an oracle that knows
/// nothing of roster's code. Every recipe in Scripts/ runs on each year's files, and what it writes
/// must be that upload, row for row, with every withheld row explained; and the state its change
/// report predicts (its plan, less what it withholds) must be the state the oracle says the portal
/// will hold.
@Suite("District simulator")
struct SimulatorTests {
    @Test func everyRecipeUploadsWhatTheOracleSaysEachYear() throws {
        let script = projectRoot + "/Tests/Simulator/run_all.sh"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, rosterBinary, projectRoot + "/Scripts"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("30 passed, 0 failed"), "\(text)")
    }
}
