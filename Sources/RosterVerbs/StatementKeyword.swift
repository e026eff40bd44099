import RosterDiagnostics
import RosterLanguage

/// The statements that begin with a keyword: their spelling, syntax and help. The parser switches
/// over this enum (so a new statement cannot be forgotten there), and the completer, `:help`, the
/// grammar test and the README take their lists from it.
public enum StatementKeyword: String, CaseIterable, Sendable {
    case `let`, param, print, assert, include, format, check, plan

    public var syntax: String {
        switch self {
        case .let: "let NAME = EXPR"
        case .param: "param NAME = EXPR"
        case .print: "print EXPR, ..."
        case .assert: "assert EXPR [, MESSAGE]"
        case .include: "include PATH"
        case .format: "format NAME [\"TITLE\"] … end"
        case .check: "check TABLE as FORMAT [with NAME = TABLE, ...]"
        case .plan: "plan TABLE against TABLE as FORMAT [with NAME = TABLE, ...] [covering CONDITION]"
        }
    }

    public var summary: String {
        switch self {
        case .let: "bind a value (text, number, list, map) to $NAME"
        case .param: "like let, but --param NAME=VALUE on the command line overrides it"
        case .print: "print values, or a preview of a table"
        case .assert: "stop the script with MESSAGE (exit status 1) unless EXPR is true"
        case .include: "run another script file in this session"
        case .format: "describe a portal's upload file as data: columns, rules, messages, upload behaviour"
        case .check: "print what the portal would reject in a table, and why"
        case .plan: "print what the portal will do with an upload, given its current users"
        }
    }

    public var example: String {
        switch self {
        case .let: "let roles = {\"Test Administrator\": \"TA\"}"
        case .param: "param past = \"users-2024.csv\""
        case .print: "print \"users:\", rows(users)"
        case .assert: "assert rows(users) > 0, \"the download is empty\""
        case .include: "include \"shared/crosswalks.roster\""
        case .format: "format tide \"TIDE users\" … end"
        case .check: "check upload as mcas"
        case .plan: "plan upload against current as mcas"
        }
    }

    /// Whether the tokens at the cursor begin this statement rather than use the word as a name
    /// (`print = load "print.csv"` binds a table called print).
    func begins(_ p: ScriptParser) -> Bool {
        let nextIsName: Bool
        if case .identifier = p.peek().kind { nextIsName = true } else { nextIsName = false }
        switch self {
        case .let, .param: return nextIsName
        case .print, .assert, .include: return !p.peek().isSymbol("=")
        case .format: return nextIsName && !p.peek(2).isSymbol("=")
        case .check: return nextIsName && p.peek(2).isKeyword("as")
        case .plan: return nextIsName && p.peek(2).isKeyword("against")
        }
    }

    /// Words that may begin a statement, for did-you-mean on a misspelled first word.
    public static var firstWords: [String] { allCases.map(\.rawValue) + ["load"] }
}
