import RosterDiagnostics
import RosterData
import RosterLanguage

/// The lines of a `format` block that describe conversions and the portal's upload behaviour:
///
///     meaning Org = organization each "|"
///     one row per user and organization
///     one role per user, highest first "DTC", "STC", "TC", "TA", "RAO"
///     crosswalk role from oneroster {"administrator": "STC", "teacher": "TA"}
///     default "State Code" = "CA"
///     key Username ignoring case
///     stable id idnumber
///     existing users are activated
///     missing users are archived message "…" warn "…"
///     blank cells erase
///     action column Action create "Create", "C" update "Update", "U"
///     disable when lower(Disabled) == "yes"
///     remove when upper(group_user_active) != "TRUE" message "…"
///     danger when isblank(group_user_active) message "…"
///     separate uploads "Add New Users" = create, "Update Existing Users" = update + unchanged
///     totals "Number of Users Created" = created, "Number of Records Rejected" = rejected
extension Parser {
    /// Parses a line about conversions or uploads (its first word already consumed).
    mutating func portalItem(_ item: FormatItem, _ f: inout FormatDefinition) throws(Diagnostic) {
        let word = item.rawValue
        switch item {
        case .one:
            if acceptKeyword("row") {
                try expectWords(["per", "user", "and"], "(one row per user and organization)")
                f.conversion.rowPer = Meaning(rawValue: try columnName("a meaning such as organization or group").0)
            } else {
                try expectWords(["role", "per", "user"], "(one role per user, highest first \"A\", \"B\")")
                _ = acceptSymbol(",")
                try expectWords(["highest", "first"], "(one role per user, highest first \"A\", \"B\")")
                f.conversion.roleRank = try textList()
            }
        case .crosswalk:
            let meaning = try columnName("the meaning it maps, such as role").0
            try expectKeyword("from", "(crosswalk role from oneroster {…})")
            let from = try formatName()
            let e = try expression()
            guard case .map(let pairs) = e.kind else { throw .syntax("a crosswalk needs a map such as {\"teacher\": \"TA\"}", at: e.range) }
            var entries: [(key: String, value: String)] = []
            for (k, v) in pairs {
                guard case .text(let key) = k.kind, case .text(let value) = v.kind else {
                    throw .syntax("crosswalk keys and values are text in quotes", at: k.range.through(v.range))
                }
                entries.append((key, value))
            }
            f.conversion.crosswalks.append(Crosswalk(meaning: Meaning(rawValue: meaning), from: from, entries: entries))
        case .default:
            repeat {
                let column = try columnName().0
                try expectSymbol("=", "(default COL = VALUE)")
                f.conversion.defaults.append((column, try expression()))
            } while acceptSymbol(",")
        case .key:
            f.upload.key = try columnList()
            f.upload.keyIgnoresCase = try ignoringCase()
        case .stable:
            try expectKeyword("id", "(stable id COLUMN)")
            f.upload.stableID = try columnName().0
            if acceptKeyword("advice") { f.upload.stableIDAdvice = try text("the guide's advice in quotes").0 }
        case .existing:
            try expectWords(["users", "are", "activated"], "(existing users are activated)")
            f.upload.existingActivated = true
        case .missing:
            try expectWords(["users", "are"], "(missing users are archived message \"…\")")
            guard let a = current.identifier.flatMap({ UploadBehaviour.MissingUsers.Action(rawValue: $0.lowercased()) }) else {
                throw unexpected("archived or untouched")
            }
            _ = advance()
            try expectKeyword("message", "(missing users are \(a.rawValue) message \"…\")")
            let reason = try text("the reason in quotes").0
            var danger: String?
            if acceptKeyword("warn") { danger = try text("the warning in quotes").0 }
            f.upload.missing = .init(action: a, reason: reason, danger: danger)
        case .blank:
            try expectWords(["cells", "erase"], "(blank cells erase)")
            f.upload.blankErases = true
        case .action:
            try expectKeyword("column", "(action column COL create \"Create\" update \"Update\")")
            let column = try columnName().0
            try expectKeyword("create", "(action column COL create \"Create\", \"C\" update \"Update\", \"U\")")
            let create = try textList()
            try expectKeyword("update", "(action column COL create \"Create\", \"C\" update \"Update\", \"U\")")
            f.upload.actionColumn = (column, create, try textList())
        case .compare:
            let columns = try columnList()
            var c = UploadBehaviour.Comparison()
            c.ignoringCase = try ignoringCase()
            if acceptKeyword("blank") {
                try expectKeyword("as", "(blank as \"VALUE\")")
                c.blankAs = try text("the value a blank stands for, in quotes").0
            }
            if acceptKeyword("treating") {
                repeat {
                    let value = try text("a value in quotes (treating \"1\" as \"Active\")").0
                    try expectKeyword("as", "(treating \"1\" as \"Active\")")
                    c.treating.append((value, try text("the value it stands for, in quotes").0))
                } while acceptSymbol(",")
            }
            for column in columns { f.upload.comparisons[column] = c }
        case .disable:
            try expectKeyword("when", "(disable when CONDITION)")
            f.upload.disableWhen = try expression()
            if acceptKeyword("by") {
                let column = try columnName().0
                try expectSymbol("=", "(by Disabled = \"Yes\")")
                let value = try text("the value that disables, in quotes").0
                var reason: String?
                if acceptKeyword("reason") { reason = try columnName().0 }
                f.upload.disableBy = (column, value, reason)
            }
            if acceptKeyword("again") { f.upload.disabledAgain = try text("what disabling a disabled account does, in quotes").0 }
        case .remove:
            try expectKeyword("when", "(remove when CONDITION message \"…\")")
            let e = try expression()
            if acceptKeyword("by") {
                let column = try columnName().0
                try expectSymbol("=", "(by group_user_active = \"FALSE\")")
                f.upload.removeBy = (column, try text("the value that removes, in quotes").0)
            }
            try expectKeyword("message", "(remove when CONDITION [by COL = \"V\"] message \"…\")")
            f.upload.removeWhen = (e, try text("the message in quotes").0)
        case .danger, .notice:
            if item == .notice { try expectKeyword("when", "(notice when CONDITION message \"…\")") }
            if item == .notice || acceptKeyword("when") {
                let e = try expression()
                var scope = RowCheck.Scope.allRows
                if acceptKeyword("for") {
                    if acceptKeyword("existing") {
                        scope = .existingUsers
                    } else {
                        try expectKeyword("missing", "(danger when CONDITION for existing users | for missing users message \"…\")")
                        scope = .missingUsers
                    }
                    try expectKeyword("users", "(for existing users, or for missing users)")
                }
                try expectKeyword("message", "(danger when CONDITION [for existing users | for missing users] message \"…\")")
                var check = RowCheck(failsWhen: e, message: try text("the message in quotes").0, scope: scope)
                check.holds = item == .danger
                f.upload.dangers.append(check)
            } else if acceptKeyword("unique") {
                let column = try columnName().0
                try expectKeyword("message", "(danger unique COL message \"…\")")
                f.upload.uniqueDangers.append((column, try text("the message in quotes").0))
            } else {
                f.upload.stateDangers.append(try stateRule(mustBeNew: true, word))
            }
        case .popup:
            try expectKeyword("success", "(popup success \"…\" partial \"…\" failure \"…\")")
            let success = try text("the message in quotes").0
            skipNewlines()
            try expectKeyword("partial", "(popup success \"…\" partial \"…\" failure \"…\")")
            let partial = try text("the message in quotes").0
            skipNewlines()
            try expectKeyword("failure", "(popup success \"…\" partial \"…\" failure \"…\")")
            f.upload.popup = .init(success: success, partial: partial, failure: try text("the message in quotes").0)
        case .separate:
            try expectKeyword("uploads", "(separate uploads \"NAME\" = create, …)")
            f.upload.separateUploads = try labelledSums("an action such as create") { w in
                PlanAction.allCases.first { $0.rawValue.lowercased() == w.lowercased() }
            }
        case .totals:
            f.upload.totals = try labelledSums("a count such as created") { PlanCount(rawValue: $0.lowercased()) }
        case .combine:
            let (meaning, _) = try columnName("a meaning such as role")
            var parts = [try text("a value in quotes").0]
            while acceptSymbol("+") { parts.append(try text("a value in quotes").0) }
            try expectSymbol("=", "(combine role \"A\" + \"B\" = \"C\")")
            f.conversion.combinations.append((Meaning(rawValue: meaning), parts, try text("the combined value in quotes").0))
        case .guide:
            f.guidance.append(try text("the guide's advice in quotes").0)
        case .columns, .optional, .header, .file, .encoding, .newline, .bom, .rows, .meaning, .rule, .check, .warn, .exists,
            .known, .unique, .agree, .portal, .resolve, .messages, .source, .not:
            break  // the file's own lines, parsed by formatItem
        }
    }

