import RosterDiagnostics
import RosterData
import RosterLanguage

/// Applies a format's rules to a table: for every row, the portal's messages, in the order of the
/// format's rules. Column rules run over whole columns; `check` rules are expressions evaluated by
/// the same vectorised evaluator as `where`.
public struct FormatValidator {
    public let format: FormatDefinition
    /// The portal's data, by the names its state rules use (`users`, `orgs`).
    public var state: [String: Table] = [:]

    /// The columns `validate` adds beside the format's own: the portal's messages, the guide's words
    /// on resolving them, and which of the portal's separate uploads a row goes through.
    public static let notesColumn = "Notes"
    public static let resolutionColumn = "How to Resolve the Error"
    public static let uploadColumn = "Upload"
    public static let addedColumns: Set<String> = [notesColumn, resolutionColumn, uploadColumn]

    public init(_ format: FormatDefinition, state: [String: Table] = [:]) {
        self.format = format
        self.state = state
    }

    /// One problem found: which rule of the format found it (its identity, which the planner and
    /// repairs key on), the rule's message, and for a wrong enumerated value the value itself.
    public struct Problem: Sendable, Equatable {
        public var rule: FormatDefinition.RuleRef
        public var message: String
        public var value: String?
        public var allowed: [String]?
    }

    /// The problems of every row. Each of the format's checks only reads the table, so on a large
    /// table they are work items for every core, each taken by whichever thread is free.
    public func problems(_ table: Table, bindings: any Bindings) throws(Diagnostic) -> [[Problem]] {
        let known = knownUsersIfNeeded(table)
        let shared = UncheckedSendable((self, table, bindings, known))
        let refs = pieces
        let done = Parallel.map(refs, work: table.rowCount) { ref -> Swift.Result<[(Int, Problem)], Diagnostic> in
            let (validator, table, bindings, known) = shared.value
            do throws(Diagnostic) {
                return .success(try validator.problems(of: ref, table, bindings: bindings, known: known))
            } catch {
                return .failure(error)
            }
        }
        var found: [[(Int, Problem)]] = []
        for piece in done { found.append(try piece.get()) }
        return combine(found, table)
    }

    /// The format's checks that find problems, in its order: each can run on its own (the plan runs
    /// them beside its matching, on whichever thread is free), and `combine` puts what they find
    /// together as `problems` gives it.
    public var pieces: [FormatDefinition.RuleRef] {
        format.order.filter { if case .portalNote = $0 { return false } else { return true } }
    }

    /// Which rows are users the portal has, when some rule depends on it and the portal's users are
    /// given; nil otherwise (a rule for new users only is then not checked).
    public func knownUsersIfNeeded(_ table: Table) -> [Bool]? {
        guard state["users"] != nil, format.rules.contains(where: { $0.newUsersOnly || $0.existingUsersMessage != nil }) else { return nil }
        return knownUsers(table)
    }

    /// Whether the portal's setting `name` is on: given, and not `false` (`with hierarchies = true`).
    func isOn(_ name: String) -> Bool {
        guard let t = state[name] else { return false }
        guard t.columns.count == 1, t.rowCount == 1, let v = t.columns.first?.cells[0] else { return t.rowCount > 0 }
        return !["false", "no", "off", "0"].contains(v.lowercased())
    }

    /// Whether a rule can be checked with the data given: a rule for new users needs the portal's
    /// users, a rule on the portal's data needs that data, a rule of a setting needs it on.
    func applies(_ ref: FormatDefinition.RuleRef) -> Bool {
        switch ref {
        case .rule(let k):
            let rule = format.rules[k]
            if rule.newUsersOnly && state["users"] == nil { return false }
            if let s = rule.whenState, !isOn(s) { return false }
            return true
        case .state(let k): return state[format.stateRules[k].state] != nil
        case .check, .uniqueKey, .agreement, .portalNote: return true
        }
    }

    /// The format's rules that the data given cannot decide, each as its column and message, with
    /// what it needs (`users`, `orgs`, a setting): said beside a check, so that no one takes a rule as
    /// passed that was never checked. A setting that is off is the portal's choice, not a gap.
    public var notChecked: [(message: String, needs: String)] {
        var out: [(String, String)] = []
        for ref in pieces where !applies(ref) {
            switch ref {
            case .rule(let k):
                let rule = format.rules[k]
                if rule.whenState != nil && !(rule.newUsersOnly && state["users"] == nil) { continue }
                out.append(("\(rule.column) — \(rule.message)", "users"))
            case .state(let k):
                let rule = format.stateRules[k]
                out.append(("\(rule.column) — \(rule.message)", rule.state))
            default: break
            }
        }
        return out
    }

