import RosterDiagnostics
import RosterData

/// The binary operators over vectors.
enum Operators {
    static func apply(_ op: BinaryOp, _ a: Vector, _ b: Vector, evaluator ev: Evaluator, rightRange: SourceRange) throws(EvalError) -> Vector {
        let n = ev.rows
        switch op {
        case .and, .or:
            if case .scalar(.bool(let x)) = a, case .scalar(.bool(let y)) = b { return .scalar(.bool(op == .and ? x && y : x || y)) }
            let x = try a.bools(n), y = try b.bools(n)
            var out = [Bool](repeating: false, count: n)
            if op == .and { for i in 0..<n { out[i] = x[i] && y[i] } } else { for i in 0..<n { out[i] = x[i] || y[i] } }
            return .bool(out)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return try compare(op, a, b, rows: n)
        case .in, .notIn:
            return try membership(a, b, negate: op == .notIn, rows: n)
        case .like:
            guard case .scalar(let p) = b, let pattern = p.asText else { throw EvalError.type("like needs a pattern in quotes, such as \"*@district.org\"") }
            let glob = Glob(pattern)
            return try VectorOps.test(a, rows: n) { glob.matches($0) }
        case .matches:
            return try regexTest(a, b, rows: n, cache: ev.regexCache)
        case .concat:
            return try concat(a, b, rows: n)
        case .coalesce:
            if case .scalar(let x) = a, let s = x.asText {
                var s = s
                return s.withUTF8 { VectorOps.isBlank($0) } ? b : a
            }
            let left = try TextCells(a, rows: n), right = try TextCells(b, rows: n)
            var out = TextColumnBuilder(expectedCells: n)
            left.withReader { l in
                right.withReader { r in
                    for i in 0..<n {
                        let cell = l[i]
                        out.append(VectorOps.isBlank(cell) ? r[i] : cell)
                    }
                }
            }
            return .text(out.finish())
        case .add, .subtract, .multiply, .divide:
            if case .scalar(let x) = a, case .scalar(let y) = b {
                let p = try VectorOps.numbers(.scalar(x), rows: 1)[0], q = try VectorOps.numbers(.scalar(y), rows: 1)[0]
                return .scalar(.number(try arithmetic(op, p, q)))
            }
            let x = try VectorOps.numbers(a, rows: n), y = try VectorOps.numbers(b, rows: n)
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[i] = try arithmetic(op, x[i], y[i]) }
            return .number(out)
        }
    }

    static func arithmetic(_ op: BinaryOp, _ x: Double, _ y: Double) throws(EvalError) -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        default:
            if y == 0 { throw EvalError.type("division by zero") }
            return x / y
        }
    }

    static func isNumeric(_ v: Vector) -> Bool {
        switch v {
        case .number, .scalar(.number): true
        default: false
        }
    }

    /// Text compares as text (byte order = code point order); when either side is a number, cells that
    /// read as numbers compare as numbers (`Grade >= 9`), the rest as text.
    static func compare(_ op: BinaryOp, _ a: Vector, _ b: Vector, rows n: Int) throws(EvalError) -> Vector {
        func verdict(_ c: Int) -> Bool {
            switch op {
            case .equal: c == 0
            case .notEqual: c != 0
            case .less: c < 0
            case .lessEqual: c <= 0
            case .greater: c > 0
            default: c >= 0
            }
        }
        for v in [a, b] {
            switch v {
            case .scalar(.list), .scalar(.column), .lists:
                throw EvalError.type("a list cannot be compared with ==, < …; to test whether a value is in a list use 'in'")
            default: break
            }
        }
        if case .scalar(let x) = a, case .scalar(let y) = b {
            guard let s = x.asText, let t = y.asText else { throw EvalError.type("cannot compare a \(x.typeName) with a \(y.typeName)") }
            if isNumeric(a) || isNumeric(b) {
                if let c = Value.compareDecimal(s, t) { return .scalar(.bool(verdict(c))) }
                if let p = Value.parseNumber(s), let q = Value.parseNumber(t) { return .scalar(.bool(verdict(p < q ? -1 : (p > q ? 1 : 0)))) }
            }
            var s2 = s, t2 = t
            let c = s2.withUTF8 { sp in t2.withUTF8 { tp in VectorOps.compare(sp, tp) } }
            return .scalar(.bool(verdict(c)))
        }
        let numeric = isNumeric(a) || isNumeric(b)
        // Numbers against numbers (len(Fname) > 25): no text in between.
        let xs: [Double]? = {
            if case .number(let x) = a { return x }; if case .scalar(.number(let k)) = a { return Array(repeating: k, count: n) }; return nil
        }()
        let ys: [Double]? = {
            if case .number(let y) = b { return y }; if case .scalar(.number(let k)) = b { return Array(repeating: k, count: n) }; return nil
        }()
        if let x = xs, let y = ys {
            var out = [Bool](repeating: false, count: n)
            for i in 0..<n { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
            return .bool(out)
        }
        let left = try TextCells(a, rows: n), right = try TextCells(b, rows: n)
        var out = [Bool](repeating: false, count: n)
        // Fast path: a column against one text value with == or !=.
        if !numeric, op == .equal || op == .notEqual, case .column(let c) = left, case .constant(let k) = right {
            let want = op == .equal
            k.withUnsafeBufferPointer { kp in
                c.forEachCell { i, cell in out[i] = VectorOps.equal(cell, kp) == want }
            }
            return .bool(out)
        }
        try left.forEach(n) { i, x in
            right.with(i) { y in
                if numeric, let c = Value.compareDecimal(x, y) {
                    out[i] = verdict(c)
                } else {
                    out[i] = verdict(VectorOps.compare(x, y))
                }
            }
        }
        return .bool(out)
    }

    /// `x in LIST`: the list may be a list value, another table's column, or a list per row.
    static func membership(_ a: Vector, _ b: Vector, negate: Bool, rows n: Int) throws(EvalError) -> Vector {
        var index: CellIndex
        switch b {
        case .scalar(.column(let c)):
            // Membership in another table's column: index that column, look every cell up at once.
            let idx = ColumnIndex(c)
            if case .scalar(let x) = a, var s = x.asText {
                return .scalar(.bool(s.withUTF8 { idx.find($0) != nil } != negate))
            }
            if case .scalar = a { throw EvalError.type("in needs a value or a column on its left") }
            let found = idx.lookup(try a.textColumn(n))
            return .bool(found.map { ($0 >= 0) != negate })
        case .scalar(.list(let items)):
            var strings: [String] = []
            for i in items {
                guard let t = i.asText else { throw EvalError.type("in needs a list of values") }
                strings.append(t)
            }
            index = CellIndex.of(strings)
        case .scalar(.map(let m)): index = CellIndex.of(m.keys)
        case .lists(let rows):
            let left = try TextCells(a, rows: n)
            var out = [Bool](repeating: false, count: n)
            try left.forEach(n) { i, cell in
                let s = String(decoding: cell, as: UTF8.self)
                out[i] = rows[i].contains(s) != negate
            }
            return .bool(out)
        default:
            throw EvalError.type("in needs a list, such as [\"TA\", \"STC\"] or hr.email; this is \(b.typeName)")
        }
        if case .scalar(let x) = a, var s = x.asText {
            return .scalar(.bool(s.withUTF8 { index.find($0) != nil } != negate))
        }
        return try VectorOps.test(a, rows: n) { (index.find($0) != nil) != negate }
    }

    /// `a ~ b`; with `mask`, a column is matched only where the mask is true (false elsewhere).
    static func regexTest(_ a: Vector, _ b: Vector, rows n: Int, cache: RegexCache, where mask: [Bool]? = nil) throws(EvalError) -> Vector {
        if case .scalar(let p) = b {
            guard let pattern = p.asText else { throw EvalError.type("~ needs a pattern in quotes") }
            let re: Regex
            do { re = try cache.regex(pattern) } catch {
                throw EvalError.type("bad pattern: \(error.message) (at character \(error.position + 1) of \"\(pattern)\")")
            }
            if case .text(let column) = a { return .bool(re.matchEach(column, where: mask)) }
            let all = try VectorOps.test(a, rows: n) { re.matches($0) }
            guard let mask, case .bool(let hits) = all else { return all }
            return .bool(zip(hits, mask).map { $0 && $1 })
        }
        let left = try TextCells(a, rows: n), pats = try TextCells(b, rows: n)
        var out = [Bool](repeating: false, count: n)
        try left.forEach(n) { (i, cell) throws(EvalError) in
            let pattern = pats.with(i) { String(decoding: $0, as: UTF8.self) }
            do throws(RegexError) { out[i] = try cache.regex(pattern).matches(cell) } catch {
                throw EvalError.atRow(.badPattern(CellText(pattern), reason: error.message), row: i)
            }
        }
        return .bool(out)
    }

    static func concat(_ a: Vector, _ b: Vector, rows n: Int) throws(EvalError) -> Vector {
        if case .scalar(let x) = a, case .scalar(let y) = b {
            guard let s = x.asText, let t = y.asText else { throw EvalError.type("& joins text; a \(x.typeName) is not text") }
            return .scalar(.text(s + t))
        }
        let left = try TextCells(a, rows: n), right = try TextCells(b, rows: n)
        var out = TextColumnBuilder(expectedCells: n)
        left.withReader { l in
            right.withReader { r in
                for i in 0..<n {
                    out.bytes.append(contentsOf: l[i])
                    out.bytes.append(contentsOf: r[i])
                    out.endCell()
                }
            }
        }
        return .text(out.finish())
    }
}

/// `like` patterns: `*` any run, `?` one character, ignoring case.
struct Glob {
    let pattern: [Character]
    init(_ p: String) { pattern = Array(p.lowercased()) }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = Array(String(decoding: bytes, as: UTF8.self).lowercased())
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
