/// The lines a `format … end` block may hold: their first word, syntax and help. The format parser
/// switches over this enum, so a new line cannot be forgotten there, and `:help format`, the
/// completer and the grammar test take their lists from it.
public enum FormatItem: String, CaseIterable, Sendable {
    // The file and its rules.
    case columns, optional, header, file, encoding, newline, bom, rows, meaning, rule, check, warn, exists, known, unique, agree, portal, resolve, messages
    // Where the format's rules come from.
    case source, not
    // Conversions.
    case one, crosswalk, `default`, combine
    // What the portal does with an upload.
    case key, stable, existing, missing, blank, compare, action, disable, remove, danger, notice, separate, totals, popup, guide

    public var syntax: String {
        switch self {
        case .columns: "columns NAME, ..."
        case .optional: "optional columns NAME, ... | optional columns starting \"PREFIX\", ..."
        case .header: "header ignores case | header in order"
        case .file: "file extension \".csv\" message \"…\" | file delimiter \",\" message \"…\""
        case .encoding: "encoding \"utf-8\" | \"windows-1252\""
        case .newline: "newline \"lf\" | \"crlf\""
        case .bom: "bom true | false"
        case .rows: "rows per file N"
        case .meaning: "meaning COL = MEANING [each \"SEP\"], ..."
        case .rule: "rule COL CONSTRAINT, ... [for new users] [when SETTING] message \"…\" [for existing users message \"…\"]"
        case .check: "check EXPR message \"…\""
        case .warn: "warn EXPR message \"…\""
        case .exists, .known: "\(rawValue) COL [each \"SEP\"] [after \"C\"] in STATE.COL [with children \"SUFFIX\"] [ignoring case] [when EXPR] message \"…\""
        case .unique: "unique COL, ... [ignoring case] message \"…\" | warn \"…\""
        case .agree: "agree COL, ... per COL message \"…\""
        case .portal: "portal note \"MESSAGE\" advice \"…\""
        case .resolve: "resolve \"MESSAGE\" advice \"…\""
        case .messages: "messages \"…\""
        case .source: "source \"TITLE, VERSION OR DATE, SECTION\""
        case .not: "not modelled \"RULE: why\""
        case .one: "one row per user and MEANING | one role per user, highest first \"A\", ..."
        case .crosswalk: "crosswalk MEANING from FORMAT {\"from\": \"to\", ...}"
        case .default: "default COL = EXPR, ..."
        case .combine: "combine MEANING \"A\" + \"B\" = \"C\""
        case .key: "key COL, ... [ignoring case]"
        case .stable: "stable id COL [advice \"…\"]"
        case .existing: "existing users are activated"
        case .missing: "missing users are archived | untouched message \"…\" [warn \"…\"]"
        case .blank: "blank cells erase"
        case .compare: "compare COL, ... [ignoring case] [blank as \"V\"] [treating \"A\" as \"B\", ...]"
        case .action: "action column COL create \"…\", ... update \"…\", ..."
        case .disable: "disable when EXPR [by COL = \"V\" [reason COL]] [again \"…\"]"
        case .remove: "remove when EXPR [by COL = \"V\"] message \"…\""
        case .danger: "danger when EXPR [for existing users | for missing users] | unique COL | COL in STATE.COL [ignoring case] message \"…\""
        case .notice: "notice when EXPR [for existing users | for missing users] message \"…\""
        case .separate: "separate uploads \"NAME\" = ACTION + ..., ..."
        case .totals: "totals \"LABEL\" = COUNT + ..., ..."
        case .popup: "popup success \"…\" partial \"…\" failure \"…\""
        case .guide: "guide \"…\""
        }
    }

    public var summary: String {
        switch self {
        case .columns: "the file's columns, in the portal's order and spelling"
        case .optional: "columns the file may leave out, or whose names begin so (extension columns, carried as they are)"
        case .header: "the portal matches the header without regard to case, or expects its columns in order"
        case .file: "the file name ending or the delimiter the portal accepts, and what to say of any other"
        case .encoding: "the encoding upload files are written in"
        case .newline: "the line ending upload files are written with"
        case .bom: "whether upload files begin with a byte-order mark"
        case .rows: "the most rows one upload file may hold"
        case .meaning: "what a column means, for conversions (first_name, email, role, organization …)"
        case .rule: "constraints on one column (required, length, pattern, one of, unique, each) and the portal's message"
        case .check: "a row where EXPR is true is rejected with the message"
        case .warn: "a row where EXPR is true is accepted with a warning"
        case .exists: "a value that must not be among the portal's own (with users = …)"
        case .known: "a value that must be among the portal's own (with orgs = …)"
        case .unique:
            "a combination of columns that may appear once in the file (warn: a repeat the portal's documents do not reject, said and planned as a danger)"
        case .agree: "columns every row of one user must agree on"
        case .portal: "a message of the portal's error file that depends on its own data: kept on the row, with what to do"
        case .resolve: "how the portal's guide says to resolve one of its messages (shown by check and in validate's How to Resolve column)"
        case .messages: "whose words the format's messages are (roster's, where the portal's documents give none), said with each check"
        case .source: "a document the format's rules come from (shown by :help FORMAT); a `# source:` comment names the section beside each rule"
        case .not: "a rule the sources state that the format does not model, and why (shown by :help FORMAT)"
        case .one: "how rows are shaped: one per user and organization or group, or one role per user"
        case .crosswalk: "how another format's values of a meaning map to this one's"
        case .default: "the value a blank column gets when converting"
        case .combine: "values one person holds together at one organization, and the portal's one value for them (TOMS: TA + TE)"
        case .key: "the columns that identify a user to the portal"
        case .stable: "a column that identifies a user across changes of the key"
        case .existing: "uploading an existing, inactive user activates it"
        case .missing: "what the portal does with its users the file leaves out"
        case .blank: "a blank cell erases the stored value"
        case .compare: "how the portal compares a column: ignoring case, what a blank stands for, spellings it takes as one"
        case .action: "the column that says what to do with each row, and its words for create and update"
        case .disable: "the rows that disable a user, and how an update row disables a leaver"
        case .remove: "the rows that remove a user, and why"
        case .danger: "rows a plan warns about, with the message; a save as the format withholds them for a person"
        case .notice: "rows a plan warns about that a save still writes (what the row means to do)"
        case .separate: "the uploads the portal takes as separate files, by action"
        case .totals: "the summary lines the portal prints after an upload"
        case .popup: "the message the portal shows after an upload; {successCount} is the rows it took"
        case .guide: "what the portal's guide advises for every upload, said with each plan"
        }
    }
}
