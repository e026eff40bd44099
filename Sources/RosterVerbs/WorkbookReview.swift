import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// What makes a saved workbook a review workbook: a validated table (one with `Notes`) gets each
/// failing cell filled, with the messages about it as the cell's comment (the format says which
/// column each rule is about), and each row with a note a light fill; a planned table (with `Plan`)
/// gets its rows coloured by what the portal will do.
enum WorkbookReview {
    /// `formats` answers for a table that is in no format any more (a column was added after
    /// `validate`): a message is then looked up in every format that has the column.
    static func marks(_ table: Table, format: FormatDefinition?, formats: [FormatDefinition] = []) -> WorkbookMarks {
        var marks = WorkbookMarks()
        if let plan = table.column("Plan") {
            for r in 0..<table.rowCount {
                switch plan[r] {
                case "Create": marks.rows[r] = .create
                case "Update": marks.rows[r] = .update
                case "Activate": marks.rows[r] = .activate
                case "Remove": marks.rows[r] = .remove
                case "Reject": marks.rows[r] = .reject
                case "Archive": marks.rows[r] = .archive
                default: break
                }
            }
        }
        guard let notes = table.column("Notes") else { return marks }
        let candidates = format.map { [$0] } ?? formats
        var columnsOf: [String: [(FormatDefinition, String)]] = [:]
        for f in candidates {
            for (k, cols) in messageColumns(f) { columnsOf[k, default: []] += cols.map { (f, $0) } }
        }
        let notesColumn = table.index(of: "Notes")!
        for r in 0..<table.rowCount where !notes[r].isBlankNote {
            if marks.rows[r] == nil { marks.rows[r] = .note }
            for message in notes[r].split(separator: ";").map({ String($0).trimmedNote }) where !message.isEmpty {
                let key = FormatDefinition.noteKey(message)
                var targets: [Int] = []
                for (f, want) in columnsOf[key] ?? [] {
                    if let j = table.columns.firstIndex(where: { f.matches($0.name, want) }), !targets.contains(j) { targets.append(j) }
                }
                for j in targets.isEmpty ? [notesColumn] : targets {
                    let was = marks.cells[r]?[j]
                    marks.cells[r, default: [:]][j] = was.map { $0 + "\n" + message } ?? message
                }
            }
        }
        return marks
    }

    /// Each message of the format, by `noteKey`, and the columns its rule is about.
    static func messageColumns(_ f: FormatDefinition) -> [String: [String]] {
        var out: [String: [String]] = [:]
        func add(_ message: String, _ columns: [String]) {
            let k = FormatDefinition.noteKey(message)
            for c in columns where !(out[k] ?? []).contains(c) { out[k, default: []].append(c) }
        }
        for r in f.rules { add(r.message, [r.column]) }
        for s in f.stateRules { add(s.message, [s.column]) }
        for u in f.uniqueKeys { add(u.message, u.columns) }
        for a in f.agreements { add(a.message, a.columns) }
        for c in f.checks {
            let read = f.columns.filter { c.failsWhen.columnsRead.contains($0) }
            add(c.message, read)
        }
        return out
    }
}

extension String {
    fileprivate var isBlankNote: Bool { allSatisfy { $0 == " " || $0 == "\t" } }
    fileprivate var trimmedNote: String { trimmingCharacters(in: " \t") }
}
