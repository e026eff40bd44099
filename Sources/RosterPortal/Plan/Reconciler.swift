import RosterDiagnostics
import RosterData
import RosterLanguage

/// Decides, for every person and organization, what this year's upload should hold, from who the
/// portal has (its export) and who the district has (HR's list, already in the format's columns):
/// keep, update, create, disable or remove where the portal leaves people by a row, and leave, by
/// hand or review where no row should be sent. A person is matched through the format's identity
/// (its key, compared as the portal compares it, and its stable id); HR's values win for the columns
/// HR owns (names, e-mail, role, organizations), the portal's for the rest (a username that is not
/// the e-mail stays as the portal has it). Where a person cannot be matched for certain, the
/// candidates are named and nothing is decided.
public struct Reconciler {
    public let format: FormatDefinition
    /// Why a leaver is disabled, where the portal disables by a row (PearsonAccess).
    public var leavingReason: String?

    public init(_ format: FormatDefinition, leavingReason: String? = nil) {
        self.format = format
        self.leavingReason = leavingReason
    }

    /// One decision: what to send (or not) for a person at an organization.
    public enum Decision: String, Sendable, CaseIterable {
        case keep, update, reactivate, create, disable, remove, leave
        case byHand = "by hand"
        case review

        /// Decisions whose row goes in an upload file.
        public var isUploaded: Bool {
            switch self {
            case .keep, .update, .reactivate, .create, .disable, .remove: true
            case .leave, .byHand, .review: false
            }
        }
    }

    /// The columns a reconciled table adds to the format's.
    public static let decisionColumn = "Decision"
    public static let whyColumn = "Why"

    public struct Report: Sendable {
        public var counts: [Decision: Int] = [:]
        public var notes: [String] = []
        public var warnings: [String] = []
    }

    /// Meanings whose values HR owns: a person's name, e-mail, role and organizations. A role a
    /// portal writes as one column per role (`role_…`: NWEA MAP's `Y` columns) is the role too.
    static let ownedByHR: Set<Meaning> = [.firstName, .lastName, .name, .email, .role, .organization, .group]

    static func isOwnedByHR(_ m: Meaning?) -> Bool {
        guard let m else { return false }
        return ownedByHR.contains(m) || m.rawValue.hasPrefix("role_")
    }

