import RosterDiagnostics
import RosterData
import RosterLanguage

/// Predicts what a portal will do with an upload, given the users it already has, from the format's
/// upload behaviour (`key`, `stable id`, `missing users are …`, `blank cells erase` …): for every row
/// the action and its reason, for every portal user the file leaves out what happens to it, the
/// dangers (data the upload would erase or strand), and the totals in the portal's own terms.
public struct Planner {
    public let format: FormatDefinition
    /// Other portal data the format's rules use (`orgs`), as `with` gives it.
    public var state: [String: Table]

    public init(_ format: FormatDefinition, state: [String: Table] = [:]) {
        self.format = format
        self.state = state
    }

    /// One user (or membership) in the plan.
    public struct Entry: Sendable {
        /// The row in the upload, or nil for a portal user the file does not hold.
        public var row: Int?
        /// The row in the portal's current users, when it matched one.
        public var currentRow: Int?
        public var action: PlanAction
        public var reason: String
        /// The row disables the account (PearsonAccess `Disabled = Yes`).
        public var disables = false
        /// The user as the key names it (`ann@x.org`, `ann@x.org at 01611920000000`).
        public var label: String
    }

    /// A danger: what it is, and the users it concerns.
    public struct Danger: Sendable {
        public var title: String
        public var lines: [String]
    }

    public struct Result: Sendable {
        public var entries: [Entry]
        public var dangers: [Danger]
        public var uploadRows: Int
        public var currentRows: Int

        public func count(_ c: PlanCount) -> Int {
            switch c {
            case .total: return uploadRows
            case .processed: return uploadRows - count(.rejected)
            case .disabled: return entries.filter { $0.disables && $0.action != .reject }.count
            default: return entries.filter { PlanCount($0.action) == c }.count
            }
        }

        public func count(_ a: PlanAction) -> Int { entries.filter { $0.action == a }.count }
    }

