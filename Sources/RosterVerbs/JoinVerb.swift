import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `join TABLE on KEY [= KEY2], ...` and `left join …` — add the other table's columns to matching rows.
/// Inner join keeps matching rows only; left join keeps every row (blanks where nothing matched).
/// A key that matches several rows of the other table gives one row for each, and is reported.
/// The other table's key columns are not added: where rows match they equal this table's keys.
/// Blank keys match nothing (as NULL in SQL), and a join that would make more than ten times the rows
/// of its inputs stops with the keys to blame, unless written `allow many`.
struct JoinVerb: VerbStep {
    let other: PipelineSource
    let keys: [(left: String, leftRange: SourceRange, right: String, rightRange: SourceRange)]
    let left: Bool
    let allowMany: Bool
    let range: SourceRange

    /// How many times its inputs' rows a join may make without `allow many`.
    static let growthLimit = 10

    static func parse(_ p: inout ScriptParser, _ r: SourceRange, left: Bool) throws(Diagnostic) -> any VerbStep {
        let other = try p.otherTable("join")
        try p.expectKeyword("on", "after the table (join TABLE on KEY)")
        var keys: [(left: String, leftRange: SourceRange, right: String, rightRange: SourceRange)] = []
        repeat {
            let (l, lr) = try p.columnName("a key column")
            var (rt, rr) = (l, lr)
            if p.acceptSymbol("=") || p.acceptSymbol("==") { (rt, rr) = try p.columnName("the other table's key column") }
            keys.append((l, lr, rt, rr))
        } while p.acceptSymbol(",")
        var allowMany = false
        if p.acceptKeyword("allow") {
            try p.expectKeyword("many", "after allow (join … allow many)")
            allowMany = true
        }
        return JoinVerb(other: other, keys: keys, left: left, allowMany: allowMany, range: r.through(p.previousRange))
    }

