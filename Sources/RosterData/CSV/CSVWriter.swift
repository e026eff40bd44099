import RosterDiagnostics

/// Writes tables as CSV: a field is quoted only when it holds the delimiter, a quote or a line break
/// (inner quotes doubled), except where the source file quoted a cell differently and the cell is
/// unchanged — then it is written as it was read, so an unedited load and save gives back the same bytes.
public enum CSVWriter {
    static let quote = UInt8(ascii: "\"")

    public static func encode(_ table: Table, dialect: CSVDialect, path: String) throws(Diagnostic) -> [UInt8] {
        var out: [UInt8] = []
        for part in try encodeParts(table, dialect: dialect, path: path) { out.append(contentsOf: part) }
        return out
    }

    /// The whole file as consecutive parts. Write them one after the other.
    public static func encodeParts(_ table: Table, dialect: CSVDialect, path: String) throws(Diagnostic) -> [[UInt8]] {
        var stream = Stream(table, dialect: dialect, path: path)
        var parts: [[UInt8]] = []
        while let part = try stream.next() { parts.append(part) }
        return parts
    }

    /// A table's CSV a block of rows at a time (two blocks side by side on two threads for a large
    /// table): a save holds a few megabytes of the file, never the whole of it.
    public struct Stream {
        let table: Table
        let dialect: CSVDialect
        let path: String
        var nextRow = 0
        var started = false
        /// Lines in the parts given so far (to place an encoding error in the file).
        var linesBefore = 0
        /// Rows per block: about 2 MiB of cells (a save holds four blocks at once: two being
        /// written, two being made), from 1,024 to 32,768 rows.
        public var blockRows: Int

        public init(_ table: Table, dialect: CSVDialect, path: String) {
            self.table = table
            self.dialect = dialect
            self.path = path
            let rowBytes = table.columns.reduce(table.columns.count) { $0 + $1.cells.bytes.count / max(1, table.rowCount) }
            blockRows = min(32_768, max(1_024, (2 << 20) / max(1, rowBytes)))
        }

        /// The next part of the file: the header first, then blocks of rows; nil at the end.
        public mutating func next() throws(Diagnostic) -> [UInt8]? {
            let eol = dialect.lineEnding.bytes
            let d = dialect.delimiter
            var part: [UInt8]
            if !started {
                started = true
                part = []
                for (j, c) in table.columns.enumerated() {
                    if j > 0 { part.append(d) }
                    let name = Array(c.name.utf8)
                    name.withUnsafeBufferPointer { appendField($0, flip: c.nameQuoteFlip, delimiter: d, to: &part) }
                }
                if table.rowCount > 0 || dialect.finalLineBreak { part.append(contentsOf: eol) }
            } else {
                guard nextRow < table.rowCount else { return nil }
                let n = table.rowCount
                let first = nextRow..<min(n, nextRow + blockRows)
                let second = first.upperBound..<min(n, first.upperBound + blockRows)
                let ranges = second.isEmpty ? [first] : [first, second]
                nextRow = ranges.last!.upperBound
                let (t, finalBreak) = (table, dialect.finalLineBreak)
                let blocks = Parallel.map(ranges, work: ranges.count == 2 ? Parallel.always : 0) { r in
                    rows(t, r, delimiter: d, eol: eol, finalLineBreak: finalBreak)
                }
                part = blocks[0]
                if blocks.count == 2 { part.append(contentsOf: blocks[1]) }
            }
            if dialect.encoding == .windows1252 {
                do {
                    part = try TextEncoding.encodeWindows1252(part)
                } catch {
                    let (line, col) = CSVReader.lineAndColumn(part, error.offset)
                    let ch = Unicode.Scalar(error.scalar).map { String(Character($0)) } ?? "?"
                    throw .data(
                        "'\(ch)' (U+\(String(error.scalar, radix: 16, uppercase: true))) cannot be written in Windows-1252",
                        DataLocation(path: path, line: linesBefore + line, column: col),
                        hints: ["save with encoding=\"utf-8\", or replace the character first"])
                }
                linesBefore += CSVReader.lineAndColumn(part, part.count).0 - 1
            }
            // The UTF-8 byte-order mark, whatever the encoding (added after encoding, as bytes): a
            // Windows-1252 file that began with one gets it back.
            if nextRow == 0 && dialect.byteOrderMark { part.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
            return part
        }
    }