    /// The problems one check of the format finds, as (row, problem) in row order.
    public func problems(
        of ref: FormatDefinition.RuleRef, _ table: Table, bindings: any Bindings, known: [Bool]?
    ) throws(Diagnostic) -> [(Int, Problem)] {
        var out: [(Int, Problem)] = []
        guard applies(ref) else { return [] }
        switch ref {
        case .rule(let k):
            let rule = format.rules[k]
            let column = cells(table, rule.column)
            for (row, problem) in try check(rule, column, as: ref) where !(rule.newUsersOnly && known?[row] == true) {
                var problem = problem
                if let m = rule.existingUsersMessage, known?[row] == true { problem.message = m }
                out.append((row, problem))
            }
        case .agreement(let k):
            let a = format.agreements[k]
            for row in disagreeing(table, a) { out.append((row, Problem(rule: ref, message: a.message))) }
        case .uniqueKey(let k):
            let key = format.uniqueKeys[k]
            let parts = key.columns.map { want in
                table.columns.first { format.matches($0.name, want) }?.cells ?? TextColumn(repeating: "", count: table.rowCount)
            }
            var first: [[String]: Int] = [:]
            for r in 0..<table.rowCount {
                let values = parts.map { key.ignoringCase ? $0[r].lowercased() : $0[r] }
                if values.allSatisfy(\.isEmpty) { continue }
                guard let f = first[values] else {
                    first[values] = r
                    continue
                }
                out.append((r, combinedProblem(table, f, r, ref) ?? Problem(rule: ref, message: key.message)))
            }
        case .state(let k):
            let rule = format.stateRules[k]
            guard let portal = state[rule.state] else { break }  // only what the data given can decide
            let column =
                table.columns.first { format.matches($0.name, rule.column) }?.cells
                ?? TextColumn(repeating: "", count: table.rowCount)
            let known = rule.stateColumn.isEmpty ? portal.columns.first?.cells : portal.column(rule.stateColumn)
            let values = Set((known?.strings ?? []).map { rule.ignoringCase ? $0.lowercased() : $0 })
            let parents = rule.children.map { c in values.filter { $0.hasSuffix(rule.ignoringCase ? c.lowercased() : c) } } ?? []
            var applies = [Bool](repeating: true, count: table.rowCount)
            if let w = rule.when { applies = try Evaluator(table: canonicallyNamed(table), bindings: bindings).condition(w) }
            for r in 0..<table.rowCount where applies[r] {
                let cell = column[r]
                if cell.isEmpty { continue }
                let parts = rule.separator.map { sep in cell.split(separator: sep).map { String(rule.part($0)) } } ?? [String(rule.part(cell[...]))]
                // exists: rejected when the portal has it; known: rejected when it does not.
                let hit = parts.contains { rule.contains(rule.ignoringCase ? $0.lowercased() : $0, in: values, parents: parents) == rule.mustBeNew }
                if hit { out.append((r, Problem(rule: ref, message: rule.message))) }
            }
        case .portalNote:
            break  // taken from the table's Notes column by `combine`
        case .check(let k):
            let c = format.checks[k]
            let fails = try Evaluator(table: canonicallyNamed(table), bindings: bindings).condition(c.failsWhen)
            for r in 0..<table.rowCount where fails[r] { out.append((r, Problem(rule: ref, message: c.message))) }
        }
        return out
    }

    /// A second row of one user at one organization whose value and the first row's make one of the
    /// format's combinations (TOMS: Test Administrator and Test Examiner): the portal's one value
    /// for both is suggested instead of a plain repeat.
    func combinedProblem(_ table: Table, _ first: Int, _ row: Int, _ ref: FormatDefinition.RuleRef) -> Problem? {
        for (meaning, parts, value) in format.conversion.combinations {
            guard let column = format.column(meaning: meaning) else { continue }
            let cells = cells(table, column)
            let pair = Set([cells[first], cells[row]])
            guard pair.count == parts.count, pair == Set(parts) else { continue }
            return Problem(
                rule: ref,
                message: "\(parts.joined(separator: " and ")) for one user at one organization: one row with \(column) '\(value)' instead of two",
                value: cells[row], allowed: [value])
        }
        return nil
    }

