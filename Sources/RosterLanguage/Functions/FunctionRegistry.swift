import RosterDiagnostics
import RosterData

/// What a function sees besides its evaluated arguments.
public struct FunctionContext {
    let evaluator: Evaluator
    public let arguments: [Expr]
    public let range: SourceRange
    public var rows: Int { evaluator.rows }
}

/// A built-in function: its help (for `:help`, completion and the README table) and its body.
public struct FunctionDescriptor: Sendable {
    public let name: String
    public let syntax: String
    public let summary: String
    public let example: String
    public let minArgs: Int
    public let maxArgs: Int
    let run: @Sendable ([Vector], FunctionContext) throws(EvalError) -> Vector
    /// For functions that look at their argument expressions rather than values (`rows(users)`).
    let special: (@Sendable (FunctionContext) throws(EvalError) -> Vector)?
    /// For functions that can change an argument's column in place: they are handed the arguments
    /// to take from, so a column no one else holds (another function's result) is not copied.
    let owning: (@Sendable (inout [Vector], FunctionContext) throws(EvalError) -> Vector)?

    init(
        _ name: String, _ syntax: String, _ summary: String, example: String, args: ClosedRange<Int>,
        _ run: @escaping @Sendable ([Vector], FunctionContext) throws(EvalError) -> Vector = { (_: [Vector], _: FunctionContext) throws(EvalError) -> Vector in
            .scalar(.text(""))
        },
        special: (@Sendable (FunctionContext) throws(EvalError) -> Vector)? = nil,
        owning: (@Sendable (inout [Vector], FunctionContext) throws(EvalError) -> Vector)? = nil
    ) {
        self.name = name
        self.syntax = syntax
        self.summary = summary
        self.example = example
        self.minArgs = args.lowerBound
        self.maxArgs = args.upperBound
        self.run = run
        self.special = special
        self.owning = owning
    }
}

/// The one list of functions.
public struct FunctionRegistry: Sendable {
    public let functions: [FunctionDescriptor]
    private let byName: [String: FunctionDescriptor]

    init(_ functions: [FunctionDescriptor]) {
        self.functions = functions
        var m: [String: FunctionDescriptor] = [:]
        for f in functions { m[f.name] = f }
        byName = m
    }

    public var names: [String] { functions.map(\.name) }
    public func function(named name: String) -> FunctionDescriptor? { byName[name.lowercased()] }

    public static let standard = FunctionRegistry(TextFunctions.all + ListFunctions.all + LogicFunctions.all + DateFunctions.all)
}

/// Argument helpers shared by the function files.
enum Args {
    /// A whole number given as a value (not a column).
    static func constantInt(_ v: Vector, _ what: String) throws(EvalError) -> Int {
        guard case .scalar(let s) = v, let t = s.asText, let d = Value.parseNumber(t), d == d.rounded(), abs(d) < 1e9 else {
            throw EvalError.type("\(what) must be a whole number")
        }
        return Int(d)
    }

    static func constantText(_ v: Vector, _ what: String) throws(EvalError) -> String {
        guard case .scalar(let s) = v, let t = s.asText else { throw EvalError.type("\(what) must be text in quotes") }
        return t
    }

    static func isConstant(_ v: Vector) -> Bool {
        if case .scalar(let s) = v, s.asText != nil { return true }
        return false
    }

    /// Row-by-row evaluation with values, for functions whose arguments vary per row.
    static func rowwise(_ args: [Vector], rows n: Int, _ f: ([Value]) throws(EvalError) -> Value) throws(EvalError) -> Vector {
        if args.allSatisfy({
            if case .scalar = $0 { return true }; return false
        }) {
            let values = args.map { $0.value(at: 0) }
            return .scalar(try f(values))
        }
        var texts: TextColumnBuilder?
        var bools: [Bool]?
        var nums: [Double]?
        for i in 0..<n {
            let r = try f(args.map { $0.value(at: i) })
            switch r {
            case .bool(let b):
                if bools == nil { bools = [] }
                bools!.append(b)
            case .number(let d):
                if nums == nil { nums = [] }
                nums!.append(d)
            default:
                if texts == nil { texts = TextColumnBuilder(expectedCells: n) }
                guard let t = r.asText else { throw EvalError.type("a \(r.typeName) cannot be a cell value") }
                texts!.append(t)
            }
        }
        if let b = bools, b.count == n { return .bool(b) }
        if let d = nums, d.count == n { return .number(d) }
        if let t = texts, t.ends.count == n { return .text(t.finish()) }
        throw EvalError.type("this function gave values of different kinds in different rows")
    }
}
