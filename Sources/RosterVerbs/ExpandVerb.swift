import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `expand COL [on SEP]` — one row per value of a multi-valued cell (default SEP `|`). A blank cell
/// keeps its row.
struct ExpandVerb: VerbStep {
    let column: String
    let columnRange: SourceRange
    let separator: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "expand", syntax: "expand COL [on SEP]", summary: "one row per value of a multi-valued cell (default SEP: the pipe character)",
        example: "mcas | expand Org on \"|\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        let (c, cr) = try p.columnName()
        var sep: Expr?
        if p.acceptKeyword("on") { sep = try p.expression(minPrecedence: Parser.Precedence.concat) }
        return ExpandVerb(column: c, columnRange: cr, separator: sep, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let j = try input.requireColumn(column, at: columnRange, verb: "expand")
        var sep: [UInt8] = [UInt8(ascii: "|")]
        if let s = separator {
            guard let t = try context.evaluateValue(s).asText, !t.isEmpty else { throw Diagnostic.runtime("the separator must be text", at: s.range) }
            sep = Array(t.utf8)
        }
        let src = input.columns[j].cells
        var rows: [Int] = []
        var b = TextColumnBuilder(expectedCells: input.rowCount, expectedBytes: src.bytes.count)
        sep.withUnsafeBufferPointer { sp in
            src.forEachCell { i, cell in
                var start = 0
                while true {
                    let rest = UnsafeBufferPointer(rebasing: cell[start...])
                    if let k = TextFunctions.find(sp, in: rest) {
                        b.append(UnsafeBufferPointer(rebasing: cell[start..<(start + k)]))
                        rows.append(i)
                        start += k + sp.count
                    } else {
                        b.append(rest)
                        rows.append(i)
                        break
                    }
                }
            }
        }
        var out = input.gather(rows)
        out.columns[j].cells = b.finish()
        return out
    }
}
