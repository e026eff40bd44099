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

    struct Match {
        var currentRow: Int?
        /// The row's user exists, though not with this membership (TOMS: another school).
        var userExists = false
        /// Said when the key's spelling differs from the portal's.
        var spellingNote: String?
        /// Said when the stable id found the user although the key changed.
        var viaStableID: String?
        /// The portal user who holds the row's key, when the stable id found another one (Pass: an
        /// e-mail that another account holds).
        var heldBy: Int?
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
    func matches(_ t: Table) -> [Match] {
        let n = t.rowCount
        var out = [Match](repeating: Match(), count: n)
        let newKeys = Self.keys(t, key, fold: format.upload.keyIgnoresCase)
        let exactGroups = exact.lookup(newKeys)
        var idRows = [Int](repeating: -1, count: n)
        if let ids, let id = format.upload.stableID, let column = t.column(id) {
            let groups = ids.lookup(column)
            for r in 0..<n where groups[r] >= 0 && !column.isBlank(r) { idRows[r] = ids.firstRow[Int(groups[r])] }
        }
        // Built only when some row matches no portal user: the loose keys of both sides.
        var looseIndex: (keys: ColumnIndex, users: ColumnIndex, userKeys: ColumnIndex)?
        var looseHits: (keys: [Int32], users: [Int32], userKeys: [Int32])?
        for r in 0..<n {
            var m = Match()
            let g = Int(exactGroups[r])
            if idRows[r] >= 0 {
                let c = idRows[r]
                m.currentRow = c
                if g < 0 || exact.firstRow[g] != c {
                    let id = format.upload.stableID!
                    m.viaStableID = "\(key[0]) changes from '\(cells(current, c)[0])'; \(id) keeps the user and its history"
                    if g >= 0 { m.heldBy = exact.firstRow[g] }
                }
                out[r] = m
                continue
            }
            if g >= 0 {
                let c = exact.firstRow[g]
                m.currentRow = c
                if !sameSpelling(t, r, c) {
                    m.spellingNote =
                        "'\(cells(t, r).joined(separator: " "))' is '\(cells(current, c).joined(separator: " "))' in the portal: it matches ignoring case, and the portal keeps its own spelling"
                }
                out[r] = m
                continue
            }
            if looseIndex == nil {
                let firstKey = current.column(key[0]) ?? TextColumn(repeating: "", count: current.rowCount)
                let users = ColumnIndex(Self.looseColumn(firstKey))
                looseIndex = (
                    key.count == 1 ? users : ColumnIndex(Self.looseKeys(current, key)), users,
                    ColumnIndex(format.upload.keyIgnoresCase ? Self.folded(firstKey) : firstKey)
                )
            }
            let index = looseIndex!
            if looseHits == nil {
                let firstKey = t.column(key[0]) ?? TextColumn(repeating: "", count: n)
                let users = index.users.lookup(Self.looseColumn(firstKey))
                looseHits = (
                    key.count == 1 ? users : index.keys.lookup(Self.looseKeys(t, key)), users,
                    key.count > 1 ? index.userKeys.lookup(format.upload.keyIgnoresCase ? Self.folded(firstKey) : firstKey) : []
                )
            }
            let hits = looseHits!
            let mine = cells(t, r)
            if hits.keys[r] >= 0 {
                let c = index.keys.firstRow[Int(hits.keys[r])]
                m.spellingNote =
                    "'\(mine.joined(separator: " "))' differs from the portal's '\(cells(current, c).joined(separator: " "))' only in case or spaces: the portal will treat it as a different user"
            }
            if key.count > 1 { m.userExists = hits.userKeys[r] >= 0 }
            if m.spellingNote == nil, !m.userExists, hits.users[r] >= 0 {
                let theirs = current.column(key[0])?[index.users.firstRow[Int(hits.users[r])]] ?? ""
                if theirs != mine[0] {
                    m.spellingNote = "'\(mine[0])' differs from the portal's '\(theirs)' only in case or spaces: the portal will treat it as a different user"
                }
            }
            out[r] = m
        }
        return out
    }

    /// Whether the key cells of upload row `r` and portal row `c` are written the same.
    func sameSpelling(_ t: Table, _ r: Int, _ c: Int) -> Bool {
        for name in key {
            guard let a = t.column(name), let b = current.column(name) else { continue }
            let same = a.withCell(r) { x in b.withCell(c) { y in ColumnIndex.same(x, y) } }
            if !same { return false }
        }
        return true
    }
}