    /// `"label" = word + word, …`, a list that may go on to the next line after a comma; `parse` turns
    /// each word into an action or a count.
    mutating func labelledSums<T: RawRepresentable & CaseIterable>(_ what: String, _ parse: (String) -> T?) throws(Diagnostic) -> [(String, [T])]
    where T.RawValue == String {
        var out: [(String, [T])] = []
        repeat {
            skipNewlines()
            let (label, _) = try text("a label in quotes")
            try expectSymbol("=", "after the label (\"Number of Users Created\" = created)")
            var items: [T] = []
            repeat {
                guard let w = current.identifier else { throw unexpected(what) }
                guard let item = parse(w) else {
                    let known = T.allCases.map { $0.rawValue.lowercased() }
                    throw .syntax(
                        "unknown word '\(w)': expected \(what)", at: current.range,
                        hints: Suggest.hint(w, in: known) + ["one of: " + known.joined(separator: ", ")])
                }
                _ = advance()
                items.append(item)
            } while acceptSymbol("+")
            out.append((label, items))
        } while acceptSymbol(",")
        return out
    }

    /// `"A", "B", …` or `["A", "B", …]`.
    mutating func textList() throws(Diagnostic) -> [String] {
        let bracketed = acceptSymbol("[")
        var out: [String] = []
        repeat {
            skipNewlines()
            if bracketed && atSymbol("]") { break }
            out.append(try text("a value in quotes").0)
        } while acceptSymbol(",")
        if bracketed { try expectSymbol("]", "to close the list") }
        return out
    }

    mutating func expectWords(_ words: [String], _ context: String) throws(Diagnostic) {
        for w in words { try expectKeyword(w, context) }
    }
}
