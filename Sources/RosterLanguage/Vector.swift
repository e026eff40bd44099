import RosterDiagnostics
import RosterData

/// The result of evaluating an expression over a table: one value per row, or one value for all rows.
/// Expressions are evaluated a column at a time, never a row at a time, so a condition over a million
/// rows is a few tight loops over bytes.
public enum Vector: Sendable {
    case scalar(Value)
    case text(TextColumn)
    case bool([Bool])
    case number([Double])
    /// A list in every row (from `split`).
    case lists([[String]])

    /// The vector as a text column of `n` cells (numbers and true/false written as text).
    public func textColumn(_ n: Int) throws(EvalError) -> TextColumn {
        switch self {
        case .text(let c): return c
        case .scalar(let v):
            guard let s = v.asText else { throw EvalError.type("a \(v.typeName) cannot be a cell value") }
            return TextColumn(repeating: s, count: n)
        case .bool(let b):
            var out = TextColumnBuilder(expectedCells: n, expectedBytes: n * 5)
            for x in b { out.append(x ? "true" : "false") }
            return out.finish()
        case .number(let d):
            var out = TextColumnBuilder(expectedCells: n, expectedBytes: n * 4)
            for x in d { out.append(Value.format(x)) }
            return out.finish()
        case .lists(let l):
            var out = TextColumnBuilder(expectedCells: n)
            for x in l { out.append(x.joined(separator: "|")) }
            return out.finish()
        }
    }

    /// True/false per row. Text counts as true when it is `true` (any case), false when `false` or blank.
    public func bools(_ n: Int) throws(EvalError) -> [Bool] {
        switch self {
        case .bool(let b): return b
        case .scalar(.bool(let b)): return Array(repeating: b, count: n)
        case .scalar(.text(let s)):
            return Array(repeating: try Self.truth(s), count: n)
        case .text(let c):
            var out = [Bool](repeating: false, count: n)
            var failure: EvalError?
            c.forEachCell { i, cell in
                if failure != nil { return }
                if cell.isEmpty { return }
                let s = String(decoding: cell, as: UTF8.self).lowercased()
                if s == "true" {
                    out[i] = true
                } else if s != "false" {
                    failure = .atRow(.notTrueOrFalse(CellText(String(decoding: cell, as: UTF8.self))), row: i)
                }
            }
            if let f = failure { throw f }
            return out
        default:
            throw EvalError.type("a condition must be true or false; this is a \(typeName)")
        }
    }

    static func truth(_ s: String) throws(EvalError) -> Bool {
        switch s.lowercased() {
        case "true": return true
        case "false", "": return false
        default: throw EvalError.type("'\(s)' is not true or false")
        }
    }

    public var typeName: String {
        switch self {
        case .scalar(let v): v.typeName
        case .text: "text"
        case .bool: "true/false"
        case .number: "number"
        case .lists: "list"
        }
    }

    /// The value of row `i` (used where a per-row value is needed in slow paths).
    public func value(at i: Int) -> Value {
        switch self {
        case .scalar(let v): v
        case .text(let c): .text(c[i])
        case .bool(let b): .bool(b[i])
        case .number(let d): .number(d[i])
        case .lists(let l): .list(l[i].map { .text($0) })
        }
    }
}

/// An error while evaluating; the evaluator adds the source range and, for `atRow`, the data line.
public enum EvalError: Error {
    case type(String)
    /// A value in one row that the operation cannot take.
    case atRow(DiagnosticID, row: Int)
    case diagnostic(Diagnostic)
}
