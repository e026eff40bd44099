import RosterDiagnostics
import RosterData
import RosterLanguage

/// Reshapes a table into a format's columns through the meanings formats declare (`meaning Fname =
/// first_name`): rows of a one-row-per-organization source become one row per user with the values
/// joined where the target wants that, and the reverse; values go through the target's crosswalks
/// (`crosswalk role from oneroster {…}`); where a user may hold one role, the highest is kept.
/// Everything it could not carry over is said in the report, never dropped silently.
public struct Converter {
    public let target: FormatDefinition
    /// The table's own format, when it has one (its meanings, separators and name for crosswalks).
    public let source: FormatDefinition?
    /// Column names any known format gives a meaning to, normalised (`E-mail address` → `emailaddress`),
    /// for tables in no format.
    let synonyms: [String: Meaning]
    /// For those column names, the separator the format that names them uses (`orgSourcedIds`: ",").
    let synonymSeparators: [String: String]
    /// The district's own value lists (`convert to pan with role = {"Test Administrator": "proctor"}`),
    /// used before the built-in crosswalks.
    public var given: [Crosswalk] = []

    /// Headings of ordinary HR and SIS exports, normalised, and what they mean.
    /// Besides the generic ones, the headings of the exports districts have, as their documents and
    /// samples write them: Google Workspace's user download (`First Name [Required]`, `Email Address
    /// [Required]`, `Employee ID`, `Employee Title`), the Microsoft 365 admin center's user export
    /// (`User principal name`, the sign-in name, taken as the e-mail; `Display name`), School Data
    /// Sync v1 `teacher.csv` (`SIS ID`, `School SIS ID`) and Clever's `teachers.csv` and `staff.csv`
    /// (`Teacher_id`, `Teacher_email`, `Staff_email`, `School_id`). Organization units, offices and
    /// departments are not schools, and second ids (`Teacher Number`, `State_teacher_id`) not the
    /// user's id: those columns are named as not carried.
    static let commonHeadings: [String: Meaning] = [
        "first": .firstName, "firstname": .firstName, "givenname": .firstName, "forename": .firstName, "preferredfirstname": .firstName,
        "firstnamerequired": .firstName,
        "last": .lastName, "lastname": .lastName, "surname": .lastName, "familyname": .lastName, "lastnamerequired": .lastName,
        "email": .email, "emailaddress": .email, "workemail": .email, "mail": .email, "emailaddressrequired": .email,
        "userprincipalname": .email, "teacheremail": .email, "staffemail": .email,
        "jobtitle": .role, "title": .role, "position": .role, "employeetitle": .role,
        "school": .organization, "site": .organization, "schoolcode": .organization, "cdscode": .organization,
        "schoolsisid": .organization, "schoolid": .organization,
        "fullname": .name, "displayname": .name, "employeeid": .id, "staffid": .id, "sisid": .id, "teacherid": .id,
    ]

    public init(target: FormatDefinition, source: FormatDefinition?, formats: FormatRegistry) {
        self.target = target
        self.source = source
        var syn: [String: Meaning] = Self.commonHeadings
        let meanings = Set(formats.formats.flatMap { $0.meanings.values })
        // A meaning a format names never takes over a common heading (`employee_id` is not `Employee ID`'s).
        for m in meanings where syn[Self.normalised(m.rawValue)] == nil { syn[Self.normalised(m.rawValue)] = m }
        var seps: [String: String] = [:]
        for f in formats.formats {
            for c in f.allColumns {
                if let m = f.meanings[c], syn[Self.normalised(c)] == nil {
                    syn[Self.normalised(c)] = m
                    if let sep = f.conversion.separators[c] { seps[Self.normalised(c)] = sep }
                }
            }
        }
        synonyms = syn
        synonymSeparators = seps
    }

    /// What a conversion did, for the session to say.
    public struct Report: Sendable {
        public var notes: [String] = []
        public var warnings: [String] = []
    }

    /// A source column standing for one meaning.
    struct SourceColumn {
        var cells: TextColumn
        var separator: String?
    }

    /// The source columns a conversion carries into the target: those whose meaning the target has
    /// (first and last names count where the target holds a whole name). None means every row of the
    /// result would be blank.
    public func carried(_ table: Table) -> [String] {
        let names = Set(
            sourceColumns(table).filter { c in
                target.meanings.values.contains(c.0) || (c.0 == .firstName || c.0 == .lastName) && target.meanings.values.contains(.name)
            }.map { $0.1.name })
        return table.names.filter { names.contains($0) }
    }

