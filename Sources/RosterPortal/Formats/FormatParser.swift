import RosterDiagnostics
import RosterData
import RosterLanguage

/// Parses a `format NAME ["title"] … end` block: one item per line.
///
///     format mcas "Massachusetts MCAS Portal — Import Users"
///       columns Username, Fname, Lname, Email, Role, Org, Program, Phone, Fax, Address
///       rows per file 200
///       meaning Username = username, Fname = first_name
///       rule Fname required, length 1 to 25 message "First name must be 1-25 characters long"
///       rule Org each "|" pattern "^\d{8}(-\d{8})?$" message "Invalid organization number"
///       check Role == "STC" and not (Org ~ "-") message "Invalid organization and role pairing"
///     end
extension Parser {
    /// A text holding only format blocks (the built-in definitions).
    static func formatBlocks(_ text: String) throws(Diagnostic) -> [FormatDefinition] {
        var p = try Parser(text)
        var out: [FormatDefinition] = []
        while true {
            p.skipNewlines()
            if p.current.kind == .end { return out }
            let start = p.current.range
            try p.expectKeyword("format", "to begin a format block")
            out.append(try p.formatBlock(start: start))
        }
    }

    public mutating func formatBlock(start: SourceRange) throws(Diagnostic) -> FormatDefinition {
        guard let name = current.identifier else { throw unexpected("the format's name after 'format'") }
        _ = advance()
        var title = name
        if case .string(let s) = current.kind { title = s; _ = advance() }
        var f = FormatDefinition(name: name.lowercased(), title: title)
        while true {
            skipNewlines()
            if acceptKeyword("end") { break }
            if current.kind == .end {
                throw .syntax("this format block never ends", at: start, hints: ["close it with a line holding only 'end'"])
            }
            try formatItem(&f)
            guard current.kind == .newline || current.kind == .end else {
                throw unexpected("the end of the line in this format block")
            }
        }
        if f.columns.isEmpty && f.name != "csv" {
            throw .syntax("format \(f.name) lists no columns", at: start, hints: ["add a line: columns NAME, NAME, …"])
        }
        return f
    }

