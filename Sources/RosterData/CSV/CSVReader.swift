import RosterDiagnostics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to do with a row whose field count differs from the header's.
public enum RaggedPolicy: String, Sendable {
    /// Stop with an error naming the file and line (the default: nothing is guessed).
    case error
    /// Pad short rows with blanks and give long rows' extra fields new columns, and report each.
    case pad
}

public struct CSVReadOptions: Sendable {
    public var delimiter: UInt8?
    public var encoding: CSVDialect.Encoding?
    public var ragged: RaggedPolicy = .error
    /// Files larger than this are refused before reading. (A column holds at most 4 GiB, so this leaves
    /// room for columns built from several others; 1 GiB is some ten million roster rows.)
    public var maxBytes: Int = 1 << 30
    public var maxColumns: Int = 16_384
    /// Files with at least this many bytes of records are parsed as two halves on two threads.
    public var parallelThreshold: Int = Parallel.bytes
    /// Polled every 65,536 records: true stops the load with an "interrupted" error.
    public var isCancelled: @Sendable () -> Bool = { false }
    /// Told how far the reading has got (0…1), every 65,536 records, from one thread.
    public var progress: (@Sendable (Double) -> Void)?
    /// The sheet of a workbook to read (by name); nil reads the first visible one.
    public var sheet: String?
    /// How a OneRoster package's organizations are written.
    public var oneRosterOrgs: OneRosterOrgs = .identifier
    /// The folder of a zip holding several OneRoster packages to read (`package="new"`); nil when
    /// the zip holds one.
    public var oneRosterPackage: String?
    /// `optional=true`: a blank file name loads a table of no rows (a recipe's extra that was not given).
    public var optional = false
    /// The file being read, when its pages may be given back as the parser passes them (a large
    /// file then costs little more memory than its table).
    public var givingBack: FileBytes?
    /// Whether plain records are read through the structural index (tests turn it off to compare),
    /// and the bytes it indexes at a time (tests make it small to cross its edges often).
    var indexedRecords = true
    var indexWindow = 1 << 16
    public init(delimiter: UInt8? = nil, encoding: CSVDialect.Encoding? = nil, ragged: RaggedPolicy = .error) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.ragged = ragged
    }
}

/// A loaded table and what the loader noticed on the way (encoding guessed, Excel debris removed, …).
public struct CSVReadResult: Sendable {
    public var table: Table
    public var notes: [Diagnostic]
}

/// RFC 4180 reader: quoted fields, doubled quotes, delimiters and line breaks inside quotes; LF, CRLF
/// and CR; UTF-8 with or without BOM, or Windows-1252 when the bytes are not UTF-8; comma, semicolon
/// or tab. Cells are copied once, straight into their column's byte buffer.
public enum CSVReader {
    static let quote = UInt8(ascii: "\"")
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A

    public static func read(bytes input: [UInt8], path: String, options: CSVReadOptions = CSVReadOptions()) throws(Diagnostic) -> CSVReadResult {
        try input.withUnsafeBufferPointer { (buf) throws(Diagnostic) in try read(buffer: buf, path: path, options: options) }
    }

