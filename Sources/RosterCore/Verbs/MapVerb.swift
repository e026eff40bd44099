/// `map COL using MAP [else EXPR]` — replace each value through a map. Values with no entry stay as
/// they are and are reported, unless `else` gives their value.
struct MapVerb: VerbStep {
    let column: String
    let columnRange: SourceRange
    let map: Expr
    let otherwise: Expr?
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "map", syntax: "map COL using MAP [else EXPR]", summary: "replace each value through a map; values with no entry stay and are reported, unless else gives their value",
        example: "users | map Role using {\"Test Administrator\": \"TA\", \"Test Site Coordinator\": \"STC\"}"
    ) { p, r in
        let (col, cr) = try p.columnName()
        try p.expectKeyword("using", "after the column (map COL using {\"old\": \"new\"})")
        let m = try p.expression(minPrecedence: Parser.Precedence.concat)
        var otherwise: Expr?
        if p.acceptKeyword("else") { otherwise = try p.expression() }
        return MapVerb(column: col, columnRange: cr, map: m, otherwise: otherwise, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ session: Session) throws(Diagnostic) -> Table {
        let j = try input.requireColumn(column, at: columnRange, verb: "map")
        let mapValue: ValueMap
        switch try session.evaluateValue(map) {
        case .map(let m): mapValue = m
        case let other:
            throw Diagnostic.runtime("map needs a map such as {\"Test Administrator\": \"TA\"}; this is a \(other.typeName)", at: map.range)
        }
        var keys = CellIndex(expected: mapValue.count)
        var targets: [[UInt8]] = []
        for k in mapValue.keys {
            var s = k
            _ = s.withUTF8 { keys.insert($0) }
            guard let t = mapValue[k]!.asText else {
                throw Diagnostic.runtime("the value for '\(k)' must be text", at: map.range)
            }
            targets.append(Array(t.utf8))
        }
        let fallback: TextCells?
        if let otherwise {
            let ev = session.evaluator(for: input)
            do { fallback = try TextCells(try ev.eval(otherwise), rows: input.rowCount) } catch let e as EvalError { throw ev.diagnostic(e, at: otherwise.range) } catch { throw error as! Diagnostic }
        } else {
            fallback = nil
        }
        let src = input.columns[j].cells
        var out = TextColumnBuilder(expectedCells: src.count, expectedBytes: src.bytes.count)
        var unmatched = CellIndex()
        var unmatchedRows = 0
        var changed = [Bool](repeating: false, count: src.count)
        src.forEachCell { i, cell in
            if let g = keys.find(cell) {
                out.append(targets[g])
                changed[i] = true
            } else if let fallback {
                fallback.with(i) { out.append($0) }
                changed[i] = true
            } else {
                out.append(cell)
                unmatchedRows += 1
                _ = unmatched.insert(cell)
            }
        }
        var result = input
        // Unchanged cells keep their original quoting.
        result.columns[j].cells = src.merging(out.finish(), where: changed)
        if unmatchedRows > 0 {
            let values = unmatched.keys.finish().strings
            session.warn("map: \(plural(unmatchedRows, "row")) of \(Evaluator.spell(column)) had no entry and kept their value: \(listSome(values))", at: range,
                         hints: Suggest.nearest(values[0], in: mapValue.keys).map { ["is '\(values[0])' meant to be '\($0)'?"] } ?? ["add them to the map, or give `else EXPR`"])
        }
        return result
    }
}
