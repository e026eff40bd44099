/// A cell's text in a message. A value from a password column is shown as dots: the evaluator marks
/// it secret when the expression that failed reads such a column.
public struct CellText: Sendable, Equatable {
    public var text: String
    public var isSecret: Bool
    public init(_ text: String, isSecret: Bool = false) {
        self.text = text
        self.isSecret = isSecret
    }
    public var shown: String { isSecret ? "••••••" : text }
}

/// What a diagnostic is about: its identity, with the facts it needs. Code and tests decide by these
/// cases (the exit status, `roster check`'s status, masking secrets); `message` is the one place they
/// become words. The general cases (`syntax`, `runtime`, …) carry one-off sentences of their area.
public enum DiagnosticID: Sendable, Equatable {
    // The script's text.
    /// `expected X, found Y`.
    case expected(String, found: String)
    case unknownVerb(String)
    case unknownOption(statement: String, name: String)
    case unknownFormatLine(String)
    case syntax(String)

    // The command line.
    case paramNotDeclared(name: String, script: String)
    case usage(String)
    case cannotTellFormat(path: String)

    // Names a script uses.
    case unknownTable(String)
    /// A column missing from the piped table; `verb` names the verb that wanted it.
    case unknownColumn(String, verb: String?)
    case unknownValue(String)
    case unknownFunction(String)
    case unknownFormat(String)

    // Values.
    case notTrueOrFalse(CellText)
    case notANumber(CellText)
    case badPattern(CellText, reason: String)

    // Running.
    case assertionFailed(String)
    /// Ctrl-C or a termination signal; `changed` says whether anything had already been bound.
    case interrupted(nothingChanged: Bool)
    case wontOverwrite(path: String, loadedAs: String?)
    /// `convert to FORMAT` found no column of the table (from `file`, when it came from one) that
    /// means anything the format holds: every row would be blank.
    case nothingToConvert(format: String, file: String?)
    case runtime(String)
    case data(String)
    case io(String)

    // Notes and warnings.
    case timing(step: String, milliseconds: Int, peakMiB: Int)
    case note(String)
    case warning(String)

    /// What kind of failure it is, which decides the exit status.
    public var kind: Diagnostic.Kind {
        switch self {
        case .expected, .unknownVerb, .unknownOption, .unknownFormatLine, .syntax: .syntax
        case .paramNotDeclared, .usage, .cannotTellFormat: .usage
        case .assertionFailed: .assertion
        case .data, .nothingToConvert: .data
        case .io: .io
        case .unknownTable, .unknownColumn, .unknownValue, .unknownFunction, .unknownFormat, .notTrueOrFalse, .notANumber,
            .badPattern, .interrupted, .wontOverwrite, .runtime, .timing, .note, .warning:
            .runtime
        }
    }

    /// The sentence people read.
    public var message: String {
        switch self {
        case .expected(let what, let found): "expected \(what), found \(found)"
        case .unknownVerb(let v): "unknown verb '\(v)'"
        case .unknownOption(let statement, let name): "unknown \(statement) option '\(name)'"
        case .unknownFormatLine(let word): "unknown line '\(word)' in a format block"
        case .paramNotDeclared(let name, let script): "--param \(name): \(script) has no 'param \(name)'"
        case .cannotTellFormat(let path): "cannot tell which portal's file \(path) is from its header"
        case .unknownTable(let t): "no table named '\(t)'"
        case .unknownColumn(let c, let verb?): "\(verb): no column '\(c)'"
        case .unknownColumn(let c, nil): "no column '\(c)'"
        case .unknownValue(let v): "no value named $\(v)"
        case .unknownFunction(let f): "unknown function '\(f)'"
        case .unknownFormat(let f): "unknown format '\(f)'"
        case .notTrueOrFalse(let v): "'\(v.shown)' is not true or false"
        case .notANumber(let v): "'\(v.shown)' is not a number"
        case .badPattern(let p, let reason): "bad pattern '\(p.shown)': \(reason)"
        case .assertionFailed(let text): text
        case .interrupted(let nothingChanged): nothingChanged ? "interrupted; nothing was changed" : "interrupted"
        case .wontOverwrite(let path, let loadedAs):
            "will not overwrite \(path): this session loaded it" + (loadedAs.map { " (as \($0))" } ?? "")
        case .nothingToConvert(let format, let file):
            "convert to \(format): no column of \(file ?? "the table") means anything \(format) holds, so every row would be blank"
        case .timing(let step, let ms, let peak): "time: \(step) \(ms) ms (memory peak so far \(peak) MiB)"
        case .syntax(let m), .usage(let m), .runtime(let m), .data(let m), .io(let m), .note(let m), .warning(let m): m
        }
    }

    /// The same diagnostic with the cell values it quotes shown as dots.
    public var maskingValues: DiagnosticID {
        switch self {
        case .notTrueOrFalse(var v): v.isSecret = true; return .notTrueOrFalse(v)
        case .notANumber(var v): v.isSecret = true; return .notANumber(v)
        case .badPattern(var v, let reason): v.isSecret = true; return .badPattern(v, reason: reason)
        default: return self
        }
    }
}
