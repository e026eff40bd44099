import Testing
@testable import RosterDiagnostics
@testable import RosterData

/// Loading gives a file's pages back as it parses, and saving encodes a block of rows at a time:
/// neither may change a byte of what is read or written, including when a parse starts over.
@Suite("Reading and writing in pieces")
struct StreamingTests {
    /// A file of `rows` records, large enough that pages are given back (every 16,384 records).
    func file(rows: Int, tail: String = "") -> String {
        var text = "Username,Role,Org\n"
        for r in 0..<rows { text += "user\(r)@x.org,\(["TA", "STC", "TC"][r % 3]),\"000\(r % 97)|0050\"\n" }
        return text + tail
    }

    func load(_ text: String, threshold: Int = 4096) throws -> (Table, Table) {
        let path = temporaryFolder() + "/big.csv"
        writeFile(path, text)
        var options = CSVReadOptions()
        options.parallelThreshold = threshold
        let given = try DataFileReader.read(try Files.open(path, limit: 1 << 30), path: path, options: options).table
        let kept = try CSVReader.read(bytes: Array(text.utf8), path: path, options: options).table
        return (given, kept)
    }

    @Test func pagesGivenBackChangeNothing() throws {
        let (given, kept) = try load(file(rows: 60_000))
        #expect(given.rowCount == 60_000)
        #expect(given.names == kept.names)
        for (a, b) in zip(given.columns, kept.columns) { #expect(a.cells.bytes == b.cells.bytes && a.cells.ends == b.cells.ends) }
    }

    /// A bare quote late in the file makes the two halves start over as one: the pages the halves gave
    /// back are read from the file again.
    @Test func aParseThatStartsOverReadsGivenBackPagesAgain() throws {
        let (given, kept) = try load(file(rows: 60_000, tail: "late@x.org,TA,00 \"quoted\" 50\n"))
        #expect(given.rowCount == 60_001)
        #expect(given.column("Org")![60_000] == "00 \"quoted\" 50")
        for (a, b) in zip(given.columns, kept.columns) { #expect(a.cells.bytes == b.cells.bytes) }
    }

    @Test func anErrorAfterPagesWereGivenBackNamesTheRightLine() throws {
        #expect(throws: Diagnostic.self) { try load(file(rows: 60_000, tail: "short@x.org,TA\n")) }
        do {
            _ = try load(file(rows: 60_000, tail: "short@x.org,TA\n"))
        } catch {
            #expect((error as? Diagnostic)?.data?.line == 60_002)
        }
    }

    @Test func blocksMakeTheSameFileAsOnePiece() throws {
        let t = try CSVReader.read(bytes: Array(file(rows: 1000).utf8), path: "t.csv").table
        for block in [1, 7, 64, 5000] {
            var stream = CSVWriter.Stream(t, dialect: t.origin!.dialect, path: "t.csv")
            stream.blockRows = block
            var bytes: [UInt8] = []
            while let part = try stream.next() { bytes += part }
            #expect(bytes == Array(file(rows: 1000).utf8), "blocks of \(block)")
        }
    }

    /// A character Windows-1252 lacks is placed on its line of the whole file, whichever block holds it.
    @Test func anEncodingErrorInALaterBlockNamesItsLine() throws {
        let t = try CSVReader.read(bytes: Array("Name\na\nb\nc\nd\n日\nf\n".utf8), path: "t.csv").table
        var dialect = t.origin!.dialect
        dialect.encoding = .windows1252
        var stream = CSVWriter.Stream(t, dialect: dialect, path: "t.csv")
        stream.blockRows = 2
        do {
            while try stream.next() != nil {}
            Issue.record("expected an encoding error")
        } catch {
            #expect(error.data?.line == 6)
            #expect(error.data?.column == 1)
        }
    }
}