    /// Each row's problems from what the pieces found (in the format's order), with the portal's own
    /// notes; the same message twice in a row (a pattern and the portal's list both reject an Org)
    /// counts once.
    public func combine(_ found: [[(Int, Problem)]], _ table: Table) -> [[Problem]] {
        var out = [[Problem]](repeating: [], count: table.rowCount)
        for piece in found { for (row, problem) in piece { out[row].append(problem) } }
        keepPortalNotes(table, &out)
        return out.map { list in
            if list.count < 2 { return list }
            var seen = Set<String>()
            return list.filter { seen.insert($0.message).inserted }
        }
    }

    /// The portal's error file (the format's columns and `Notes`): each note roster cannot check
    /// itself stays on its row as the portal's word, so the row is not taken for clean. Notes that
    /// are roster's own messages are replaced by what roster finds now (after `fix`, perhaps nothing).
    func keepPortalNotes(_ table: Table, _ out: inout [[Problem]]) {
        guard !format.columns.contains("Notes"), let notes = table.column("Notes") else { return }
        let own = format.selfCheckedMessages
        for r in 0..<table.rowCount where !notes[r].isBlankCell {
            for part in notes[r].split(separator: ";") {
                let note = String(part).trimmingCharacters(in: " \t")
                if note.isEmpty || own.contains(FormatDefinition.noteKey(note)) { continue }
                out[r].append(Problem(rule: .portalNote, message: note))
            }
        }
    }

    /// The table's column for one of the format's columns, or blanks.
    func cells(_ table: Table, _ column: String) -> TextColumn {
        table.columns.first { format.matches($0.name, column) }?.cells ?? TextColumn(repeating: "", count: table.rowCount)
    }

    /// Which rows are users the portal has (`with users = …`), by the format's key; none without it.
    public func knownUsers(_ table: Table) -> [Bool] {
        guard let users = state["users"], let keyColumn = format.upload.key.first ?? format.column(meaning: .username) ?? format.column(meaning: .email),
            let theirs = users.columns.first(where: { format.matches($0.name, keyColumn) })?.cells
        else { return [Bool](repeating: false, count: table.rowCount) }
        // Byte-level look-ups (a million users as Swift strings in a set took a fifth of a plan).
        let fold = format.upload.keyIgnoresCase
        let index = ColumnIndex(fold ? KeyMatcher.folded(theirs) : theirs)
        let mine = cells(table, keyColumn)
        return index.lookup(fold ? KeyMatcher.folded(mine) : mine).map { $0 >= 0 }
    }

    /// Every row of a user whose rows differ in one of the agreement's columns.
    func disagreeing(_ table: Table, _ a: Agreement) -> [Int] {
        let user = cells(table, a.per)
        let columns = a.columns.map { cells(table, $0) }
        var first: [String: Int] = [:]
        var bad = Set<String>()
        for r in 0..<table.rowCount where !user[r].isBlankCell {
            guard let f = first[user[r]] else {
                first[user[r]] = r
                continue
            }
            if columns.contains(where: { $0[r] != $0[f] }) { bad.insert(user[r]) }
        }
        return bad.isEmpty ? [] : (0..<table.rowCount).filter { bad.contains(user[$0]) }
    }

    /// Rows the portal accepts with a warning: each warning's message and its rows.
    public func warnings(_ table: Table, bindings: any Bindings) throws(Diagnostic) -> [(message: String, rows: [Int])] {
        var out: [(String, [Int])] = []
        if !format.warnings.isEmpty {
            let ev = Evaluator(table: canonicallyNamed(table), bindings: bindings)
            for w in format.warnings {
                let hits = try ev.condition(w.failsWhen)
                let rows = (0..<table.rowCount).filter { hits[$0] }
                if !rows.isEmpty { out.append((w.message, rows)) }
            }
        }
        var repeats: [String: [Int]] = [:]
        var order: [String] = []
        for (row, message) in repeatedRows(table) {
            if repeats[message] == nil { order.append(message) }
            repeats[message, default: []].append(row)
        }
        for m in order { out.append((m, repeats[m]!)) }
        return out
    }

