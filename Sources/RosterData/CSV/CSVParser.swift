import RosterDiagnostics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader's state machine: header, then records into per-column byte buffers. A large file is
/// parsed as two halves on two threads, split at a line break found by counting quotes; when either
/// half meets a bare quote (which would make that count wrong) or an error, the whole file is parsed
/// again in one piece, so results and messages never depend on the split.
struct CSVParser: Sendable {
    let delimiter: UInt8
    let path: String
    let ragged: RaggedPolicy
    let maxColumns: Int
    /// Record bytes from which a file is parsed as two halves on two threads.
    let parallelThreshold: Int
    let isCancelled: @Sendable () -> Bool
    let progress: (@Sendable (Double) -> Void)?
    /// The file being parsed in place, whose pages are given back as the records before them are
    /// read (every 16,384 records); nil keeps every byte.
    var givingBack: FileBytes?

    static let quote = UInt8(ascii: "\"")
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A

    /// What parsing a run of records produced.
    struct Chunk: @unchecked Sendable {
        var columns: [RawColumnBuilder]
        var flips: [[Bool]?]
        var extra: [RawColumnBuilder] = []
        var lines: [Int32] = []
        var rows = 0
        var raggedRows: [(line: Int, count: Int)] = []
        var blankLines: [Int] = []
        /// Records ended by LF, CRLF and CR.
        var endings = [0, 0, 0]
        var sawFinalBreak = false
        var sawBareQuote = false
        var endLine = 1

        func discard() {
            for c in columns { c.discard() }
            for e in extra { e.discard() }
        }
    }

    /// A pointer that may cross to the second thread (the buffer outlives both).
    struct SharedBytes: @unchecked Sendable { let p: UnsafePointer<UInt8> }

    // MARK: fields