    public func reconcile(
        staff given: Table, portal export: Table, source: Table? = nil, bindings: any Bindings, at range: SourceRange
    ) throws(Diagnostic) -> (Table, Report) {
        var report = Report()
        let validator = FormatValidator(format)
        let key = try Planner(format).keyColumns(at: range)
        // Certain repairs first, on both sides: a portal export that Excel opened and saved has lost its
        // codes' leading zeros, and is matched as what it was.
        let fixer = Fixer(format)
        let (portal, portalRepairs) = fixer.excelRepairs(validator.canonicallyNamed(export))
        let (staff0, staffRepairs, _) = fixer.fix(validator.canonicallyNamed(given))
        if !portalRepairs.isEmpty {
            report.warnings.append(
                "the portal's export was changed by Excel (\(plural(portalRepairs.count, "cell"))): matched as it was — "
                    + Self.some(portalRepairs.map { "row \($0.row + 2) \($0.column) '\($0.before)' → '\($0.after)' (\($0.why))" }))
        }
        if !staffRepairs.isEmpty {
            report.notes.append("repaired in the staff list before matching: " + Self.some(staffRepairs.map { "row \($0.row + 2) \($0.column) (\($0.why))" }))
        }
        var staff = try mergedRepeats(adoptingPortalUsernames(staff0, portal, key: key, &report), key: key, report: &report)
        for (r, why) in conflictingPeople(source, staff.table) where staff.conflicts[r] == nil { staff.conflicts[r] = why }
        let matcher = KeyMatcher(format: format, key: key, current: portal)
        var matches = matcher.matches(staff.table)
        var matchedPortal = [Bool](repeating: false, count: portal.rowCount)
        for r in 0..<staff.table.rowCount { if let c = matches.current(r) { matchedPortal[c] = true } }

        let columns =
            format.columns + format.optionalColumns.filter { c in !format.columns.contains(c) && export.columns.contains { format.matches($0.name, c) } }
        var rows: [[String]] = []
        var decisions: [Decision] = []
        var whys: [String] = []
        var portalRows: [Int?] = []
        func add(_ row: [String], _ d: Decision, _ why: String, portal c: Int? = nil) {
            rows.append(row)
            decisions.append(d)
            whys.append(why)
            portalRows.append(c)
        }
        let candidates = reviewCandidates(staff.table, portal, matches, matchedPortal)
        let fold = { (s: String) in format.upload.keyIgnoresCase ? s.lowercased() : s }
        var firstRow: [String: Int] = [:]
        if let user = portal.column(key[0]) { for c in (0..<portal.rowCount).reversed() { firstRow[fold(user[c])] = c } }
        var heldForReview = Set<Int>()
        let alreadyDisabled = try format.upload.disableWhen.map { e throws(Diagnostic) in
            try Evaluator(table: portal, bindings: bindings).condition(e)
        }
        var keptForReview = Set<Int>()
        for r in 0..<staff.table.rowCount {
            if let conflict = staff.conflicts[r] ?? damagedNames(staff.table, r, matched: matches.current(r) != nil) {
                add(columns.map { staff.table.column($0)?[r] ?? "" }, .review, conflict)
                if let c = matches.current(r), format.upload.missing.action == .archived, keptForReview.insert(c).inserted {
                    add(
                        columns.map { portal.column($0)?[c] ?? "" }, .keep,
                        "kept as the portal has it until a person settles the staff list's rows (left out of the file, it would be archived)")
                }
                continue
            }
            if let c = matches.current(r) {
                var (row, changes) = merged(staff.table, r, portal, c, columns, key: key, viaStableID: matches.viaStableID[r] != nil)
                if alreadyDisabled?[c] == true, let by = format.upload.disableBy,
                    let enabled = format.conversion.defaults.first(where: { $0.column == by.column }), case .text(let on) = enabled.value.kind,
                    let j = columns.firstIndex(of: by.column)
                {
                    // Back on the staff list, disabled in the portal: the row enables the account again (the
                    // old reason stays: a blank would erase it, and it matters only while disabled).
                    row[j] = on
                    add(
                        row, .reactivate,
                        "back on the staff list: enables the account the portal holds as disabled"
                            + (changes.isEmpty ? "" : "; changes " + changes.joined(separator: ", ")), portal: c)
                    continue
                }
                var why = changes.isEmpty ? "the same as the portal's" : "changes " + changes.joined(separator: ", ")
                if let via = matches.viaStableID[r] { why = via + (changes.isEmpty ? "" : "; " + why) }
                add(row, changes.isEmpty && matches.viaStableID[r] == nil ? .keep : .update, why, portal: c)
            } else if let found = candidates[r], !found.isEmpty {
                heldForReview.formUnion(found)
                let names = found.map { matcher.label(portal, $0) }.joined(separator: ", ")
                add(
                    columns.map { staff.table.column($0)?[r] ?? "" }, .review,
                    "cannot be matched for certain: the portal has \(names) with the same name at the same organization (a changed e-mail?), and no stable id tells; confirm by hand which it is"
                )
            } else if matches.userExists.contains(r), let c = firstRow[fold(staff.table.column(key[0])?[r] ?? "")] {
                // A new membership of a person the portal has: what HR does not own is the portal's.
                let row = columns.map { column -> String in
                    let mine = staff.table.column(column)?[r] ?? ""
                    let owned = Self.isOwnedByHR(format.meanings[column])
                    return owned && !mine.isEmpty || key.contains(column) ? mine : (portal.column(column)?[c] ?? mine)
                }
                add(row, .create, "adds the portal's user at " + key.dropFirst().compactMap { staff.table.column($0)?[r] }.joined(separator: ", "))
            } else {
                add(columns.map { staff.table.column($0)?[r] ?? "" }, .create, "new user")
            }
        }
        // The portal's people HR no longer lists, left the portal's own way.
        for c in 0..<portal.rowCount where !matchedPortal[c] {
            let row = columns.map { portal.column($0)?[c] ?? "" }
            if heldForReview.contains(c) {
                if format.upload.missing.action == .archived {
                    add(row, .keep, "kept as the portal has it until a person confirms who HR's new row is (left out of the file, it would be archived)")
                } else {
                    add(row, .review, "may be the same person as a new row of the staff list (same name at the same organization): confirm by hand")
                }
                continue
            }
            if let by = format.upload.disableBy {
                if alreadyDisabled?[c] == true {
                    add(row, .leave, "not on the staff list, and already disabled in the portal")
                    continue
                }
                guard let reason = leavingReason, !reason.isEmpty else {
                    throw Diagnostic.runtime(
                        "reconcile as \(format.name): \(matcher.label(portal, c)) is not on the staff list, and \(format.name) disables a leaver with a reason",
                        at: range, hints: ["give the reason: reconcile against PORTAL as \(format.name) leaving \"Not on the 2026 staff list\""])
                }
                var out = row
                if let j = columns.firstIndex(of: by.column) { out[j] = by.value }
                if let rc = by.reasonColumn, let j = columns.firstIndex(of: rc) { out[j] = reason }
                add(out, .disable, "not on the staff list: disabled with the reason '\(reason)' (never deleted)")
            } else if let remove = format.upload.removeBy {
                var out = row
                if let j = columns.firstIndex(of: remove.column) { out[j] = remove.value }
                add(out, .remove, "not on the staff list: " + (format.upload.removeWhen?.message ?? "removed"))
            } else if format.upload.missing.action == .archived {
                add(row, .leave, "not on the staff list; " + format.upload.missing.reason)
            } else if let byHand = format.upload.missing.danger {
                add(row, .byHand, "not on the staff list; " + byHand)
            } else {
                add(row, .leave, "not on the staff list; " + format.upload.missing.reason)
            }
        }
        try keepRejectedSyncedUsers(&rows, &decisions, &whys, portalRows, portal, columns, bindings: bindings)
        if let action = format.upload.actionColumn, let j = columns.firstIndex(of: action.column) {
            // The file's own action column (PearsonAccess): Create for a new person, Update for the rest.
            // A leaver's row whose removal is written in that same column (TIDE's Delete) keeps it.
            let removesThere = format.upload.removeBy?.column == action.column
            for i in rows.indices where decisions[i].isUploaded && !(decisions[i] == .remove && removesThere) {
                rows[i][j] = decisions[i] == .create ? action.create[0] : action.update[0]
            }
        }
        for d in decisions { report.counts[d, default: 0] += 1 }
        var outColumns = columns
        if let remove = format.upload.removeBy, let j = columns.firstIndex(of: remove.column) {
            // A blank here removes the membership: every membership that stays says so.
            let keep = format.upload.comparison(remove.column).blankAs ?? "TRUE"
            for i in rows.indices where decisions[i] != .remove && rows[i][j].isEmpty { rows[i][j] = keep }
        } else if let remove = format.upload.removeBy, report.counts[.remove, default: 0] > 0 {
            // A removal needs the column that says so; every other row keeps its membership.
            outColumns.append(remove.column)
            let keep = format.upload.comparison(remove.column).blankAs ?? "TRUE"
            for i in rows.indices { rows[i].append(decisions[i] == .remove ? remove.value : keep) }
        }
        var table = Table(
            columns: outColumns.enumerated().map { j, name in Column(name: name, cells: TextColumn(rows.map { $0[j] })) }, rowCount: rows.count)
        table.formatName = format.name
        table.setColumn(Self.decisionColumn, TextColumn(decisions.map(\.rawValue)))
        table.setColumn(Self.whyColumn, TextColumn(whys))
        return (table, report)
    }