    /// The rows that repeat an earlier row's values of a `unique … warn` combination, with the warning
    /// (or, where the two rows make one of the format's combinations, the portal's one value for them).
    public func repeatedRows(_ table: Table) -> [(row: Int, message: String)] {
        var out: [(Int, String)] = []
        for (columns, ignoringCase, message) in format.uniqueWarnings {
            let parts = columns.map { cells(table, $0) }
            var first: [[String]: Int] = [:]
            for r in 0..<table.rowCount {
                let values = parts.map { ignoringCase ? $0[r].lowercased() : $0[r] }
                if values.allSatisfy(\.isEmpty) { continue }
                guard let f = first[values] else {
                    first[values] = r
                    continue
                }
                out.append((r, combinedProblem(table, f, r, .portalNote)?.message ?? message))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The table with the format's spelling of its column names (and blank columns for missing
    /// ones), so `check` expressions can name them as the format does.
    package func canonicallyNamed(_ table: Table) -> Table {
        var named = table
        for (j, c) in named.columns.enumerated() {
            if let canonical = format.allColumns.first(where: { format.matches(c.name, $0) }) {
                named.columns[j].name = canonical
            }
        }
        for want in format.allColumns where named.index(of: want) == nil {
            named.columns.append(Column(name: want, cells: TextColumn(repeating: "", count: table.rowCount)))
        }
        return named
    }

    /// The rows that break `rule`, each once. Works on the column's bytes, one constraint at a time
    /// over the whole column: a cell becomes a `String` only when it fails (to be quoted in the
    /// message), so a million valid rows cost no strings.
    func check(_ rule: ColumnRule, _ column: TextColumn, as ref: FormatDefinition.RuleRef) throws(Diagnostic) -> [(Int, Problem)] {
        let n = column.count
        var regex: Regex?
        for c in rule.constraints {
            if case .pattern(let p) = c {
                do { regex = try Regex("^(?:" + p + ")$") } catch { throw .runtime("format \(format.name): bad pattern: \(error.message)", at: rule.range) }
            }
        }
        let separator = rule.separator.flatMap { $0.utf8.count == 1 ? $0.utf8.first : nil }
        let oddSeparator = rule.separator != nil && separator == nil
        var blank = [Bool](repeating: false, count: n)
        column.forEachCell { r, cell in blank[r] = Self.isBlank(cell) }
        var failed = [Bool](repeating: false, count: n)
        /// The value a `one of` rejected, per row (the last such part of the cell).
        var badValues: [Int: String] = [:]
        var parts: (cells: TextColumn, owner: [Int32])?
        for c in rule.constraints {
            switch c {
            case .required:
                for r in 0..<n where blank[r] { failed[r] = true }
            case .unique(let ignoring):
                let index = ColumnIndex(ignoring ? KeyMatcher.folded(column) : column)
                for r in 0..<n where !blank[r] && index.firstRow[Int(index.groupOfRow[r])] != r { failed[r] = true }
            case .pattern where separator == nil && !oddSeparator:
                // A whole-cell pattern runs over the column in one call.
                let mask = regex?.matchEach(column) ?? [Bool](repeating: true, count: n)
                for r in 0..<n where !blank[r] && !mask[r] { failed[r] = true }
            case .pattern where separator != nil:
                // Each part of the non-blank cells, as one column of parts, in one call.
                if parts == nil { parts = Self.parts(column, blank: blank, separator: separator!) }
                let mask = regex?.matchEach(parts!.cells) ?? [Bool](repeating: true, count: parts!.owner.count)
                for k in mask.indices where !mask[k] { failed[Int(parts!.owner[k])] = true }
            case .length, .pattern, .oneOf:
                if oddSeparator {
                    // A separator of several bytes: the string way.
                    column.forEachCell { r, cell in
                        if blank[r] { return }
                        let text = String(decoding: cell, as: UTF8.self)
                        for part in text.split(separator: rule.separator!, omittingEmptySubsequences: false).map(String.init)
                        where !Self.holds(c, part, regex) {
                            failed[r] = true
                            if case .oneOf = c { badValues[r] = part }
                        }
                    }
                    continue
                }
                let test = try partTest(c, regex)
                let isOneOf: Bool
                if case .oneOf = c { isOneOf = true } else { isOneOf = false }
                column.forEachCell { r, cell in
                    if blank[r] { return }
                    Self.forEachPart(cell, separator) { part in
                        if !test(part) {
                            failed[r] = true
                            if isOneOf { badValues[r] = String(decoding: part, as: UTF8.self) }
                        }
                    }
                }
            }
        }
        var failures: [(Int, Problem)] = []
        for r in 0..<n where failed[r] {
            let bad = badValues.isEmpty ? nil : badValues[r]
            failures.append((r, Problem(rule: ref, message: rule.message, value: bad, allowed: bad == nil ? nil : rule.allowedValues)))
        }
        return failures
    }

    /// The parts of the column's non-blank cells split on a one-byte separator, each with its row.
    static func parts(_ column: TextColumn, blank: [Bool], separator: UInt8) -> (cells: TextColumn, owner: [Int32]) {
        var cells = TextColumnBuilder(expectedCells: column.count, expectedBytes: column.bytes.count)
        var owner: [Int32] = []
        owner.reserveCapacity(column.count)
        column.forEachCell { r, cell in
            if blank[r] { return }
            forEachPart(cell, separator) { part in
                cells.append(part)
                owner.append(Int32(r))
            }
        }
        return (cells.finish(), owner)
    }

    /// One constraint on one value (or part), from its bytes, made once per rule.
    func partTest(_ c: ColumnRule.Constraint, _ regex: Regex?) throws(Diagnostic) -> (UnsafeBufferPointer<UInt8>) -> Bool {
        switch c {
        case .required, .unique:
            return { _ in true }
        case .length(let a, let b):
            return { value in
                // A character is one to four bytes: the byte count often settles it.
                let n = value.count
                if n <= b && (n + 3) / 4 >= a { return true }
                if n < a { return false }
                var k = 0
                for byte in value where byte & 0xC0 != 0x80 { k += 1 }
                return k >= a && k <= b
            }
        case .pattern:
            guard let regex else { return { _ in true } }
            return { regex.matches($0) }
        case .oneOf(let values, let ignoring):
            let index = CellIndex.of(values.map { ignoring ? $0.lowercased() : $0 })
            if !ignoring { return { index.find($0) != nil } }
            var folded: [UInt8] = []
            return { value in
                Self.fold(value, into: &folded)
                return folded.withUnsafeBufferPointer { index.find($0) != nil }
            }
        }
    }

    /// Blank as portals see it: empty, or only spaces, tabs and no-break spaces.
    static func isBlank(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 {
                i += 1
            } else if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 {
                i += 2
            } else {
                return false
            }
        }
        return true
    }

    /// The parts of a cell split on a one-byte separator (the whole cell without one).
    static func forEachPart(_ cell: UnsafeBufferPointer<UInt8>, _ separator: UInt8?, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let sep = separator else { return body(cell) }
        var start = 0
        for i in 0..<cell.count where cell[i] == sep {
            body(UnsafeBufferPointer(rebasing: cell[start..<i]))
            start = i + 1
        }
        body(UnsafeBufferPointer(rebasing: cell[start..<cell.count]))
    }

    /// The cell in lower case, as `String.lowercased()` gives it (ASCII directly, the rest through String).
    static func fold(_ cell: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if cell.allSatisfy({ $0 < 0x80 }) {
            for c in cell { out.append(c >= 0x41 && c <= 0x5A ? c + 32 : c) }
        } else {
            out.append(contentsOf: String(decoding: cell, as: UTF8.self).lowercased().utf8)
        }
    }

    static func holds(_ c: ColumnRule.Constraint, _ value: String, _ regex: Regex?) -> Bool {
        switch c {
        case .required, .unique: return true
        case .length(let a, let b):
            let n = value.unicodeScalars.count
            return n >= a && n <= b
        case .pattern: return regex?.matches(value) ?? true
        case .oneOf(let allowed, let ignoring):
            return ignoring ? allowed.contains { $0.lowercased() == value.lowercased() } : allowed.contains(value)
        }
    }

    /// The `Notes` column: each row's messages joined with "; " (blank for a valid row).
    public func notes(_ table: Table, bindings: any Bindings) throws(Diagnostic) -> TextColumn {
        Self.notes(try problems(table, bindings: bindings))
    }

    /// The `Notes` column of rows' problems, written as bytes (a valid row, most of them, costs
    /// only its end offset).
    public static func notes(_ problems: [[Problem]]) -> TextColumn {
        var column = TextColumnBuilder(expectedCells: problems.count)
        for list in problems {
            for (k, problem) in list.enumerated() {
                if k > 0 { column.bytes.append(contentsOf: "; ".utf8) }
                column.bytes.append(contentsOf: problem.message.utf8)
            }
            column.endCell()
        }
        return column.finish()
    }
}