    /// Reads CSV from memory the caller keeps alive (a mapped file, an array).
    public static func read(
        buffer input: UnsafeBufferPointer<UInt8>, path: String, options: CSVReadOptions = CSVReadOptions()
    ) throws(Diagnostic) -> CSVReadResult {
        var notes: [Diagnostic] = []
        var dialect = CSVDialect()
        let loc = { (line: Int?, col: Int?) in DataLocation(path: path, line: line, column: col) }

        if input.count > options.maxBytes {
            throw .data("the file is \(input.count) bytes, more than the \(options.maxBytes)-byte limit", loc(nil, nil))
        }
        try refuseKnownKinds(input, path: path)
        var bomLength = 0
        var mixed = false
        if input.starts(with: [0xEF, 0xBB, 0xBF]) {
            dialect.byteOrderMark = true
            bomLength = 3
        }
        if options.encoding != .windows1252, input.count - bomLength >= options.parallelThreshold {
            // A large file's text is checked as it is read (the first of the two passes looks at
            // every byte anyway). Anything unusual, and the checks and the reading below start over.
            var parser = parser(options, path: path, delimiter: options.delimiter ?? detectDelimiter(input, from: bomLength))
            parser.givingBack = options.givingBack
            var fastDialect = dialect
            fastDialect.delimiter = parser.delimiter
            var fastNotes = notes
            if var table = parser.parseUncheckedText(input, from: bomLength, dialect: &fastDialect, notes: &fastNotes) {
                table.origin = TableOrigin(path: path, dialect: fastDialect)
                return CSVReadResult(table: table, notes: fastNotes)
            }
            if let file = options.givingBack { try file.restore() }
        }
        try refuseBinary(input, path: path)

        // Encoding: UTF-8 when every byte sequence is valid, else Windows-1252 (Excel's "CSV" save).
        let invalid = TextEncoding.firstInvalidUTF8(UnsafeBufferPointer(rebasing: input[bomLength...]))
        switch options.encoding {
        case .utf8?:
            if let bad = invalid {
                let (l, c) = lineAndColumn(input, bomLength + bad)
                throw .data(
                    "byte 0x\(String(input[bomLength + bad], radix: 16, uppercase: true)) is not valid UTF-8", loc(l, c),
                    hints: ["load it with encoding=\"windows-1252\" if Excel saved it as plain CSV"])
            }
        case .windows1252?:
            dialect.encoding = .windows1252
        case nil:
            if let bad = invalid {
                let (l, _) = lineAndColumn(input, bomLength + bad)
                if TextEncoding.hasMultibyteUTF8(UnsafeBufferPointer(rebasing: input[bomLength...])) {
                    mixed = true
                    notes.append(
                        .warning(
                            "the file is UTF-8 but some bytes are not (first at line \(l)); read those as Windows-1252 and the rest as UTF-8; a save writes UTF-8",
                            data: loc(nil, nil)))
                } else {
                    dialect.encoding = .windows1252
                    notes.append(
                        .note(
                            "the file is not UTF-8 (first at line \(l)); read as Windows-1252, as Excel saves plain CSV",
                            data: loc(nil, nil)))
                }
            }
        }
        func parse(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(Diagnostic) -> Table {
            dialect.delimiter = options.delimiter ?? detectDelimiter(buf, from: start)
            return try parser(options, path: path, delimiter: dialect.delimiter).parse(buf, from: start, dialect: &dialect, notes: &notes)
        }
        func parseGivingBack(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(Diagnostic) -> Table {
            dialect.delimiter = options.delimiter ?? detectDelimiter(buf, from: start)
            var parser = parser(options, path: path, delimiter: dialect.delimiter)
            parser.givingBack = options.givingBack
            return try parser.parse(buf, from: start, dialect: &dialect, notes: &notes)
        }
        var table: Table
        if mixed {
            let utf8 = TextEncoding.decodeMixed(UnsafeBufferPointer(rebasing: input[bomLength...]))
            table = try utf8.withUnsafeBufferPointer { (b) throws(Diagnostic) in try parse(b, from: 0) }
        } else if dialect.encoding == .windows1252 {
            let utf8 = TextEncoding.decodeWindows1252(UnsafeBufferPointer(rebasing: input[bomLength...]))
            table = try utf8.withUnsafeBufferPointer { (b) throws(Diagnostic) in try parse(b, from: 0) }
        } else {
            // Parsed in place: only here are the file's own bytes the parser's, to give back.
            table = try parseGivingBack(input, from: bomLength)
        }
        table.origin = TableOrigin(path: path, dialect: dialect)
        return CSVReadResult(table: table, notes: notes)
    }

    static func parser(_ options: CSVReadOptions, path: String, delimiter: UInt8) -> CSVParser {
        var parser = CSVParser(
            delimiter: delimiter, path: path, ragged: options.ragged, maxColumns: options.maxColumns, parallelThreshold: options.parallelThreshold,
            isCancelled: options.isCancelled, progress: options.progress)
        parser.indexed = options.indexedRecords
        parser.indexWindow = options.indexWindow
        return parser
    }

    /// A binary file (one with a NUL byte) is named for what it is rather than parsed as garbage.
    static func refuseBinary(_ b: UnsafeBufferPointer<UInt8>, path: String) throws(Diagnostic) {
        let nulOffset: Int? = {
            guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }()
        if let nul = nulOffset {
            let (l, c) = lineAndColumn(b, nul)
            throw .data("this looks like a binary file, not CSV (a NUL byte)", DataLocation(path: path, line: l, column: c))
        }
    }

    /// Workbooks and UTF-16 are named for what they are, known from their first bytes.
    static func refuseKnownKinds(_ b: UnsafeBufferPointer<UInt8>, path: String) throws(Diagnostic) {
        let at = DataLocation(path: path, line: 1, column: 1)
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw .data(
                "this is an Excel workbook (.xlsx) or another zip file, not CSV", at,
                hints: ["in Excel use File › Save As › CSV UTF-8 (Comma delimited), then load that file"])
        }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .data(
                "this is an old Excel workbook (.xls), not CSV", at,
                hints: ["in Excel use File › Save As › CSV UTF-8 (Comma delimited), then load that file"])
        }
        if b.starts(with: [0xFF, 0xFE]) || b.starts(with: [0xFE, 0xFF]) {
            throw .data(
                "this file is UTF-16 (Excel's \"Unicode Text\"); roster reads UTF-8 and Windows-1252", at,
                hints: ["save it as CSV UTF-8 (Comma delimited)"])
        }
    }

