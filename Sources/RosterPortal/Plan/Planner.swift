import RosterDiagnostics
import RosterData
import RosterLanguage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Predicts what a portal will do with an upload, given the users it already has, from the format's
/// upload behaviour (`key`, `stable id`, `compare`, `missing users are …`, `blank cells erase` …): for
/// every row the action and its reason, for every portal user the file leaves out what happens to it,
/// the dangers (data the upload would erase, demote or strand), and the totals in the portal's terms.
///
/// A plan judges the file as it is: it never changes a cell of the upload. Each user appears once:
/// a portal user whose row is rejected keeps its plan row (Reject), and is not also "left out".
public struct Planner {
    /// The columns the plan verb adds: what the portal will do, why, and the dangers of the row.
    public static let planColumn = "Plan"
    public static let reasonColumn = "Reason"
    public static let dangerColumn = "Danger"
    /// How many of the export's Excel repairs a plan lists (the rest are counted).
    static let excelDamageShown = 50

    public let format: FormatDefinition
    /// Other portal data the format's rules use (`orgs`, `users`, `synced`), as `with` gives it.
    public var state: [String: Table]
    /// Which portal users this upload is about (Pass: a file of adults beside a file of students);
    /// the others are neither archived nor judged.
    public var covering: Expr?
    /// `covering` as the script writes it, for the report.
    public var coveringText = ""
    /// Uploads of this many rows or more are planned in two halves on two threads.
    public var rowsInParallelFrom = Parallel.rows

    public init(_ format: FormatDefinition, state: [String: Table] = [:], covering: Expr? = nil) {
        self.format = format
        self.state = state
        self.covering = covering
    }