    static let innerDescriptor = VerbDescriptor(
        name: "join", syntax: "join TABLE on KEY [= KEY2], ... [allow many]",
        summary:
            "add the other table's columns to matching rows (rows with no match, or a blank key, are left out and counted); allow many lets it make more than ten times its inputs' rows",
        example: "users | join hr on Email = email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, left: false) }

    static let leftDescriptor = VerbDescriptor(
        name: "left join", syntax: "left join TABLE on KEY [= KEY2], ... [allow many]",
        summary: "like join, but every row is kept (blank where nothing matched)",
        example: "users | left join hr on Email = email"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in try parse(&p, r, left: true) }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let (right, rightName) = try context.table(for: other)
        var lk: [TextColumn] = [], rk: [TextColumn] = []
        var rightKeyCols: Set<Int> = []
        for k in keys {
            lk.append(input.columns[try input.requireColumn(k.left, at: k.leftRange, verb: "join")].cells)
            let rj = try right.requireColumn(k.right, at: k.rightRange, verb: "join (\(rightName))")
            rk.append(right.columns[rj].cells)
            rightKeyCols.insert(rj)  // equal to the left key where rows match
        }
        // Index the other table: key → its rows (in order).
        let index = ColumnIndex(CompositeKey.column(rk, rows: right.rowCount))
        let grouped = index.groupedRows()
        let lkey = CompositeKey.column(lk, rows: input.rowCount)
        // A row with a blank key part matches nothing, on either side.
        let leftBlank = Self.blankKeys(lk, rows: input.rowCount)
        let rightBlank = Self.blankKeys(rk, rows: right.rowCount)
        var groups = index.lookup(lkey)
        var blankRows = 0
        for i in groups.indices where leftBlank[i] || (groups[i] >= 0 && rightBlank[index.firstRow[Int(groups[i])]]) {
            if leftBlank[i] { blankRows += 1 }
            groups[i] = -1
        }
        // The size of the result, before making it.
        let groupSize = (0..<grouped.groupCount).map { grouped.size($0) }
        var total = 0
        for g in groups { total += g >= 0 ? groupSize[Int(g)] : (left ? 1 : 0) }
        let limit = Self.growthLimit * max(input.rowCount, right.rowCount, 100)
        if total > limit && !allowMany {
            var perGroup: [Int: Int] = [:]
            for g in groups where g >= 0 { perGroup[Int(g), default: 0] += groupSize[Int(g)] }
            let worst = perGroup.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map { g, n in
                "\(Self.describeKey(index.firstRow[g], rk)) (\(plural(n, "row")))"
            }
            throw Diagnostic.runtime(
                "\(left ? "left join" : "join") would make \(plural(total, "row")) from \(input.rowCount.grouped) and \(right.rowCount.grouped): more than \(Self.growthLimit) times its inputs",
                at: range,
                hints: [
                    "the most repeated keys: " + worst.joined(separator: ", "),
                    "make the keys unique first (\(rightName) | unique by \(keys.map { Evaluator.spell($0.right) }.joined(separator: ", "))), or write … allow many",
                ])
        }
        var leftRows: [Int] = [], rightRows: [Int] = []
        leftRows.reserveCapacity(total)
        rightRows.reserveCapacity(total)
        var matched = 0, unmatched = 0, multi = 0
        for (i, g) in groups.enumerated() {
            if g >= 0 {
                matched += 1
                let span = grouped.span(Int(g))
                if span.count > 1 { multi += 1 }
                for k in span { leftRows.append(i); rightRows.append(Int(grouped.rows[k])) }
            } else {
                unmatched += 1
                if left { leftRows.append(i); rightRows.append(-1) }
            }
        }
        var out = input.gather(leftRows)
        var renamed: [String] = []
        let kept = right.columns.indices.filter { !rightKeyCols.contains($0) }
        let picked = rightRows
        let gathered = Parallel.map(kept, work: picked.count) { j in right.columns[j].cells.gather(picked) }
        for (c, cells) in zip(kept.map { right.columns[$0] }, gathered) {
            var name = c.name
            if out.index(of: name) != nil {
                name = "\(c.name) (\(rightName))"
                var k = 2
                while out.index(of: name) != nil { name = "\(c.name) (\(rightName) \(k))"; k += 1 }
                renamed.append("'\(c.name)' → '\(name)'")
            }
            out.columns.append(Column(name: name, cells: cells))
        }
        let verb = left ? "left join" : "join"
        var msg = "\(verb): \(matched.grouped) of \(plural(input.rowCount, "row")) matched \(rightName)"
        if unmatched > 0 { msg += "; \(unmatched.grouped) did not (\(left ? "kept with blanks" : "left out"))" }
        if matched == 0 && input.rowCount > blankRows && right.rowCount > 0 {
            // Nothing matched: usually keys written differently. Say when they would match ignoring
            // case and spaces.
            let loose = { (t: TextColumn, i: Int) in t[i].lowercased().filter { !$0.isWhitespace } }
            let rightKeys = Set((0..<right.rowCount).map { r in rk.indices.map { loose(rk[$0], r) } })
            let near = (0..<input.rowCount).filter { i in !leftBlank[i] && rightKeys.contains(lk.indices.map { loose(lk[$0], i) }) }.count
            var hints: [String] = []
            if near > 0 {
                hints.append(
                    "\(plural(near, "row")) would match ignoring case and spaces: compare lower(trim(…)) of both keys, e.g. set key = lower(trim(\(Evaluator.spell(keys[0].left)))) on each side"
                )
            }
            context.warn("\(left ? "left join" : "join"): no row matched \(rightName)", at: range, hints: hints)
        } else {
            context.note(msg, at: range)
        }
        if blankRows > 0 {
            context.note("\(left ? "left join" : "join"): \(plural(blankRows, "row")) with a blank key matched nothing (blank keys never match)", at: range)
        }
        if multi > 0 {
            context.warn(
                "\(verb): \(plural(multi, "row")) matched more than one row of \(rightName) and now appear once per match", at: range,
                hints: ["make the other table's key unique first: \(rightName) | unique by \(keys.map { Evaluator.spell($0.right) }.joined(separator: ", "))"])
        }
        if !renamed.isEmpty {
            context.note(
                "\(verb): both tables have \(renamed.count == 1 ? "a column" : "columns") of the same name; renamed \(renamed.joined(separator: ", "))",
                at: range)
        }
        return out
    }

    /// Rows where any key part is blank (empty, or only spaces, tabs and non-breaking spaces).
    static func blankKeys(_ parts: [TextColumn], rows: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: rows)
        for p in parts {
            p.forEachCell { i, cell in
                if !out[i] && TextColumn.isBlank(cell) { out[i] = true }
            }
        }
        return out
    }

    /// A key as a message shows it: its parts in quotes.
    static func describeKey(_ row: Int, _ parts: [TextColumn]) -> String {
        parts.map { "'\($0[row])'" }.joined(separator: " + ")
    }
}
