import Foundation
import Testing
@testable import RosterData
@testable import RosterDiagnostics

/// The fast load path against the careful one: records read through the structural index, the two
/// passes that write columns in place, the text checks folded into the first pass, and a mapped
/// file cut short while it is read.
@Suite("Load path")
struct LoadPathTests {
    typealias Outcome = Result<CSVReadResult, Diagnostic>

    static func read(_ bytes: [UInt8], _ options: CSVReadOptions) -> Outcome {
        Result { () throws(Diagnostic) in try CSVReader.read(bytes: bytes, path: "g.csv", options: options) }
    }

    /// Everything a reading gives that a user can see, for comparing two readings.
    static func same(_ a: Outcome, _ b: Outcome) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)):
            return x.table.rows == y.table.rows && x.table.names == y.table.names && x.table.lines == y.table.lines
                && x.table.origin == y.table.origin && x.table.columns.map(\.cells.quoteFlips) == y.table.columns.map(\.cells.quoteFlips)
                && x.notes.map(\.message) == y.notes.map(\.message)
        case (.failure(let x), .failure(let y)):
            return x.message == y.message && x.data == y.data
        default:
            return false
        }
    }

    /// A file with everything the index must step around: quoted fields (with delimiters, quotes
    /// and line breaks in them), bare quotes, CR, LF and CRLF endings, blank lines, short and long
    /// rows, tabs and control bytes in fields, empty fields, and now and then a long cell. A
    /// `regular` file has no blank lines and every row one field per column.
    static func awkwardFile(_ rng: inout SplitMix64, delimiter d: String, regular: Bool = false) -> [UInt8] {
        let cols = Int.random(in: 1...6, using: &rng)
        let pieces = ["a", "Zoë", "0", "名", " ", "\t", "\u{7}", "x\"y", d, "\"q,\"\"\"", "\"a\nb\"", "\"\"", "é"]
        var out = (0..<cols).map { "h\($0)" }.joined(separator: d)
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            out += ["\n", "\r\n", "\r"].randomElement(using: &rng)!
            if !regular && Int.random(in: 0..<12, using: &rng) == 0 { continue }  // a blank line
            var fields = !regular && Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 1...(cols + 2), using: &rng) : cols
            fields = max(1, fields)
            out += (0..<fields).map { _ in
                if Int.random(in: 0..<40, using: &rng) == 0 { return String(repeating: "long", count: Int.random(in: 10...90, using: &rng)) }
                let parts = Int.random(in: 0...3, using: &rng)
                var cell = (0..<parts).map { _ in pieces.randomElement(using: &rng)! }.joined()
                if cell.contains(d) || cell.contains("\n") { cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                return cell
            }.joined(separator: d)
        }
        if Bool.random(using: &rng) { out += "\n" }
        return Array(out.utf8)
    }

    @Test("records read through the structural index are read as field by field (600 generated files, small windows)")
    func indexAgreesWithFields() {
        var rng = SplitMix64(seed: 4242)
        for i in 0..<600 {
            let d = [",", ";", "\t"].randomElement(using: &rng)!
            let bytes = Self.awkwardFile(&rng, delimiter: d)
            var careful = CSVReadOptions(delimiter: Array(d.utf8)[0], ragged: i % 3 == 0 ? .pad : .error)
            careful.indexedRecords = false
            careful.parallelThreshold = Int.max
            let reference = Self.read(bytes, careful)
            for (window, threshold) in [(16, Int.max), (64, 0), (100, 0), (1 << 16, 0)] {
                var fast = careful
                fast.indexedRecords = true
                fast.indexWindow = window
                fast.parallelThreshold = threshold
                let got = Self.read(bytes, fast)
                #expect(Self.same(reference, got), "case \(i), window \(window): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                if !Self.same(reference, got) { return }
            }
        }
    }

    @Test("the first pass's walk over structural bits measures what reading stores (600 generated files)")
    func walkMeasuresAsReadingStores() throws {
        var rng = SplitMix64(seed: 9090)
        var walked = 0, readable = 0
        for i in 0..<600 {
            let d = [",", ";", "\t"].randomElement(using: &rng)!
            let bytes = Self.awkwardFile(&rng, delimiter: d, regular: i % 4 != 0)
            let parser = CSVReader.parser(CSVReadOptions(), path: "g.csv", delimiter: Array(d.utf8)[0])
            try bytes.withUnsafeBufferPointer { (b) throws(Diagnostic) in
                let p = b.baseAddress!
                let h = try parser.header(p, b.count, from: 0)
                let ncols = h.names.count
                let counters = (0..<ncols).map { _ in RawColumnBuilder.counting() }
                let reference = try? parser.records(
                    p, from: h.end, to: b.count, into: counters, firstLine: h.endLine, reports: false, givesBack: false, checksText: true)
                if reference != nil && i % 4 != 0 { readable += 1 }
                guard let walk = parser.walkBits(p, from: h.end, to: b.count, columns: ncols, checksText: true) else { return }
                if i % 4 != 0 { walked += 1 }
                #expect(reference != nil, "case \(i): the walk measured a file reading refuses")
                guard let reference else { return }
                #expect(walk.measure.rows == reference.rows, "case \(i)")
                #expect(walk.measure.bytes == reference.columns.map(\.bytes.count), "case \(i): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                #expect(walk.textFailed == reference.textFailed, "case \(i)")
            }
        }
        #expect(walked == readable && readable > 50, "of the regular files the walk measured \(walked), reading read \(readable)")
    }

    @Test("a file whose text is checked during the first pass reads as one checked before (NUL, not UTF-8, Windows-1252, anywhere)")
    func foldedTextChecksAgree() {
        var rng = SplitMix64(seed: 77)
        let bad: [[UInt8]] = [[0x00], [0xFF], [0xE9], [0xC3], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]
        for i in 0..<400 {
            var bytes = Self.awkwardFile(&rng, delimiter: ",")
            if i % 4 != 0 {
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: bad.randomElement(using: &rng)!, at: at)
            }
            var checkedFirst = CSVReadOptions(delimiter: UInt8(ascii: ","))
            checkedFirst.parallelThreshold = Int.max
            let reference = Self.read(bytes, checkedFirst)
            for window in [16, 64, 1 << 16] {
                var folded = checkedFirst
                folded.parallelThreshold = 0
                folded.indexWindow = window
                let got = Self.read(bytes, folded)
                #expect(Self.same(reference, got), "case \(i), window \(window): \(bytes)")
                if !Self.same(reference, got) { return }
            }
        }
    }

    @Test("a guessed split that falls inside a quoted field, or after a bare quote, reads as one piece does")
    func splitInsideQuotes() {
        let before = String(repeating: "Ann,x\"y,1\n", count: 50)
        let quoted = "\"" + String(repeating: "line\n", count: 400) + "\""
        let after = String(repeating: "Bo,z,2\n", count: 50)
        for text in ["a,b,c\n" + before + "Cy," + quoted + ",3\n" + after, "a,b,c\n" + before + after] {
            var onePiece = CSVReadOptions(delimiter: UInt8(ascii: ","))
            onePiece.parallelThreshold = Int.max
            var halves = onePiece
            halves.parallelThreshold = 0
            let reference = Self.read(Array(text.utf8), onePiece)
            #expect(Self.same(reference, Self.read(Array(text.utf8), halves)))
            if case .success(let r) = reference { #expect(r.table.rowCount >= 100) }
        }
    }

    @Test("free huge pages are read from /proc/buddyinfo's blocks of 2 MiB and more")
    func freeHugePagesFromBuddyInfo() {
        let text = """
            Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3
            Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2    752
            Node 0, zone   Normal   6737   5734   4571   2815   1414    674    248    148     78     36    707

            """
        // Per zone: order 9 counts once, order 10 twice: (1 + 6) + (2 + 1504) + (36 + 1414).
        #expect(SystemCall.hugePages(inBuddyInfo: text) == 2963)
        #expect(SystemCall.hugePages(inBuddyInfo: "") == 0)
        #expect(SystemCall.hugePages(inBuddyInfo: "Node 0, zone Normal 1 2 3") == 0)
    }

    /// A large file reads the same whether its columns are asked to be in huge pages or not (the
    /// machine decides; the cells may not change).
    @Test("a table read into huge pages holds what one read into small pages does")
    func hugePagesHoldTheSameCells() throws {
        var text = "a,b,c\n"
        for r in 0..<700_000 { text += "user\(r)@x.org,\(r % 97),\"q, \(r)\"\n" }
        let bytes = Array(text.utf8)
        let table = try CSVReader.read(bytes: bytes, path: "t.csv").table
        #expect(table.rowCount == 700_000)
        #expect(table.columns[0].cells[699_999] == "user699999@x.org" && table.columns[2].cells[12] == "q, 12")
        let region = UnsafeMutableRawPointer.allocate(byteCount: 8 << 20, alignment: 4096)
        defer { region.deallocate() }
        SystemCall.adviseHugePages(region, 8 << 20)
        region.storeBytes(of: 42, toByteOffset: (6 << 20) + 8, as: UInt64.self)
        #expect(region.load(fromByteOffset: (6 << 20) + 8, as: UInt64.self) == 42)
    }

    @Test("a character cut by the edge of an index window is checked whole")
    func charactersAcrossWindows() throws {
        // Three- and four-byte characters at every offset around a 64-byte window edge.
        for shift in 0..<8 {
            var text = "name,city\n"
            for r in 0..<40 { text += String(repeating: "a", count: (r + shift) % 9) + "名😀,Zoë\n" }
            var options = CSVReadOptions(delimiter: UInt8(ascii: ","))
            options.parallelThreshold = 0
            options.indexWindow = 64
            let t = try CSVReader.read(bytes: Array(text.utf8), path: "w.csv", options: options).table
            #expect(t.rowCount == 40)
            #expect(t.columns[1].cells[39] == "Zoë")
            var broken = Array(text.utf8)
            let ascii = broken[(broken.count / 2)...].firstIndex(of: UInt8(ascii: "a"))!
            broken[ascii] = 0x80  // a stray continuation byte
            let notes = try CSVReader.read(bytes: broken, path: "w.csv", options: options).notes.map(\.message)
            #expect(notes.contains { $0.contains("not UTF-8") || $0.contains("Windows-1252") }, "\(notes)")
        }
    }

    /// A roster of about `megabytes` MB in a temporary folder, opened (large enough to be mapped).
    static func mappedFile(megabytes: Int) throws(Diagnostic) -> (path: String, text: String, file: FileBytes) {
        let path = temporaryFolder() + "/big.csv"
        var text = "name,id\n"
        while text.utf8.count < megabytes << 20 { text += "Zoë Núñez,00050000\n" }
        writeFile(path, text)
        return (path, text, try Files.open(path, limit: 1 << 30))
    }

    @Test("a mapped file cut short while it is read is refused, not a crash")
    func truncatedWhileMapped() throws {
        let (path, _, file) = try Self.mappedFile(megabytes: 3)
        try file.checkUnchanged()
        // Another program cuts the file to one megabyte: the pages past that end are gone.
        #expect(truncate(path, 1 << 20) == 0)
        let tail = try file.withBuffer { $0[(2 << 20)...].reduce(0) { $0 | Int($1) } }
        #expect(tail == 0, "the missing part reads as zeros")
        #expect(throws: Diagnostic.self) { try file.checkUnchanged() }
        do {
            _ = try DataFileReader.read(file, path: path, options: CSVReadOptions())
            Issue.record("a file cut short was read")
        } catch {
            #expect(error.message.contains("changed while it was read"), "\(error.message)")
        }
    }

    @Test("a mapped file that another program saves over under the same name is still read whole")
    func savedOverWhileMapped() throws {
        let (path, text, file) = try Self.mappedFile(megabytes: 2)
        let folder = Files.directory(of: path)
        // Another program writes a new version beside it and renames it over: the mapped file is the old one.
        writeFile(folder + "/new.csv", "name,id\nsomeone,1\n")
        #expect(rename(folder + "/new.csv", path) == 0)
        try file.checkUnchanged()
        let result = try DataFileReader.read(file, path: path, options: CSVReadOptions())
        #expect(result.table.rowCount == text.utf8.filter { $0 == 0x0A }.count - 1)
        #expect(result.table.columns[1].cells[0] == "00050000")
    }
}
