import RosterDiagnostics
import RosterData
import RosterLanguage

/// Predicts what a portal will do with an upload, given the users it already has, from the format's
/// upload behaviour (`key`, `stable id`, `compare`, `missing users are …`, `blank cells erase` …): for
/// every row the action and its reason, for every portal user the file leaves out what happens to it,
/// the dangers (data the upload would erase, demote or strand), and the totals in the portal's terms.
///
/// A plan judges the file as it is: it never changes a cell of the upload. Each user appears once:
/// a portal user whose row is rejected keeps its plan row (Reject), and is not also "left out".
public struct Planner {
    public let format: FormatDefinition
    /// Other portal data the format's rules use (`orgs`, `users`, `synced`), as `with` gives it.
    public var state: [String: Table]
    /// Which portal users this upload is about (Pass: a file of adults beside a file of students);
    /// the others are neither archived nor judged.
    public var covering: Expr?
    /// `covering` as the script writes it, for the report.
    public var coveringText = ""

    public init(_ format: FormatDefinition, state: [String: Table] = [:], covering: Expr? = nil) {
        self.format = format
        self.state = state
        self.covering = covering
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
        /// The separate upload this row belongs in (MCAS "Add New Users"), when the portal has several.
        public var upload: String?
    }

    /// A danger: what it is, and the users it concerns.
    public struct Danger: Sendable {
        public var title: String
        public var lines: [String]
        /// How many users the lines concern (a user may have several lines).
        public var users: Int
    }

    public struct Result: Sendable {
        public var entries: [Entry]
        /// The tables and key that name users, so a label is made only when one is shown.
        let labels: Labels
        public var dangers: [Danger]
        public var uploadRows: Int
        public var currentRows: Int
        /// Portal users outside what the upload covers (`covering`), not judged.
        public var uncovered = 0
        public var coverage: String?

        public func count(_ c: PlanCount, in upload: String? = nil) -> Int {
            if c == .processed { return count(.total, in: upload) - count(.rejected, in: upload) }
            var n = 0
            for e in entries where upload == nil || e.upload == upload {
                switch c {
                case .total: if e.row != nil { n += 1 }
                case .disabled: if e.disables && e.action != .reject { n += 1 }
                default: if PlanCount(e.action) == c { n += 1 }
                }
            }
            return n
        }

        public func count(_ a: PlanAction) -> Int {
            var n = 0
            for e in entries where e.action == a { n += 1 }
            return n
        }

        /// The user as the key names it (`ann@x.org`, `ann@x.org at 01611920000000`).
        public func label(_ e: Entry) -> String { labels.label(e) }
    }