    public func plan(_ upload: Table, against current: Table, bindings: any Bindings, at range: SourceRange) throws(Diagnostic) -> (Result, Table) {
        let validator = FormatValidator(format)
        let new = validator.canonicallyNamed(upload)
        // A portal export a person opened and saved in Excel is planned against as what the portal
        // holds (its codes' leading zeros, its dates), and the plan says what Excel changed.
        let (old, excelDamage) = Fixer(format).excelRepairs(validator.canonicallyNamed(current))
        let given = Set(upload.columns.compactMap { c in format.allColumns.first { format.matches(c.name, $0) } })
        let key = try keyColumns(at: range)
        for k in key where !given.contains(k) {
            throw Diagnostic.runtime(
                "plan as \(format.name): the upload has no \(Evaluator.spell(k)) column, which the portal matches users by", at: range,
                hints: ["columns: " + upload.names.map(Evaluator.spell).joined(separator: ", ")])
        }
        // Messages name users by their key; the matcher itself (the portal's keys and their index)
        // lives only while rows are matched.
        let match = KeyLabel(key: key)
        var dangers = DangerList()
        for c in excelDamage.prefix(Self.excelDamageShown) {
            dangers.add(
                "the portal's export was opened and saved by Excel: planned as the portal holds it",
                "\(match.label(old, c.row)): \(c.column) '\(c.before)' read as '\(c.after)' (\(c.why))")
        }

        let coveredOld = try coverage(old, bindings)
        let coveredNew = try coverage(new, bindings)

        // Which portal user each row is, and which rows the portal rejects, with its messages (the
        // portal's users are the state its own checks use: PearsonAccess Create for a known user, TAO
        // a password only for new users). The matching and each of the format's checks only read the
        // tables, so they are work items for both threads: the matching first, then the checks, each
        // taken by whichever thread is free.
        var stateTables = state
        if stateTables["users"] == nil { stateTables["users"] = old }
        let validatorOfState = FormatValidator(format, state: stateTables)
        let pieces = validatorOfState.pieces
        let known = validatorOfState.knownUsersIfNeeded(new)
        // Beside the matching: the rows the format's conditions pick (disable, remove, each danger).
        // (A danger about the portal's users the file leaves out reads their row, not an upload row.)
        let rowDangers = format.upload.dangers.filter { $0.scope != .missingUsers }
        let conditions = [format.upload.disableWhen, format.upload.removeWhen?.condition] + rowDangers.map(\.failsWhen)
        let shared = UncheckedSendable((self, key, old, validatorOfState, bindings, given, known))
        let newTable = new
        enum Work: Sendable {
            case matches(KeyMatcher.Matches, Swift.Result<[[Bool]], Diagnostic>)
            case problems(Swift.Result<[(Int, FormatValidator.Problem)], Diagnostic>)
        }
        let done = Parallel.map(Array(0...pieces.count), work: Parallel.always) { k -> Work in
            let (planner, key, old, checker, b, given, known) = shared.value
            if k == 0 {
                let matches = KeyMatcher(format: planner.format, key: key, current: old).matches(newTable)
                let ev = Evaluator(table: newTable, bindings: b)
                do throws(Diagnostic) {
                    return .matches(matches, .success(try conditions.map { (e) throws(Diagnostic) in try planner.rowsWhere(e, ev, given) }))
                } catch {
                    return .matches(matches, .failure(error))
                }
            }
            do throws(Diagnostic) {
                return .problems(.success(try checker.problems(of: pieces[k - 1], newTable, bindings: b, known: known)))
            } catch {
                return .problems(.failure(error))
            }
        }
        guard case .matches(let matches, let picked) = done[0] else { preconditionFailure("the matching comes first") }
        var found: [[(Int, FormatValidator.Problem)]] = []
        for work in done.dropFirst() {
            guard case .problems(let piece) = work else { preconditionFailure("checks follow the matching") }
            found.append(try piece.get())
        }
        let problems = validatorOfState.combine(found, new)
        let rows = try picked.get()
        for r in 0..<new.rowCount {
            if let note = matches.spellingNotes[r] {
                dangers.add("usernames that differ from the portal's in case or spaces", "row \(r + 2) \(match.label(new, r)): \(note)", row: r, holds: false)
            }
            if let other = matches.heldBy[r] {
                dangers.add(
                    "\(key[0]) that another portal user holds",
                    "row \(r + 2) \(match.label(new, r)): \(format.upload.stableID ?? "") finds \(match.label(old, matches.current(r)!)), but \(match.label(old, other)) holds this \(key[0])",
                    row: r)
            }
            if !coveredNew[r] {
                dangers.add("rows outside what this upload covers (\(coverageText ?? ""))", "row \(r + 2) \(match.label(new, r))", row: r)
            }
        }
        for (d, hits) in zip(rowDangers, rows.dropFirst(2)) {
            for r in hits.indices where hits[r] && (d.scope == .allRows || matches.current(r) != nil) {
                dangers.add(d.message, "row \(r + 2) \(match.label(new, r))", row: r, holds: d.holds)
            }
        }
        uniqueDangers(new, match, &dangers)
        for (r, message) in validatorOfState.repeatedRows(new) { dangers.add(message, "row \(r + 2) \(match.label(new, r))", row: r) }
        stateDangers(new, match, &dangers)
        // The portal's users already disabled (a disabling row for one of them says what it resets).
        let disabledBefore =
            format.upload.disabledAgain == nil
            ? [] : try rowsWhere(format.upload.disableWhen, Evaluator(table: old, bindings: bindings), Set(old.columns.map(\.name)))
        let rowsOf = RowFacts(
            problems: problems, matches: matches, removes: rows[1], disables: rows[0], compared: comparedColumns(new, old, given: given, key: key),
            disabledReason: format.column(meaning: .disabledReason).flatMap { new.column($0) }, key: key, new: new, match: match,
            uploadedRowOf: Self.uploadedRows(matches, problems, oldRows: old.rowCount), disabledBefore: disabledBefore)
        let differs = Self.differing(rowsOf.compared, matches.currentRow)
        // The rows in two halves on two threads, each with its own part of the result and of the
        // dangers, put together in row order (as one pass would have made them).
        let n = new.rowCount
        let halves = n >= rowsInParallelFrom ? [0..<(n / 2), (n / 2)..<n] : [0..<n]
        let facts = UncheckedSendable((self, rowsOf, differs, old.rowCount))
        let parts = Parallel.map(halves, work: halves.count == 2 ? Parallel.always : 0) { range -> UncheckedSendable<(ResultBuilder, DangerList, [Bool])> in
            let (planner, rowsOf, differs, oldRows) = facts.value
            var part = ResultBuilder(format: planner.format, expected: range.count)
            var partDangers = DangerList()
            var matched = [Bool](repeating: false, count: oldRows)
            planner.planRows(range, rowsOf, differs, into: &part, matched: &matched, dangers: &partDangers)
            return UncheckedSendable((part, partDangers, matched))
        }
        var (plan, firstDangers, matchedCurrent) = parts[0].value
        dangers.append(firstDangers)
        for part in parts.dropFirst() {
            let (rowsPlanned, partDangers, matched) = part.value
            plan.append(rowsPlanned)
            dangers.append(partDangers)
            for c in matched.indices where matched[c] { matchedCurrent[c] = true }
        }
        // Portal users the file leaves out (and this upload covers).
        let missing = format.upload.missing
        let missingAction: PlanAction = missing.action == .archived ? .archive : .untouched
        var missingRows: [Int] = []
        var uncovered = 0
        for c in 0..<old.rowCount where !matchedCurrent[c] {
            guard coveredOld[c] else {
                uncovered += 1
                continue
            }
            missingRows.append(c)
            plan.add(row: nil, current: c, missingAction, missing.reason)
            if let d = missing.danger { dangers.add(d, match.label(old, c)) }
        }
        let leftOutDangers = format.upload.dangers.filter { $0.scope == .missingUsers }
        if !leftOutDangers.isEmpty && !missingRows.isEmpty {
            let ev = Evaluator(table: old, bindings: bindings)
            let columns = Set(old.columns.map(\.name))
            for d in leftOutDangers {
                let hits = try rowsWhere(d.failsWhen, ev, columns)
                for c in missingRows where hits[c] { dangers.add(d.message, match.label(old, c)) }
            }
        }
        if let id = format.upload.stableID {
            strandedHistories(plan.actions, plan.uploadRowOf, missingRows, new, old, id: id, match: match, dangers: &dangers)
        }
        var result = plan.finish(
            format: format, labels: Labels(key: key, new: new, old: old), dangers: dangers.list, uploadRows: upload.rowCount,
            currentRows: current.rowCount)
        result.uncovered = uncovered
        result.coverage = coverageText
        result.notChecked = validatorOfState.notChecked
        result.rowDangers = dangers.rowTitles
        return (result, planTable(upload, old, missingRows, result))
    }

