import RosterData

extension Converter {
    /// The output rows of a conversion, each made of some source rows, kept as columns: record `k`'s
    /// source rows are `rowList[starts[k]..<starts[k + 1]]`, so a million one-row users cost no array
    /// each. Users are named only when a message needs the name.
    struct Records {
        var rowList: [Int32] = []
        var starts: [Int32] = [0]
        /// The value of the target's row-per meaning (one organization or group) per record, blank
        /// when it has none.
        var parts = TextColumnBuilder()
        /// The user key of every source row (`UserKeys`).
        let users: UserKeys

        /// Whether record `k` is source row `k` alone, for every row.
        var isEachRow = false

        var count: Int { starts.count - 1 }

        /// Whether every record is one source row.
        var isOneRowEach: Bool { rowList.count == count }

        func rows(_ k: Int) -> ArraySlice<Int32> { rowList[Int(starts[k])..<Int(starts[k + 1])] }

        func rowCount(_ k: Int) -> Int { Int(starts[k + 1] - starts[k]) }

        func firstRow(_ k: Int) -> Int { Int(rowList[Int(starts[k])]) }

        /// The user of record `k`, as its key reads.
        func user(_ k: Int) -> String { users.key(firstRow(k)) }

        /// A record of one source row and its part (its bytes; empty for none).
        mutating func add(row r: Int, part: UnsafeBufferPointer<UInt8>) {
            rowList.append(Int32(r))
            starts.append(Int32(rowList.count))
            parts.append(part)
        }
    }

    /// The user a source row belongs to: its username, else e-mail, else id (ignoring case and the
    /// spaces and tabs around it); a row with none of them is a user of its own. Made from the cells'
    /// bytes and grouped once, in first-seen order.
    struct UserKeys {
        let keys: TextColumn
        let index: ColumnIndex

        init(_ table: Table, bySource: [Meaning: SourceColumn]) {
            let keyColumns = [Meaning.username, .email, .id].compactMap { bySource[$0]?.cells }
            let n = table.rowCount
            if let first = keyColumns.first, first.isLowercaseASCII, !first.hasEmptyCell, first.hasNoSpacesAtEnds {
                // Every row's key is its first key cell as it is (the common portal file).
                keys = first.withoutQuoteMarks
                index = ColumnIndex(keys)
                return
            }
            // Two halves of the rows on two threads, then one column.
            let halves = Parallel.halves(n)
            var parts = Parallel.map(halves, work: n / halves.count) { rows in Self.keys(rows, keyColumns) }
            var out = parts.removeFirst()
            for part in parts { out.append(contentsOf: part) }
            keys = out.finish()
            index = ColumnIndex(keys)
        }

        /// The keys of `rows`: each row's first key cell that is not blank, trimmed and lowercased
        /// (an ASCII one in place, as bytes).
        static func keys(_ rows: Range<Int>, _ keyColumns: [TextColumn]) -> TextColumnBuilder {
            var out = TextColumnBuilder(expectedCells: rows.count)
            for r in rows {
                var found = false
                for c in keyColumns where !found {
                    c.withCell(r) { cell in
                        guard let trimmed = Converter.trimmed(cell), trimmed.allSatisfy({ $0 < 0x80 }) else {
                            let v = String(decoding: cell, as: UTF8.self).trimmingCharacters(in: " \t").lowercased()
                            if !v.isEmpty { out.append(v) }
                            found = !v.isEmpty
                            return
                        }
                        guard !trimmed.isEmpty else { return }
                        let start = out.bytes.count
                        out.bytes.append(contentsOf: trimmed)
                        out.bytes.withUnsafeMutableBufferPointer { b in
                            let part = UnsafeMutableBufferPointer(rebasing: b[start...])
                            _ = TextColumn.caseMap(UnsafeBufferPointer(part), into: part, upper: false)
                        }
                        out.endCell()
                        found = true
                    }
                }
                if !found { out.append("\u{1}row \(r)") }
            }
            return out
        }

        func key(_ r: Int) -> String { keys[r] }

        /// How many users the rows hold.
        var userCount: Int { index.groupCount }
    }

    /// A cell without the spaces and tabs around it, as `trimmingCharacters(in: " \t")` gives it; nil
    /// for the rare cell where the two could differ (a leading space followed by a combining mark is
    /// one character to `String`), which then takes the `String` way.
    static func trimmed(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var a = 0, b = cell.count
        while a < b && (cell[a] == 0x20 || cell[a] == 0x09) { a += 1 }
        if a > 0 && a < b && cell[a] >= 0x80 { return nil }
        while b > a && (cell[b - 1] == 0x20 || cell[b - 1] == 0x09) { b -= 1 }
        return UnsafeBufferPointer(rebasing: cell[a..<b])
    }

    static func records(_ table: Table, bySource: [Meaning: SourceColumn], rowPer: Meaning?) -> Records {
        let users = UserKeys(table, bySource: bySource)
        var out = Records(users: users)
        out.rowList.reserveCapacity(table.rowCount)
        out.starts.reserveCapacity(table.rowCount + 1)
        if let per = rowPer {
            // One row per user and organization (or group): a cell with several becomes several rows.
            let partColumn = bySource[per]
            let sep = partColumn?.separator.map { Array($0.utf8) } ?? []
            if let c = partColumn, sep.first.map(c.cells.lacks) ?? true, c.cells.hasNoSpacesAtEnds {
                // No cell has a separator or spaces to trim: one record per row, its part the cell.
                out.rowList = (0..<Int32(table.rowCount)).map { $0 }
                out.starts = (0...Int32(table.rowCount)).map { $0 }
                out.parts = TextColumnBuilder(c.cells.withoutQuoteMarks)
                out.isEachRow = true
                return out
            }
            for r in 0..<table.rowCount {
                guard let c = partColumn else {
                    out.add(row: r, part: UnsafeBufferPointer(start: nil, count: 0))
                    continue
                }
                c.cells.withCell(r) { cell in
                    var any = false
                    Self.forEachValue(cell, c.separator, sep) { part in
                        out.add(row: r, part: part)
                        any = true
                    }
                    if !any { out.add(row: r, part: UnsafeBufferPointer(start: nil, count: 0)) }
                }
            }
            return out
        }
        // One row per user: the user's rows are merged, in first-seen order (a counting sort by group).
        let groups = users.index.groupOfRow
        var sizes = [Int32](repeating: 0, count: users.userCount + 1)
        for g in groups { sizes[Int(g) + 1] += 1 }
        for g in 0..<users.userCount { sizes[g + 1] += sizes[g] }
        out.starts = sizes
        var next = sizes
        out.rowList = [Int32](repeating: 0, count: table.rowCount)
        for r in 0..<table.rowCount {
            let g = Int(groups[r])
            out.rowList[Int(next[g])] = Int32(r)
            next[g] += 1
        }
        out.parts = TextColumnBuilder(expectedCells: users.userCount)
        for _ in 0..<users.userCount { out.parts.endCell() }
        return out
    }
}