    public func plan(_ upload: Table, against current: Table, bindings: any Bindings, at range: SourceRange) throws(Diagnostic) -> (Result, Table) {
        let validator = FormatValidator(format)
        var new = validator.canonicallyNamed(upload)
        let old = validator.canonicallyNamed(current)
        let given = Set(upload.columns.compactMap { c in (format.columns + format.optionalColumns).first { format.matches(c.name, $0) } })
        let key = try keyColumns(at: range)
        for k in key where !given.contains(k) {
            throw Diagnostic.runtime(
                "plan as \(format.name): the upload has no \(Evaluator.spell(k)) column, which the portal matches users by", at: range,
                hints: ["columns: " + upload.names.map(Evaluator.spell).joined(separator: ", ")])
        }
        let match = KeyMatcher(format: format, key: key, current: old)
        var entries: [Entry] = []
        var dangers = DangerList()
        var matchedCurrent = Set<Int>()

        // Which portal user each row is, and the action column filled in where blank.
        var matches: [KeyMatcher.Match] = []
        for r in 0..<new.rowCount {
            let m = match.find(new, row: r)
            matches.append(m)
            if let note = m.spellingNote {
                dangers.add("usernames that differ from the portal's in case or spaces", "row \(r + 2) \(match.label(new, r)): \(note)")
            }
        }
        if let ac = format.upload.actionColumn, let j = new.index(of: ac.column) {
            let cells = new.columns[j].cells
            new.columns[j].cells = TextColumn(
                (0..<new.rowCount).map { r in
                    cells[r].trimmingCharacters(in: " \t").isEmpty ? (matches[r].currentRow == nil ? ac.create[0] : ac.update[0]) : cells[r]
                })
        }
        // Rows the portal rejects, with its messages; where the file says the action itself, the portal
        // checks it against its users.
        var stateTables = state
        if format.upload.actionColumn != nil {
            for s in format.stateRules where stateTables[s.state] == nil && key.contains(s.column) { stateTables[s.state] = old }
        }
        var problems = try FormatValidator(format, state: stateTables).problems(new, bindings: bindings)
        // A password is needed only to create a user: portals never export one, and a blank one for an
        // existing user is left out of the update file (a column left out keeps the stored value).
        let secret = format.rules.indices.filter { Secrets.isSecret(format.rules[$0].column) }
        for r in 0..<new.rowCount where matches[r].currentRow != nil || matches[r].userExists {
            for k in secret where (new.column(format.rules[k].column)?[r] ?? "").isEmpty {
                problems[r].removeAll { $0.rule == .rule(k) }
            }
        }
        let ev = Evaluator(table: new, bindings: bindings)
        let disables = try rowsWhere(format.upload.disableWhen, ev, given)
        let removes = try rowsWhere(format.upload.removeWhen?.condition, ev, given)
        var rowDangers: [(RowCheck, [Bool])] = []
        for d in format.upload.dangers { rowDangers.append((d, try rowsWhere(d.failsWhen, ev, given))) }

        let compared = comparedColumns(new, old, given: given, key: key)
        for r in 0..<new.rowCount {
            let m = matches[r]
            let label = match.label(new, r)
            var e = Entry(row: r, currentRow: m.currentRow, action: .create, reason: "", label: label)
            if !problems[r].isEmpty {
                e.action = .reject
                e.reason = problems[r].map(\.message).joined(separator: "; ")
                entries.append(e)
                continue
            }
            if let c = m.currentRow { matchedCurrent.insert(c) }
            let changes = m.currentRow.map { changed(r, $0, compared, dangers: &dangers, label: label) } ?? []
            if removes[r] {
                e.action = m.currentRow == nil ? .unchanged : .remove
                e.reason = m.currentRow == nil ? "not a member, so there is nothing to remove" : format.upload.removeWhen!.message
            } else if m.currentRow != nil {
                if format.upload.existingActivated {
                    e.action = .activate
                    e.reason = "activates the portal's user" + (changes.isEmpty ? "" : "; changes " + changes.joined(separator: ", "))
                } else if changes.isEmpty && m.viaStableID == nil {
                    e.action = .unchanged
                    e.reason = "same as the portal's"
                } else {
                    e.action = .update
                    e.reason = ([m.viaStableID].compactMap { $0 } + (changes.isEmpty ? [] : ["changes " + changes.joined(separator: ", ")])).joined(
                        separator: "; ")
                }
            } else {
                e.action = .create
                e.reason =
                    m.userExists ? "adds the existing user to \(key.dropFirst().map { "\($0) \(new.column($0)![r])" }.joined(separator: ", "))" : "new user"
            }
            if disables[r] {
                e.disables = true
                let why = format.column(meaning: .disabledReason).flatMap { new.column($0)?[r] } ?? ""
                e.reason = "disables the account" + (why.isEmpty ? "" : " (\(why))") + (e.action == .unchanged ? "" : "; " + e.reason)
            }
            for (d, rows) in rowDangers where rows[r] { dangers.add(d.message, "row \(r + 2) \(label)") }
            entries.append(e)
        }

        // Portal users the file leaves out.
        let missing = format.upload.missing
        var missingEntries: [Entry] = []
        for c in 0..<old.rowCount where !matchedCurrent.contains(c) {
            let e = Entry(
                row: nil, currentRow: c, action: missing.action == .archived ? .archive : .untouched,
                reason: missing.reason, label: match.label(old, c))
            missingEntries.append(e)
            if let d = missing.danger { dangers.add(d, e.label) }
        }
        if let id = format.upload.stableID { strandedHistories(entries, missingEntries, new, old, id: id, dangers: &dangers) }
        entries += missingEntries

        let result = Result(entries: entries, dangers: dangers.list, uploadRows: upload.rowCount, currentRows: current.rowCount)
        return (result, planTable(upload, old, result))
    }

    /// The key columns: the format's, else its username or e-mail column.
    func keyColumns(at range: SourceRange) throws(Diagnostic) -> [String] {
        if !format.upload.key.isEmpty { return format.upload.key }
        if let c = format.column(meaning: .username) ?? format.column(meaning: .email) { return [c] }
        throw Diagnostic.runtime(
            "format \(format.name) does not say how the portal matches users", at: range,
            hints: ["add a line to the format: key COLUMN [ignoring case]"])
    }

    func rowsWhere(_ e: Expr?, _ ev: Evaluator, _ given: Set<String>) throws(Diagnostic) -> [Bool] {
        // A condition on a column the upload leaves out does not apply (TAO: no group_user_active = TRUE).
        guard let e, e.columnsRead.isSubset(of: given) else { return [Bool](repeating: false, count: ev.rows) }
        return try ev.condition(e)
    }

    /// A column the plan compares between an upload row and the portal's row.
    struct ComparedColumn {
        var name: String
        var new: TextColumn
        var old: TextColumn
        /// A blank here erases the stored value, and that is a danger (TAO).
        var blankErases: Bool
    }