    /// Where the portal archives everyone missing from the file (Pass), a person it has whose new row it
    /// would reject keeps the portal's row: left out, they would be archived for a fault in HR's data.
    func keepRejectedSyncedUsers(
        _ rows: inout [[String]], _ decisions: inout [Decision], _ whys: inout [String], _ portalRows: [Int?], _ portal: Table,
        _ columns: [String], bindings: any Bindings
    ) throws(Diagnostic) {
        guard format.upload.missing.action == .archived else { return }
        let candidates = rows.indices.filter { (decisions[$0] == .update || decisions[$0] == .keep) && portalRows[$0] != nil }
        guard !candidates.isEmpty else { return }
        let t = Table(
            columns: columns.enumerated().map { j, name in Column(name: name, cells: TextColumn(candidates.map { rows[$0][j] })) },
            rowCount: candidates.count)
        let problems = try FormatValidator(format).problems(t, bindings: bindings)
        for (k, i) in candidates.enumerated() where !problems[k].isEmpty {
            let c = portalRows[i]!
            rows[i] = columns.map { portal.column($0)?[c] ?? "" }
            decisions[i] = .keep
            whys[i] =
                "the staff list's row would be rejected (" + problems[k].map(\.message).joined(separator: "; ")
                + "): kept as the portal has it, since a user left out of the file is archived"
        }
    }

