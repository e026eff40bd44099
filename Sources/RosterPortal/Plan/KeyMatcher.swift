import RosterDiagnostics
import RosterData
import RosterLanguage

/// Finds the portal user each upload row stands for, the way the portal does: by the format's key
/// (ignoring case where the portal does), or by its stable id where the row gives one (Pass
/// `idnumber`). A row that matches only once case and spaces are ignored is not the same user to
/// the portal; the plan warns about it.
///
/// Columnar: keys are byte strings (folded once per column), matched through hash indexes over the
/// portal's users; a `String` is made only for what a message quotes.
struct KeyMatcher {
    let format: FormatDefinition
    let key: [String]
    let current: Table
    /// The portal's key per row, folded when the portal ignores case.
    let currentKeys: TextColumn
    let exact: ColumnIndex
    let ids: ColumnIndex?

    /// Which portal user every upload row stands for, as columns: the portal row per upload row,
    /// and the few notes a row may carry kept apart, so a million matched rows cost four bytes each.
    struct Matches {
        /// The portal row each upload row matched, or -1.
        var currentRow: [Int32]
        /// Rows whose user exists, though not with this membership (TOMS: another school).
        var userExists: Set<Int> = []
        /// Said when the key's spelling differs from the portal's.
        var spellingNotes: [Int: String] = [:]
        /// Said when the stable id found the user although the key changed.
        var viaStableID: [Int: String] = [:]
        /// The portal user who holds the row's key, when the stable id found another one (Pass: an
        /// e-mail that another account holds).
        var heldBy: [Int: Int] = [:]

        init(rows: Int) { currentRow = [Int32](repeating: -1, count: rows) }

        /// The portal row of upload row `r`, if it matched one.
        func current(_ r: Int) -> Int? { currentRow[r] < 0 ? nil : Int(currentRow[r]) }
    }

    init(format: FormatDefinition, key: [String], current: Table) {
        self.format = format
        self.key = key
        self.current = current
        currentKeys = Self.keys(current, key, fold: format.upload.keyIgnoresCase)
        exact = ColumnIndex(currentKeys)
        if let id = format.upload.stableID, let column = current.column(id) {
            ids = ColumnIndex(column)
        } else {
            ids = nil
        }
    }

    func cells(_ t: Table, _ r: Int) -> [String] { key.map { t.column($0)?[r] ?? "" } }

    func label(_ t: Table, _ r: Int) -> String { Self.label(t, r, key: key) }

    /// The user as the key names it (`ann@x.org`, `ann@x.org at 01611920000000`).
    static func label(_ t: Table, _ r: Int, key: [String]) -> String {
        if key.count == 1 {
            let only = t.column(key[0])?[r] ?? ""
            return only.isEmpty ? "(blank \(key[0]))" : only
        }
        let parts = key.map { t.column($0)?[r] ?? "" }
        let first = parts[0].isEmpty ? "(blank \(key[0]))" : parts[0]
        return ([first] + parts.dropFirst().filter { !$0.isEmpty }).joined(separator: " at ")
    }

    /// The key of every row as one byte string (the key columns length-prefixed), folded to lower
    /// case when asked.
    static func keys(_ t: Table, _ key: [String], fold: Bool) -> TextColumn {
        let parts = key.map { name in t.column(name).map { fold ? Self.folded($0) : $0 } ?? TextColumn(repeating: "", count: t.rowCount) }
        return CompositeKey.column(parts, rows: t.rowCount)
    }

    /// A column in lower case (ASCII directly; other text as `String.lowercased()` gives it).
    static func folded(_ c: TextColumn) -> TextColumn {
        if c.isLowercaseASCII { return c }
        if let ascii = c.asciiCaseMapped(upper: false) { return ascii }
        var out = TextColumnBuilder(expectedCells: c.count, expectedBytes: c.bytes.count)
        var buffer: [UInt8] = []
        c.forEachCell { _, cell in
            FormatValidator.fold(cell, into: &buffer)
            buffer.withUnsafeBufferPointer { out.append($0) }
        }
        return out.finish()
    }