    public func convert(_ input: Table) -> (Table, Report) {
        var report = Report()
        let table = leavingOutInactive(input, &report)
        let columns = sourceColumns(table)
        var bySource: [Meaning: SourceColumn] = [:]
        for (m, c) in columns where bySource[m] == nil { bySource[m] = c.column }

        // Groups of source rows that make one output row, each with its value of the row-per meaning.
        let records = Self.records(table, bySource: bySource, rowPer: target.conversion.rowPer)
        let userCount = records.users.userCount
        var shape = "\(plural(table.rowCount, "row")) of \(source?.name ?? "csv") → \(plural(records.count, "row"))"
        if let per = target.conversion.rowPer {
            shape += " (one row per user and \(per))"
        } else {
            shape += " (one row per user"
            let joined = target.columns.filter { target.conversion.separators[$0] != nil }
            shape += joined.isEmpty ? ")" : "; \(joined.joined(separator: ", ")) joined with \(joined.map { "'\(target.conversion.separators[$0]!)'" }.first!))"
        }
        report.notes.append("convert to \(target.name): \(shape), \(plural(userCount, "user"))")

        // The target's columns are made side by side, each noting its own mappings; the notes are
        // then taken in column order, as one pass over the columns would make them.
        let shared = UncheckedSendable((self, records, bySource))
        let made = Parallel.map(target.columns, work: records.count * target.columns.count / 4) { column -> (TextColumn?, ValueMapping) in
            let (converter, records, bySource) = shared.value
            var mapping = ValueMapping()
            guard let meaning = converter.target.meanings[column] else { return (nil, mapping) }
            let cells = converter.cells(for: column, meaning: meaning, records: records, bySource: bySource, mapping: &mapping)
            return (cells, mapping)
        }
        var mapping = ValueMapping()
        var outColumns: [Column] = []
        var missing: [String] = []
        for (column, (cells, columnMapping)) in zip(target.columns, made) {
            mapping.absorb(columnMapping)
            if cells == nil { missing.append(column) }
            outColumns.append(Column(name: column, cells: cells ?? TextColumn(repeating: "", count: records.count)))
        }
        for column in target.columns where target.meanings[column] == .role && crosswalks(for: .role).isEmpty {
            let documented = target.rules.contains { $0.column == column && $0.allowedValues != nil }
            guard !documented, let j = outColumns.firstIndex(where: { $0.name == column }) else { continue }
            var values: [String] = []
            for v in outColumns[j].cells.strings where !v.isEmpty && !values.contains(v) { values.append(v) }
            if !values.isEmpty {
                report.warnings.append(
                    "\(column): \(target.name) documents no list of role codes, so the values are kept as written (\(listSome(values))); give the district's own codes: convert to \(target.name) with role = {\(values.map { "\"\($0)\": \"…\"" }.joined(separator: ", "))}"
                )
            }
        }
        var out = Table(columns: outColumns, rowCount: records.count)
        report.warnings += lostLinks(table, records, bySource)
        disable(&out, records, gone: goneRows(table), &report)
        if let lines = table.lines { out.lines = (0..<records.count).map { lines[records.firstRow($0)] } }
        out.formatName = target.name

        report.notes += mapping.mappedNotes
        report.warnings += mapping.unmappedWarnings(target: target.name)
        report.warnings += mapping.choiceWarnings(secret: { target.isSecret($0) })
        let defaulted = Set(target.conversion.defaults.map(\.column))
        let blank = missing.filter { !defaulted.contains($0) }
        if !blank.isEmpty {
            report.notes.append("left blank (\(source?.name ?? "the table") has no such data): \(blank.joined(separator: ", "))")
        }
        let used = Set(carried(table))
        let left = table.names.filter { !used.contains($0) }
        if !left.isEmpty {
            report.notes.append("not carried over (\(target.name) has no column for them): \(left.joined(separator: ", "))")
        }
        return (out, report)
    }

    // MARK: disabled and departing users

    /// Source rows whose user is not enabled (OneRoster `enabledUser = false`, TAO `user_active =
    /// FALSE`), from the column that means `active`, whether the table is in its format or not.
    func disabledRows(_ table: Table) -> [Bool]? {
        rows(table, meaning: .active) { $0 == "false" }
    }

    /// Source rows whose record the SIS is removing (OneRoster `status = tobedeleted`).
    func goneRows(_ table: Table) -> [Bool]? {
        rows(table, meaning: .recordStatus) { $0 == "tobedeleted" }
    }

    /// Rows where a column with the meaning holds a value `test` takes (trimmed, lowercased); nil
    /// when no column has the meaning.
    func rows(_ table: Table, meaning: Meaning, _ test: (String) -> Bool) -> [Bool]? {
        let columns = sourceColumns(table).filter { $0.0 == meaning }.map(\.1.column.cells)
        guard !columns.isEmpty else { return nil }
        return (0..<table.rowCount).map { r in columns.contains { test($0[r].trimmingCharacters(in: " \t").lowercased()) } }
    }

    /// The source's name in messages: `the oneroster file`, or `the table`.
    var sourceName: String { source.map { "the \($0.name) file" } ?? "the table" }

    /// An upload to a portal that cannot hold a disabled user by file activates every user it holds,
    /// so a disabled source user is left out, and named; a user the SIS is removing (`tobedeleted`)
    /// too, with a warning naming each one. A format that disables by an update row (`disable when
    /// … by …`) keeps them: `disable` writes the disable.
    func leavingOutInactive(_ table: Table, _ report: inout Report) -> Table {
        guard target.upload.disableBy == nil else { return table }
        let disabled = disabledRows(table), gone = goneRows(table)
        guard disabled?.contains(true) == true || gone?.contains(true) == true else { return table }
        let bySource = Dictionary(sourceColumns(table).map { ($0.0, $0.1.column) }, uniquingKeysWith: { a, _ in a })
        let users = UserKeys(table, bySource: bySource)
        var goneNames: [String] = [], disabledNames: [String] = []
        var keep: [Int] = []
        for r in 0..<table.rowCount {
            let name = Self.shown(users.key(r))
            if gone?[r] == true {
                if !goneNames.contains(name) { goneNames.append(name) }
            } else if disabled?[r] == true {
                if !disabledNames.contains(name) { disabledNames.append(name) }
            } else {
                keep.append(r)
            }
        }
        if !disabledNames.isEmpty {
            report.notes.append(
                "left out \(plural(disabledNames.count, "user")) \(sourceName) marks as not enabled (an upload to \(target.name) would make them active): "
                    + listSome(disabledNames))
        }
        if !goneNames.isEmpty {
            report.warnings.append(
                "left out \(plural(goneNames.count, "user")) \(sourceName) marks as tobedeleted (the SIS is removing them; an upload to \(target.name) would make them active): "
                    + goneNames.map { "'\($0)'" }.joined(separator: ", "))
        }
        return table.gather(keep)
    }

    /// Where the target disables by an update row: a user the SIS is removing (every row
    /// `tobedeleted`) is written as a disable with the reason, and a disabled source user's row says
    /// why it is disabled.
    func disable(_ out: inout Table, _ records: Records, gone: [Bool]?, _ report: inout Report) {
        guard let by = target.upload.disableBy, let reasonColumn = by.reasonColumn, let j = out.index(of: reasonColumn),
            let k = out.index(of: by.column)
        else { return }
        var reasons = out.columns[j].cells.strings, flags = out.columns[k].cells.strings
        var goneNames: [String] = []
        for r in 0..<out.rowCount {
            if let gone, records.rows(r).allSatisfy({ gone[Int($0)] }) {
                flags[r] = by.value
                reasons[r] = "tobedeleted in \(sourceName): the SIS is removing this user"
                goneNames.append(Self.shown(records.user(r)))
            } else if reasons[r].isEmpty, flags[r] == by.value {
                reasons[r] = "not enabled in \(sourceName)"
            }
        }
        out.columns[j].cells = TextColumn(reasons)
        out.columns[k].cells = TextColumn(flags)
        if !goneNames.isEmpty {
            report.notes.append(
                "\(plural(goneNames.count, "user")) \(sourceName) marks as tobedeleted written as disables (\(by.column) = \(by.value), \(reasonColumn) says why): "
                    + goneNames.map { "'\($0)'" }.joined(separator: ", "))
        }
    }

    /// A user key as people read it (a row with no key is named by its row).
    static func shown(_ key: String) -> String { key.hasPrefix("\u{1}") ? String(key.dropFirst()) : key }

    /// Users whose rows pair roles with organizations (TOMS: a role at each school) where the target
    /// keeps the user's roles and organizations as two lists: which role went with which organization
    /// is lost for a user with different roles at different organizations. Each such user is named.
    func lostLinks(_ table: Table, _ records: Records, _ bySource: [Meaning: SourceColumn]) -> [String] {
        guard target.conversion.rowPer == nil, source?.conversion.rowPer == .organization,
            let roles = bySource[.role]?.cells, let orgs = bySource[.organization]?.cells
        else { return [] }
        // Users whose rows hold different roles: counted from the bytes, named only for the first few.
        var lost: [String] = []
        var count = 0
        for k in 0..<records.count where records.rowCount(k) > 1 {
            let rows = records.rows(k)
            let first = Int(rows.first!)
            let differ = rows.dropFirst().contains { r in
                // Bytes first; text that differs only in its Unicode form is the same role, as String says.
                roles.withCell(Int(r)) { a in roles.withCell(first) { b in !ColumnIndex.same(a, b) } } && roles[Int(r)] != roles[first]
            }
            guard differ else { continue }
            count += 1
            if lost.count < 5 {
                let pairs = rows.map { "\(roles[Int($0)]) at \(orgs[Int($0)])" }
                lost.append("\(records.user(k)) (\(pairs.joined(separator: ", ")))")
            }
        }
        guard !lost.isEmpty else { return [] }
        return [
            "\(plural(count, "user")) had different roles at different organizations; \(target.name) lists a user's roles and organizations apart, so which role goes with which is not kept: "
                + lost.joined(separator: "; ") + (count > 5 ? "; … (\(count) in all)" : "")
        ]
    }

    // MARK: columns and meanings

    /// Each meaning the table's columns carry, in column order (a meaning may have several columns).
    func sourceColumns(_ table: Table) -> [(Meaning, (name: String, column: SourceColumn))] {
        var out: [(Meaning, (name: String, column: SourceColumn))] = []
        for c in table.columns {
            if let f = source, let own = f.allColumns.first(where: { f.matches(c.name, $0) }) {
                if let m = f.meanings[own] {
                    out.append((m, (c.name, SourceColumn(cells: c.cells, separator: f.conversion.separators[own]))))
                }
            } else if let m = synonyms[Self.normalised(c.name)] {
                out.append((m, (c.name, SourceColumn(cells: c.cells, separator: synonymSeparators[Self.normalised(c.name)]))))
            }
        }
        return out
    }

    /// `E-mail address` → `emailaddress`; `first_name` → `firstname`.
    static func normalised(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
    }

    // MARK: rows

    /// The non-blank values of a cell, split on the separator when it has one.
    static func values(_ cell: String, _ separator: String?) -> [String] {
        let parts = separator.map { cell.split(separator: $0).map(String.init) } ?? [cell]
        return parts.map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
    }

    /// `values` of a cell from its bytes: an ASCII cell is split and trimmed as bytes (the same as
    /// the `String` way, since every ASCII byte is a character of its own); any other cell goes the
    /// `String` way.
    static func values(_ cell: UnsafeBufferPointer<UInt8>, _ separator: String?) -> [String] {
        var out: [String] = []
        forEachValue(cell, separator) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Calls `body` with each value of a cell as `values` gives them, as bytes.
    static func forEachValue(_ cell: UnsafeBufferPointer<UInt8>, _ separator: String?, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        forEachValue(cell, separator, separator.map { Array($0.utf8) } ?? [], body)
    }

    /// `forEachValue` with the separator's bytes made once by the caller (a loop over a column's rows).
    static func forEachValue(
        _ cell: UnsafeBufferPointer<UInt8>, _ separator: String?, _ sep: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        guard cell.allSatisfy({ $0 < 0x80 }) else {
            for var v in values(String(decoding: cell, as: UTF8.self), separator) { v.withUTF8 { body($0) } }
            return
        }
        func emit(_ a: Int, _ b: Int) {
            // An ASCII part: trimming it as bytes is exact.
            if let part = trimmed(UnsafeBufferPointer(rebasing: cell[a..<b])), !part.isEmpty { body(part) }
        }
        guard !sep.isEmpty else {
            emit(0, cell.count)
            return
        }
        var start = 0, i = 0
        while i + sep.count <= cell.count {
            if cell[i] == sep[0] && (sep.count == 1 || (1..<sep.count).allSatisfy { cell[i + $0] == sep[$0] }) {
                emit(start, i)
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        emit(start, cell.count)
    }

    /// The cells of one target column, or nil when the source has nothing for its meaning.
    func cells(for column: String, meaning: Meaning, records: Records, bySource: [Meaning: SourceColumn], mapping: inout ValueMapping) -> TextColumn? {
        if meaning == target.conversion.rowPer {
            guard bySource[meaning] != nil else { return nil }
            return records.parts.finish()
        }
        let separator = target.conversion.separators[column]
        var derivedName = false
        var src = bySource[meaning]
        if src == nil, meaning == .name, let first = bySource[.firstName], let last = bySource[.lastName] {
            // A full name where the source has first and last names.
            derivedName = true
            src = SourceColumn(
                cells: TextColumn(
                    (0..<first.cells.count).map { r in
                        [first.cells[r], last.cells[r]].map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }.joined(separator: " ")
                    }), separator: nil)
        }
        guard let src else { return nil }
        if derivedName { mapping.notes.append("\(column): first and last names joined") }
        let asWritten = mapping.passesThrough(column: column, meaning: meaning, converter: self)
        if asWritten && src.separator == nil && records.isOneRowEach && src.cells.hasNoSpacesAtEnds {
            // Each record's cell as it is: the column itself, or its rows in the records' order.
            let cells = src.cells.withoutQuoteMarks
            return records.isEachRow ? cells : cells.gather(records.rowList.map(Int.init))
        }
        var out = TextColumnBuilder(expectedCells: records.count, expectedBytes: src.cells.bytes.count)
        // Each distinct value is mapped once; its later uses are counted for the report. A record of
        // one row and a cell of one value (most users) then costs no String at all.
        var seen = CellIndex()
        var lists: [[String]] = []
        /// Per distinct value: its cell when a record holds only it (nil: chosen per user).
        var alone: [[UInt8]?] = []
        var uses: [(value: String, times: Int)] = []
        func mapOnce(_ value: UnsafeBufferPointer<UInt8>) -> Int {
            let (g, isNew) = seen.insert(value)
            if !isNew {
                uses[g].times += 1
                return g
            }
            let text = String(decoding: value, as: UTF8.self)
            var unique: [String] = []
            for m in mapping.map(text, meaning: meaning, column: column, converter: self) where !unique.contains(m) { unique.append(m) }
            lists.append(unique)
            alone.append((separator.map { unique.joined(separator: $0) } ?? (unique.count <= 1 ? unique.first ?? "" : nil)).map { Array($0.utf8) })
            uses.append((text, 0))
            return g
        }
        for k in 0..<records.count {
            if src.separator == nil && records.rowCount(k) == 1 && src.cells.withCell(records.firstRow(k), { Self.trimmed($0) != nil }) {
                let g = src.cells.withCell(records.firstRow(k)) { cell -> Int? in
                    let value = Self.trimmed(cell)!
                    if asWritten { out.append(value) }
                    return value.isEmpty || asWritten ? nil : mapOnce(value)
                }
                guard let g else {
                    if !asWritten { out.endCell() }
                    continue
                }
                if let bytes = alone[g] {
                    out.append(bytes)
                } else {
                    // Several values where the target holds one: chosen (and reported) for each user.
                    out.append(mapping.choose(lists[g], meaning: meaning, column: column, user: records.user(k), rank: target.conversion.roleRank))
                }
                continue
            }
            var values: [String] = []
            for r in records.rows(k) {
                for var v in src.cells.withCell(Int(r), { Self.values($0, src.separator) }) {
                    if asWritten {
                        if !values.contains(v) { values.append(v) }
                        continue
                    }
                    let g = v.withUTF8 { mapOnce($0) }
                    for mapped in lists[g] where !values.contains(mapped) { values.append(mapped) }
                }
            }
            if let separator {
                out.append(values.joined(separator: separator))
            } else if values.count <= 1 {
                out.append(values.first ?? "")
            } else {
                out.append(mapping.choose(values, meaning: meaning, column: column, user: records.user(k), rank: target.conversion.roleRank))
            }
        }
        for use in uses where use.times > 0 { mapping.repeatUse(of: use.value, column: column, times: use.times) }
        return out.finish()
    }

    /// The crosswalks for a meaning, in the order they are tried: the district's own (`with role =
    /// {…}`), then the target's built-in one from the source's format.
    func crosswalks(for meaning: Meaning) -> [Crosswalk] {
        var out = given.filter { $0.meaning == meaning }
        if let from = source?.name, let builtIn = target.conversion.crosswalks.first(where: { $0.meaning == meaning && $0.from == from }) {
            out.append(builtIn)
        }
        return out
    }
}