    /// The upload row for a matched person: the portal's row, with HR's values for the columns HR
    /// owns (the key as the portal has it, unless the stable id found the user under a new one), and
    /// the changes as the portal compares them. A value Excel saved with `?` for letters it could not
    /// encode is not HR's: the portal's stays.
    func merged(_ staff: Table, _ r: Int, _ portal: Table, _ c: Int, _ columns: [String], key: [String], viaStableID: Bool) -> ([String], [String]) {
        var row: [String] = []
        var changes: [String] = []
        for column in columns {
            let was = portal.column(column)?[c] ?? ""
            let now = staff.column(column)?[r] ?? ""
            // HR's own id fills a stable id the portal does not have yet (it never replaces one).
            let fillsID = format.meanings[column] == .id && was.isBlankCell
            let owned = fillsID || Self.isOwnedByHR(format.meanings[column])
            let isKey = key.contains(column)
            guard owned, !now.isBlankCell, !(isKey && !viaStableID), !format.isSecret(column) else {
                row.append(was)
                continue
            }
            if Planner.excelReplacedCharacters(was, now) {
                row.append(was)
                continue
            }
            if Planner.excelReplacedCharacters(now, was) {
                // The export was saved by Excel (`Ay?e`): the portal holds HR's letters, no change.
                row.append(now)
                continue
            }
            var cmp = format.upload.comparison(column)
            // An e-mail address written with other capitals is the same address.
            if format.meanings[column] == .email { cmp.ignoringCase = true }
            if let sep = format.conversion.separators[column] {
                let a = Set(was.split(separator: sep).map { cmp.normalised(String($0)) })
                let b = Set(now.split(separator: sep).map { cmp.normalised(String($0)) })
                if a == b {
                    row.append(was)
                    continue
                }
            } else if cmp.normalised(was) == cmp.normalised(now) {
                row.append(was)
                continue
            }
            row.append(now)
            changes.append("\(column) (\(cmp.shown(was)) → \(cmp.shown(now)))")
        }
        return (row, changes)
    }

