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
    /// Whether plain records are read through a `StructuralIndex` (false reads every field with
    /// `field`, the reference the index must agree with).
    var indexed = true
    var indexWindow = 1 << 16
    /// How many names at the end of the header are empty (`…,orgSourcedId,,`, as Excel and some
    /// OneRoster 1.2 exports write it): a row may stop before those columns, since nothing it holds
    /// is missing; the columns are then blank, and left out as Excel's debris.
    var unnamedAtEnd = 0

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
        /// A NUL or a byte that is not UTF-8 was found (only looked for when asked to check the text).
        var textFailed = false

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

    /// Reads the record at `pos` through the index when it is plain: exactly one field per column,
    /// no quote anywhere in it, ended by a line break the index holds. Returns the position after it
    /// and its line ending; nil (nothing read) for any other record, which `field` then reads.
    @inline(__always)
    private func plainRecord(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ pos: Int, index: StructuralIndex, k: inout Int, columns cols: UnsafeMutableBufferPointer<RawColumnBuilder>
    ) -> (Int, CSVDialect.LineEnding)? {
        let ncols = cols.count
        guard k + ncols <= index.count else { return nil }
        // The first ncols structural bytes from here must be ncols - 1 delimiters and a line break:
        // a quote, a missing or an extra field all show there.
        var bad: UInt8 = 0
        for j in 0..<(ncols - 1) { bad |= p[index.position(k + j)] ^ delimiter }
        let last = index.position(k + ncols - 1)
        let c = p[last]
        if bad != 0 || (c != Self.lf && c != Self.cr) { return nil }
        var s = pos
        if cols[0].bytes.isCounting {
            for j in 0..<ncols {
                let e = index.position(k + j)
                cols[j].count(bytes: e - s)
                s = e + 1
            }
        } else {
            for j in 0..<ncols {
                let e = index.position(k + j)
                cols[j].bytes.appendRun(p + s, e - s, readable: n - s)
                cols[j].endCell()
                s = e + 1
            }
        }
        k += ncols
        var next = last + 1
        var ending = CSVDialect.LineEnding.lf
        if c == Self.cr {
            ending = .cr
            if next < n && p[next] == Self.lf {
                ending = .crlf
                next += 1
                if k < index.count && index.position(k) < next { k += 1 }
            }
        }
        return (next, ending)
    }

    /// Makes sure extra column `k` exists (a long row's field past the header's), blank in the
    /// `rows` rows before.
    static func addExtraColumns(_ extra: inout [RawColumnBuilder], upTo k: Int, rows: Int) {
        guard k >= extra.count else { return }
        var b = RawColumnBuilder(expectedCells: rows + 16, expectedBytes: 64)
        for _ in 0..<rows { b.endCell() }
        extra.append(b)
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
        let builders = (0..<ncols).map { _ in RawColumnBuilder(expectedCells: span / (8 * ncols) + 16, expectedBytes: span / ncols + 64) }
        return try records(p, from: start, to: end, into: builders, firstLine: firstLine, reports: reports, givesBack: true)
    }

    /// Parses the records in `start..<end` into the given column builders (which the chunk then
    /// owns). With counting builders only sizes are found: no line numbers are kept. `checksText`
    /// also checks that the bytes are UTF-8 without NUL (`Chunk.textFailed`).
    func records(
        _ p: UnsafePointer<UInt8>, from start: Int, to end: Int, into builders: [RawColumnBuilder], firstLine: Int, reports: Bool, givesBack: Bool,
        checksText: Bool = false
    ) throws(Diagnostic) -> Chunk {
        let span = end - start
        let ncols = builders.count
        let counting = builders.first?.bytes.isCounting ?? false
        var chunk = Chunk(columns: builders, flips: Array(repeating: nil, count: ncols))
        var ok = false
        defer { if !ok { chunk.discard() } }
        if !counting { chunk.lines.reserveCapacity(span / 64 + 16) }
        let givingBack = givesBack ? self.givingBack : nil
        var pos = start
        var line = firstLine
        var lineStart = start
        let n = end
        var rows = 0
        var done = start  // bytes before this are given back
        var anyFlips = false  // no column keeps quoting marks yet (the common case): skip the checks
        var index = StructuralIndex(window: indexWindow)
        defer { index.free() }
        if checksText { index.checkText(from: start) }
        var k = 0  // the first indexed position at or after `pos`
        var endings = SIMD4<Int>()  // records ended by LF, CRLF and CR (a value: no copy-on-write check per record)
        try chunk.columns.withUnsafeMutableBufferPointer { (cols) throws(Diagnostic) in
            for j in 0..<ncols { cols[j].prepareAhead(cells: 0x4000 + 0x400) }
            while pos < n {
                let recordLine = line
                var plain = false
                if indexed && chunk.extra.isEmpty {
                    while k < index.count && index.position(k) < pos { k += 1 }
                    if k + ncols > index.count && index.end < n {
                        // Too few positions left for a record: index on from here, on a wider
                        // window when this record already did not fit in one.
                        if index.origin == pos { index.widen() }
                        index.index(p, from: pos, limit: n, delimiter: delimiter)
                        k = 0
                    }
                    if let (np, ending) = plainRecord(p, n, pos, index: index, k: &k, columns: cols) {
                        endings[ending.index] += 1
                        if anyFlips { for j in 0..<ncols { chunk.flips[j]?.append(false) } }
                        pos = np
                        line += 1
                        lineStart = pos
                        chunk.sawFinalBreak = pos >= n
                        plain = true
                    }
                }
                if !plain {
                    // A line with nothing on it.
                    if p[pos] == Self.lf || p[pos] == Self.cr {
                        let (np, ending) = lineBreak(p, n, pos)
                        endings[ending.index] += 1
                        if ncols == 1 {
                            cols[0].endCell()
                            chunk.flips[0]?.append(false)
                            for k in 0..<chunk.extra.count { chunk.extra[k].endCell() }
                            if !counting { chunk.lines.append(Int32(truncatingIfNeeded: recordLine)) }
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
                            Self.addExtraColumns(&chunk.extra, upTo: k, rows: rows)
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
                                    Self.addExtraColumns(&chunk.extra, upTo: k, rows: rows)
                                    chunk.extra[k].endCell()
                                }
                                j += 1
                                chunk.sawFinalBreak = false
                                break
                            }
                            continue
                        }
                        let (np, ending) = lineBreak(p, n, pos)
                        endings[ending.index] += 1
                        pos = np
                        line += 1
                        lineStart = pos
                        chunk.sawFinalBreak = pos >= n
                        break
                    }
                    if j < ncols && j >= ncols - unnamedAtEnd {
                        // The row stops before the header's unnamed columns: they are blank.
                        for k in j..<ncols { cols[k].endCell(); chunk.flips[k]?.append(false) }
                    } else if j != ncols {
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
                }
                if !counting { chunk.lines.append(Int32(truncatingIfNeeded: recordLine)) }
                rows += 1
                if rows & 0x3FFF == 0 {
                    // Every 16,384 records: the bytes read are given back, the next records' room
                    // faulted in (all at once it would double the memory a load needs at its peak).
                    for j in 0..<ncols { cols[j].prepareAhead(cells: 0x4000 + 0x400) }
                    if let file = givingBack {
                        file.giveBack(done..<pos)
                        done = pos
                    }
                }
                if rows & 0xFFFF == 0 {
                    if isCancelled() { throw .data("interrupted", DataLocation(path: path, line: recordLine)) }
                    if reports, let progress { progress(Double(pos - start) / Double(max(1, end - start))) }
                }
            }
        }
        chunk.rows = rows
        chunk.endLine = line
        chunk.endings = [endings[0], endings[1], endings[2]]
        index.finishChecking(p, upTo: end)
        chunk.textFailed = index.textFailed
        ok = true
        return chunk
    }

    // MARK: the whole file

    /// The header row: column names, whether each was quoted unlike minimal quoting, and where
    /// the records start.
    struct Header {
        var names: [String] = []
        var nameFlips: [Bool] = []
        var end = 0
        var endLine = 1
        var ending: CSVDialect.LineEnding?
        var onlyFinalBreak = false
    }

    func header(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) throws(Diagnostic) -> Header {
        var h = Header()
        var pos = start
        var scratch = RawBuffer<UInt8>(capacity: 256)
        defer { scratch.free() }
        while true {
            scratch.removeLast(scratch.count)
            let (e, flip, breaks) = try field(p, n, pos, into: &scratch, line: h.endLine, lineStart: start)
            h.names.append(String(decoding: UnsafeBufferPointer(start: scratch.base, count: scratch.count), as: UTF8.self))
            h.nameFlips.append(flip)
            if h.names.count > maxColumns {
                throw .data("the header has more than \(maxColumns) columns", DataLocation(path: path, line: 1))
            }
            h.endLine += breaks
            pos = e
            if pos >= n { break }
            if p[pos] == delimiter { pos += 1; continue }
            let (np, ending) = lineBreak(p, n, pos)
            h.ending = ending
            pos = np
            h.endLine += 1
            h.onlyFinalBreak = pos >= n
            break
        }
        h.end = pos
        return h
    }

    /// Reads a large file whose text nobody has checked yet, in two passes whose first also checks
    /// it (UTF-8, no NUL), so the bytes are gone through once less. Nil when the file is not one
    /// this reads (small, ragged rows allowed, very wide) or anything is amiss (the text, an error,
    /// a bare quote): the caller then checks the text as usual and calls `parse`, which also gives
    /// every message.
    func parseUncheckedText(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, dialect: inout CSVDialect, notes: inout [Diagnostic]) -> Table? {
        let n = buf.count
        guard n - start >= parallelThreshold, ragged == .error, let p = buf.baseAddress, let h = try? header(p, n, from: start),
            h.names.count <= Self.widestInPlace, TextEncoding.checkCharacters(p, from: start, to: h.end, limit: n) != nil,
            let split = guessedSplit(p, from: h.end, to: n),
            let (chunks, columns) = inTwoPasses(p, columns: h.names.count, halves: [(h.end, split, h.endLine), (split, n, 1)], checksText: true)
        else { return nil }
        return assemble(
            chunks, columns: columns, names: h.names, nameFlips: h.nameFlips, headerEnding: h.ending,
            headerOnlyFinalBreak: h.onlyFinalBreak, dialect: &dialect, notes: &notes)
    }

    func parse(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, dialect: inout CSVDialect, notes: inout [Diagnostic]) throws(Diagnostic) -> Table {
        let n = buf.count
        guard n > start, let p = buf.baseAddress else {
            throw .data("the file is empty: no header row", DataLocation(path: path, line: 1))
        }
        let h = try header(p, n, from: start)
        var parser = self
        let unnamed = h.names.reversed().prefix { $0.isEmpty }.count
        parser.unnamedAtEnd = unnamed < h.names.count ? unnamed : 0
        return try parser.records(p, n, after: h, dialect: &dialect, notes: &notes)
    }

    /// The records after the header `h`, as one table.
    func records(
        _ p: UnsafePointer<UInt8>, _ n: Int, after h: Header, dialect: inout CSVDialect, notes: inout [Diagnostic]
    ) throws(Diagnostic) -> Table {
        let names = h.names, nameFlips = h.nameFlips, headerEnding = h.ending, headerOnlyFinalBreak = h.onlyFinalBreak
        let pos = h.end, line = h.endLine
        let ncols = names.count

        var chunks: [Chunk] = []
        var columns: [TextColumn]?
        var tried = false
        if n - pos >= parallelThreshold, ragged == .error, ncols <= Self.widestInPlace, let split = guessedSplit(p, from: pos, to: n) {
            tried = true
            if let (made, cols) = inTwoPasses(p, columns: ncols, halves: [(pos, split, line), (split, n, 1)]) {
                chunks = made
                columns = cols
            }
        } else if n - pos >= parallelThreshold, ragged == .error, let split = splitPoint(p, from: pos, to: n) {
            tried = true
            let shared = SharedBytes(p: p)
            let dataStart = pos
            let results = Parallel.map([(dataStart, split, line), (split, n, 1)], work: Parallel.always) { job -> Result<Chunk, Diagnostic> in
                do { return .success(try self.records(shared.p, from: job.0, to: job.1, columns: ncols, firstLine: job.2, reports: job.2 != 1)) } catch let e
                    as Diagnostic
                { return .failure(e) } catch { return .failure(.data("\(error)", DataLocation(path: self.path))) }
            }
            if case .success(let a) = results[0], case .success(let b) = results[1], !a.sawBareQuote, !b.sawBareQuote {
                chunks = [a, Self.following(b, a)]
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
            chunks, columns: columns ?? (0..<ncols).map { j in Self.concatenate(chunks.map { $0.columns[j] }) }, names: names, nameFlips: nameFlips,
            headerEnding: headerEnding,
            headerOnlyFinalBreak: headerOnlyFinalBreak, dialect: &dialect, notes: &notes)
    }

    /// The second half's chunk with its line numbers continuing from the first's.
    static func following(_ second: Chunk, _ first: Chunk) -> Chunk {
        var b = second
        let shift = Int32(first.endLine - 1)
        for i in b.lines.indices { b.lines[i] += shift }
        b.blankLines = b.blankLines.map { $0 + Int(shift) }
        b.endLine += Int(shift)
        return b
    }

    /// The widest file read in two passes: each column's arrays are made by one nested initializer,
    /// so the width is the depth of that nesting.
    static let widestInPlace = 128

    /// Reads two halves of the records on two threads without ever copying a column: a first pass
    /// only counts each half's cells and bytes per column; then each column's arrays are made at
    /// their final size and the second pass writes each half's cells straight into its part. Nil when
    /// either half fails (an error, which the caller's one-piece reading then reports, or a split
    /// inside quotes, see `guessedSplit`; with `checksText`, text that is not UTF-8 or has a NUL),
    /// or when the second pass did not fill exactly what the first measured.
    func inTwoPasses(
        _ p: UnsafePointer<UInt8>, columns ncols: Int, halves: [(start: Int, end: Int, line: Int)], checksText: Bool = false
    ) -> ([Chunk], [TextColumn])? {
        let shared = SharedBytes(p: p)
        let measured = Parallel.map(halves, work: Parallel.always) { half -> Measure? in
            self.measure(shared.p, from: half.start, to: half.end, columns: ncols, checksText: checksText)
        }
        guard let a = measured[0], let b = measured[1] else { return nil }
        let firstBytes = a.bytes
        let totalBytes = (0..<ncols).map { firstBytes[$0] + b.bytes[$0] }
        guard totalBytes.allSatisfy({ $0 <= TextColumn.maxBytes }) else { return nil }
        var chunks: [Chunk] = []
        let columns = ColumnMemory.make(bytes: totalBytes, cells: a.rows + b.rows) { regions in
            let parts = UncheckedSendable(regions)
            let results = Parallel.map([0, 1], work: Parallel.always) { h -> Chunk? in
                let builders = parts.value.enumerated().map { j, region in
                    let bytesBefore = h == 0 ? 0 : firstBytes[j]
                    let cellsBefore = h == 0 ? 0 : a.rows
                    return RawColumnBuilder(
                        bytes: RawBuffer(borrowing: region.bytes + bytesBefore, capacity: h == 0 ? firstBytes[j] : totalBytes[j] - firstBytes[j]),
                        ends: RawBuffer(borrowing: region.ends + cellsBefore, capacity: h == 0 ? a.rows : b.rows),
                        offset: UInt32(bytesBefore))
                }
                let half = halves[h]
                return try? self.records(shared.p, from: half.start, to: half.end, into: builders, firstLine: half.line, reports: h == 0, givesBack: true)
            }
            let filled = results.compactMap { $0 }
            let exact =
                filled.count == 2
                && zip(filled, [a, b]).allSatisfy { got, want in
                    got.rows == want.rows
                        && zip(got.columns, want.bytes).allSatisfy { g, bytes in
                            !g.bytes.leftBorrowed && !g.ends.leftBorrowed && g.bytes.count == bytes && g.ends.count == want.rows
                        }
                }
            if exact {
                chunks = [filled[0], Self.following(filled[1], filled[0])]
            } else {
                for c in filled { c.discard() }
            }
            return exact
        }
        guard let columns else { return nil }
        return (chunks, columns)
    }

    /// The position after the first line break after the middle of `start..<end`, taken to be a
    /// record start without looking at the quotes before it: the two passes read the first half
    /// from the file's true start up to there, which fails (an unclosed quote) exactly when it is not.
    func guessedSplit(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var i = start + (end - start) / 2
        while i < end {
            if p[i] == Self.lf || p[i] == Self.cr {
                let (next, _) = lineBreak(p, end, i)
                return next < end ? next : nil
            }
            i += 1
        }
        return nil
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

    /// The chunks, whose columns are `cells`, as one table.
    func assemble(
        _ chunks: [Chunk], columns cells: [TextColumn], names: [String], nameFlips: [Bool], headerEnding: CSVDialect.LineEnding?,
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
            var c = Column(name: names[j], cells: cells[j], nameQuoteFlip: nameFlips[j])
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