    /// 1-based line and byte column of an offset.
    static func lineAndColumn(_ b: [UInt8], _ offset: Int) -> (Int, Int) {
        b.withUnsafeBufferPointer { lineAndColumn($0, offset) }
    }

    static func lineAndColumn(_ b: UnsafeBufferPointer<UInt8>, _ offset: Int) -> (Int, Int) {
        var line = 1, start = 0
        for i in 0..<min(offset, b.count) where b[i] == lf || (b[i] == cr && (i + 1 >= b.count || b[i + 1] != lf)) {
            line += 1
            start = i + 1
        }
        let col = String(decoding: b[start..<min(offset, b.count)], as: UTF8.self).count + 1
        return (line, col)
    }

    /// Comma, semicolon or tab: the one that splits the first records (up to 50) into the same number
    /// of fields, more than one; among those the one giving most fields; comma when nothing decides.
    static func detectDelimiter(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var best: (delimiter: UInt8, fields: Int, consistent: Bool)?
        for d in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            let counts = fieldCounts(b, from: start, delimiter: d, records: 50)
            guard let first = counts.first, first > 1 else { continue }
            let consistent = counts.allSatisfy { $0 == first }
            if let cur = best {
                if (consistent && !cur.consistent) || (consistent == cur.consistent && first > cur.fields) { best = (d, first, consistent) }
            } else {
                best = (d, first, consistent)
            }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// Fields per record of the first `records` records, reading quotes as RFC 4180 does.
    static func fieldCounts(_ b: UnsafeBufferPointer<UInt8>, from start: Int, delimiter d: UInt8, records: Int) -> [Int] {
        var counts: [Int] = []
        var fields = 1
        var inQuotes = false
        var i = start
        while i < b.count && counts.count < records {
            let c = b[i]
            if c == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if c == d {
                    fields += 1
                } else if c == lf || c == cr {
                    counts.append(fields)
                    fields = 1
                    if c == cr && i + 1 < b.count && b[i + 1] == lf { i += 1 }
                }
            }
            i += 1
        }
        if i >= b.count && counts.count < records && (i > start && b[b.count - 1] != lf && b[b.count - 1] != cr) { counts.append(fields) }
        return counts
    }

    /// Excel adds empty columns at the right (a header ending in commas) and rows of empty cells at the
    /// bottom. They are recognised, reported and left out; a column or row with anything in it is kept.
    static func dropExcelDebris(_ table: inout Table, notes: inout [Diagnostic], at: DataLocation) {
        var dropped = 0
        while let last = table.columns.last, last.name.isEmpty, last.cells.bytes.isEmpty, table.columns.count > 1 {
            table.columns.removeLast()
            dropped += 1
        }
        if dropped > 0 {
            notes.append(.note("left out \(dropped) empty column\(dropped == 1 ? "" : "s") at the right with no header (Excel adds these)", data: at))
        }
        var emptyRows = 0
        var r = table.rowCount - 1
        while r >= 0, table.columns.allSatisfy({ $0.cells.isBlank(r) }) {
            emptyRows += 1
            r -= 1
        }
        if emptyRows > 0 {
            let keep = table.rowCount - emptyRows
            table = table.gather(Array(0..<keep))
            notes.append(.note("left out \(emptyRows) empty row\(emptyRows == 1 ? "" : "s") at the end (Excel adds these)", data: at))
        }
        for (j, c) in table.columns.enumerated() where c.name.isEmpty {
            table.columns[j].name = "column\(j + 1)"
            notes.append(.warning("column \(j + 1) has no header; named it 'column\(j + 1)'", data: at))
        }
        var seen: [String: Int] = [:]
        for j in table.columns.indices {
            let name = table.columns[j].name
            if let k = seen[name] {
                var m = 2
                while table.columns.contains(where: { $0.name == "\(name) (\(m))" }) { m += 1 }
                table.columns[j].name = "\(name) (\(m))"
                notes.append(.warning("the header has '\(name)' twice (columns \(k + 1) and \(j + 1)); the second is named '\(name) (\(m))'", data: at))
            } else {
                seen[name] = j
            }
        }
    }
}