    /// A person whose username is not their e-mail (MCAS `hito`, TAO `ann.lee`) is found by the
    /// portal's e-mail column, where the format has one besides the username and exactly one portal
    /// username has that address: the staff row takes the portal's username, which stays as it is.
    func adoptingPortalUsernames(_ staff: Table, _ portal: Table, key: [String], _ report: inout Report) -> Table {
        guard let user = key.first,
            let column = format.allColumns.first(where: { format.meanings[$0] == .email && $0 != user }),
            let theirs = portal.column(column), let mine = staff.column(column), let names = portal.column(user),
            let given = staff.column(user)
        else { return staff }
        let fold = { (s: String) in format.upload.keyIgnoresCase ? s.lowercased() : s }
        let known = Set(names.strings.map(fold))
        var byEmail: [String: Set<String>] = [:]
        for c in 0..<portal.rowCount where !theirs[c].isEmpty { byEmail[theirs[c].lowercased(), default: []].insert(names[c]) }
        var cells = given.strings
        var found: [String] = []
        for r in 0..<staff.rowCount where !known.contains(fold(cells[r])) && !mine[r].isEmpty {
            guard let users = byEmail[mine[r].lowercased()], users.count == 1, let name = users.first else { continue }
            if !found.contains(name) { found.append("\(name) (\(mine[r]))") }
            cells[r] = name
        }
        guard !found.isEmpty else { return staff }
        report.notes.append("found by \(column), with the username the portal has: " + Self.some(Array(Set(found)).sorted()))
        var out = staff
        out.setColumn(user, TextColumn(cells))
        return out
    }

    /// For each unmatched staff row, the portal's unmatched people of the same name at one of its
    /// organizations: a changed e-mail, perhaps, that only a person can confirm.
    func reviewCandidates(_ staff: Table, _ portal: Table, _ matches: KeyMatcher.Matches, _ matched: [Bool]) -> [Int: [Int]] {
        let first = format.column(meaning: .firstName), last = format.column(meaning: .lastName), whole = format.column(meaning: .name)
        guard (first != nil && last != nil) || whole != nil else { return [:] }
        // Where the format has a row per organization or group, that is where a person is.
        let org = format.conversion.rowPer.flatMap { format.column(meaning: $0) } ?? format.column(meaning: .organization) ?? format.column(meaning: .group)
        let sep = org.flatMap { format.conversion.separators[$0] }
        func name(_ t: Table, _ r: Int) -> String {
            if let first, let last { return ((t.column(first)?[r] ?? "") + " " + (t.column(last)?[r] ?? "")).lowercased() }
            return (t.column(whole!)?[r] ?? "").split(separator: " ").joined(separator: " ").lowercased()
        }
        func orgs(_ t: Table, _ r: Int) -> Set<String> {
            guard let org, let v = t.column(org)?[r] else { return [] }
            return Set(sep.map { s in v.split(separator: s).map(String.init) } ?? [v])
        }
        var byName: [String: [Int]] = [:]
        for c in 0..<portal.rowCount where !matched[c] { byName[name(portal, c), default: []].append(c) }
        var out: [Int: [Int]] = [:]
        for r in 0..<staff.rowCount where matches.current(r) == nil && !matches.userExists.contains(r) {
            guard let same = byName[name(staff, r)] else { continue }
            let mine = orgs(staff, r)
            let found = same.filter { org == nil || !orgs(portal, $0).isDisjoint(with: mine) }
            if !found.isEmpty { out[r] = found }
        }
        return out
    }

    /// The staff rows with exact repeats of a person at an organization merged (said in a note), a
    /// pair the format combines (TOMS: Test Administrator and Test Examiner) made one row with the
    /// combined value, and other repeats that disagree held for review.
    func mergedRepeats(_ staff: Table, key: [String], report: inout Report) throws(Diagnostic) -> (table: Table, conflicts: [Int: String]) {
        let keys = KeyMatcher.keys(staff, key, fold: format.upload.keyIgnoresCase)
        var first: [String: Int] = [:]
        var drop = Set<Int>()
        var conflicts: [Int: String] = [:]
        var table = staff
        var repeats: [String] = []
        for r in 0..<staff.rowCount {
            let k = keys[r]
            guard let f = first[k] else {
                first[k] = r
                continue
            }
            let differing = staff.columns.filter { $0.cells[r] != $0.cells[f] }.map(\.name)
            if differing.isEmpty {
                drop.insert(r)
                repeats.append("row \(r + 2) repeats row \(f + 2)")
                continue
            }
            if let combined = combination(staff, f, r, differing) {
                let j = table.index(of: combined.column)!
                var cells = table.columns[j].cells.strings
                cells[f] = combined.value
                table.columns[j].cells = TextColumn(cells)
                drop.insert(r)
                repeats.append("rows \(f + 2) and \(r + 2) made one row with \(combined.column) '\(combined.value)'")
                continue
            }
            let label = KeyMatcher.label(staff, r, key: key)
            conflicts[f] =
                "the staff list gives \(label) twice with different \(differing.joined(separator: ", ")) (rows \(f + 2) and \(r + 2)): which is right?"
            conflicts[r] = conflicts[f]
        }
        if !repeats.isEmpty { report.notes.append("repeated rows of the staff list: " + Self.some(repeats)) }
        guard !drop.isEmpty else { return (table, conflicts) }
        let kept = (0..<staff.rowCount).filter { !drop.contains($0) }
        var remapped: [Int: String] = [:]
        for (i, r) in kept.enumerated() { if let c = conflicts[r] { remapped[i] = c } }
        return (table.gather(kept), remapped)
    }

