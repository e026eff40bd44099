import RosterDiagnostics
import RosterData
import RosterLanguage

/// Finds the portal user an upload row stands for, the way the portal does: by the format's key
/// (ignoring case where the portal does), or by its stable id where the row gives one (Pass `idnumber`).
/// A row that matches only once case and spaces are ignored is not the same user to the portal;
/// the plan warns about it.
struct KeyMatcher {
    let format: FormatDefinition
    let key: [String]
    let current: Table
    private var exact: [String: Int] = [:]
    private var loose: [String: Int] = [:]
    private var users: Set<String> = []
    private var looseUsers: [String: Int] = [:]
    private var ids: [String: Int] = [:]

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
        for r in (0..<current.rowCount).reversed() {
            exact[exactKey(current, r)] = r
            loose[looseKey(current, r)] = r
            users.insert(userKey(current, r))
            looseUsers[Self.loose(current.column(key[0])?[r] ?? "")] = r
            if let id = format.upload.stableID, let v = current.column(id)?[r], !v.isEmpty { ids[v] = r }
        }
    }

    func cells(_ t: Table, _ r: Int) -> [String] { key.map { t.column($0)?[r] ?? "" } }

    func exactKey(_ t: Table, _ r: Int) -> String {
        cells(t, r).map { format.upload.keyIgnoresCase ? $0.lowercased() : $0 }.joined(separator: "\u{1F}")
    }

    func looseKey(_ t: Table, _ r: Int) -> String {
        cells(t, r).map(Self.loose).joined(separator: "\u{1F}")
    }

    /// Lower case, without spaces.
    static func loose(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    func userKey(_ t: Table, _ r: Int) -> String {
        let v = t.column(key[0])?[r] ?? ""
        return format.upload.keyIgnoresCase ? v.lowercased() : v
    }

    func label(_ t: Table, _ r: Int) -> String {
        let parts = cells(t, r)
        let first = parts[0].isEmpty ? "(blank \(key[0]))" : parts[0]
        return ([first] + parts.dropFirst().filter { !$0.isEmpty }).joined(separator: " at ")
    }

    func find(_ t: Table, row r: Int) -> Match {
        var m = Match()
        if let id = format.upload.stableID, let v = t.column(id)?[r], !v.isEmpty, let c = ids[v] {
            m.currentRow = c
            if exactKey(t, r) != exactKey(current, c) {
                m.viaStableID = "\(key[0]) changes from '\(cells(current, c)[0])'; \(id) keeps the user and its history"
                if let other = exact[exactKey(t, r)], other != c { m.heldBy = other }
            }
            return m
        }
        if let c = exact[exactKey(t, r)] {
            m.currentRow = c
            let mine = cells(t, r), theirs = cells(current, c)
            if mine != theirs {
                m.spellingNote =
                    "'\(mine.joined(separator: " "))' is '\(theirs.joined(separator: " "))' in the portal: it matches ignoring case, and the portal keeps its own spelling"
            }
            return m
        }
        if let c = loose[looseKey(t, r)] {
            m.spellingNote =
                "'\(cells(t, r).joined(separator: " "))' differs from the portal's '\(cells(current, c).joined(separator: " "))' only in case or spaces: the portal will treat it as a different user"
        }
        m.userExists = key.count > 1 && users.contains(userKey(t, r))
        let user = t.column(key[0])?[r] ?? ""
        if m.spellingNote == nil, !m.userExists, let c = looseUsers[Self.loose(user)], let theirs = current.column(key[0])?[c], theirs != user {
            m.spellingNote = "'\(user)' differs from the portal's '\(theirs)' only in case or spaces: the portal will treat it as a different user"
        }
        return m
    }
}
