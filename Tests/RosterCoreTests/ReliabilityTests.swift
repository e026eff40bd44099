import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Saves that never lose or damage anything: links, FIFOs, permissions, sets of chunks, cancellation,
/// files that change while they are read, and hostile expressions. Every file lives in a temporary
/// folder; nothing here touches the machine's own /dev entries.
@Suite("Reliability")
struct ReliabilityTests {
    /// A set of files switches as one even across a `kill -9` between its renames: the journal the
    /// interrupted run left lets the next save into the folder finish the set (and say so), so the
    /// folder never keeps a mix of new and old parts.
    @Test func aSetInterruptedBetweenItsRenamesIsFinishedByTheNextSave() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        // As a run killed after its first rename leaves it: part 1 new, part 2 old beside its finished
        // temporary file, and the journal naming both.
        writeFile(dir + "/out/u-001.csv", "a\nnew 1\n")
        writeFile(dir + "/out/u-002.csv", "a\nold 2\n")
        writeFile(dir + "/out/.u-002.csv.roster-tmp-999999-1", "a\nnew 2\n")
        writeFile(dir + "/out/.roster-pending", ".u-001.csv.roster-tmp-999999-0\tu-001.csv\n.u-002.csv.roster-tmp-999999-1\tu-002.csv\n")
        writeFile(dir + "/t.csv", "a\n1\n")
        let r = runScript("load \"t.csv\" | save \"out/other.csv\"", in: dir, quiet: false)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readText(dir + "/out/u-002.csv") == "a\nnew 2\n")
        #expect(readText(dir + "/out/u-001.csv") == "a\nnew 1\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/.roster-pending"))
        #expect(r.stderr.contains("finished putting in place what an interrupted earlier run of roster left half done"))
    }

    /// A workbook Excel could not open whole is refused, never written: a cell longer than Excel
    /// keeps, a sheet name Excel refuses (a name made from the file's is said); and a failed run takes
    /// away the folders its saves made.
    @Test func workbooksWithinExcelsLimitsAndNoFolderLeftBehind() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/long.csv", "a\n" + String(repeating: "x", count: 40_000) + "\n")
        let long = runScript("load \"long.csv\" | save \"long.xlsx\"", in: dir)
        #expect(long.status == 1 && long.stderr.contains("holds 40000 characters; an Excel cell keeps at most 32767"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/long.xlsx"))
        writeFile(dir + "/t.csv", "a\n1\n")
        let named = runScript("load \"t.csv\" | save \"t.xlsx\" sheet=\"Staff: 2026/2027\"", in: dir)
        #expect(named.status == 1 && named.stderr.contains("is not a name Excel takes"))
        let made = runScript("load \"t.csv\" | save \"a-very-long-file-name-for-a-sheet-of-staff.xlsx\"", in: dir, quiet: false)
        #expect(made.status == 0 && made.stderr.contains("the sheet is named 'a-very-long-file-name-for-a-she'"))
        let failed = runScript("load \"t.csv\" | save \"new/deeper/t.csv\"\nassert false", in: dir)
        #expect(failed.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new"))
    }

    /// A write that fails for want of room is told truly — the error of the thread that wrote, never
    /// another thread's (a file-size limit stands in for a full disk) — and the old file stays.
    @Test func aFailedWriteSaysWhyAndKeepsTheOldFile() throws {
        let dir = temporaryFolder()
        let rows = (0..<60_000).map { "user\($0)@district.example.org,School \($0 % 40),Test Administrator" }
        writeFile(dir + "/big.csv", "email,school,role\n" + rows.joined(separator: "\n") + "\n")
        writeFile(dir + "/out.csv", "the old file\n")
        for _ in 0..<3 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "trap '' XFSZ; ulimit -f 512; '\(rosterBinary)' -q -c 'load \"big.csv\" | save \"out.csv\" replace=true'"]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            let err = Pipe()
            p.standardError = err
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 1)
            #expect(text.contains("File too large"), "\(text)")
            #expect(!text.contains("does not exist") && !text.contains("Invalid argument"), "\(text)")
            #expect(readText(dir + "/out.csv") == "the old file\n")
        }
    }

    /// Loading a FIFO nobody writes to ends with a message instead of waiting for ever.
    @Test func aFIFOWithNoWriterDoesNotBlock() throws {
        let dir = temporaryFolder()
        #expect(mkfifo(dir + "/pipe.csv", 0o600) == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: rosterBinary)
        p.arguments = ["-c", "load \"pipe.csv\""]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        for _ in 0..<200 where p.isRunning { usleep(50_000) }
        if p.isRunning {
            p.terminate()
            Issue.record("loading a FIFO with no writer was still waiting after 10 seconds")
            return
        }
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 1 && text.contains("empty"), "\(text)")
    }

    /// A recipe is all or nothing: a run that stops half way leaves last run's outputs as they were,
    /// with nothing of its own put in place and no temporary file left; a run that succeeds puts every
    /// file in place, and its notes say "wrote" only then.
    @Test func aRunThatStopsHalfWayChangesNoFile() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        writeFile(dir + "/out/upload.csv", "old,upload\n")
        writeFile(dir + "/out/retry.csv", "last run's retry\n")
        writeFile(dir + "/t.csv", "a,b\n1,2\n")
        let failed = runScript(
            "t = load \"t.csv\"\nt | save \"out/upload.csv\" replace=true\nt | save \"out/new.csv\"\nassert false, \"stop\"\n", in: dir, quiet: false)
        #expect(failed.status == 1)
        #expect(readText(dir + "/out/upload.csv") == "old,upload\n")
        #expect(readText(dir + "/out/retry.csv") == "last run's retry\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/new.csv"))
        #expect(names(dir + "/out") == ["retry.csv", "upload.csv"])
        #expect(failed.stderr.contains("nothing was written: the run stopped before its end, so its 2 files stay as they were"))
        #expect(!failed.stderr.contains("note: wrote "))
        let ok = runScript("t = load \"t.csv\"\nt | save \"out/upload.csv\" replace=true\nt | save \"out/new.csv\"\n", in: dir, quiet: false)
        #expect(ok.status == 0)
        #expect(readText(dir + "/out/upload.csv") == "a,b\n1,2\n" && readText(dir + "/out/new.csv") == "a,b\n1,2\n")
        #expect(ok.stderr.contains("note: wrote ") && ok.stderr.contains("out/upload.csv: 1 row"))
    }

    static let fm = FileManager.default

    func mode(_ path: String) -> Int? {
        (try? Self.fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    /// The files of a folder, less the list of what roster wrote there (`.roster-written`).
    func names(_ dir: String) -> [String] { ((try? Self.fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0 != ".roster-written" }.sorted() }

    /// A save through a symbolic link replaces the file it points to and keeps the link.
    @Test func saveThroughALinkKeepsTheLink() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n")
        writeFile(dir + "/real.csv", "old\n")
        try Self.fm.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "real.csv")
        let r = runScript("load \"in.csv\" | save \"link.csv\" replace=true", in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect((try? Self.fm.destinationOfSymbolicLink(atPath: dir + "/link.csv")) == "real.csv")
        #expect(readText(dir + "/real.csv") == "a\n1\n")
    }

    /// A save to a FIFO writes through it and leaves it a FIFO.
    @Test func saveToAFifoWritesThroughIt() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n2\n")
        let fifo = dir + "/pipe.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = ErrorCollector()
        let reader = Thread { received.data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        let r = runScript("load \"in.csv\" | save \"pipe.csv\"", in: dir)
        while !received.done { usleep(1000) }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(String(decoding: received.data, as: UTF8.self) == "a\n1\n2\n")
        let attributes = try Self.fm.attributesOfItem(atPath: fifo)
        #expect(attributes[.type] as? FileAttributeType == .typeUnknown || attributes[.type] as? FileAttributeType != .typeRegular)
    }

    /// A save never replaces what nobody asked it to: a file roster did not write (unless
    /// replace=true), a recipe, or a file of another kind than the one written; a file roster wrote
    /// before — this session, or a recipe's earlier run, by the folder's list — it replaces.
    @Test func aSaveReplacesOnlyWhatRosterWrote() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n")
        writeFile(dir + "/rollover.roster", "# the recipe\n")
        writeFile(dir + "/hr.csv", "theirs\n")
        try Files.write(Array("PK\u{3}\u{4}workbook".utf8), to: dir + "/staff.xlsx")
        let recipe = runScript("load \"in.csv\" | save \"rollover.roster\" replace=true", in: dir)
        #expect(recipe.status == 1 && recipe.stderr.contains("is a recipe: a save never replaces it"))
        #expect(readText(dir + "/rollover.roster") == "# the recipe\n")
        let theirs = runScript("load \"in.csv\" | save \"hr.csv\"", in: dir)
        #expect(theirs.status == 1 && theirs.stderr.contains("roster did not write it") && theirs.stderr.contains("replace=true"))
        #expect(readText(dir + "/hr.csv") == "theirs\n")
        let kind = runScript("load \"in.csv\" | save \"copy.csv\"\nload \"in.csv\" | save \"staff.xlsx\" replace=true", in: dir)
        #expect(kind.status == 0)  // a workbook over a workbook, when asked
        writeFile(dir + "/notes.xlsx", "not a workbook\n")
        let other = runScript("load \"in.csv\" | save \"notes.xlsx\" replace=true", in: dir)
        #expect(other.status == 1 && other.stderr.contains("is not a workbook"))
        // What roster wrote, next run replaces without being told (the folder's list says so).
        #expect(runScript("load \"in.csv\" | save \"out/u.csv\"", in: dir).status == 0)
        #expect(runScript("load \"in.csv\" | save \"out/u.csv\"", in: dir).status == 0)
        #expect(readText(dir + "/out/.roster-written") == "u.csv\n")
    }

    /// Replacing a file keeps its mode; a new file gets the usual mode for new files.
    @Test func replacingAFileKeepsItsMode() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n")
        writeFile(dir + "/private.csv", "secret\n")
        try Self.fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/private.csv")
        #expect(runScript("t = load \"in.csv\"\nt | save \"private.csv\" replace=true\nt | save \"new.csv\"", in: dir).status == 0)
        #expect(mode(dir + "/private.csv") == 0o600)
        #expect(mode(dir + "/new.csv") == Int(SystemCall.newFilePermissions))
        #expect(readText(dir + "/private.csv") == "a\n1\n")
    }

    /// Run as root, replacing a file keeps its owner and group.
    @Test func replacingAFileKeepsItsOwnerWhenRoot() throws {
        guard SystemCall.isRoot else { return }
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n")
        writeFile(dir + "/theirs.csv", "old\n")
        #expect(chown(dir + "/theirs.csv", 1234, 5678) == 0)
        #expect(runScript("load \"in.csv\" | save \"theirs.csv\" replace=true", in: dir).status == 0)
        let attributes = try Self.fm.attributesOfItem(atPath: dir + "/theirs.csv")
        #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 1234)
        #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == 5678)
        #expect(readText(dir + "/theirs.csv") == "a\n1\n")
    }

    /// A temporary file that a killed save left beside its target is removed by the next save there.
    @Test func abandonedTemporaryFilesAreRemoved() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/in.csv", "a\n1\n")
        // A process id that is not running: the largest possible one.
        let abandoned = dir + "/.out.csv.roster-tmp-2147483646-12345"
        writeFile(abandoned, "half a file")
        let r = runScript("load \"in.csv\" | save \"out.csv\"", in: dir, quiet: false)
        #expect(r.status == 0)
        #expect(!Self.fm.fileExists(atPath: abandoned))
        #expect(r.stderr.contains("removed 1 temporary file an interrupted earlier save left"))
        #expect(names(dir) == ["in.csv", "out.csv"])
    }

    /// Numbered files are one set: a shorter run removes the chunks a longer one left, an unnumbered
    /// save removes them all, and a longer one removes the unnumbered file.
    @Test func chunkedSavesAreOneSet() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/five.csv", "a\n1\n2\n3\n4\n5\n")
        writeFile(dir + "/three.csv", "a\n1\n2\n3\n")
        writeFile(dir + "/one.csv", "a\n1\n")
        #expect(runScript("load \"five.csv\" | save \"out/u.csv\" chunk 2", in: dir).status == 0)
        #expect(names(dir + "/out") == ["u-001.csv", "u-002.csv", "u-003.csv"])
        let shorter = runScript("load \"three.csv\" | save \"out/u.csv\" chunk 2", in: dir, quiet: false)
        #expect(names(dir + "/out") == ["u-001.csv", "u-002.csv"])
        #expect(shorter.stderr.contains("out/u-003.csv, left by an earlier run of this save"))
        #expect(runScript("load \"one.csv\" | save \"out/u.csv\" chunk 2", in: dir).status == 0)
        #expect(names(dir + "/out") == ["u.csv"])
        #expect(runScript("load \"five.csv\" | save \"out/u.csv\" chunk 2", in: dir).status == 0)
        #expect(names(dir + "/out") == ["u-001.csv", "u-002.csv", "u-003.csv"])
        // Files that are not this save's chunks stay.
        writeFile(dir + "/out/u-notes.csv", "x\n")
        #expect(runScript("load \"one.csv\" | save \"out/u.csv\" chunk 2", in: dir).status == 0)
        #expect(names(dir + "/out") == ["u-notes.csv", "u.csv"])
    }

    /// A set that fails part-way (here the third file's place is a folder) leaves the earlier set as
    /// it was and no temporary file.
    @Test func aFailedSetLeavesThePreviousSet() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/five.csv", "a\n1\n2\n3\n4\n5\n")
        writeFile(dir + "/four.csv", "a\n1\n2\n3\n4\n")
        #expect(runScript("load \"four.csv\" | save \"out/u.csv\" chunk 2", in: dir).status == 0)
        let before = names(dir + "/out").map { readFile(dir + "/out/" + $0) }  // (listed: roster wrote them)
        try Self.fm.createDirectory(atPath: dir + "/out/u-003.csv", withIntermediateDirectories: true)
        let r = runScript("load \"five.csv\" | save \"out/u.csv\" chunk 2", in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("is a folder"))
        #expect(names(dir + "/out") == ["u-001.csv", "u-002.csv", "u-003.csv"])
        #expect(["u-001.csv", "u-002.csv"].map { readFile(dir + "/out/" + $0) } == Array(before.prefix(2)))
    }

    /// A cancelled set (Ctrl-C, SIGTERM, SIGHUP all set the same flag) removes its temporary files
    /// and leaves the targets as they were.
    @Test func aCancelledSetLeavesNoTemporaryFile() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/a.csv", "old a\n")
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 9 << 20)
        let calls = ErrorCollector()
        do {
            _ = try Files.writeSet([(dir + "/a.csv", [big]), (dir + "/b.csv", [big])]) {
                // Cancelled after the first 4 MiB piece.
                let n = calls.data.count + 1
                calls.data = Data(count: n)
                return n > 1
            }
            Issue.record("the cancelled set was written")
        } catch {
            #expect(error.message.hasPrefix("interrupted"))
        }
        #expect(names(dir) == ["a.csv"])
        #expect(readText(dir + "/a.csv") == "old a\n")
    }

    /// SIGTERM stops roster the way Ctrl-C does, and it ends with status 128 + 15.
    @Test func terminationEndsWithTheSignalsStatus() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: rosterBinary)
        p.arguments = ["--repl"]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("let x = 1\n".utf8))
        // Sent until it arrives after the handler is installed (before that, SIGTERM ends the process
        // with the signal, which waitUntilExit reports as status 15).
        p.terminate()
        p.waitUntilExit()
        #expect([143, 15].contains(p.terminationStatus))
        #expect(p.terminationReason == .exit || p.terminationStatus == 15)
    }

    /// A file truncated and rewritten while it is loaded gives a table or a message, never a crash.
    @Test func aFileChangingWhileItIsReadNeverCrashes() throws {
        let dir = temporaryFolder()
        let path = dir + "/moving.csv"
        var text = "Email,Role\n"
        for i in 0..<200_000 { text += "user\(i)@x.org,TA\n" }
        let bytes = Array(text.utf8)
        writeFile(path, bytes)
        let stop = ErrorCollector()
        let writer = Thread {
            while !stop.done {
                if let h = FileHandle(forWritingAtPath: path) {
                    h.truncateFile(atOffset: UInt64(bytes.count / 3))
                    h.seek(toFileOffset: UInt64(bytes.count / 3))
                    h.write(Data(bytes[(bytes.count / 3)...]))
                    h.closeFile()
                }
            }
        }
        writer.start()
        for _ in 0..<30 {
            let r = runScript("t = load \"moving.csv\"", in: dir)
            #expect(r.status == 0 || r.stderr.contains("changed while it was read") || r.stderr.contains("moving.csv"), "\(r.stderr)")
        }
        stop.data = Data([1])
    }

    /// Long flat expressions of an operator whose grouping matters are refused with a located
    /// message; those of `or`, `and` and `&` are lists, kept as balanced trees; nothing overflows the stack.
    @Test("long flat expressions are refused or balanced, not crashed on", arguments: [" or ", " and ", " & ", " ?? ", " + ", " * "])
    func longFlatExpressions(_ op: String) {
        let text = "print " + Array(repeating: "1", count: 5000).joined(separator: op)
        let d = parseError(text)
        if [" or ", " and ", " & "].contains(op) {
            #expect(d == nil)
        } else {
            #expect(d?.message == "this expression is more than 200 operations deep")
            #expect(d?.range != nil)
        }
    }

    @Test func longRunsOfUnaryOperatorsAreRefused() {
        #expect(parseError("print " + String(repeating: "-", count: 5000) + "1")?.message == "this expression is more than 200 operations deep")
        #expect(parseError("print " + String(repeating: "not ", count: 5000) + "true")?.kind == .syntax)
        #expect(
            parseError("format f\ncolumns A\ncheck " + Array(repeating: "A == \"x\"", count: 3000).joined(separator: " or ") + " message \"m\"\nend") == nil)
    }

    @Test func expressionsWithinTheLimitEvaluate() throws {
        let sum = Array(repeating: "1", count: 150).joined(separator: " + ")
        #expect(try value(sum) == "150")
        #expect(try value(String(repeating: "-", count: 150) + "1") == "1")
    }
}

