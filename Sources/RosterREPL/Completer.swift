import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession


/// What completion can offer, taken from the session (and the file system for paths).
public struct CompletionContext {
    /// Bound tables and their columns.
    public var tables: [String: [String]] = [:]
    public var values: [String] = []
    public var formats: [String] = []
    public var verbs: [String] = VerbRegistry.standard.names
    public var functions: [String] = FunctionRegistry.standard.names
    public var metaCommands: [String] = MetaCommands.names
    public var helpTopics: [String] = MetaCommands.helpTopics
    /// Entries of a folder ("" = the current folder); folders end with "/".
    public var listFiles: (String) -> [String] = { _ in [] }

    public init() {}
}

/// The candidates for the text at the cursor, and where (in characters) the replaced text starts.
public struct Completion: Equatable, Sendable {
    public var start: Int
    public var candidates: [String]
    public init(start: Int, candidates: [String]) {
        self.start = start
        self.candidates = candidates
    }

    /// What all candidates begin with (the part Tab can insert when they differ).
    public var commonPrefix: String {
        guard var p = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(p) { p.removeLast() }
        }
        return p
    }
}

/// Tab completion as a pure function, tested without a terminal.
public enum Completer {
    static let statementKeywords = StatementKeyword.firstWords
    static let expressionKeywords = Parser.expressionKeywords

