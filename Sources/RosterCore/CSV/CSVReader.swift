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
    /// Files larger than this are refused before reading (a column holds at most 4 GiB).
    public var maxBytes: Int = 4 << 30
    public var maxColumns: Int = 16_384
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
        var notes: [Diagnostic] = []
        var dialect = CSVDialect()
        let loc = { (line: Int?, col: Int?) in DataLocation(path: path, line: line, column: col) }

        if input.count > options.maxBytes {
            throw .data("the file is \(input.count) bytes, more than the \(options.maxBytes)-byte limit", loc(nil, nil))
        }
        try refuseNonText(input, path: path)

        var bytes = input
        var bomLength = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            dialect.byteOrderMark = true
            bomLength = 3
        }
        // Encoding: UTF-8 when every byte sequence is valid, else Windows-1252 (Excel's "CSV" save).
        let invalid = bytes.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8(UnsafeBufferPointer(rebasing: $0[bomLength...])) }
        switch options.encoding {
        case .utf8?:
            if let bad = invalid {
                let (l, c) = lineAndColumn(bytes, bomLength + bad)
                throw .data("byte 0x\(String(bytes[bomLength + bad], radix: 16, uppercase: true)) is not valid UTF-8", loc(l, c),
                            hints: ["load it with encoding=\"windows-1252\" if Excel saved it as plain CSV"])
            }
        case .windows1252?:
            dialect.encoding = .windows1252
        case nil:
            if let bad = invalid {
                dialect.encoding = .windows1252
                let (l, _) = lineAndColumn(bytes, bomLength + bad)
                notes.append(.note("the file is not UTF-8 (first at line \(l)); read as Windows-1252, as Excel saves plain CSV",
                                   data: loc(nil, nil)))
            }
        }
        if dialect.encoding == .windows1252 {
            bytes = bytes.withUnsafeBufferPointer { TextEncoding.decodeWindows1252(UnsafeBufferPointer(rebasing: $0[bomLength...])) }
            bomLength = 0
        }

        dialect.delimiter = options.delimiter ?? detectDelimiter(bytes, from: bomLength)
        var parser = Parser(delimiter: dialect.delimiter, path: path, ragged: options.ragged, maxColumns: options.maxColumns)
        let table = try bytes.withUnsafeBufferPointer { (buf) throws(Diagnostic) -> Table in
            try parser.parse(buf, from: bomLength, dialect: &dialect, notes: &notes)
        }
        var t = table
        t.origin = TableOrigin(path: path, dialect: dialect)
        return CSVReadResult(table: t, notes: notes)
    }

    /// Workbooks, UTF-16 and binary files are named for what they are rather than parsed as garbage.
    static func refuseNonText(_ b: [UInt8], path: String) throws(Diagnostic) {
        let at = DataLocation(path: path, line: 1, column: 1)
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw .data("this is an Excel workbook (.xlsx) or another zip file, not CSV", at,
                        hints: ["in Excel use File › Save As › CSV UTF-8 (Comma delimited), then load that file"])
        }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .data("this is an old Excel workbook (.xls), not CSV", at,
                        hints: ["in Excel use File › Save As › CSV UTF-8 (Comma delimited), then load that file"])
        }
        if b.starts(with: [0xFF, 0xFE]) || b.starts(with: [0xFE, 0xFF]) {
            throw .data("this file is UTF-16 (Excel's \"Unicode Text\"); roster reads UTF-8 and Windows-1252", at,
                        hints: ["save it as CSV UTF-8 (Comma delimited)"])
        }
        let nulOffset: Int? = b.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress, let hit = memchr(base, 0, p.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        if let nul = nulOffset {
            let (l, c) = lineAndColumn(b, nul)
            throw .data("this looks like a binary file, not CSV (a NUL byte)", DataLocation(path: path, line: l, column: c))
        }
    }

    /// 1-based line and byte column of an offset.
    static func lineAndColumn(_ b: [UInt8], _ offset: Int) -> (Int, Int) {
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
    static func detectDelimiter(_ b: [UInt8], from start: Int) -> UInt8 {
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
    static func fieldCounts(_ b: [UInt8], from start: Int, delimiter d: UInt8, records: Int) -> [Int] {
        var counts: [Int] = []
        var fields = 1
        var inQuotes = false
        var i = start
        while i < b.count && counts.count < records {
            let c = b[i]
            if c == quote { inQuotes.toggle() }
            else if !inQuotes {
                if c == d { fields += 1 }
                else if c == lf || c == cr {
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

    /// The parsing state machine.
    struct Parser {
        let delimiter: UInt8
        let path: String
        let ragged: RaggedPolicy
        let maxColumns: Int

        init(delimiter: UInt8, path: String, ragged: RaggedPolicy, maxColumns: Int) {
            self.delimiter = delimiter
            self.path = path
            self.ragged = ragged
            self.maxColumns = maxColumns
        }

        /// Reads one field starting at `pos` into `out`. Returns the position after the field (at a delimiter,
        /// line break or the end), whether the source quoting differs from minimal quoting, and the number
        /// of line breaks inside the field.
        @inline(__always)
        func field(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, into out: inout RawBuffer<UInt8>, line: Int, lineStart: Int) throws(Diagnostic) -> (pos: Int, flip: Bool, breaks: Int) {
            var pos = start
            let d = delimiter
            if pos < n && p[pos] == quote {
                // Quoted field: runs between quotes, a doubled quote stands for one.
                pos += 1
                var breaks = 0
                var needsQuotes = false
                while true {
                    var run = pos
                    while run < n && p[run] != quote {
                        let c = p[run]
                        if c == lf || c == cr {
                            needsQuotes = true
                            if c == lf || run + 1 >= n || p[run + 1] != lf { breaks += 1 }
                        } else if c == d { needsQuotes = true }
                        run += 1
                    }
                    if run >= n {
                        throw .data("a quoted field is never closed: the quote that opens it has no closing quote", DataLocation(path: path, line: line, column: start - lineStart + 1),
                                    hints: ["a quote inside a quoted field must be doubled (\"\")"])
                    }
                    out.append(p + pos, run - pos)
                    pos = run + 1
                    if pos < n && p[pos] == quote {
                        out.append(quote)
                        needsQuotes = true
                        pos += 1
                        continue
                    }
                    break
                }
                if pos < n {
                    let c = p[pos]
                    if c != d && c != lf && c != cr {
                        throw .data("unexpected text after the closing quote of a field", DataLocation(path: path, line: line + breaks, column: nil),
                                    hints: ["a quote inside a quoted field must be doubled (\"\")"])
                    }
                }
                // An empty quoted field ("") or one with leading/trailing nothing special was quoted by choice.
                return (pos, !needsQuotes, breaks)
            }
            var e = pos
            var bareQuote = false
            while e < n {
                let c = p[e]
                if c == d || c == lf || c == cr { break }
                if c == quote { bareQuote = true }
                e += 1
            }
            out.append(p + pos, e - pos)
            return (e, bareQuote, 0)
        }

        /// Consumes a line break at `pos`; returns the new position and which ending it was.
        @inline(__always)
        func lineBreak(_ p: UnsafePointer<UInt8>, _ n: Int, _ pos: Int) -> (Int, CSVDialect.LineEnding) {
            if p[pos] == cr {
                if pos + 1 < n && p[pos + 1] == lf { return (pos + 2, .crlf) }
                return (pos + 1, .cr)
            }
            return (pos + 1, .lf)
        }

        mutating func parse(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, dialect: inout CSVDialect, notes: inout [Diagnostic]) throws(Diagnostic) -> Table {
            let n = buf.count
            guard n > start, let p = buf.baseAddress else {
                throw .data("the file is empty: no header row", DataLocation(path: path, line: 1))
            }
            // Header.
            var names: [String] = []
            var nameFlips: [Bool] = []
            var pos = start
            var line = 1
            var lineStart = start
            var scratch = RawBuffer<UInt8>(capacity: 256)
            defer { scratch.free() }
            var firstEnding: CSVDialect.LineEnding?
            var mixedEndings = 0
            var sawFinalBreak = false
            while true {
                scratch.removeLast(scratch.count)
                let (e, flip, breaks) = try field(p, n, pos, into: &scratch, line: line, lineStart: lineStart)
                names.append(String(decoding: UnsafeBufferPointer(start: scratch.base, count: scratch.count), as: UTF8.self))
                nameFlips.append(flip)
                if names.count > maxColumns {
                    throw .data("the header has more than \(maxColumns) columns", DataLocation(path: path, line: 1))
                }
                line += breaks
                pos = e
                if pos >= n { break }
                if p[pos] == delimiter { pos += 1; continue }
                let (np, ending) = lineBreak(p, n, pos)
                firstEnding = ending
                pos = np
                line += 1
                lineStart = pos
                sawFinalBreak = pos >= n
                break
            }
            let ncols = names.count
            // Columns. Capacity is reserved generously: untouched pages cost no memory.
            let remaining = n - pos
            // Capacity: an even share of the bytes each; realloc grows a column that needs more.
            var builders: [RawColumnBuilder] = (0..<ncols).map { _ in
                RawColumnBuilder(expectedCells: remaining / (8 * ncols) + 16, expectedBytes: remaining / ncols + 64)
            }
            var finished = false
            var extra: [RawColumnBuilder] = []       // fields past the header's count (ragged = pad)
            defer {
                if !finished { for b in builders { b.discard() }; for e in extra { e.discard() } }
            }
            var flips: [[Bool]?] = Array(repeating: nil, count: ncols)
            var lines: [Int32] = []
            lines.reserveCapacity(remaining / ncols + 1)
            var raggedRows: [(line: Int, count: Int)] = []
            var blankLines: [Int] = []
            var rows = 0

            try builders.withUnsafeMutableBufferPointer { (cols) throws(Diagnostic) in
                while pos < n {
                    let recordLine = line
                    // A line with nothing on it.
                    if p[pos] == lf || p[pos] == cr {
                        let (np, ending) = lineBreak(p, n, pos)
                        if ending != firstEnding { if firstEnding == nil { firstEnding = ending } else { mixedEndings += 1 } }
                        if ncols == 1 {
                            cols[0].endCell()
                            lines.append(Int32(truncatingIfNeeded: recordLine))
                            rows += 1
                        } else {
                            blankLines.append(recordLine)
                        }
                        pos = np
                        line += 1
                        lineStart = pos
                        sawFinalBreak = pos >= n
                        continue
                    }
                    var j = 0
                    while true {
                        let r: (pos: Int, flip: Bool, breaks: Int)
                        if j < ncols {
                            r = try field(p, n, pos, into: &cols[j].bytes, line: line, lineStart: lineStart)
                            cols[j].endCell()
                            if r.flip {
                                if flips[j] == nil { flips[j] = Array(repeating: false, count: rows) }
                                flips[j]!.append(true)
                            } else if flips[j] != nil {
                                flips[j]!.append(false)
                            }
                        } else {
                            let k = j - ncols
                            if k >= extra.count {
                                var b = RawColumnBuilder(expectedCells: rows + 16, expectedBytes: 64)
                                for _ in 0..<rows { b.endCell() }
                                extra.append(b)
                            }
                            r = try field(p, n, pos, into: &extra[k].bytes, line: line, lineStart: lineStart)
                            extra[k].endCell()
                        }
                        line += r.breaks
                        pos = r.pos
                        j += 1
                        if pos >= n { sawFinalBreak = false; break }
                        if p[pos] == delimiter {
                            pos += 1
                            if pos >= n {
                                // A delimiter right before the end of the file: one more, empty field.
                                if j < ncols { cols[j].endCell(); flips[j]?.append(false) }
                                else {
                                    let k = j - ncols
                                    if k >= extra.count { var b = RawColumnBuilder(expectedCells: rows + 16, expectedBytes: 64); for _ in 0..<rows { b.endCell() }; extra.append(b) }
                                    extra[k].endCell()
                                }
                                j += 1
                                sawFinalBreak = false
                                break
                            }
                            continue
                        }
                        let (np, ending) = lineBreak(p, n, pos)
                        if ending != firstEnding { if firstEnding == nil { firstEnding = ending } else { mixedEndings += 1 } }
                        pos = np
                        line += 1
                        lineStart = pos
                        sawFinalBreak = pos >= n
                        break
                    }
                    if j != ncols {
                        if ragged == .error {
                            throw .data("this row has \(j) field\(j == 1 ? "" : "s") but the header has \(ncols)",
                                        DataLocation(path: path, line: recordLine),
                                        hints: j < ncols
                                            ? ["a field may be missing on this line", "to pad short rows with blanks: load … ragged=\"pad\""]
                                            : ["a value with a comma in it must be in quotes: \"Smith, Jr\"", "to keep the extra fields in new columns: load … ragged=\"pad\""])
                        }
                        raggedRows.append((recordLine, j))
                        if j < ncols { for k in j..<ncols { cols[k].endCell(); flips[k]?.append(false) } }
                    }
                    // Extra columns stay in step with the rows.
                    for k in 0..<extra.count where extra[k].cellCount < rows + 1 { extra[k].endCell() }
                    lines.append(Int32(truncatingIfNeeded: recordLine))
                    rows += 1
                }
            }

            dialect.lineEnding = firstEnding ?? .lf
            dialect.finalLineBreak = sawFinalBreak || rows == 0 && firstEnding != nil

            finished = true
            var columns: [Column] = []
            for j in 0..<ncols {
                var col = builders[j].finish()
                if let f = flips[j] { col.quoteFlips = f }
                columns.append(Column(name: names[j], cells: col, nameQuoteFlip: nameFlips[j]))
            }
            for (k, e) in extra.enumerated() {
                columns.append(Column(name: "extra_\(k + 1)", cells: e.finish()))
            }
            var table = Table(columns: columns, rowCount: rows, lines: lines)
            let at = DataLocation(path: path)

            if mixedEndings > 0 {
                notes.append(.warning("the file mixes line endings (\(mixedEndings) rows differ from the first's \(dialect.lineEnding.label)); a save writes \(dialect.lineEnding.label) throughout", data: at))
            }
            if !blankLines.isEmpty {
                notes.append(.warning("skipped \(blankLines.count) blank line\(blankLines.count == 1 ? "" : "s") (first at line \(blankLines[0]))", data: at))
            }
            if !raggedRows.isEmpty {
                let first = raggedRows.prefix(3).map { "line \($0.line): \($0.count) fields" }.joined(separator: ", ")
                notes.append(.warning("repaired \(raggedRows.count) row\(raggedRows.count == 1 ? "" : "s") whose field count differs from the header's \(ncols) (\(first)); short rows padded with blanks\(extra.isEmpty ? "" : ", extra fields kept in new columns extra_1…")", data: at))
            }
            CSVReader.dropExcelDebris(&table, notes: &notes, at: at)
            return table
        }
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