    /// Lower case without white space: how a person would not tell two spellings apart.
    static func loose(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// `loose` of every cell (ASCII cells straight from their bytes).
    static func looseColumn(_ c: TextColumn) -> TextColumn {
        var out = TextColumnBuilder(expectedCells: c.count, expectedBytes: c.bytes.count)
        var buffer: [UInt8] = []
        c.forEachCell { _, cell in
            if cell.allSatisfy({ $0 < 0x80 }) {
                buffer.removeAll(keepingCapacity: true)
                for b in cell where !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { buffer.append(b >= 0x41 && b <= 0x5A ? b + 32 : b) }
                buffer.withUnsafeBufferPointer { out.append($0) }
            } else {
                out.append(loose(String(decoding: cell, as: UTF8.self)))
            }
        }
        return out.finish()
    }

    /// Whether every byte of the column is ASCII other than white space.
    static func isPlainASCIIWithoutSpaces(_ c: TextColumn) -> Bool {
        c.bytes.withUnsafeBufferPointer { b in
            for x in b where x >= 0x80 || x == 0x20 || (x >= 0x09 && x <= 0x0D) { return false }
            return true
        }
    }

    /// The loose key of every row: each key column loose, joined by a unit separator.
    static func looseKeys(_ t: Table, _ key: [String]) -> TextColumn {
        let parts = key.map { t.column($0).map(looseColumn) ?? TextColumn(repeating: "", count: t.rowCount) }
        if parts.count == 1 { return parts[0] }
        var out = TextColumnBuilder(expectedCells: t.rowCount)
        for r in 0..<t.rowCount {
            for (k, p) in parts.enumerated() {
                if k > 0 { out.bytes.append(0x1F) }
                p.withCell(r) { out.bytes.append(contentsOf: $0) }
            }
            out.endCell()
        }
        return out.finish()
    }

    /// Which portal user every row of `t` stands for.
    func matches(_ t: Table) -> Matches {
        let n = t.rowCount
        var out = Matches(rows: n)
        let newKeys = Self.keys(t, key, fold: format.upload.keyIgnoresCase)
        let exactGroups = exact.lookup(newKeys)
        var idRows = [Int32](repeating: -1, count: 0)
        if let ids, let id = format.upload.stableID, let column = t.column(id) {
            idRows = [Int32](repeating: -1, count: n)
            let groups = ids.lookup(column)
            for r in 0..<n where groups[r] >= 0 && !column.isBlank(r) { idRows[r] = Int32(ids.firstRow[Int(groups[r])]) }
        }
        let spelling = SpellingCheck(key: key, new: t, current: current)
        var missed: [Int] = []
        for r in 0..<n {
            let g = Int(exactGroups[r])
            if !idRows.isEmpty, idRows[r] >= 0 {
                let c = Int(idRows[r])
                out.currentRow[r] = Int32(c)
                if g < 0 || exact.firstRow[g] != c {
                    let id = format.upload.stableID!
                    out.viaStableID[r] = "\(key[0]) changes from '\(cells(current, c)[0])'; \(id) keeps the user and its history"
                    if g >= 0 { out.heldBy[r] = exact.firstRow[g] }
                }
                continue
            }
            if g >= 0 {
                let c = exact.firstRow[g]
                out.currentRow[r] = Int32(c)
                if !spelling.same(r, c) {
                    out.spellingNotes[r] =
                        "'\(cells(t, r).joined(separator: " "))' is '\(cells(current, c).joined(separator: " "))' in the portal: roster matches it ignoring case (an e-mail address is one in any case); the guide does not say which spelling the portal keeps"
                }
                continue
            }
            missed.append(r)
        }
        if !missed.isEmpty { looseMatches(t, missed, &out) }
        return out
    }

    /// Rows that match no portal user: whether one differs from a portal user's key only in case or
    /// spaces, and (with a key of several columns) whether the user exists with another membership.
    /// The portal's loose keys are indexed once; only the missed rows' own are made.
    func looseMatches(_ t: Table, _ missed: [Int], _ out: inout Matches) {
        let firstKey = current.column(key[0]) ?? TextColumn(repeating: "", count: current.rowCount)
        // Keys of plain ASCII without spaces, already folded, are their own loose form: the index of the
        // exact keys serves (a yearly upload's usernames nearly always are).
        let users =
            key.count == 1 && format.upload.keyIgnoresCase && Self.isPlainASCIIWithoutSpaces(currentKeys)
            ? exact : ColumnIndex(Self.looseColumn(firstKey))
        let keys = key.count == 1 ? users : ColumnIndex(Self.looseKeys(current, key))
        let userKeys = key.count > 1 ? ColumnIndex(format.upload.keyIgnoresCase ? Self.folded(firstKey) : firstKey) : nil
        let subset = Table(columns: key.compactMap { name in t.column(name).map { Column(name: name, cells: $0.gather(missed)) } }, rowCount: missed.count)
        let myFirst = subset.column(key[0]) ?? TextColumn(repeating: "", count: missed.count)
        let userHits = users.lookup(Self.looseColumn(myFirst))
        let keyHits = key.count == 1 ? userHits : keys.lookup(Self.looseKeys(subset, key))
        let userKeyHits = userKeys?.lookup(format.upload.keyIgnoresCase ? Self.folded(myFirst) : myFirst)
        for (k, r) in missed.enumerated() {
            let mine = cells(t, r)
            if keyHits[k] >= 0 {
                let c = keys.firstRow[Int(keyHits[k])]
                out.spellingNotes[r] =
                    "'\(mine.joined(separator: " "))' differs from the portal's '\(cells(current, c).joined(separator: " "))' only in case or spaces: the portal will treat it as a different user"
            }
            let exists = userKeyHits.map { $0[k] >= 0 } ?? false
            if exists { out.userExists.insert(r) }
            if out.spellingNotes[r] == nil, !exists, userHits[k] >= 0 {
                let theirs = firstKey[users.firstRow[Int(userHits[k])]]
                if theirs != mine[0] {
                    out.spellingNotes[r] =
                        "'\(mine[0])' differs from the portal's '\(theirs)' only in case or spaces: the portal will treat it as a different user"
                }
            }
        }
    }
}

/// Whether the key cells of an upload row and a portal row are written the same, byte for byte.
struct SpellingCheck {
    let pairs: [(TextColumn, TextColumn)]

    init(key: [String], new: Table, current: Table) {
        pairs = key.compactMap { name in
            guard let a = new.column(name), let b = current.column(name) else { return nil }
            return (a, b)
        }
    }

    func same(_ r: Int, _ c: Int) -> Bool {
        for (a, b) in pairs {
            let same = a.withCell(r) { x in b.withCell(c) { y in ColumnIndex.same(x, y) } }
            if !same { return false }
        }
        return true
    }
}
