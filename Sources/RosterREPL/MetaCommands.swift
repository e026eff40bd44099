import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession

/// A REPL command beginning with `:`.
public struct MetaCommand: Sendable {
    public enum Kind: Sendable { case help, tables, columns, formats, record, undo, redo, quit }
    public let kind: Kind
    public let name: String
    public let arguments: String
    public let summary: String
    public let example: String
}

/// The one table of meta-commands: it drives dispatch, `:help` and completion.
public enum MetaCommands {
    public static let all: [MetaCommand] = [
        MetaCommand(
            kind: .help, name: "help", arguments: "[TOPIC]",
            summary: "list what there is, or explain a statement, verb, function, meta-command, `load`, `format`, `operators` or `keys`",
            example: ":help collapse"),
        MetaCommand(kind: .tables, name: "tables", arguments: "", summary: "the tables bound in this session, with their size", example: ":tables"),
        MetaCommand(
            kind: .columns, name: "columns", arguments: "TABLE", summary: "a table's columns with their blank and distinct values and an example",
            example: ":columns users"),
        MetaCommand(kind: .formats, name: "formats", arguments: "", summary: "the file formats roster knows", example: ":formats"),
        MetaCommand(
            kind: .record, name: "record", arguments: "FILE | off",
            summary:
                "write every statement that succeeds from now on into a new recipe file (which `roster FILE` runs); an existing file only with :record! FILE; `off` stops",
            example: ":record rollover.roster"),
        MetaCommand(
            kind: .undo, name: "undo", arguments: "[N]",
            summary: "undo the last statement (or N): a binding goes back to what it was; each leaves the recording, which stays a recipe that runs",
            example: ":undo 2"),
        MetaCommand(
            kind: .redo, name: "redo", arguments: "[N]", summary: "redo what :undo undid (a save writes again); it returns to the recording",
            example: ":redo"),
        MetaCommand(kind: .quit, name: "quit", arguments: "", summary: "leave (Ctrl-D on an empty line does too)", example: ":quit"),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func command(named name: String) -> MetaCommand? {
        let n = name.lowercased()
        if n == "q" || n == "exit" { return all.first { $0.kind == .quit } }
        return all.first { $0.name == n }
    }

    /// Everything `:help TOPIC` can explain.
    public static var helpTopics: [String] {
        let words =
            StatementKeyword.allCases.map(\.rawValue) + ["load"] + VerbRegistry.standard.names.filter { !$0.contains(" ") }
            + FunctionRegistry.standard.names + FormatRegistry.standard.names + ["operators", "keys"]
        var seen = Set<String>()
        return names.map { ":" + $0 } + words.filter { seen.insert($0).inserted }
    }

    /// The line-editing keys, for `:help keys` and the README.
    public static let keys: [(String, String)] = [
        ("← → Home End, Ctrl-A Ctrl-E", "move in the line (Alt-B/Alt-F by word)"),
        ("↑ ↓", "earlier and later lines, also from earlier sessions"),
        ("Ctrl-R", "search the history backwards as you type"),
        ("Tab", "complete a verb, column, table, $value, function, format or file name"),
        ("Ctrl-K, Ctrl-U, Ctrl-W", "delete to the end, to the start, the word before"),
        ("Ctrl-C", "drop the line being typed; stop a running statement (the tables stay as they were)"),
        ("Ctrl-D", "leave, on an empty line"),
    ]

    public static let operatorsHelp = """
        Operators, loosest first: or, and, not, comparisons (== != < <= > >= in, not in, like, ~),
        & (joins text), ?? (a ?? b is b where a is blank), + -, * /, unary -.
          Role in ["TA", "STC"]        lower(Email) in lower(hr.email)
          Email like "*@district.org"  Org ~ "^\\d{8}(-\\d{8})?$"
        """
}