    public func plan(_ upload: Table, against current: Table, bindings: any Bindings, at range: SourceRange) throws(Diagnostic) -> (Result, Table) {
        let validator = FormatValidator(format)
        let new = validator.canonicallyNamed(upload)
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

        let coveredOld = try coverage(old, bindings)
        let coveredNew = try coverage(new, bindings)

        // Which portal user each row is, and which rows the portal rejects, with its messages (the
        // portal's users are the state its own checks use: PearsonAccess Create for a known user, TAO
        // a password only for new users). The two only read the tables, so they run side by side.
        var stateTables = state
        if stateTables["users"] == nil { stateTables["users"] = old }
        let validatorOfState = FormatValidator(format, state: stateTables)
        let shared = UncheckedSendable((match, validatorOfState, bindings))
        let newTable = new
        enum Half: Sendable {
            case matches([KeyMatcher.Match])
            case problems(Swift.Result<[[FormatValidator.Problem]], Diagnostic>)
        }
        let halves = Parallel.map([0, 1], work: new.rowCount) { k -> Half in
            let (matcher, checker, b) = shared.value
            if k == 0 { return .matches(matcher.matches(newTable)) }
            do throws(Diagnostic) { return .problems(.success(try checker.problems(newTable, bindings: b))) } catch { return .problems(.failure(error)) }
        }
        guard case .matches(let matches) = halves[0], case .problems(let checked) = halves[1] else { preconditionFailure("two halves") }
        let problems = try checked.get()
        for r in 0..<new.rowCount {
            let m = matches[r]
            if let note = m.spellingNote {
                dangers.add("usernames that differ from the portal's in case or spaces", "row \(r + 2) \(match.label(new, r)): \(note)")
            }
            if let other = m.heldBy {
                dangers.add(
                    "\(key[0]) that another portal user holds",
                    "row \(r + 2) \(match.label(new, r)): \(format.upload.stableID ?? "") finds \(match.label(old, m.currentRow!)), but \(match.label(old, other)) holds this \(key[0])"
                )
            }
            if !coveredNew[r] {
                dangers.add("rows outside what this upload covers (\(coverageText ?? ""))", "row \(r + 2) \(match.label(new, r))")
            }
        }
        let ev = Evaluator(table: new, bindings: bindings)
        let disables = try rowsWhere(format.upload.disableWhen, ev, given)
        let removes = try rowsWhere(format.upload.removeWhen?.condition, ev, given)
        for d in format.upload.dangers {
            let hits = try rowsWhere(d.failsWhen, ev, given)
            for r in hits.indices where hits[r] { dangers.add(d.message, "row \(r + 2) \(match.label(new, r))") }
        }
        uniqueDangers(new, match, &dangers)
        stateDangers(new, match, &dangers)

        let compared = comparedColumns(new, old, given: given, key: key)
        for r in 0..<new.rowCount {
            let m = matches[r]
            var e = Entry(row: r, currentRow: m.currentRow, action: .create, reason: "")
            if let c = m.currentRow { matchedCurrent.insert(c) }
            if !problems[r].isEmpty {
                e.action = .reject
                e.reason = problems[r].map(\.message).joined(separator: "; ")
                if m.currentRow != nil { e.reason += " (the portal keeps its user as it is)" }
                e.upload = uploadName(for: e)
                entries.append(e)
                continue
            }
            let changes = m.currentRow.map { changed(r, $0, compared, dangers: &dangers, label: match.label(new, r)) } ?? []
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
            e.upload = uploadName(for: e)
            entries.append(e)
        }

        // Portal users the file leaves out (and this upload covers).
        let missing = format.upload.missing
        var missingEntries: [Entry] = []
        var uncovered = 0
        for c in 0..<old.rowCount where !matchedCurrent.contains(c) {
            guard coveredOld[c] else {
                uncovered += 1
                continue
            }
            let e = Entry(
                row: nil, currentRow: c, action: missing.action == .archived ? .archive : .untouched,
                reason: missing.reason)
            missingEntries.append(e)
            if let d = missing.danger { dangers.add(d, match.label(old, c)) }
        }
        if let id = format.upload.stableID { strandedHistories(entries, missingEntries, new, old, id: id, match: match, dangers: &dangers) }
        entries += missingEntries

        var result = Result(
            entries: entries, labels: Labels(key: key, new: new, old: old), dangers: dangers.list, uploadRows: upload.rowCount,
            currentRows: current.rowCount)
        result.uncovered = uncovered
        result.coverage = coverageText
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

    var coverageText: String? { covering.map { _ in "covering " + coveringText } }

    /// Which rows the upload covers: all, or those where `covering` holds.
    func coverage(_ t: Table, _ bindings: any Bindings) throws(Diagnostic) -> [Bool] {
        guard let covering else { return [Bool](repeating: true, count: t.rowCount) }
        return try Evaluator(table: t, bindings: bindings).condition(covering)
    }

    func rowsWhere(_ e: Expr?, _ ev: Evaluator, _ given: Set<String>) throws(Diagnostic) -> [Bool] {
        // A condition on a column the upload leaves out does not apply (TAO: no group_user_active = TRUE).
        guard let e, e.columnsRead.isSubset(of: given) else { return [Bool](repeating: false, count: ev.rows) }
        return try ev.condition(e)
    }

    /// The separate upload a row goes in: by its action, and for a rejected row by whether the portal
    /// has the user (it would have been in the update file).
    func uploadName(for e: Entry) -> String? {
        let uploads = format.upload.separateUploads
        guard !uploads.isEmpty else { return nil }
        let action: PlanAction = e.action == .reject ? (e.currentRow == nil ? .create : .update) : e.action
        return uploads.first { $0.actions.contains(action) }?.name
    }

    /// `danger unique COL`: a value more than one row holds (Pass: two rows with one idnumber).
    func uniqueDangers(_ new: Table, _ match: KeyMatcher, _ dangers: inout DangerList) {
        for (column, message) in format.upload.uniqueDangers {
            guard let cells = new.column(column) else { continue }
            var rows: [String: [Int]] = [:]
            for r in 0..<new.rowCount where !cells[r].isBlankCell { rows[cells[r], default: []].append(r) }
            for r in 0..<new.rowCount where !cells[r].isBlankCell && rows[cells[r]]!.count > 1 {
                dangers.add(message, "row \(r + 2) \(match.label(new, r)): \(column) \(cells[r])")
            }
        }
    }

    /// `danger COL in synced.COL`: rows whose value the portal's other data holds (Pass: users a sync
    /// brings in). Said only when that data is given (`with synced = …`).
    func stateDangers(_ new: Table, _ match: KeyMatcher, _ dangers: inout DangerList) {
        for rule in format.upload.stateDangers {
            guard let other = state[rule.state], let cells = new.column(rule.column) else { continue }
            let theirs = rule.stateColumn.isEmpty ? other.columns.first?.cells : other.column(rule.stateColumn)
            let values = Set((theirs?.strings ?? []).map { rule.ignoringCase ? $0.lowercased() : $0 })
            for r in 0..<new.rowCount where !cells[r].isBlankCell {
                let v = String(rule.part(cells[r][...]))
                if values.contains(rule.ignoringCase ? v.lowercased() : v) { dangers.add(rule.message, "row \(r + 2) \(match.label(new, r))") }
            }
        }
    }

    /// A column the plan compares between an upload row and the portal's row.
    struct ComparedColumn {
        var name: String
        var new: TextColumn
        var old: TextColumn
        var comparison: UploadBehaviour.Comparison
        /// A blank here erases the stored value, and that is a danger (TAO, PearsonAccess).
        var blankErases: Bool
        /// The separator of a column holding several values: values the row leaves out are removed.
        var separator: String?
    }

    /// The format's columns the upload gives, other than the key and the action column. Passwords are
    /// left out: portals never export them, so a password is not a change the plan can see. A column
    /// whose blank removes a membership is said as that, not as an erased value.
    func comparedColumns(_ new: Table, _ old: Table, given: Set<String>, key: [String]) -> [ComparedColumn] {
        let removalColumns = format.upload.removeWhen?.condition.columnsRead ?? []
        let skip = Set(key + [format.upload.actionColumn?.column].compactMap { $0 })
        return (format.columns + format.optionalColumns).compactMap { column in
            guard given.contains(column), !skip.contains(column), !format.isSecret(column),
                let nc = new.column(column), let oc = old.column(column)
            else { return nil }
            let erases = format.upload.blankErases && !removalColumns.contains(column)
            return ComparedColumn(
                name: column, new: nc, old: oc, comparison: format.upload.comparison(column), blankErases: erases,
                separator: erases ? format.conversion.separators[column] : nil)
        }
    }

    /// The fields upload row `r` changes in portal row `c`, as `Role (TA → STC)`, compared the way
    /// the portal compares them; what a change erases, demotes or damages goes to the dangers.
    func changed(_ r: Int, _ c: Int, _ columns: [ComparedColumn], dangers: inout DangerList, label: @autoclosure () -> String) -> [String] {
        var out: [String] = []
        for column in columns {
            // Most cells are written the same in both: compared as bytes, no strings made.
            let same = column.new.withCell(r) { x in column.old.withCell(c) { y in ColumnIndex.same(x, y) } }
            if same { continue }
            let was = column.old[c], now = column.new[r]
            let cmp = column.comparison
            if cmp.normalised(was) == cmp.normalised(now) { continue }
            var change = "\(column.name) (\(cmp.shown(was)) → \(cmp.shown(now)))"
            if Self.excelReplacedCharacters(was, now) {
                dangers.add(
                    "characters Excel could not encode, saved as '?' (damage, not a change: take the value from the portal or the original file)",
                    "row \(r + 2) \(label()): \(column.name) '\(now)' would replace the portal's '\(was)'")
                change += " — Excel damage"
            } else if column.blankErases && now.isBlankCell {
                if let d = cmp.blankAs {
                    dangers.add(
                        "blank \(column.name): the portal takes it as \(d), replacing what it holds",
                        "row \(r + 2) \(label()): the portal's '\(was)' becomes \(d)")
                } else if !was.isBlankCell {
                    dangers.add(
                        "blank cells that will erase what the portal holds",
                        "row \(r + 2) \(label()): \(column.name) is blank; the portal's '\(was)' will be erased")
                }
            } else if let sep = column.separator {
                let kept = Set(now.split(separator: sep).map { cmp.normalised(String($0)) })
                let lost = was.split(separator: sep).map(String.init).filter { !kept.contains(cmp.normalised($0)) }
                if !lost.isEmpty {
                    dangers.add(
                        "values a row leaves out are removed from the account (the row replaces the account's data)",
                        "row \(r + 2) \(label()): \(column.name) loses \(lost.joined(separator: sep))")
                }
            }
            out.append(change)
        }
        return out
    }

    /// Whether `now` is `was` saved by Excel in an encoding that lacks some of its characters: each
    /// such character became `?` and everything else is the same (`Nguy?n` for `Nguyễn`).
    static func excelReplacedCharacters(_ was: String, _ now: String) -> Bool {
        guard now.contains("?") else { return false }
        let a = Array(was), b = Array(now)
        guard a.count == b.count else { return false }
        var replaced = false
        for (x, y) in zip(a, b) where x != y {
            guard y == "?", !x.isASCII else { return false }
            replaced = true
        }
        return replaced
    }

    /// Pass: a new e-mail without `idnumber` for someone the file otherwise leaves out creates a second
    /// user and archives the first, whose history stays with it.
    func strandedHistories(_ entries: [Entry], _ missing: [Entry], _ new: Table, _ old: Table, id: String, match: KeyMatcher, dangers: inout DangerList) {
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
                "row \(r + 2) \(match.label(new, r)) looks like \(match.label(old, gone.currentRow!)) (same name); give \(id) to keep one user and its history")
        }
    }

    /// The upload's rows as they are, then the portal users the file leaves out (their values under
    /// the upload's column names), with two columns added: `Plan` (what the portal will do) and
    /// `Reason`. No cell of the format's own columns is changed.
    func planTable(_ upload: Table, _ old: Table, _ result: Result) -> Table {
        var out = upload
        let missing = result.entries.filter { $0.row == nil }.map { $0.currentRow! }
        if !missing.isEmpty {
            for j in out.columns.indices {
                let name = out.columns[j].name
                let canonical = (format.columns + format.optionalColumns).first { format.matches(name, $0) }
                let extra = canonical.flatMap { old.column($0) }?.gather(missing) ?? TextColumn(repeating: "", count: missing.count)
                out.columns[j].cells = out.columns[j].cells.appending(extra)
            }
            out.rowCount += missing.count
            out.lines = nil
        }
        var plan = TextColumnBuilder(expectedCells: result.entries.count, expectedBytes: result.entries.count * 7)
        var reason = TextColumnBuilder(expectedCells: result.entries.count, expectedBytes: result.entries.count * 16)
        for e in result.entries {
            plan.append(e.action.rawValue)
            reason.append(e.reason)
        }
        out.setColumn("Plan", plan.finish())
        out.setColumn("Reason", reason.finish())
        return out
    }
}

/// Names users for messages from the upload and the portal's tables.
struct Labels: Sendable {
    let key: [String]
    let new: Table
    let old: Table

    func label(_ e: Entry) -> String {
        let (t, r) = e.row.map { (new, $0) } ?? (old, e.currentRow ?? 0)
        return KeyMatcher.label(t, r, key: key)
    }

    typealias Entry = Planner.Entry
}

/// Dangers grouped by what they are, in first-seen order.
struct DangerList {
    private var dangers: [Planner.Danger] = []
    private var users: [Set<String>] = []

    var list: [Planner.Danger] {
        zip(dangers, users).map { d, u in
            var d = d
            d.users = u.count
            return d
        }
    }

    /// A line under a danger's title; lines that begin alike up to the first ':' are one user's.
    mutating func add(_ title: String, _ line: String) {
        let who = String(line.prefix { $0 != ":" })
        if let i = dangers.firstIndex(where: { $0.title == title }) {
            dangers[i].lines.append(line)
            users[i].insert(who)
        } else {
            dangers.append(.init(title: title, lines: [line], users: 1))
            users.append([who])
        }
    }
}