    /// Reads one field starting at `start` into `out`. Returns the position after it (a delimiter, a
    /// line break or `n`), whether its quoting differs from minimal quoting, the line breaks inside it,
    /// and whether it held a bare quote.
    @inline(__always)
    func field(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, into out: inout RawBuffer<UInt8>, line: Int, lineStart: Int
    ) throws(Diagnostic) -> (pos: Int, flip: Bool, breaks: Int) {
        var pos = start
        let d = delimiter
        let quote = Self.quote, lf = Self.lf, cr = Self.cr
        if pos < n && p[pos] == quote {
            // Quoted: runs up to the next quote; a doubled quote stands for one.
            pos += 1
            var breaks = 0
            var needsQuotes = false
            while true {
                guard let hit = memchr(p + pos, Int32(quote), n - pos) else {
                    throw .data(
                        "a quoted field is never closed: the quote that opens it has no closing quote",
                        DataLocation(path: path, line: line, column: start - lineStart + 1),
                        hints: ["a quote inside a quoted field must be doubled (\"\")"])
                }
                let run = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let piece = UnsafeBufferPointer(start: p + pos, count: run - pos)
                if !needsQuotes || breaks == 0, CSVWriter.needsQuotes(piece, delimiter: d) {
                    needsQuotes = true
                    for i in 0..<piece.count where piece[i] == lf || (piece[i] == cr && (i + 1 >= piece.count || piece[i + 1] != lf)) {
                        breaks += 1
                    }
                } else if breaks > 0 {
                    for i in 0..<piece.count where piece[i] == lf || (piece[i] == cr && (i + 1 >= piece.count || piece[i + 1] != lf)) {
                        breaks += 1
                    }
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
                    throw .data(
                        "unexpected text after the closing quote of a field", DataLocation(path: path, line: line + breaks, column: nil),
                        hints: ["a quote inside a quoted field must be doubled (\"\")"])
                }
            }
            return (pos, !needsQuotes, breaks)
        }
        // Unquoted: eight bytes at a time. In `hit`, the lowest flagged byte is exactly the first byte
        // equal to the delimiter, a quote or a line break (borrows only run upwards from a zero byte).
        var e = pos
        var bareQuote = false
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let rd = ones &* UInt64(d), rq = ones &* UInt64(quote), rl = ones &* UInt64(lf), rc = ones &* UInt64(cr)
        scan: while true {
            while e + 8 <= n {
                let w = UnsafeRawPointer(p + e).loadUnaligned(as: UInt64.self)
                let a = w ^ rd, b = w ^ rq, c = w ^ rl, f = w ^ rc
                let hit = (((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c) | ((f &- ones) & ~f)) & highs
                if hit != 0 {
                    e += hit.trailingZeroBitCount >> 3
                    if p[e] == quote { bareQuote = true; e += 1; continue }
                    break scan
                }
                e += 8
            }
            while e < n {
                let c = p[e]
                if c == d || c == lf || c == cr { break scan }
                if c == quote { bareQuote = true }
                e += 1
            }
            break
        }
        out.append(p + pos, e - pos)
        return (e, bareQuote, 0)
    }

    /// Consumes the line break at `pos`; returns the new position and which ending it was.
    @inline(__always)
    func lineBreak(_ p: UnsafePointer<UInt8>, _ n: Int, _ pos: Int) -> (Int, CSVDialect.LineEnding) {
        if p[pos] == Self.cr {
            if pos + 1 < n && p[pos + 1] == Self.lf { return (pos + 2, .crlf) }
            return (pos + 1, .cr)
        }
        return (pos + 1, .lf)
    }

    // MARK: records

    /// Parses the records in `start..<end` (which begins at a record) into `ncols` columns.
    func records(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, columns ncols: Int, firstLine: Int, reports: Bool = true) throws(Diagnostic) -> Chunk
    {
        let span = end - start
        var chunk = Chunk(
            columns: (0..<ncols).map { _ in
                RawColumnBuilder(expectedCells: span / (8 * ncols) + 16, expectedBytes: span / ncols + 64)
            }, flips: Array(repeating: nil, count: ncols))
        var ok = false
        defer { if !ok { chunk.discard() } }
        chunk.lines.reserveCapacity(span / 64 + 16)
        var pos = start
        var line = firstLine
        var lineStart = start
        let n = end
        var rows = 0
        var done = start  // bytes before this are given back
        var anyFlips = false  // no column keeps quoting marks yet (the common case): skip the checks
        try chunk.columns.withUnsafeMutableBufferPointer { (cols) throws(Diagnostic) in
            while pos < n {
                let recordLine = line
                // A line with nothing on it.
                if p[pos] == Self.lf || p[pos] == Self.cr {
                    let (np, ending) = lineBreak(p, n, pos)
                    chunk.endings[ending.index] += 1
                    if ncols == 1 {
                        cols[0].endCell()
                        chunk.flips[0]?.append(false)
                        for k in 0..<chunk.extra.count { chunk.extra[k].endCell() }
                        chunk.lines.append(Int32(truncatingIfNeeded: recordLine))
                        rows += 1
                    } else {
                        chunk.blankLines.append(recordLine)
                    }
                    pos = np
                    line += 1
                    lineStart = pos
                    chunk.sawFinalBreak = pos >= n
                    continue
                }
                var j = 0
                while true {
                    let r: (pos: Int, flip: Bool, breaks: Int)
                    if j < ncols {
                        r = try field(p, n, pos, into: &cols[j].bytes, line: line, lineStart: lineStart)
                        cols[j].endCell()
                        if r.flip {
                            if p[pos] != Self.quote { chunk.sawBareQuote = true }
                            if chunk.flips[j] == nil { chunk.flips[j] = Array(repeating: false, count: rows) }
                            chunk.flips[j]!.append(true)
                            anyFlips = true
                        } else if anyFlips && chunk.flips[j] != nil {
                            chunk.flips[j]!.append(false)
                        }
                    } else {
                        let k = j - ncols
                        if k >= chunk.extra.count {
                            var b = RawColumnBuilder(expectedCells: rows + 16, expectedBytes: 64)
                            for _ in 0..<rows { b.endCell() }
                            chunk.extra.append(b)
                        }
                        r = try field(p, n, pos, into: &chunk.extra[k].bytes, line: line, lineStart: lineStart)
                        chunk.extra[k].endCell()
                    }
                    line += r.breaks
                    pos = r.pos
                    j += 1
                    if pos >= n { chunk.sawFinalBreak = false; break }
                    if p[pos] == delimiter {
                        pos += 1
                        if pos >= n {
                            // A delimiter right before the end: one more, empty field.
                            if j < ncols {
                                cols[j].endCell(); chunk.flips[j]?.append(false)
                            } else {
                                let k = j - ncols
                                if k >= chunk.extra.count {
                                    var b = RawColumnBuilder(expectedCells: rows + 16, expectedBytes: 64)
                                    for _ in 0..<rows { b.endCell() }
                                    chunk.extra.append(b)
                                }
                                chunk.extra[k].endCell()
                            }
                            j += 1
                            chunk.sawFinalBreak = false
                            break
                        }
                        continue
                    }
                    let (np, ending) = lineBreak(p, n, pos)
                    chunk.endings[ending.index] += 1
                    pos = np
                    line += 1
                    lineStart = pos
                    chunk.sawFinalBreak = pos >= n
                    break
                }
                if j != ncols {
                    if ragged == .error {
                        throw .data(
                            "this row has \(j) field\(j == 1 ? "" : "s") but the header has \(ncols)",
                            DataLocation(path: path, line: recordLine),
                            hints: j < ncols
                                ? ["a field may be missing on this line", "to pad short rows with blanks: load … ragged=\"pad\""]
                                : [
                                    "a value with a comma in it must be in quotes: \"Smith, Jr\"",
                                    "to keep the extra fields in new columns: load … ragged=\"pad\"",
                                ])
                    }
                    chunk.raggedRows.append((recordLine, j))
                    if j < ncols { for k in j..<ncols { cols[k].endCell(); chunk.flips[k]?.append(false) } }
                }
                for k in 0..<chunk.extra.count where chunk.extra[k].cellCount < rows + 1 { chunk.extra[k].endCell() }
                chunk.lines.append(Int32(truncatingIfNeeded: recordLine))
                rows += 1
                if rows & 0x3FFF == 0, let file = givingBack {
                    file.giveBack(done..<pos)
                    done = pos
                }
                if rows & 0xFFFF == 0 {
                    if isCancelled() { throw .data("interrupted", DataLocation(path: path, line: recordLine)) }
                    if reports, let progress { progress(Double(pos - start) / Double(max(1, end - start))) }
                }
            }
        }
        chunk.rows = rows
        chunk.endLine = line
        ok = true
        return chunk
    }

    // MARK: the whole file

    func parse(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, dialect: inout CSVDialect, notes: inout [Diagnostic]) throws(Diagnostic) -> Table {
        let n = buf.count
        guard n > start, let p = buf.baseAddress else {
            throw .data("the file is empty: no header row", DataLocation(path: path, line: 1))
        }
        // Header.
        var names: [String] = []
        var nameFlips: [Bool] = []
        var pos = start
        var line = 1
        var headerEnding: CSVDialect.LineEnding?
        var headerOnlyFinalBreak = false
        var scratch = RawBuffer<UInt8>(capacity: 256)
        defer { scratch.free() }
        while true {
            scratch.removeLast(scratch.count)
            let (e, flip, breaks) = try field(p, n, pos, into: &scratch, line: line, lineStart: start)
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
            headerEnding = ending
            pos = np
            line += 1
            headerOnlyFinalBreak = pos >= n
            break
        }
        let ncols = names.count

        var chunks: [Chunk] = []
        var tried = false
        if n - pos >= parallelThreshold, ragged == .error, let split = splitPoint(p, from: pos, to: n) {
            tried = true
            let shared = SharedBytes(p: p)
            let dataStart = pos
            let results = Parallel.map([(dataStart, split, line), (split, n, 1)], work: Parallel.always) { job -> Result<Chunk, Diagnostic> in
                do { return .success(try self.records(shared.p, from: job.0, to: job.1, columns: ncols, firstLine: job.2, reports: job.2 != 1)) } catch let e
                    as Diagnostic
                { return .failure(e) } catch { return .failure(.data("\(error)", DataLocation(path: self.path))) }
            }
            if case .success(let a) = results[0], case .success(var b) = results[1], !a.sawBareQuote, !b.sawBareQuote {
                let shift = Int32(a.endLine - 1)
                for i in b.lines.indices { b.lines[i] += shift }
                b.blankLines = b.blankLines.map { $0 + Int(shift) }
                b.endLine += Int(shift)
                chunks = [a, b]
            } else {
                for r in results { if case .success(let c) = r { c.discard() } }
            }
        }
        if chunks.isEmpty {
            // Starting over (a bare quote or an error in a half): the pages the halves gave back are read again.
            if tried, let file = givingBack { try file.restore() }
            chunks = [try records(p, from: pos, to: n, columns: ncols, firstLine: line)]
        }
        return assemble(
            chunks, names: names, nameFlips: nameFlips, headerEnding: headerEnding,
            headerOnlyFinalBreak: headerOnlyFinalBreak, dialect: &dialect, notes: &notes)
    }

    /// A record start near the middle of `start..<end`: the first line break after the middle that
    /// is outside quotes, judged by the parity of the quotes before it. Nil when there is none.
    func splitPoint(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let mid = start + (end - start) / 2
        var quotes = 0
        var i = start
        while i < mid {
            guard let hit = memchr(p + i, Int32(Self.quote), mid - i) else { break }
            quotes += 1
            i = p.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        var inQuotes = quotes % 2 == 1
        i = mid
        while i < end {
            let c = p[i]
            if c == Self.quote {
                inQuotes.toggle()
            } else if !inQuotes && (c == Self.lf || c == Self.cr) {
                let (next, _) = lineBreak(p, end, i)
                return next < end ? next : nil
            }
            i += 1
        }
        return nil
    }

    /// The chunks as one table (each column's bytes copied once into its final array).
    func assemble(
        _ chunks: [Chunk], names: [String], nameFlips: [Bool], headerEnding: CSVDialect.LineEnding?,
        headerOnlyFinalBreak: Bool, dialect: inout CSVDialect, notes: inout [Diagnostic]
    ) -> Table {
        let ncols = names.count
        let rows = chunks.reduce(0) { $0 + $1.rows }
        var counts = [0, 0, 0]
        for c in chunks { for k in 0..<3 { counts[k] += c.endings[k] } }
        let order: [CSVDialect.LineEnding] = [.lf, .crlf, .cr]
        let most = order[counts.firstIndex(of: counts.max()!)!]
        let first = headerEnding ?? (counts.allSatisfy { $0 == 0 } ? .lf : most)
        dialect.lineEnding = first
        let last = chunks.last!
        let anyRecord = chunks.contains { $0.rows > 0 || !$0.blankLines.isEmpty }
        dialect.finalLineBreak = anyRecord ? last.sawFinalBreak : headerOnlyFinalBreak

        var columns: [Column] = []
        for j in 0..<ncols {
            let parts = chunks.map { $0.columns[j] }
            let col = Self.concatenate(parts)
            var c = Column(name: names[j], cells: col, nameQuoteFlip: nameFlips[j])
            if chunks.contains(where: { $0.flips[j] != nil }) {
                var f: [Bool] = []
                for ch in chunks { f += ch.flips[j] ?? Array(repeating: false, count: ch.rows) }
                c.cells.quoteFlips = f
            }
            columns.append(c)
        }
        for k in 0..<(chunks.map(\.extra.count).max() ?? 0) {
            columns.append(Column(name: "extra_\(k + 1)", cells: Self.concatenate(chunks.compactMap { k < $0.extra.count ? $0.extra[k] : nil })))
        }
        var lines: [Int32] = []
        lines.reserveCapacity(rows)
        for c in chunks { lines += c.lines }
        var table = Table(columns: columns, rowCount: rows, lines: lines)
        let at = DataLocation(path: path)

        let mixed = counts.reduce(0, +) - counts[first.index]
        if mixed > 0 {
            notes.append(
                .warning(
                    "the file mixes line endings (\(mixed) rows differ from the first's \(first.label)); a save writes \(first.label) throughout", data: at))
        }
        let blank = chunks.flatMap(\.blankLines)
        if !blank.isEmpty {
            notes.append(.warning("skipped \(blank.count) blank line\(blank.count == 1 ? "" : "s") (first at line \(blank[0]))", data: at))
        }
        let raggedRows = chunks.flatMap(\.raggedRows)
        if !raggedRows.isEmpty {
            let list = raggedRows.prefix(3).map { "line \($0.line): \($0.count) fields" }.joined(separator: ", ")
            let extra = columns.count > ncols ? ", extra fields kept in new columns extra_1…" : ""
            notes.append(
                .warning(
                    "repaired \(raggedRows.count) row\(raggedRows.count == 1 ? "" : "s") whose field count differs from the header's \(ncols) (\(list)); short rows padded with blanks\(extra)",
                    data: at))
        }
        CSVReader.dropExcelDebris(&table, notes: &notes, at: at)
        return table
    }

    /// One column from the pieces parsed by the chunks (raw memory freed).
    static func concatenate(_ parts: [RawColumnBuilder]) -> TextColumn {
        if parts.count == 1 { return parts[0].finish() }
        let totalBytes = parts.reduce(0) { $0 + $1.bytes.count }
        let totalCells = parts.reduce(0) { $0 + $1.ends.count }
        let bytes = [UInt8](unsafeUninitializedCapacity: totalBytes) { buf, count in
            var at = 0
            for part in parts where part.bytes.count > 0 {
                (buf.baseAddress! + at).update(from: part.bytes.base, count: part.bytes.count)
                at += part.bytes.count
            }
            count = totalBytes
        }
        let ends = [UInt32](unsafeUninitializedCapacity: totalCells) { buf, count in
            var at = 0
            var shift: UInt32 = 0
            for part in parts {
                for i in 0..<part.ends.count { buf[at + i] = part.ends.base[i] &+ shift }
                at += part.ends.count
                shift &+= UInt32(truncatingIfNeeded: part.bytes.count)
            }
            count = totalCells
        }
        for part in parts { part.discard() }
        return TextColumn(bytes: bytes, ends: ends)
    }
}
