import RosterDiagnostics
import RosterData

/// Expressions, with their place in the source for messages.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case text(String)
        case number(Double)
        case bool(Bool)
        /// A column of the table being piped: `Email`, `` `E-mail address` ``.
        case column(String)
        /// `$name`: a value bound with `let` or `param`.
        case variable(String)
        /// `hr.email`: a column of another table, as a list.
        case tableColumn(table: String, column: String)
        case list([Expr])
        case map([(key: Expr, value: Expr)])
        case unary(UnaryOp, Expr)
        case binary(BinaryOp, Expr, Expr)
        case call(String, [Expr])
    }

    public let kind: Kind
    public var range: SourceRange
    /// How many operations deep the tree is (1 for a leaf). The parser refuses trees deeper than
    /// `Parser.maxExpressionDepth`, so walking one can never exhaust the stack.
    public let depth: Int

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        switch kind {
        case .text, .number, .bool, .column, .variable, .tableColumn: depth = 1
        case .list(let items), .call(_, let items): depth = 1 + (items.map(\.depth).max() ?? 0)
        case .map(let pairs): depth = 1 + (pairs.map { max($0.key.depth, $0.value.depth) }.max() ?? 0)
        case .unary(_, let x): depth = 1 + x.depth
        case .binary(_, let a, let b): depth = 1 + max(a.depth, b.depth)
        }
    }
}

public enum UnaryOp: String, Sendable { case not, negate = "-" }

public enum BinaryOp: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in`, notIn = "not in", like, matches = "~"
    case concat = "&", add = "+", subtract = "-", multiply = "*", divide = "/", coalesce = "??"
}

extension Expr {
    /// The names of the piped table's columns this expression reads.
    package var columnsRead: Set<String> {
        switch kind {
        case .column(let name): return [name]
        case .text, .number, .bool, .variable, .tableColumn: return []
        case .list(let items): return items.reduce(into: []) { $0.formUnion($1.columnsRead) }
        case .map(let pairs):
            return pairs.reduce(into: []) {
                $0.formUnion($1.key.columnsRead); $0.formUnion($1.value.columnsRead)
            }
        case .unary(_, let x): return x.columnsRead
        case .binary(_, let a, let b): return a.columnsRead.union(b.columnsRead)
        case .call(let name, let args):
            // rows(t) names a table, not a column.
            if name == "rows" { return [] }
            return args.reduce(into: []) { $0.formUnion($1.columnsRead) }
        }
    }
}

extension Expr {
    /// Whether the expression reads a secret: a password column of the piped table or of another
    /// (`hr.user_password`), or a value bound from one (`secretValues`). `print` masks what it shows then.
    public func readsSecret(secretValues: Set<String>) -> Bool {
        switch kind {
        case .column(let name): return Secrets.isSecret(name)
        case .tableColumn(_, let column): return Secrets.isSecret(column)
        case .variable(let name): return secretValues.contains(name)
        case .text, .number, .bool: return false
        case .list(let items), .call(_, let items): return items.contains { $0.readsSecret(secretValues: secretValues) }
        case .map(let pairs):
            return pairs.contains { $0.key.readsSecret(secretValues: secretValues) || $0.value.readsSecret(secretValues: secretValues) }
        case .unary(_, let x): return x.readsSecret(secretValues: secretValues)
        case .binary(_, let a, let b): return a.readsSecret(secretValues: secretValues) || b.readsSecret(secretValues: secretValues)
        }
    }
}

extension Value {
    /// The value as `print` shows it when it came from a secret: each text masked.
    public var maskedDisplay: String {
        switch self {
        case .list(let items): return "[" + items.map { _ in "\"\(Secrets.mask)\"" }.joined(separator: ", ") + "]"
        case .column(let c): return "[" + (0..<c.count).map { _ in "\"\(Secrets.mask)\"" }.joined(separator: ", ") + "]"
        default: return Secrets.mask
        }
    }
}

extension Expr {
    /// The same chain of one associative operator as a balanced tree: its operands (the maximal run of
    /// `op` nodes flattened, in order) paired off level by level.
    func balanced(_ op: BinaryOp) -> Expr {
        var operands: [Expr] = []
        var stack: [Expr] = [self]
        while let e = stack.popLast() {
            if case .binary(let o, let a, let b) = e.kind, o == op {
                stack.append(b)
                stack.append(a)
            } else {
                operands.append(e)
            }
        }
        while operands.count > 1 {
            var next: [Expr] = []
            var i = 0
            while i + 1 < operands.count {
                next.append(Expr(.binary(op, operands[i], operands[i + 1]), operands[i].range.through(operands[i + 1].range)))
                i += 2
            }
            if i < operands.count { next.append(operands[i]) }
            operands = next
        }
        return Expr(operands[0].kind, range)
    }
}
