/// Writes tables as CSV: a field is quoted only when it holds the delimiter, a quote or a line break
/// (inner quotes doubled), except where the source file quoted a cell differently and the cell is
/// unchanged — then it is written as it was read, so an unedited load and save gives back the same bytes.
public enum CSVWriter {
    static let quote = UInt8(ascii: "\"")

    public static func encode(_ table: Table, dialect: CSVDialect, path: String) throws(Diagnostic) -> [UInt8] {
        var out: [UInt8] = []
        var estimate = 64
        for c in table.columns { estimate += c.cells.bytes.count + c.cells.count + c.name.utf8.count + 4 }
        out.reserveCapacity(estimate + estimate / 16)
        if dialect.byteOrderMark && dialect.encoding == .utf8 { out.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        let eol = dialect.lineEnding.bytes
        let d = dialect.delimiter
        let ncols = table.columns.count

        // Header.
        for (j, c) in table.columns.enumerated() {
            if j > 0 { out.append(d) }
            let name = Array(c.name.utf8)
            name.withUnsafeBufferPointer { appendField($0, flip: c.nameQuoteFlip, delimiter: d, to: &out) }
        }
        if table.rowCount > 0 || dialect.finalLineBreak { out.append(contentsOf: eol) }

        // Rows: walk every column's buffer with a cursor.
        let cols = table.columns.map(\.cells)
        var bases: [UnsafeBufferPointer<UInt8>] = []
        var ends: [UnsafeBufferPointer<UInt32>] = []
        // Keep the arrays alive while their pointers are used.
        withExtendedLifetime(cols) {
            for c in cols {
                bases.append(c.bytes.withUnsafeBufferPointer { $0 })
                ends.append(c.ends.withUnsafeBufferPointer { $0 })
            }
            var starts = Array(repeating: 0, count: ncols)
            let flips = cols.map(\.quoteFlips)
            for r in 0..<table.rowCount {
                for j in 0..<ncols {
                    if j > 0 { out.append(d) }
                    let e = Int(ends[j][r])
                    let cell = UnsafeBufferPointer(rebasing: bases[j][starts[j]..<e])
                    appendField(cell, flip: flips[j]?[r] ?? false, delimiter: d, to: &out)
                    starts[j] = e
                }
                if r + 1 < table.rowCount || dialect.finalLineBreak { out.append(contentsOf: eol) }
            }
        }
        if dialect.encoding == .windows1252 {
            do {
                var body = out
                return try TextEncoding.encodeWindows1252(body.withUnsafeMutableBufferPointer { Array($0) })
            } catch {
                let (line, col) = CSVReader.lineAndColumn(out, error.offset)
                let ch = Unicode.Scalar(error.scalar).map { String(Character($0)) } ?? "?"
                throw .data("'\(ch)' (U+\(String(error.scalar, radix: 16, uppercase: true))) cannot be written in Windows-1252", DataLocation(path: path, line: line, column: col),
                            hints: ["save with encoding=\"utf-8\", or replace the character first"])
            }
        }
        return out
    }

    /// Whether minimal quoting must quote this field.
    @inline(__always)
    static func needsQuotes(_ cell: UnsafeBufferPointer<UInt8>, delimiter d: UInt8) -> Bool {
        for c in cell where c == d || c == quote || c == 0x0A || c == 0x0D { return true }
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