    mutating func formatItem(_ f: inout FormatDefinition) throws(Diagnostic) {
        guard let word = current.identifier?.lowercased() else { throw unexpected("a line such as 'columns …' or 'rule …'") }
        let at = current.range
        guard let item = FormatItem(rawValue: word) else {
            throw Diagnostic(.unknownFormatLine(word), at: at, hints: Suggest.hint(word, in: FormatItem.allCases.map(\.rawValue)))
        }
        _ = advance()
        switch item {
        case .columns:
            f.columns = try columnList()
        case .optional:
            try expectKeyword("columns", "(optional columns NAME, …)")
            if acceptKeyword("starting") {
                f.extensionPrefixes += try textList()
            } else {
                f.optionalColumns = try columnList()
            }
        case .header:
            if acceptKeyword("in") {
                try expectKeyword("order", "(header in order)")
                f.headerInOrder = true
            } else {
                try expectKeyword("ignores", "(header ignores case, or header in order)")
                try expectKeyword("case", "(header ignores case)")
                f.headerIgnoresCase = true
            }
        case .file:
            if acceptKeyword("delimiter") {
                let (d, r) = try text("the delimiter in quotes, as in \",\"")
                guard d.utf8.count == 1 else { throw .syntax("a delimiter is one character, as in \",\"", at: r) }
                try expectKeyword("message", "(file delimiter \",\" message \"…\")")
                f.fileDelimiter = (d, try text("the message in quotes").0)
                break
            }
            try expectKeyword("extension", "(file extension \".csv\" message \"…\", or file delimiter \",\" message \"…\")")
            let ending = try text("the file name ending in quotes, as in \".csv\"").0
            try expectKeyword("message", "(file extension \".csv\" message \"…\")")
            f.fileExtension = (ending, try text("the portal's message in quotes").0)
        case .encoding:
            let (v, r) = try text("an encoding such as \"utf-8\"")
            guard let e = CSVDialect.Encoding(userName: v) else {
                throw .syntax("unknown encoding '\(v)'", at: r, hints: ["use \"utf-8\" or \"windows-1252\""])
            }
            f.encoding = e
        case .newline:
            let (v, r) = try text("\"lf\" or \"crlf\"")
            guard let l = CSVDialect.LineEnding(rawValue: v.lowercased()) else { throw .syntax("newline must be \"lf\", \"crlf\" or \"cr\"", at: r) }
            f.lineEnding = l
        case .bom:
            guard let v = current.identifier?.lowercased(), v == "true" || v == "false" else { throw unexpected("true or false") }
            _ = advance()
            f.byteOrderMark = v == "true"
        case .rows:
            try expectKeyword("per", "(rows per file N)")
            try expectKeyword("file", "(rows per file N)")
            guard let (n, _) = try optionalCount(), n > 0 else { throw unexpected("a number of rows") }
            f.maxRows = n
        case .meaning:
            repeat {
                let (column, _) = try columnName()
                try expectSymbol("=", "between the column and its meaning (meaning Fname = first_name)")
                let (meaning, _) = try columnName("a meaning such as first_name")
                f.meanings[column] = Meaning(rawValue: meaning)
                if acceptKeyword("each") { f.conversion.separators[column] = try text("the separator in quotes, as in each \"|\"").0 }
            } while acceptSymbol(",")
        case .rule:
            f.rules.append(try columnRule(start: at))
            f.order.append(.rule(f.rules.count - 1))
        case .check:
            let e = try expression()
            try expectKeyword("message", "after the condition (check CONDITION message \"…\")")
            let (m, _) = try text("the message")
            f.checks.append(RowCheck(failsWhen: e, message: m))
            f.order.append(.check(f.checks.count - 1))
        case .warn:
            let e = try expression()
            try expectKeyword("message", "after the condition (warn CONDITION message \"…\")")
            f.warnings.append(RowCheck(failsWhen: e, message: try text("the message").0))
        case .unique:
            // unique COL, COL [ignoring case] message "…": the combination appears once in the file.
            let columns = try columnList()
            let ignoring = try ignoringCase()
            if acceptKeyword("warn") {
                f.uniqueWarnings.append((columns, ignoring, try text("the warning").0))
                break
            }
            try expectKeyword("message", "(unique A, B message \"…\", or unique A, B warn \"…\")")
            f.uniqueKeys.append((columns, ignoring, try text("the message").0))
            f.order.append(.uniqueKey(f.uniqueKeys.count - 1))
        case .exists, .known:
            f.stateRules.append(try stateRule(mustBeNew: item == .exists, word))
            f.order.append(.state(f.stateRules.count - 1))
        case .portal:
            try expectKeyword("note", "(portal note \"MESSAGE\" advice \"…\")")
            let message = try text("the portal's message in quotes").0
            try expectKeyword("advice", "(portal note \"MESSAGE\" advice \"…\")")
            f.portalNotes.append((message, try text("what to do, in quotes").0))
        case .messages:
            f.messagesNote = try text("whose words the messages are, in quotes").0
        case .source:
            f.sources.append(try text("the document: title, version or date, section, in quotes").0)
        case .not:
            try expectKeyword("modelled", "(not modelled \"RULE: why\")")
            f.notModelled.append(try text("the rule not modelled and why, in quotes").0)
        case .resolve:
            let message = try text("the portal's message in quotes").0
            try expectKeyword("advice", "(resolve \"MESSAGE\" advice \"…\")")
            f.resolutions.append((message, try text("what to do, in quotes").0))
        case .agree:
            let columns = try columnList()
            try expectKeyword("per", "(agree COL, … per USER message \"…\")")
            let per = try columnName().0
            skipNewlines()
            try expectKeyword("message", "(agree COL, … per USER message \"…\")")
            f.agreements.append(Agreement(columns: columns, per: per, message: try text("the message").0))
            f.order.append(.agreement(f.agreements.count - 1))
        case .one, .crosswalk, .default, .combine, .key, .stable, .existing, .missing, .blank, .compare, .action, .disable, .remove,
            .danger, .notice, .separate, .totals, .popup, .guide:
            try portalItem(item, &f)
        }
    }
    /// `COL [each SEP] [after "C"] in STATE.COLUMN [ignoring case] [when EXPR] message "…"`: a rule
    /// (or a plan's danger) on the portal's own data.
    mutating func stateRule(mustBeNew: Bool, _ word: String) throws(Diagnostic) -> StateRule {
        let (column, _) = try columnName()
        var separator: String?
        if acceptKeyword("each") { separator = try text("the separator in quotes").0 }
        var after: String?
        if acceptKeyword("after") {
            let (a, r) = try text("one character in quotes, as in after \"@\"")
            guard a.count == 1 else { throw .syntax("after takes one character, as in after \"@\"", at: r) }
            after = a
        }
        try expectKeyword("in", "before the portal's table (\(word) COL in users.Username)")
        guard let state = current.identifier else { throw unexpected("the name of the portal's table, as in users.Username") }
        _ = advance()
        var stateColumn = ""
        if acceptSymbol(".") { stateColumn = try columnName().0 }
        var children: String?
        if acceptKeyword("with") {
            try expectKeyword("children", "(with children \"0000000\")")
            let (c, r) = try text("the suffix in quotes that marks a parent, as in with children \"0000000\"")
            guard !c.isEmpty else { throw .syntax("with children needs a suffix, as in \"0000000\"", at: r) }
            children = c
        }
        let ignoring = try ignoringCase()
        var when: Expr?
        if acceptKeyword("when") { when = try expression() }
        try expectKeyword("message", "(… message \"…\")")
        let (m, _) = try text("the message")
        return StateRule(
            column: column, separator: separator, state: state, stateColumn: stateColumn,
            mustBeNew: mustBeNew, ignoringCase: ignoring, when: when, message: m, after: after, children: children)
    }