/// Hostile input that is not about files: joins, previews, encodings, secrets, formulas.
@Suite("Hostile input")
struct HostileInputTests {
    /// A flat chain of one associative operator is a list, not depth: 1,000 `or` terms run (kept as a
    /// balanced tree); nesting is still bounded; and a message about a long line shows a window of it.
    @Test func flatChainsAreNotDepth() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/t.csv", "a\n7\n1000\n")
        let chain = (0..<1000).map { "a == \"\($0)\"" }.joined(separator: " or ")
        let ok = runScript("t = load \"t.csv\"\nn = t | where \(chain)\nassert rows(n) == 1", in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let joined = (0..<500).map { "\"\($0)\"" }.joined(separator: " & ")
        #expect(runScript("let x = \(joined)\nassert len($x) > 1000", in: dir).status == 0)
        let nested = String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        let deep = runScript("let x = \(nested)", in: dir)
        #expect(deep.status == 2 && deep.stderr.contains("deep"))
        let bad = runScript("t = load \"t.csv\"\nt | where \(chain) or nosuch == 1", in: dir)
        #expect(bad.status == 1 && bad.stderr.contains("no column 'nosuch'"))
        #expect(bad.stderr.split(separator: "\n").allSatisfy { $0.count < 300 }, "a long line is shown as a window")
    }

