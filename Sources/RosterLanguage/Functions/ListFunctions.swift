import RosterDiagnostics
import RosterData

/// Functions over lists, maps and tables.
enum ListFunctions {
    static let all: [FunctionDescriptor] = [
        FunctionDescriptor("split", "split(TEXT, SEP)", "a list of the parts of TEXT between SEP", example: "split(Org, \"|\")", args: 2...2) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let sep = try Args.constantText(a[1], "the separator")
            func parts(_ s: String) -> [String] {
                if s.isEmpty { return [] }
                if sep.isEmpty { return s.map { String($0) } }
                return s.split(separator: sep, omittingEmptySubsequences: false).map(String.init)
            }
            switch a[0] {
            case .scalar(let v):
                guard let t = v.asText else { throw EvalError.type("split needs text") }
                return .scalar(.list(parts(t).map { .text($0) }))
            default:
                let col = try a[0].textColumn(c.rows)
                return .lists((0..<col.count).map { parts(col[$0]) })
            }
        },
        FunctionDescriptor(
            "join", "join(LIST [, SEP])", "the items of a list as one text, SEP between them (default: the pipe character)",
            example: "join(split(Org, \" \"), \"|\")", args: 1...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let sep = a.count > 1 ? try Args.constantText(a[1], "the separator") : "|"
            switch a[0] {
            case .lists(let rows):
                return .text(TextColumn(rows.map { $0.joined(separator: sep) }))
            case .scalar(.list(let items)):
                return .scalar(.text(items.compactMap(\.asText).joined(separator: sep)))
            case .scalar(.column(let col)):
                return .scalar(.text(col.strings.joined(separator: sep)))
            default:
                return a[0]  // one value per row is already joined
            }
        },
        FunctionDescriptor(
            "lookup", "lookup(KEY, MAP [, OTHERWISE]) or lookup(KEY, KEYS, VALUES [, OTHERWISE])",
            "the value for KEY in a map, or in another table's columns (hr.email, hr.title); OTHERWISE (default blank) when missing",
            example: "lookup(lower(Email), hr.email, hr.title)", args: 2...4
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try lookup(a, rows: c.rows)
        },
        FunctionDescriptor(
            "rows", "rows([TABLE])", "the number of rows of a table (of the piped table without one)", example: "assert rows(upload) > 0", args: 0...1,
            special: { (c: FunctionContext) throws(EvalError) -> Vector in
                if c.arguments.isEmpty { return .scalar(.number(Double(c.rows))) }
                let arg = c.arguments[0]
                if case .column(let name) = arg.kind {
                    if let t = c.evaluator.bindings.tables[name] { return .scalar(.number(Double(t.rowCount))) }
                    throw .diagnostic(c.evaluator.bindings.unknownTable(name, at: arg.range))
                }
                throw .diagnostic(.runtime("rows needs a table name", at: arg.range))
            }),
    ]

    static func lookup(_ a: [Vector], rows n: Int) throws(EvalError) -> Vector {
        var keys: CellIndex
        var values: TextColumn
        var otherwise: Vector = .scalar(.text(""))
        switch a[1] {
        case .scalar(.map(let m)):
            keys = CellIndex.of(m.keys)
            values = TextColumn(m.keys.map { m[$0]!.asText ?? "" })
            if a.count > 2 { otherwise = a[2] }
            if a.count > 3 { throw EvalError.type("lookup with a map takes KEY, MAP and OTHERWISE") }
        case .scalar(.column(let k)):
            guard a.count >= 3 else { throw EvalError.type("lookup with a column of keys needs a column of values too: lookup(KEY, t.key, t.value)") }
            guard case .scalar(.column(let v)) = a[2] else { throw EvalError.type("the values must be another table's column: t.value") }
            keys = CellIndex.of(k)
            // The first row of each key wins.
            var firstRow: [Int] = []
            var idx = CellIndex(expected: k.count)
            k.forEachCell { i, cell in if idx.insert(cell).isNew { firstRow.append(i) } }
            keys = idx
            values = v.gather(firstRow)
            if a.count > 3 { otherwise = a[3] }
        case .scalar(.list):
            throw EvalError.type("lookup needs a map {\"key\": \"value\"} or two columns of another table")
        default:
            throw EvalError.type("lookup needs a map {\"key\": \"value\"} or two columns of another table")
        }
        let fallback = try TextCells(otherwise, rows: n)
        if case .scalar(let k) = a[0], var s = k.asText {
            if let g = s.withUTF8({ keys.find($0) }) { return .scalar(.text(values[g])) }
            return otherwise
        }
        let src = try TextCells(a[0], rows: n)
        var out = TextColumnBuilder(expectedCells: n)
        try src.forEach(n) { i, cell in
            if let g = keys.find(cell) { values.withCell(g) { out.append($0) } } else { fallback.with(i) { out.append($0) } }
        }
        return .text(out.finish())
    }
}

/// Conditions and blanks.
enum LogicFunctions {
    static let all: [FunctionDescriptor] = [
        FunctionDescriptor(
            "if", "if(CONDITION, THEN, ELSE)", "THEN where CONDITION is true, else ELSE", example: "if(Role == \"TA\", \"school\", \"district\")", args: 3...3
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let n = c.rows
            if case .scalar(.bool(let b)) = a[0] { return b ? a[1] : a[2] }
            let cond = try a[0].bools(n)
            if case .number = a[1], case .number = a[2] {
                let x = try VectorOps.numbers(a[1], rows: n), y = try VectorOps.numbers(a[2], rows: n)
                return .number((0..<n).map { cond[$0] ? x[$0] : y[$0] })
            }
            let x = try TextCells(a[1], rows: n), y = try TextCells(a[2], rows: n)
            var out = TextColumnBuilder(expectedCells: n)
            x.withReader { xr in
                y.withReader { yr in
                    for i in 0..<n { out.append(cond[i] ? xr[i] : yr[i]) }
                }
            }
            return .text(out.finish())
        },
        FunctionDescriptor(
            "coalesce", "coalesce(A, B, …)", "the first argument that is not blank", example: "coalesce(Phone, `Work phone`, \"\")", args: 1...Int.max
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let n = c.rows
            if a.allSatisfy({
                if case .scalar = $0 { return true }; return false
            }) {
                for v in a { if let t = v.value(at: 0).asText, !t.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\u{A0}" }) { return v } }
                return a.last!
            }
            let cells = try a.map { (v) throws(EvalError) in try TextCells(v, rows: n) }
            var out = TextColumnBuilder(expectedCells: n)
            for i in 0..<n {
                var done = false
                for cs in cells where !done {
                    cs.with(i) { b in
                        if !VectorOps.isBlank(b) { out.append(b); done = true }
                    }
                }
                if !done { cells.last!.with(i) { out.append($0) } }
            }
            return .text(out.finish())
        },
        FunctionDescriptor("isblank", "isblank(TEXT)", "true when TEXT is empty or only spaces", example: "where isblank(Email)", args: 1...1) {
            (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            try VectorOps.test(a[0], rows: c.rows) { VectorOps.isBlank($0) }
        },
    ]
}
