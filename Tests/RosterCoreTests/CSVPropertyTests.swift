import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// A small deterministic generator, so a failing case can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("CSV properties")
struct CSVPropertyTests {
    static let alphabet: [String] = ["a", "Z", "0", "7", " ", ",", ";", "\t", "\"", "\n", "\r\n", "'", "=", "é", "–", "名", "😀", "|", "-"]

    static func cell(_ rng: inout SplitMix64) -> String {
        let n = Int.random(in: 0...8, using: &rng)
        return (0..<n).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    /// A file written by some other program: valid RFC 4180, with fields quoted where needed and
    /// sometimes where not, in a random dialect.
    static func sourceFile(_ rng: inout SplitMix64) -> ([UInt8], UInt8) {
        let d = [",", ";", "\t"].randomElement(using: &rng)!
        let eol = ["\n", "\r\n"].randomElement(using: &rng)!
        let cols = Int.random(in: 1...5, using: &rng)
        let rows = Int.random(in: 0...12, using: &rng)
        var out = Bool.random(using: &rng) ? "\u{FEFF}" : ""
        func field(_ s: String, header: Bool) -> String {
            let must = s.contains(d) || s.contains("\"") || s.contains("\n") || s.contains("\r")
            if must || Int.random(in: 0..<4, using: &rng) == 0 { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            return s
        }
        var header: [String] = []
        for j in 0..<cols {
            var name = "c\(j)" + cell(&rng).filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" }
            if name.isEmpty { name = "c\(j)" }
            header.append(name)
        }
        out += header.map { field($0, header: true) }.joined(separator: d)
        let finalBreak = Bool.random(using: &rng) || rows == 0
        for r in 0..<rows {
            out += eol
            var cells = (0..<cols).map { _ in cell(&rng) }
            // A last row that is all blank would be read as Excel debris; keep one value in it.
            if r == rows - 1 && cells.allSatisfy(\.isEmpty) { cells[0] = "x" }
            if cols == 1 && cells[0].isEmpty { cells[0] = "y" }
            out += cells.map { field($0, header: false) }.joined(separator: d)
        }
        if finalBreak { out += eol }
        return (Array(out.utf8), Array(d.utf8)[0])
    }

    @Test("an unedited file loads and saves to the same bytes (500 generated files)")
    func losslessRoundTrip() throws {
        var rng = SplitMix64(seed: 20251121)
        for i in 0..<500 {
            let (bytes, delimiter) = Self.sourceFile(&rng)
            // The delimiter is given: in a one-column file with commas in it no reader could tell.
            let t = try CSVReader.read(bytes: bytes, path: "gen.csv", options: CSVReadOptions(delimiter: delimiter)).table
            let again = try CSVWriter.encode(t, dialect: t.origin!.dialect, path: "gen.csv")
            #expect(again == bytes, "case \(i): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if again != bytes { return }
        }
    }

    @Test("whatever a table holds, writing then reading gives the same cells (500 generated tables)")
    func writeThenRead() throws {
        var rng = SplitMix64(seed: 7)
        for i in 0..<500 {
            let cols = Int.random(in: 1...4, using: &rng)
            let rows = Int.random(in: 1...10, using: &rng)
            let names = (0..<cols).map { "h\($0)" + Self.cell(&rng) }
            var data = (0..<rows).map { _ in (0..<cols).map { _ in Self.cell(&rng) } }
            // The last row must not be blank (it would be taken for Excel's empty rows).
            if data[rows - 1].allSatisfy(\.isEmpty) { data[rows - 1][0] = "x" }
            if cols == 1 { for r in 0..<rows where data[r][0].isEmpty { data[r][0] = "y" } }
            let t = Table(names: names, rows: data)
            var dialect = CSVDialect()
            dialect.delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")].randomElement(using: &rng)!
            dialect.lineEnding = CSVDialect.LineEnding.allCases.randomElement(using: &rng)!
            dialect.byteOrderMark = Bool.random(using: &rng)
            let bytes = try CSVWriter.encode(t, dialect: dialect, path: "t")
            var options = CSVReadOptions()
            options.delimiter = dialect.delimiter
            let back = try CSVReader.read(bytes: bytes, path: "t", options: options).table
            #expect(back.names == names, "case \(i)")
            #expect(back.rows == data, "case \(i): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if back.rows != data { return }
        }
    }

    /// Every cell length up to three words, with each special byte at each position, in the middle of
    /// a column and as its last cell (where the writer must not read past the column's bytes): quoted
    /// exactly when minimal quoting requires, and read back as written.
    @Test func theWriterQuotesExactlyTheCellsThatNeedIt() throws {
        for special in [",", "\"", "\n", "\r"] {
            var cells: [String] = []
            for length in 1...24 {
                for at in 0..<length {
                    cells.append(String(repeating: "a", count: at) + special + String(repeating: "b", count: length - at - 1))
                }
                cells.append(String(repeating: "é", count: length / 2))
            }
            for last in cells.suffix(30) {
                let column = cells + [last]
                let t = Table(names: ["v"], rows: column.map { [$0] })
                let text = String(decoding: try CSVWriter.encode(t, dialect: CSVDialect(), path: "t"), as: UTF8.self)
                let want =
                    (["v"]
                    + column.map { c in
                        c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")
                            ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c
                    }).joined(separator: "\n")
                #expect(text == want + "\n")
                if text != want + "\n" { return }
            }
        }
    }

    @Test("parsing in two halves on two threads gives exactly what parsing in one piece gives (500 generated files)")
    func splitParsingAgrees() throws {
        var rng = SplitMix64(seed: 31337)
        for i in 0..<500 {
            var (bytes, delimiter) = Self.sourceFile(&rng)
            // Now and then a bare quote in an unquoted field, which makes the split's quote count wrong.
            if Int.random(in: 0..<5, using: &rng) == 0, let nl = bytes.lastIndex(of: 0x0A), nl > 2 {
                bytes.insert(contentsOf: Array("x\"y".utf8) + [delimiter == 0x2C ? 0x3B : 0x2C], at: nl + 1)
            }
            var one = CSVReadOptions(delimiter: delimiter)
            one.parallelThreshold = Int.max
            var two = CSVReadOptions(delimiter: delimiter)
            two.parallelThreshold = 0
            let a = Result { () throws(Diagnostic) in try CSVReader.read(bytes: bytes, path: "g.csv", options: one) }
            let b = Result { () throws(Diagnostic) in try CSVReader.read(bytes: bytes, path: "g.csv", options: two) }
            switch (a, b) {
            case (.success(let x), .success(let y)):
                #expect(x.table.rows == y.table.rows, "case \(i)")
                #expect(x.table.names == y.table.names, "case \(i)")
                #expect(x.table.lines == y.table.lines, "case \(i)")
                #expect(x.table.origin == y.table.origin, "case \(i)")
                #expect(x.table.columns.map(\.cells.quoteFlips) == y.table.columns.map(\.cells.quoteFlips), "case \(i)")
                #expect(x.notes.map(\.message) == y.notes.map(\.message), "case \(i)")
            case (.failure(let x), .failure(let y)):
                #expect(x.message == y.message && x.data == y.data, "case \(i)")
            default:
                Issue.record("case \(i): one way failed, the other did not")
            }
        }
    }

    @Test("Windows-1252 decoding and encoding are inverse for every byte")
    func windows1252AllBytes() throws {
        let all = (0...255).map { UInt8($0) }.filter { $0 != 0 }
        let utf8 = all.withUnsafeBufferPointer { TextEncoding.decodeWindows1252($0) }
        #expect(utf8.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) } == nil)
        #expect(try TextEncoding.encodeWindows1252(utf8) == all)
    }

    @Test("UTF-8 validation of large inputs (checked in two halves) finds the first bad byte wherever it is")
    func utf8ValidationLarge() {
        let unit = Array("Zoë Núñez, Educator – Test Site, 名前\n".utf8)
        var big: [UInt8] = []
        while big.count < 5 << 20 { big += unit }
        #expect(big.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) } == nil)
        for at in [10, big.count / 2 - 1, big.count / 2, big.count / 2 + 1, big.count - 1] {
            var bad = big
            bad[at] = 0xFF
            let found = bad.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) }
            let serial = bad.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8Serial($0) }
            #expect(found == serial, "bad byte at \(at)")
            #expect(found != nil && found! <= at, "bad byte at \(at)")
        }
    }

    @Test("UTF-8 validation agrees with the standard library on random bytes")
    func utf8Validation() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            let n = Int.random(in: 0...24, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let mine = bytes.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) } == nil
            let theirs = String(validating: bytes, as: UTF8.self) != nil
            #expect(mine == theirs, "\(bytes)")
        }
    }
}

import Foundation
