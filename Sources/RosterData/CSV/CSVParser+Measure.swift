import CProcessor

extension CSVParser {
    /// What the first pass found in a run of records: each column's bytes and the number of records.
    struct Measure {
        var bytes: [Int]
        var rows: Int
    }

    /// The first of the two passes over `start..<end` (which begins at a record): each column's
    /// bytes and the records, and with `checksText` whether the text is UTF-8 without NUL. Nil when
    /// reading would fail there (the caller's one-piece reading then says why) or the text fails.
    func measure(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, columns ncols: Int, checksText: Bool) -> Measure? {
        if let fast = walkBits(p, from: start, to: end, columns: ncols, checksText: checksText) { return fast.textFailed ? nil : fast.measure }
        let counters = (0..<ncols).map { _ in RawColumnBuilder.counting() }
        guard
            let chunk = try? records(p, from: start, to: end, into: counters, firstLine: 1, reports: false, givesBack: false, checksText: checksText),
            !chunk.textFailed
        else { return nil }
        return Measure(bytes: chunk.columns.map(\.bytes.count), rows: chunk.rows)
    }

    /// Measures by walking the structural bits of each 64-byte block (`roster_byte_mask64`): no
    /// positions are written and no cell is copied, each field's length is added to its column's
    /// count. A quoted field counts as reading stores it (a doubled quote once, a bare quote in an
    /// unquoted field as itself). Nil at what the careful reading treats specially: a record with
    /// another number of fields (a blank line among them), text after a closing quote, an unclosed
    /// quote.
    func walkBits(
        _ p: UnsafePointer<UInt8>, from start: Int, to end: Int, columns ncols: Int, checksText: Bool
    ) -> (measure: Measure, textFailed: Bool)? {
        let d = delimiter, quote = Self.quote, lf = Self.lf, cr = Self.cr
        var sizes = [Int](repeating: 0, count: ncols)
        var text = checksText ? TextCheck(from: start) : nil
        var rows = 0
        var ok = true
        sizes.withUnsafeMutableBufferPointer { size in
            var j = 0  // the field's column
            var s = start  // where the field starts
            var quotedFrom = -1  // inside a quoted field: where its content starts
            var doubled = 0  // doubled quotes in that content
            var closedLength = -1  // a closed quoted field's length, until its end is reached
            var skipBelow = start  // structural bytes before this were dealt with
            var at = start
            blocks: while at < end {
                var unusual: UInt64 = 0
                var m: UInt64
                if at + 64 <= end {
                    m = roster_byte_mask64(p + at, d, quote, lf, cr, &unusual)
                } else {
                    (m, unusual) = StructuralIndex.tailMask(p, from: at, to: end, delimiter: d)
                }
                if unusual != 0, text != nil { text!.check(p, block: at, unusual: unusual, limit: end) }
                while m != 0 {
                    let e = at + m.trailingZeroBitCount
                    m &= m &- 1
                    if e < skipBelow { continue }
                    let c = p[e]
                    if quotedFrom >= 0 {
                        // Inside quotes only a quote counts: doubled, or the closing one.
                        guard c == quote else { continue }
                        if e + 1 < end && p[e + 1] == quote {
                            doubled += 1
                            skipBelow = e + 2
                            continue
                        }
                        closedLength = e - quotedFrom - doubled
                        quotedFrom = -1
                        if e + 1 < end, p[e + 1] != d, p[e + 1] != lf, p[e + 1] != cr { ok = false; break blocks }
                        continue
                    }
                    if c == quote {
                        // Opening a quoted field, or a bare quote inside an unquoted one.
                        if e == s && closedLength < 0 {
                            quotedFrom = e + 1
                            doubled = 0
                        }
                        continue
                    }
                    let length = closedLength >= 0 ? closedLength : e - s
                    closedLength = -1
                    if c == d {
                        if j + 1 >= ncols { ok = false; break blocks }
                        size[j] += length
                        j += 1
                        s = e + 1
                        continue
                    }
                    // A line break ends a record of every column (a blank line in a file of more
                    // than one column, which reading skips, does not).
                    if j != ncols - 1 { ok = false; break blocks }
                    size[j] += length
                    rows += 1
                    j = 0
                    s = c == cr && e + 1 < end && p[e + 1] == lf ? e + 2 : e + 1
                    skipBelow = s
                }
                at += 64
            }
            guard ok else { return }
            if quotedFrom >= 0 {
                ok = false
            } else if s < end || j > 0 || closedLength >= 0 {
                // A last record with no line break after it.
                if j != ncols - 1 { ok = false; return }
                size[j] += closedLength >= 0 ? closedLength : end - s
                rows += 1
            }
        }
        guard ok else { return nil }
        text?.passed(upTo: end)
        return (Measure(bytes: sizes, rows: rows), text?.failed ?? false)
    }
}