    /// Column names separated by commas; a list may go on to the next line after a comma.
    mutating func columnList() throws(Diagnostic) -> [String] {
        var out = [try columnName().0]
        while acceptSymbol(",") {
            skipNewlines()
            out.append(try columnName().0)
        }
        return out
    }

    mutating func text(_ what: String) throws(Diagnostic) -> (String, SourceRange) {
        if case .string(let s) = current.kind {
            let r = advance().range
            return (s, r)
        }
        throw unexpected(what)
    }

    mutating func columnRule(start: SourceRange) throws(Diagnostic) -> ColumnRule {
        let (column, _) = try columnName()
        var constraints: [ColumnRule.Constraint] = []
        var separator: String?
        var newUsersOnly = false
        var whenState: String?
        while !atKeyword("message") {
            if acceptKeyword("for") {
                try expectWords(["new", "users"], "(rule COL required for new users message \"…\")")
                newUsersOnly = true
                continue
            }
            if acceptKeyword("when") {
                guard let name = current.identifier else { throw unexpected("the name of a portal setting, as in when hierarchies") }
                _ = advance()
                whenState = name
                continue
            }
            guard let word = current.identifier?.lowercased() else {
                throw unexpected("a constraint (required, length, pattern, one of, unique, each) or 'message'")
            }
            let at = current.range
            _ = advance()
            switch word {
            case "required": constraints.append(.required)
            case "length":
                guard let (a, _) = try optionalCount() else { throw unexpected("the shortest length") }
                try expectKeyword("to", "(length 1 to 25)")
                guard let (b, _) = try optionalCount(), b >= a else { throw unexpected("the longest length, at least the shortest") }
                constraints.append(.length(a, b))
            case "pattern":
                let (p, r) = try text("a pattern in quotes")
                do { try Regex.validate(p) } catch { throw .syntax("bad pattern: \(error.message)", at: r) }
                constraints.append(.pattern(p))
            case "one":
                try expectKeyword("of", "(one of [\"A\", \"B\"])")
                try expectSymbol("[", "to start the list of allowed values")
                var values: [String] = []
                repeat {
                    if atSymbol("]") { break }
                    values.append(try text("an allowed value in quotes").0)
                } while acceptSymbol(",")
                try expectSymbol("]", "to close the list of allowed values")
                let ignoring = try ignoringCase()
                constraints.append(.oneOf(values, ignoringCase: ignoring))
            case "unique": constraints.append(.unique(ignoringCase: try ignoringCase()))
            case "each": separator = try text("the separator in quotes, as in each \"|\"").0
            default:
                throw .syntax(
                    "unknown constraint '\(word)'", at: at, hints: Suggest.hint(word, in: ["required", "length", "pattern", "one", "unique", "each"]))
            }
            _ = acceptSymbol(",")
        }
        _ = advance()  // message
        let (m, _) = try text("the message in quotes")
        var rule = ColumnRule(column: column, constraints: constraints, separator: separator, message: m, range: start)
        rule.newUsersOnly = newUsersOnly
        rule.whenState = whenState
        if acceptKeyword("for") {
            try expectWords(["existing", "users", "message"], "(… message \"…\" for existing users message \"…\")")
            rule.existingUsersMessage = try text("the message for users the portal has, in quotes").0
        }
        return rule
    }

    mutating func ignoringCase() throws(Diagnostic) -> Bool {
        guard acceptKeyword("ignoring") else { return false }
        try expectKeyword("case", "(ignoring case)")
        return true
    }
}