    /// Why a staff row's name cannot be taken: a `?` where Excel put a letter it could not save (a
    /// CSV saved in Windows-1252), which only the original file can restore. A person the portal has
    /// keeps the portal's name (see `merged`); a new one waits for a person.
    func damagedNames(_ staff: Table, _ r: Int, matched: Bool) -> String? {
        guard !matched else { return nil }
        for m in [Meaning.firstName, .lastName, .name] {
            guard let column = format.column(meaning: m), let v = staff.column(column)?[r], v.contains("?") else { continue }
            return "\(column) '\(v)' holds '?' where Excel put a letter it could not save: take the name from the original file"
        }
        return nil
    }

    /// Staff rows of one person (one Employee ID, in the staff list as HR wrote it) that disagree on
    /// the e-mail or the name: which is right is a person's call.
    func conflictingPeople(_ source: Table?, _ staff: Table) -> [Int: String] {
        guard let source, let emailColumn = format.column(meaning: .email), let mine = staff.column(emailColumn) else { return [:] }
        func column(_ m: Meaning) -> TextColumn? {
            source.columns.first {
                Converter.commonHeadings[Converter.normalised($0.name)] == m || Converter.normalised($0.name) == Converter.normalised(m.rawValue)
            }?.cells
        }
        guard let ids = column(.id), let emails = column(.email) else { return [:] }
        let first = column(.firstName), last = column(.lastName)
        var seen: [String: (email: Set<String>, name: Set<String>)] = [:]
        for r in 0..<source.rowCount where !ids[r].isEmpty {
            seen[ids[r], default: ([], [])].email.insert(emails[r].lowercased())
            seen[ids[r], default: ([], [])].name.insert(((first?[r] ?? "") + " " + (last?[r] ?? "")).lowercased())
        }
        var why: [String: String] = [:]
        for (id, s) in seen where s.email.count > 1 || s.name.count > 1 {
            let what = s.email.count > 1 ? "e-mail addresses " + s.email.sorted().joined(separator: ", ") : "names " + s.name.sorted().joined(separator: ", ")
            for e in s.email { why[e] = "the staff list gives one person (\(id)) two \(what): which is right?" }
        }
        guard !why.isEmpty else { return [:] }
        var out: [Int: String] = [:]
        for r in 0..<staff.rowCount { if let w = why[mine[r].lowercased()] { out[r] = w } }
        return out
    }

    /// The first few items of a list, and how many in all.
    static func some(_ items: [String]) -> String {
        items.prefix(8).joined(separator: "; ") + (items.count > 8 ? "; … (\(items.count) in all)" : "")
    }

    /// Two rows of one person at one organization that differ only in a value the format combines.
    func combination(_ t: Table, _ a: Int, _ b: Int, _ differing: [String]) -> (column: String, value: String)? {
        for (meaning, parts, value) in format.conversion.combinations {
            guard let column = format.column(meaning: meaning), differing == [column], let cells = t.column(column) else { continue }
            if Set([cells[a], cells[b]]) == Set(parts) { return (column, value) }
        }
        return nil
    }
}
