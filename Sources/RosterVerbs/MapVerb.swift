import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `map COL using MAP [else EXPR]` — replace each value through a map. Values with no entry stay as
/// they are and are reported, unless `else` gives their value.
struct MapVerb: VerbStep {
    let column: String
    let columnRange: SourceRange
    let map: Expr
    let otherwise: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "map", syntax: "map COL using MAP [else EXPR]",
        summary: "replace each value through a map; values with no entry stay and are reported, unless else gives their value",
        example: "users | map Role using {\"Test Administrator\": \"TA\", \"Test Site Coordinator\": \"STC\"}"
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        let (col, cr) = try p.columnName()
        try p.expectKeyword("using", "after the column (map COL using {\"old\": \"new\"})")
        let m = try p.expression(minPrecedence: Parser.Precedence.concat)
        var otherwise: Expr?
        if p.acceptKeyword("else") { otherwise = try p.expression() }
        return MapVerb(column: col, columnRange: cr, map: m, otherwise: otherwise, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        let j = try input.requireColumn(column, at: columnRange, verb: "map")
        let mapValue = try self.mapValue(input, context)
        var targetTexts: [String] = []
        for k in mapValue.keys {
            guard let t = mapValue[k]!.asText else {
                throw Diagnostic.runtime("the value for '\(k)' must be text", at: map.range)
            }
            targetTexts.append(t)
        }
        let targets = TextCells.column(TextColumn(targetTexts))
        let fallback: TextCells?
        if let otherwise {
            let ev = context.evaluator(for: input)
            let value = try ev.eval(otherwise)
            do { fallback = try TextCells(value, rows: input.rowCount) } catch { throw ev.diagnostic(error, at: otherwise.range) }
        } else {
            fallback = nil
        }
        let src = input.columns[j].cells
        // Every cell looked up at once in an index of the map's keys.
        let found = ColumnIndex(TextColumn(mapValue.keys)).lookup(src)
        var out = TextColumnBuilder(expectedCells: src.count, expectedBytes: src.bytes.count)
        var unmatched: [Int] = []
        let otherwiseCells = fallback ?? TextCells.column(src)
        targets.withReader { t in
            otherwiseCells.withReader { f in
                for i in 0..<src.count {
                    if found[i] >= 0 {
                        out.append(t[Int(found[i])])
                    } else {
                        out.append(f[i])
                        if fallback == nil { unmatched.append(i) }
                    }
                }
            }
        }
        var result = input
        if src.quoteFlips == nil {
            result.columns[j].cells = out.finish()
        } else {
            // Unchanged cells keep their original quoting.
            result.columns[j].cells = src.merging(out.finish(), where: found.map { $0 >= 0 || fallback != nil })
        }
        let unmatchedRows = unmatched.count
        var distinct: [String] = []
        if unmatchedRows > 0 {
            let idx = ColumnIndex(src.gather(unmatched))
            distinct = idx.firstRow.map { src[unmatched[$0]] }
        }
        if unmatchedRows > 0 {
            // A password column's values are never shown.
            let values = Secrets.isSecret(column) ? distinct.map { _ in Secrets.mask } : distinct
            context.warn(
                "map: \(plural(unmatchedRows, "row")) of \(Evaluator.spell(column)) had no entry and kept their value: \(listSome(values))", at: range,
                hints: Suggest.nearest(values[0], in: mapValue.keys).map { ["is '\(values[0])' meant to be '\($0)'?"] } ?? [
                    "add them to the map, or give `else EXPR`"
                ])
        }
        return result
    }

    /// The map: written out, a `$name`, or a built-in crosswalk by name (`oneroster_to_mcas`).
    func mapValue(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> ValueMap {
        if case .column(let name) = map.kind, input.index(of: name) == nil {
            // Only a name needs the crosswalks (which parses every built-in format in full).
            let crosswalks = context.formats.crosswalks
            guard let c = crosswalks.first(where: { $0.name == name })?.crosswalk else {
                throw Diagnostic.runtime(
                    "no crosswalk named '\(name)'", at: map.range,
                    hints: Suggest.hint(name, in: crosswalks.map(\.name)) + [
                        "built-in crosswalks: " + crosswalks.map(\.name).joined(separator: ", "), "or write the map: {\"old\": \"new\"}",
                    ])
            }
            var m = ValueMap()
            for (k, v) in c.entries { m[k] = .text(v) }
            return m
        }
        switch try context.evaluateValue(map) {
        case .map(let m): return m
        case let other:
            throw Diagnostic.runtime("map needs a map such as {\"Test Administrator\": \"TA\"}; this is a \(other.typeName)", at: map.range)
        }
    }
}