    /// What planning a row reads: the checks' problems, the matches, the rows the format's
    /// conditions pick, and the columns compared with the portal's.
    struct RowFacts {
        let problems: [[FormatValidator.Problem]]
        let matches: KeyMatcher.Matches
        let removes: [Bool]
        let disables: [Bool]
        let compared: [ComparedColumn]
        let disabledReason: TextColumn?
        let key: [String]
        let new: Table
        let match: KeyLabel
        /// For each portal user, the first upload row the portal takes for it (-1: none), so that a
        /// rejected row of the same user says the user is changed by that row, not kept as it is.
        let uploadedRowOf: [Int32]
        /// The portal's users the format's `disable when` already holds for (empty unless the
        /// format says what disabling them again does).
        let disabledBefore: [Bool]
    }

    /// For each portal user, the first upload row without problems that matches it (-1: none).
    static func uploadedRows(_ matches: KeyMatcher.Matches, _ problems: [[FormatValidator.Problem]], oldRows: Int) -> [Int32] {
        var out = [Int32](repeating: -1, count: oldRows)
        for r in problems.indices where problems[r].isEmpty {
            if let c = matches.current(r), out[c] < 0 { out[c] = Int32(r) }
        }
        return out
    }

    /// Plans the upload's rows `range`: each row's action and reason into `plan`, the portal users
    /// they match marked in `matched`, and what they endanger into `dangers`.
    func planRows(
        _ range: Range<Int>, _ f: RowFacts, _ differs: [Bool], into plan: inout ResultBuilder, matched: inout [Bool], dangers: inout DangerList
    ) {
        let activates = format.upload.existingActivated
        let (matches, new, key) = (f.matches, f.new, f.key)
        for r in range {
            let current = matches.current(r)
            if let c = current { matched[c] = true }
            if !f.problems[r].isEmpty {
                var reason = f.problems[r].map(\.message).joined(separator: "; ")
                if let c = current {
                    // What the written file does to this user: another row of it may change the
                    // user; a full sync archives a user the file leaves out; else nothing happens.
                    let other = Int(f.uploadedRowOf[c])
                    if other >= 0 {
                        reason += " (the portal's user is uploaded by row \(other + 2))"
                    } else if format.upload.missing.action == .archived {
                        reason += " (this row is not uploaded; \(format.upload.missing.reason))"
                        dangers.add(
                            "portal users whose only row is rejected or skipped: left out of the file, so archived (fix the row to keep the user)",
                            "row \(r + 2) \(f.match.label(new, r))", row: r)
                    } else {
                        reason += " (the portal keeps its user as it is)"
                    }
                }
                plan.add(row: r, current: current, .reject, reason)
                continue
            }
            let changes = current.map { differs[r] ? changed(r, $0, f.compared, dangers: &dangers, label: f.match.label(new, r)) : [] } ?? []
            var action: PlanAction
            var reason: String
            if f.removes[r] {
                action = current == nil ? .unchanged : .remove
                reason = current == nil ? "not a member, so there is nothing to remove" : format.upload.removeWhen!.message
            } else if current != nil {
                let viaStableID = matches.viaStableID.isEmpty ? nil : matches.viaStableID[r]
                if activates {
                    action = .activate
                    reason = "activates the portal's user" + (changes.isEmpty ? "" : "; changes " + changes.joined(separator: ", "))
                } else if changes.isEmpty && viaStableID == nil {
                    action = .unchanged
                    reason = "same as the portal's"
                } else {
                    action = .update
                    reason = ([viaStableID].compactMap { $0 } + (changes.isEmpty ? [] : ["changes " + changes.joined(separator: ", ")])).joined(
                        separator: "; ")
                }
                if let via = viaStableID, let advice = format.upload.stableIDAdvice {
                    dangers.add(advice, "row \(r + 2) \(f.match.label(new, r)): \(via)", row: r)
                }
            } else {
                action = .create
                reason =
                    matches.userExists.contains(r)
                    ? "adds the existing user to \(key.dropFirst().map { "\($0) \(new.column($0)![r])" }.joined(separator: ", "))" : "new user"
            }
            if f.disables[r] {
                let why = f.disabledReason?[r] ?? ""
                reason = "disables the account" + (why.isEmpty ? "" : " (\(why))") + (action == .unchanged ? "" : "; " + reason)
                if let c = current, let again = format.upload.disabledAgain, f.disabledBefore.indices.contains(c), f.disabledBefore[c] {
                    reason += "; already disabled: " + again
                    dangers.add("accounts already disabled, sent disabled again: " + again, "row \(r + 2) \(f.match.label(new, r))", row: r)
                }
            }
            plan.add(row: r, current: current, action, reason, disables: f.disables[r])
        }
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

    /// `danger unique COL`: a value more than one row holds (Pass: two rows with one idnumber).
    func uniqueDangers(_ new: Table, _ match: KeyLabel, _ dangers: inout DangerList) {
        for (column, message) in format.upload.uniqueDangers {
            guard let cells = new.column(column) else { continue }
            var rows: [String: [Int]] = [:]
            for r in 0..<new.rowCount where !cells[r].isBlankCell { rows[cells[r], default: []].append(r) }
            for r in 0..<new.rowCount where !cells[r].isBlankCell && rows[cells[r]]!.count > 1 {
                dangers.add(message, "row \(r + 2) \(match.label(new, r)): \(column) \(cells[r])", row: r)
            }
        }
    }

    /// `danger COL in synced.COL`: rows whose value the portal's other data holds (Pass: users a sync
    /// brings in). Said only when that data is given (`with synced = …`).
    func stateDangers(_ new: Table, _ match: KeyLabel, _ dangers: inout DangerList) {
        for rule in format.upload.stateDangers {
            guard let other = state[rule.state], let cells = new.column(rule.column) else { continue }
            let theirs = rule.stateColumn.isEmpty ? other.columns.first?.cells : other.column(rule.stateColumn)
            let values = Set((theirs?.strings ?? []).map { rule.ignoringCase ? $0.lowercased() : $0 })
            for r in 0..<new.rowCount where !cells[r].isBlankCell {
                let v = String(rule.part(cells[r][...]))
                if values.contains(rule.ignoringCase ? v.lowercased() : v) { dangers.add(rule.message, "row \(r + 2) \(match.label(new, r))", row: r) }
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
        return format.allColumns.compactMap { column in
            guard given.contains(column), !skip.contains(column), !format.isSecret(column),
                let nc = new.column(column), let oc = old.column(column)
            else { return nil }
            let erases = format.upload.blankErases && !removalColumns.contains(column)
            return ComparedColumn(
                name: column, new: nc, old: oc, comparison: format.upload.comparison(column), blankErases: erases,
                separator: erases ? format.conversion.separators[column] : nil)
        }
    }

    /// Per upload row: whether a compared cell is written differently from its portal row's, byte for
    /// byte, one column at a time. Most rows of a yearly upload are the portal's own: they need no
    /// closer look.
    static func differing(_ columns: [ComparedColumn], _ currentRow: [Int32]) -> [Bool] {
        var out = [Bool](repeating: false, count: currentRow.count)
        for column in columns {
            column.new.bytes.withUnsafeBufferPointer { nb in
                column.new.ends.withUnsafeBufferPointer { ne in
                    column.old.bytes.withUnsafeBufferPointer { ob in
                        column.old.ends.withUnsafeBufferPointer { oe in
                            for r in 0..<currentRow.count where !out[r] && currentRow[r] >= 0 {
                                let c = Int(currentRow[r])
                                let ns = r == 0 ? 0 : Int(ne[r - 1]), nl = Int(ne[r]) - ns
                                let os = c == 0 ? 0 : Int(oe[c - 1]), ol = Int(oe[c]) - os
                                if nl != ol || (nl > 0 && memcmp(nb.baseAddress! + ns, ob.baseAddress! + os, nl) != 0) { out[r] = true }
                            }
                        }
                    }
                }
            }
        }
        return out
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
            // The portal's export saved by Excel shows '?' for letters it could not encode: the portal
            // itself holds the letters, so the file's value is no change.
            if Self.excelReplacedCharacters(now, was) { continue }
            var change = "\(column.name) (\(cmp.shown(was)) → \(cmp.shown(now)))"
            if Self.excelReplacedCharacters(was, now) {
                dangers.add(
                    "characters Excel could not encode, saved as '?' (damage, not a change: take the value from the portal or the original file)",
                    "row \(r + 2) \(label()): \(column.name) '\(now)' would replace the portal's '\(was)'", row: r)
                change += " — Excel damage"
            } else if column.blankErases && now.isBlankCell {
                if let d = cmp.blankAs {
                    dangers.add(
                        "blank \(column.name): the portal takes it as \(d), replacing what it holds",
                        "row \(r + 2) \(label()): the portal's '\(was)' becomes \(d)", row: r)
                } else if !was.isBlankCell {
                    dangers.add(
                        "blank cells that will erase what the portal holds",
                        "row \(r + 2) \(label()): \(column.name) is blank; the portal's '\(was)' will be erased", row: r)
                }
            } else if let sep = column.separator {
                let kept = Set(now.split(separator: sep).map { cmp.normalised(String($0)) })
                let lost = was.split(separator: sep).map(String.init).filter { !kept.contains(cmp.normalised($0)) }
                if !lost.isEmpty {
                    dangers.add(
                        "values a row leaves out are removed from the account (the row replaces the account's data)",
                        "row \(r + 2) \(label()): \(column.name) loses \(lost.joined(separator: sep))", row: r, holds: false)
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
    func strandedHistories(
        _ actions: [PlanAction], _ uploadRowOf: [Int32], _ missing: [Int], _ new: Table, _ old: Table, id: String, match: KeyLabel,
        dangers: inout DangerList
    ) {
        guard let first = format.column(meaning: .firstName), let last = format.column(meaning: .lastName),
            let nf = new.column(first), let nl = new.column(last), let of = old.column(first), let ol = old.column(last)
        else { return }
        let ids = new.column(id)
        var byName: [String: Int] = [:]
        for c in missing { byName[(of[c] + " " + ol[c]).lowercased()] = c }
        for i in actions.indices where actions[i] == .create && uploadRowOf[i] >= 0 {
            let r = Int(uploadRowOf[i])
            guard ids?[r].isEmpty ?? true, let gone = byName[(nf[r] + " " + nl[r]).lowercased()] else { continue }
            dangers.add(
                "e-mail changes without \(id): a new user is created and the old one archived with its history",
                "row \(r + 2) \(match.label(new, r)) looks like \(match.label(old, gone)) (same name); give \(id) to keep one user and its history", row: r)
        }
    }

    /// The upload's rows as they are, then the portal users the file leaves out (their values under
    /// the upload's column names), with two columns added: `Plan` (what the portal will do) and
    /// `Reason`. No cell of the format's own columns is changed.
    func planTable(_ upload: Table, _ old: Table, _ missing: [Int], _ result: Result) -> Table {
        var out = upload
        if !missing.isEmpty {
            for j in out.columns.indices {
                let name = out.columns[j].name
                let canonical = format.allColumns.first { format.matches(name, $0) }
                let extra = canonical.flatMap { old.column($0) }?.gather(missing) ?? TextColumn(repeating: "", count: missing.count)
                out.columns[j].cells = out.columns[j].cells.appending(extra)
            }
            out.rowCount += missing.count
            out.lines = nil
        }
        var plan = TextColumnBuilder(expectedCells: result.entryCount, expectedBytes: result.entryCount * 7)
        for a in result.actions { plan.append(a.rawValue) }
        out.setColumn("Plan", plan.finish())
        out.setColumn("Reason", result.reasons)
        // The dangers each upload row is in: a save as the format withholds these rows unless told.
        var danger = TextColumnBuilder(expectedCells: result.entryCount, expectedBytes: 0)
        for r in result.uploadRowOf {
            let titles = r < 0 ? [] : (result.rowDangers[Int(r)] ?? [])
            var seen = Set<String>()
            danger.append(titles.filter { seen.insert($0).inserted }.joined(separator: "; "))
        }
        out.setColumn(Self.dangerColumn, danger.finish())
        return out
    }
}

/// Names a user of a table by the key (`ann@x.org`, `ann@x.org at 01611920000000`).
struct KeyLabel {
    let key: [String]

    func label(_ t: Table, _ r: Int) -> String { KeyMatcher.label(t, r, key: key) }
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
    /// The danger added to last: dangers come in runs (every leaver, every changed row).
    private var last: Int?
    /// The titles of the dangers each upload row is in.
    private(set) var rowTitles: [Int: [String]] = [:]

    var list: [Planner.Danger] {
        zip(dangers, users).map { d, u in
            var d = d
            d.users = u.count
            return d
        }
    }

    /// Another list's dangers after these: its lines follow this list's under the same title, and a
    /// title this list lacks comes after this list's, as adding its lines one by one would place them.
    mutating func append(_ other: DangerList) {
        rowTitles.merge(other.rowTitles) { $0 + $1 }
        for (d, who) in zip(other.dangers, other.users) {
            if let i = dangers.firstIndex(where: { $0.title == d.title }) {
                dangers[i].lines += d.lines
                users[i].formUnion(who)
            } else {
                dangers.append(d)
                users.append(who)
            }
        }
        last = nil
    }

    /// A line under a danger's title; lines that begin alike up to the first ':' are one user's.
    /// `row` is the upload row the line is about, if any; unless the danger is only a notice (`holds`
    /// false: a change the row means to make), it goes in the plan table's `Danger` column, and a save
    /// as the format withholds the row.
    mutating func add(_ title: String, _ line: String, row: Int? = nil, holds: Bool = true) {
        if let row, holds { rowTitles[row, default: []].append(title) }
        let who = line.utf8.firstIndex(of: UInt8(ascii: ":")).map { String(line[..<$0]) } ?? line
        if let i = last, dangers[i].title == title {
            dangers[i].lines.append(line)
            users[i].insert(who)
        } else if let i = dangers.firstIndex(where: { $0.title == title }) {
            last = i
            dangers[i].lines.append(line)
            users[i].insert(who)
        } else {
            last = dangers.count
            dangers.append(.init(title: title, lines: [line], users: 1))
            users.append([who])
        }
    }
}