    /// The format's columns the upload gives, other than the key and the action column. Passwords are
    /// left out: portals never export them, so a password is not a change the plan can see. A column
    /// whose blank removes a membership is said as that, not as an erased value.
    func comparedColumns(_ new: Table, _ old: Table, given: Set<String>, key: [String]) -> [ComparedColumn] {
        let removalColumns = format.upload.removeWhen?.condition.columnsRead ?? []
        let skip = Set(key + [format.upload.actionColumn?.column].compactMap { $0 })
        return (format.columns + format.optionalColumns).compactMap { column in
            guard given.contains(column), !skip.contains(column), !Secrets.isSecret(column),
                let nc = new.column(column), let oc = old.column(column)
            else { return nil }
            return ComparedColumn(name: column, new: nc, old: oc, blankErases: format.upload.blankErases && !removalColumns.contains(column))
        }
    }

    /// The fields upload row `r` changes in portal row `c`, as `Role (TA → STC)`.
    func changed(_ r: Int, _ c: Int, _ columns: [ComparedColumn], dangers: inout DangerList, label: String) -> [String] {
        var out: [String] = []
        for column in columns {
            let was = column.old[c], now = column.new[r]
            if was == now { continue }
            if column.blankErases && now.trimmingCharacters(in: " \t").isEmpty {
                dangers.add(
                    "blank cells that will erase what the portal holds", "row \(r + 2) \(label): \(column.name) is blank; the portal's '\(was)' will be erased")
            }
            out.append("\(column.name) (\(was.isEmpty ? "blank" : was) → \(now.isEmpty ? "blank" : now))")
        }
        return out
    }

    /// Pass: a new e-mail without `idnumber` for someone the file otherwise leaves out creates a second
    /// user and archives the first, whose history stays with it.
    func strandedHistories(_ entries: [Entry], _ missing: [Entry], _ new: Table, _ old: Table, id: String, dangers: inout DangerList) {
        guard let first = format.column(meaning: .firstName), let last = format.column(meaning: .lastName),
            let nf = new.column(first), let nl = new.column(last), let of = old.column(first), let ol = old.column(last)
        else { return }
        let ids = new.column(id)
        var byName: [String: Entry] = [:]
        for m in missing { byName[(of[m.currentRow!] + " " + ol[m.currentRow!]).lowercased()] = m }
        for e in entries where e.action == .create {
            let r = e.row!
            guard ids?[r].isEmpty ?? true, let gone = byName[(nf[r] + " " + nl[r]).lowercased()] else { continue }
            dangers.add(
                "e-mail changes without \(id): a new user is created and the old one archived with its history",
                "row \(r + 2) \(e.label) looks like \(gone.label) (same name); give \(id) to keep one user and its history")
        }
    }

    /// The upload's rows with `Action` and `Reason`, then the portal users the file leaves out. A format
    /// with its own action column (PearsonAccess) gets the portal's spelling there, so the file stays uploadable.
    func planTable(_ upload: Table, _ old: Table, _ result: Result) -> Table {
        var out = upload
        let ac = format.upload.actionColumn
        let ownAction = ac.flatMap { a in upload.columns.firstIndex { format.matches($0.name, a.column) } }
        var actions = result.entries.map { e -> String in
            guard let ac, e.row != nil else { return e.action.rawValue }
            switch e.action {
            case .create: return ac.create[0]
            case .update, .unchanged, .activate, .remove: return ac.update[0]
            default: return e.action.rawValue
            }
        }
        let reasons = result.entries.map(\.reason)
        // Portal users left out: their values under the upload's column names.
        let missing = result.entries.filter { $0.row == nil }.map { $0.currentRow! }
        if !missing.isEmpty {
            for j in out.columns.indices {
                let name = out.columns[j].name
                let canonical = (format.columns + format.optionalColumns).first { format.matches(name, $0) }
                let from = canonical.flatMap { old.column($0) }
                let extra = missing.map { from?[$0] ?? "" }
                out.columns[j].cells = TextColumn(out.columns[j].cells.strings + extra)
            }
            out.rowCount += missing.count
            out.lines = nil
        }
        if let j = ownAction {
            out.columns[j].cells = TextColumn(actions)
            actions = []
        }
        if !actions.isEmpty { out.setColumn("Action", TextColumn(actions)) }
        out.setColumn("Reason", TextColumn(reasons))
        return out
    }
}

/// Dangers grouped by what they are, in first-seen order.
struct DangerList {
    private(set) var list: [Planner.Danger] = []
    mutating func add(_ title: String, _ line: String) {
        if let i = list.firstIndex(where: { $0.title == title }) { list[i].lines.append(line) } else { list.append(.init(title: title, lines: [line])) }
    }
}
