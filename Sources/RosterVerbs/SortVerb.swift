import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `sort COL [desc], ...` — stable sort. A column whose non-blank cells are all numbers sorts by
/// value (exactly, however many digits), blanks last; any other column sorts as text by code point.
struct SortVerb: VerbStep {
    let keys: [(name: String, range: SourceRange, descending: Bool)]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "sort", syntax: "sort COL [desc], ...", summary: "stable sort: a column of numbers by value (blanks last), any other column as text",
        example: "users | sort Lname, Fname"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        var keys: [(name: String, range: SourceRange, descending: Bool)] = []
        repeat {
            let (name, nr) = try p.columnName()
            var desc = false
            if p.acceptKeyword("desc") { desc = true } else { _ = p.acceptKeyword("asc") }
            keys.append((name, nr, desc))
        } while p.acceptSymbol(",")
        return SortVerb(keys: keys, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        var columns: [(TextColumn, [Double?], Bool)] = []
        for k in keys {
            let j = try input.requireColumn(k.name, at: k.range, verb: "sort")
            let c = input.columns[j].cells
            // A column sorts as numbers only when every non-blank cell is one: a column of codes
            // (00050000, 00050000-00055555) sorts as text, so codes with one prefix stay together.
            var nums = [Double?](repeating: nil, count: c.count)
            var allNumbers = true
            c.forEachCell { i, cell in
                guard allNumbers, !TextColumn.isBlank(cell) else { return }
                nums[i] = Value.parseNumber(cell)
                if nums[i] == nil { allNumbers = false }
            }
            if !allNumbers { nums = [] }
            columns.append((c, nums, k.descending))
        }
        var order = Array(0..<input.rowCount)
        var checks = 0
        var cancelled = false
        func less(_ a: Int, _ b: Int) -> Bool {
            // Once interrupted, every comparison is trivial so the sort ends at once (its result is dropped).
            if cancelled { return a < b }
            checks += 1
            if checks & 0xFFFF == 0 && context.isCancelled() { cancelled = true }
            for (c, nums, desc) in columns {
                var r: Int
                switch nums.isEmpty ? (nil, nil) : (nums[a], nums[b]) {
                case let (x?, y?):
                    r = x < y ? -1 : (x > y ? 1 : 0)
                    // Beyond 15 digits two different numbers can be one Double: compare the digits.
                    if r == 0 { r = c.withCell(a) { p in c.withCell(b) { q in Value.compareDecimal(p, q) ?? 0 } } }
                case (.some, nil): r = -1
                case (nil, .some): r = 1
                default: r = c.withCell(a) { x in c.withCell(b) { y in VectorOps.compare(x, y) } }
                }
                if desc { r = -r }
                if r != 0 { return r < 0 }
            }
            return a < b  // stable: equal keys keep their order
        }
        order.sort(by: less)
        if cancelled { throw Diagnostic(.interrupted(nothingChanged: true), at: range) }
        return input.gather(order)
    }
}