    @Test func blankKeysNeverMatch() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/a.csv", "Email,Name\n,blank a\nx@y,X\n  ,spaces\n")
        writeFile(dir + "/b.csv", "Email,Title\n,blank b\nx@y,T\n")
        let r = runScript("a = load \"a.csv\"\nb = load \"b.csv\"\na | left join b on Email | save \"out.csv\"", in: dir, quiet: false)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(readText(dir + "/out.csv") == "Email,Name,Title\n,blank a,\nx@y,X,T\n  ,spaces,\n")
        #expect(r.stderr.contains("2 rows with a blank key matched nothing (blank keys never match)"))
    }

    /// A join that matches nothing is a warning, with a hint when the keys would match loosely.
    @Test func aJoinThatMatchesNothingWarns() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/a.csv", "Email,N\nAna@X.org ,1\nbo@x.org,2\n")
        writeFile(dir + "/b.csv", "email,T\nana@x.org,a\nBO@X.ORG,b\n")
        let r = runScript("a = load \"a.csv\"\nb = load \"b.csv\"\nx = a | left join b on Email = email", in: dir)
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: left join: no row matched b"))
        #expect(r.stderr.contains("2 rows would match ignoring case and spaces"))
    }

    @Test func joinsThatExplodeStopUnlessAllowed() throws {
        let dir = temporaryFolder()
        var a = "District,Name\n", b = "District,School\n"
        for i in 0..<150 { a += "D1,person \(i)\n"; b += "D1,school \(i)\n" }
        writeFile(dir + "/a.csv", a)
        writeFile(dir + "/b.csv", b)
        let refused = runScript("a = load \"a.csv\"\nb = load \"b.csv\"\nx = a | join b on District", in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("join would make 22,500 rows from 150 and 150: more than 10 times its inputs"))
        #expect(refused.stderr.contains("the most repeated keys: 'D1' (22,500 rows)"))
        let allowed = runScript("a = load \"a.csv\"\nb = load \"b.csv\"\nx = a | join b on District allow many\nassert rows(x) == 22500", in: dir)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    /// A step that makes a column larger than a column holds (4 GiB; here a small limit stands in)
    /// is stopped with the column and its size, and nothing is bound; steps within the limit run.
    @Test func columnsLargerThanAColumnHoldsAreStopped() throws {
        let sink = BufferSink()
        let s = Session(output: sink)
        s.columnByteLimit = 100
        s.bindTable("t", try CSVReader.read(bytes: Array("Email\nann@x.org\nbo@x.org\ncy@x.org\n".utf8), path: "t.csv").table)
        let stopped = #expect(throws: Diagnostic.self) {
            try s.run(SourceFile(name: "test", text: "r = t | set Email = Email & Email & Email & Email & Email"))
        }
        #expect(s.tables["r"] == nil)
        #expect(stopped?.message == "this step made column `Email` hold 125 bytes, more than a column holds (100)")
        try s.run(SourceFile(name: "test", text: "r = t | set Email = Email & Email"))
        #expect(s.tables["r"]?.rowCount == 3)
    }

    /// A 20 MB cell previews without measuring all of it (cut before it is measured).
    @Test func hugeCellsPreviewCut() throws {
        let huge = String(repeating: "x", count: 20 << 20)
        let t = Table(columns: [Column(name: "big", cells: TextColumn([huge, "small"]))], rowCount: 2)
        let text = TablePreview.render(t, maxRows: 10, width: 80)
        #expect(text.contains("xxxxxxxx…"))
        #expect(text.count < 1000)
    }

    @Test func windows1252WithABOMRoundTrips() throws {
        let dir = temporaryFolder()
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Name,Role\nJos".utf8) + [0xE9] + Array(",TA\n".utf8)
        writeFile(dir + "/in.csv", bytes)
        #expect(runScript("load \"in.csv\" | save \"out.csv\"", in: dir).status == 0)
        #expect(readFile(dir + "/out.csv") == bytes)
    }

    @Test func aNulByteInAScriptStringIsAnError() {
        let d = parseError("t = load \"a\u{0}b.csv\"")
        #expect(d?.message.contains("NUL byte") == true)
        #expect(d?.kind == .syntax)
    }

    @Test func secretsAreDecidedByNameInOnePlace() {
        for secret in [
            "user_password", "Password", "passwd", "PASSCODE", "client_secret", "pin", "user_pin", "userPIN", "PIN code", "pwd", "MyPassword2", "ÉcolePASSWORD",
            "secret",
        ] {
            #expect(Secrets.isSecret(secret), "\(secret)")
        }
        for plain in ["Pinellas", "shipping", "spinner", "Email", "Role in organization", "opinion", "", "secre", "pass word", "p"] {
            #expect(!Secrets.isSecret(plain), "\(plain)")
        }
    }

    @Test func printNeverShowsPasswords() {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "user,user_password\nana,S3cret!\nbo,Hunter2\n")
        let r = runScript(
            """
            t = load "u.csv"
            print t.user_password
            print lookup("ana", t.user, t.user_password)
            let p = t.user_password
            print $p
            let pin = "1234"
            print $pin, rows(t)
            print t
            """, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        for leak in ["S3cret!", "Hunter2", "1234"] { #expect(!r.stdout.contains(leak), "\(leak) in \(r.stdout)") }
        #expect(r.stdout.contains("[\"••••••\", \"••••••\"]"))
    }

    @Test func neutralisingFormulasInAPortalFileIsAnError() {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n=cmd,Ana,Lee,ana@x.org,DTC,00050000,,,,\n")
        let r = runScript("load \"u.csv\" | save \"out.csv\" as mcas formulas=\"neutralise\"", in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("a portal file is never altered silently"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
    }
}