    public static func complete(_ line: String, cursor: Int, _ ctx: CompletionContext) -> Completion {
        let chars = Array(line.prefix(cursor))
        let text = String(chars)

        // Meta-commands.
        if text.hasPrefix(":") {
            if let space = chars.firstIndex(of: " ") {
                let command = String(chars[1..<space])
                let argStart = chars[(space + 1)...].firstIndex { $0 != " " } ?? chars.count
                let partial = String(chars[argStart...])
                switch command {
                case "help": return filtered(partial, ctx.helpTopics, start: argStart)
                case "columns": return filtered(partial, ctx.tables.keys.sorted(), start: argStart)
                case "record": return paths(partial, start: argStart, ctx)
                default: return Completion(start: cursor, candidates: [])
                }
            }
            return filtered(text, ctx.metaCommands.map { ":" + $0 }, start: 0)
        }

        let scan = Scan(chars)
        // Inside a string: file paths after load, save and include.
        if let q = scan.openString {
            let before = scan.wordBefore(q)
            if ["load", "save", "include"].contains(before?.lowercased() ?? "") {
                return paths(String(chars[(q + 1)...]), start: q + 1, ctx)
            }
            return Completion(start: cursor, candidates: [])
        }
        let columns = pipedColumns(chars, ctx)
        // Inside backticks: column names.
        if let b = scan.openBacktick {
            let partial = String(chars[(b + 1)...]).lowercased()
            let names = columns.filter { $0.lowercased().hasPrefix(partial) }.map { "`\($0)`" }
            return Completion(start: b, candidates: unique(names))
        }
        // The word at the cursor.
        var ws = chars.count
        while ws > 0, isWordChar(chars[ws - 1]) { ws -= 1 }
        let word = String(chars[ws...])
        if ws > 0 && chars[ws - 1] == "$" {
            return filtered("$" + word, ctx.values.map { "$" + $0 }, start: ws - 1)
        }
        if ws > 0 && chars[ws - 1] == ".", let table = scan.wordBefore(ws - 1, adjacent: true), let cols = ctx.tables[table] {
            return filtered(word, cols.map(Evaluator.spell), start: ws)
        }
        let previous = scan.tokenBefore(ws)
        switch previous?.lowercased() {
        case "|":
            return filtered(word, ctx.verbs, start: ws)
        case "left":
            return filtered(word, ["join"], start: ws)
        case "join", "append", "diff":
            return filtered(word, ctx.tables.keys.sorted(), start: ws)
        case "as":
            if scan.segmentVerb(ws).map({ ["load", "save"].contains($0) }) == true || scan.statementHasLoadBefore(ws) {
                return filtered(word, ctx.formats, start: ws)
            }
            return Completion(start: cursor, candidates: [])
        case "using":
            return filtered(word, ctx.values.map { "$" + $0 }, start: ws)
        case nil:
            return filtered(word, statementKeywords + ctx.tables.keys.sorted(), start: ws)
        case "=" where scan.isBindingEquals(ws):
            return filtered(word, ["load"] + ctx.tables.keys.sorted(), start: ws)
        default:
            var names = columns.map(Evaluator.spell)
            names += ctx.functions.map { $0 + "(" }
            names += expressionKeywords
            names += ctx.tables.keys.sorted()
            return filtered(word, names, start: ws)
        }
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Candidates that begin with `partial` (ignoring case), sorted, without repeats.
    static func filtered(_ partial: String, _ names: [String], start: Int) -> Completion {
        let p = partial.lowercased()
        // A backticked name matches on the name inside the backticks.
        let matching = names.filter { n in
            let bare = n.hasPrefix("`") && !p.hasPrefix("`") ? String(n.dropFirst()) : n
            return bare.lowercased().hasPrefix(p)
        }
        let key = { (n: String) in (n.hasPrefix("`") ? String(n.dropFirst()) : n).lowercased() }
        return Completion(start: start, candidates: unique(matching).sorted { key($0) == key($1) ? $0 < $1 : key($0) < key($1) })
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static func paths(_ partial: String, start: Int, _ ctx: CompletionContext) -> Completion {
        let dir: String
        let name: String
        if let slash = partial.lastIndex(of: "/") {
            dir = String(partial[...slash])
            name = String(partial[partial.index(after: slash)...])
        } else {
            dir = ""
            name = partial
        }
        let entries = ctx.listFiles(dir).filter { $0.hasPrefix(name) && (!$0.hasPrefix(".") || name.hasPrefix(".")) }
        return Completion(start: start, candidates: entries.sorted().map { dir + $0 })
    }

    /// Columns of the table being piped on this line: the source table's, plus the names that
    /// `set`, `select` and `rename … as` add before the cursor.
    static func pipedColumns(_ chars: [Character], _ ctx: CompletionContext) -> [String] {
        let words = Scan(chars).words
        var columns: [String] = []
        // The source: the first table name after `NAME =` (or at the start), else after `|`-less start.
        var i = 0
        if words.count >= 2 && words[1] == "=" { i = 2 }
        if i < words.count, let cols = ctx.tables[words[i]] { columns = cols }
        // New names: `set X =`, `select X =`, `, X =`, `as X`.
        for k in 0..<words.count {
            if k + 1 < words.count, words[k + 1] == "=", k > 0, ["set", "select", ","].contains(words[k - 1].lowercased()) {
                columns.append(words[k].trimmingCharacters(in: "`"))
            }
            if words[k].lowercased() == "as", k + 1 < words.count { columns.append(words[k + 1].trimmingCharacters(in: "`")) }
        }
        return unique(columns)
    }
}

/// A light scan of a line (strings, backticks and words), enough to know where the cursor stands.
struct Scan {
    let chars: [Character]
    /// Where an unclosed string begins (its quote), if the line ends inside one.
    var openString: Int?
    /// Where an unclosed backticked name begins.
    var openBacktick: Int?
    /// Words and symbols outside strings, in order.
    var words: [String] = []
    /// The start of each word.
    var starts: [Int] = []

    init(_ chars: [Character]) {
        self.chars = chars
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" || c == "'" {
                let start = i
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\" { i += 2; continue }
                    if chars[i] == c { closed = true; break }
                    i += 1
                }
                if !closed { openString = start; break }
                words.append(String(chars[start...i])); starts.append(start)
                i += 1
                continue
            }
            if c == "`" {
                let start = i
                i += 1
                while i < chars.count && chars[i] != "`" { i += 1 }
                if i >= chars.count { openBacktick = start; break }
                words.append(String(chars[start...i])); starts.append(start)
                i += 1
                continue
            }
            if c == "#" { break }
            if Completer.isWordChar(c) {
                let start = i
                while i < chars.count && Completer.isWordChar(chars[i]) { i += 1 }
                words.append(String(chars[start..<i])); starts.append(start)
                continue
            }
            if c != " " && c != "\t" && c != "\n" {
                if (c == "=" || c == "!" || c == "<" || c == ">") && i + 1 < chars.count && chars[i + 1] == "=" {
                    words.append(String(chars[i...(i + 1)])); starts.append(i)
                    i += 2
                    continue
                }
                words.append(String(c)); starts.append(i)
            }
            i += 1
        }
    }

    /// The last word or symbol that ends before `position`.
    func tokenBefore(_ position: Int) -> String? {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        return k >= 0 ? words[k] : nil
    }

    /// The word right before `position` (skipping spaces); with `adjacent`, only if it touches it.
    func wordBefore(_ position: Int, adjacent: Bool = false) -> String? {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        guard k >= 0 else { return nil }
        if adjacent && starts[k] + words[k].count != position { return nil }
        return words[k]
    }

    /// The first word of the pipeline segment holding `position` (the verb, or `load`).
    func segmentVerb(_ position: Int) -> String? {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        while k >= 0 && words[k] != "|" {
            if k == 0 || words[k - 1] == "|" || words[k - 1] == "=" { return words[k].lowercased() }
            k -= 1
        }
        return nil
    }

    func statementHasLoadBefore(_ position: Int) -> Bool {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        while k >= 0 && words[k] != "|" {
            if words[k].lowercased() == "load" { return true }
            k -= 1
        }
        return false
    }

    /// True for the `=` of `NAME = …` at the start of a statement.
    func isBindingEquals(_ position: Int) -> Bool {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        return k == 1 && words[1] == "="
    }
}
