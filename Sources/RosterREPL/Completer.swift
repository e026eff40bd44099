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
    /// The sheets of a workbook, by the path a script gives.
    public var sheetNames: (String) -> [String] = { _ in [] }

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
            // load "staff.xlsx" sheet="… : the workbook's sheet names.
            let earlier = scan.tokensBefore(q)
            if before == "=", earlier.dropLast().last?.lowercased() == "sheet", let file = scan.loadedPath(before: q) {
                let partial = String(chars[(q + 1)...]).lowercased()
                return Completion(start: q + 1, candidates: ctx.sheetNames(file).filter { $0.lowercased().hasPrefix(partial) })
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
        case let first? where scan.tokensBefore(ws).dropLast().last == "|" && ctx.verbs.contains(where: { $0.hasPrefix(first.lowercased() + " ") }):
            // The second word of a two-word verb (`left join`).
            let rest = ctx.verbs.filter { $0.hasPrefix(first.lowercased() + " ") }.map { String($0.dropFirst(first.count + 1)) }
            return filtered(word, rest, start: ws)
        case "join", "append", "diff":
            return filtered(word, ctx.tables.keys.sorted(), start: ws)
        case "as":
            // `select A as B`, `rename A as B` name a column; every other `as` names a format
            // (load, save, validate, fix, plan, actions, check).
            let verb = scan.segmentVerb(ws) ?? scan.words.first?.lowercased()
            if verb == "select" || verb == "rename" { return Completion(start: cursor, candidates: []) }
            return filtered(word, ctx.formats, start: ws)
        case "to" where scan.segmentVerb(ws) == "convert":
            return filtered(word, ctx.formats, start: ws)
        case let p? where p.hasPrefix("\"") && p.count >= 2 && p.hasSuffix("\"") && ["load", "save"].contains(scan.segmentVerb(ws) ?? ""):
            // After the file of a load or save: its options (and `as`).
            let options = scan.segmentVerb(ws) == "load" ? LoadOption.names : SaveOption.names
            return filtered(word, options.map { $0 + "=" } + ["as"], start: ws)
        case "="
        where ["load", "save"].contains(scan.segmentVerb(ws) ?? "")
            && scan.tokensBefore(ws).dropLast().last.map { LoadOption.named($0) != nil || SaveOption.named($0) != nil } == true:
            // An option's value: the values it takes, in quotes.
            let name = scan.tokensBefore(ws).dropLast().last!
            let allowed = (scan.segmentVerb(ws) == "load" ? LoadOption.named(name)?.allowed : SaveOption.named(name)?.allowed) ?? []
            return filtered(word, allowed.filter { $0 != "NAME" }.map { "\"\($0)\"" }, start: ws)
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

/// The line's tokens as the lexer reads them (tolerating what is still being typed), with their
/// places in characters, which is what the cursor counts in.
struct Scan {
    let chars: [Character]
    /// Where an unclosed string begins (its quote), if the line ends inside one.
    var openString: Int?
    /// Where an unclosed backticked name begins.
    var openBacktick: Int?
    /// Tokens as written (strings with their quotes, names with their backticks), in order.
    var words: [String] = []
    /// The start of each word, in characters.
    var starts: [Int] = []

    init(_ chars: [Character]) {
        self.chars = chars
        let text = String(chars)
        let utf8 = Array(text.utf8)
        // Byte offset → character index.
        var charAt = [Int](repeating: chars.count, count: utf8.count + 1)
        var offset = 0
        for (k, c) in chars.enumerated() {
            let n = String(c).utf8.count
            for b in offset..<min(offset + n, utf8.count) { charAt[b] = k }
            offset += n
        }
        let line = Lexer.partial(text)
        for t in line.tokens {
            let end = min(t.range.end, utf8.count)
            words.append(String(decoding: utf8[t.range.offset..<end], as: UTF8.self))
            starts.append(charAt[t.range.offset])
        }
        openString = line.openString.map { charAt[$0] }
        openBacktick = line.openBacktick.map { charAt[$0] }
    }

    /// The words and symbols that start before `position`.
    func tokensBefore(_ position: Int) -> ArraySlice<String> {
        words[..<(starts.firstIndex { $0 >= position } ?? words.count)]
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

    /// The file of the `load "…"` before `position` in this segment, without its quotes.
    func loadedPath(before position: Int) -> String? {
        var k = starts.count - 1
        while k >= 0 && starts[k] >= position { k -= 1 }
        while k > 0 && words[k] != "|" {
            if words[k - 1].lowercased() == "load", words[k].hasPrefix("\""), words[k].count >= 2, words[k].hasSuffix("\"") {
                return String(words[k].dropFirst().dropLast())
            }
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