    /// Rows `range` of the table as CSV. The buffer is allocated at its largest possible size (every
    /// byte a doubled quote) plus a word of slack: pages never written cost no memory.
    static func rows(_ table: Table, _ range: Range<Int>, delimiter d: UInt8, eol: [UInt8], finalLineBreak: Bool) -> [UInt8] {
        let cols = table.columns.map(\.cells)
        var bound = 16
        for c in cols {
            let s = range.isEmpty ? 0 : c.start(range.lowerBound), e = range.isEmpty ? 0 : c.end(range.upperBound - 1)
            bound += 2 * (e - s) + 3 * range.count
        }
        bound += range.count * eol.count
        let flips = cols.map(\.quoteFlips)
        let last = table.rowCount - 1
        return [UInt8](unsafeUninitializedCapacity: bound) { buf, count in
            var w = buf.baseAddress!
            withExtendedLifetime((cols, flips)) {
                var sources: [Source] = []
                for (j, c) in cols.enumerated() {
                    sources.append(
                        Source(
                            bytes: c.bytes.withUnsafeBufferPointer { $0.baseAddress }, byteCount: c.bytes.count,
                            ends: c.ends.withUnsafeBufferPointer { $0.baseAddress! },
                            flips: flips[j]?.withUnsafeBufferPointer { $0.baseAddress }))
                }
                sources.withUnsafeBufferPointer { src in
                    for r in range {
                        for j in 0..<src.count {
                            if j > 0 { w.pointee = d; w += 1 }
                            let c = src[j]
                            let e = Int(c.ends[r]), s = r == 0 ? 0 : Int(c.ends[r - 1])
                            let len = e - s
                            guard len > 0, let base = c.bytes else {
                                if c.flips?[r] == true { w[0] = quote; w[1] = quote; w += 2 }
                                continue
                            }
                            // Most cells need no quotes and are copied a word at a time, checked as they go.
                            if c.flips == nil, copyPlain(base + s, len, readable: c.byteCount - s, to: w, delimiter: d) {
                                w += len
                                continue
                            }
                            let cell = UnsafeBufferPointer(start: base + s, count: len)
                            let quoted = needsQuotes(cell, delimiter: d) != (c.flips?[r] ?? false)
                            if !quoted {
                                w.update(from: base + s, count: len)
                                w += len
                            } else {
                                w.pointee = quote; w += 1
                                for c in cell {
                                    w.pointee = c; w += 1
                                    if c == quote { w.pointee = quote; w += 1 }
                                }
                                w.pointee = quote; w += 1
                            }
                        }
                        if r < last || finalLineBreak { for b in eol { w.pointee = b; w += 1 } }
                    }
                }
            }
            count = buf.baseAddress!.distance(to: w)
        }
    }

    /// One column as `rows` reads it (pointers into arrays `rows` keeps alive).
    struct Source {
        let bytes: UnsafePointer<UInt8>?
        let byteCount: Int
        let ends: UnsafePointer<UInt32>
        let flips: UnsafePointer<Bool>?
    }

    /// Copies a cell that minimal quoting leaves bare, eight bytes at a time, and says whether it was
    /// one: false (with the copy abandoned) when the cell holds the delimiter, a quote or a line
    /// break. Each word is read whole while `readable` bytes allow it (a short cell reads into its
    /// neighbours, which are ignored) and written whole: up to seven bytes past the cell are written,
    /// which the output buffer's slack allows and the next field overwrites.
    @inline(__always)
    static func copyPlain(_ src: UnsafePointer<UInt8>, _ len: Int, readable: Int, to dst: UnsafeMutablePointer<UInt8>, delimiter d: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let rd = ones &* UInt64(d), rq = ones &* UInt64(quote), rl = ones &* 0x0A, rc = ones &* 0x0D
        var i = 0
        while i < len {
            guard i + 8 <= readable else {
                // The last bytes of the column: one at a time.
                while i < len {
                    let c = src[i]
                    if c == d || c == quote || c == 0x0A || c == 0x0D { return false }
                    dst[i] = c
                    i += 1
                }
                return true
            }
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
            let a = v ^ rd, b = v ^ rq, l = v ^ rl, c = v ^ rc
            var hit = ((a &- ones) & ~a) | ((b &- ones) & ~b) | ((l &- ones) & ~l) | ((c &- ones) & ~c)
            hit &= highs
            let left = len - i
            if left < 8 { hit &= (UInt64(1) << (UInt64(left) * 8)) &- 1 }
            // Only bytes above a real match can be flagged falsely, so a flag within the cell is real.
            if hit != 0 { return false }
            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: UInt64.self)
            i += 8
        }
        return true
    }

    /// Whether minimal quoting must quote this field.
    /// Eight bytes at a time: a byte of the word equals one of the four special bytes when
    /// `w ^ repeated(byte)` has a zero byte.
    @inline(__always)
    static func needsQuotes(_ cell: UnsafeBufferPointer<UInt8>, delimiter d: UInt8) -> Bool {
        let n = cell.count
        var i = 0
        if n >= 8, let p = cell.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let rd = ones &* UInt64(d), rq = ones &* UInt64(quote), rl = ones &* 0x0A, rc = ones &* 0x0D
            @inline(__always) func zero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if zero(w ^ rd) || zero(w ^ rq) || zero(w ^ rl) || zero(w ^ rc) { return true }
                i += 8
            }
        }
        while i < n {
            let c = cell[i]
            if c == d || c == quote || c == 0x0A || c == 0x0D { return true }
            i += 1
        }
        return false
    }

    @inline(__always)
    static func appendField(_ cell: UnsafeBufferPointer<UInt8>, flip: Bool, delimiter d: UInt8, to out: inout [UInt8]) {
        let quoted = needsQuotes(cell, delimiter: d) != flip
        if !quoted {
            out.append(contentsOf: cell)
            return
        }
        out.append(quote)
        var s = 0
        for i in 0..<cell.count where cell[i] == quote {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: cell[s...i]))
            out.append(quote)
            s = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: cell[s...]))
        out.append(quote)
    }

    /// Cells a spreadsheet would run as a formula when a person opens the file (OWASP "CSV injection"):
    /// those starting with `=`, `+`, `-`, `@`, a tab or a carriage return — except plain numbers such as `-5`.
    public static func isFormulaLike(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            if cell.count == 1 { return false }
            var sawDigit = false
            for c in cell.dropFirst() {
                if c >= 0x30 && c <= 0x39 { sawDigit = true; continue }
                if c == UInt8(ascii: ".") { continue }
                return true
            }
            return !sawDigit
        default: return false
        }
    }
}
