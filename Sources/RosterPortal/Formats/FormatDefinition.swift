import RosterDiagnostics
import RosterData
import RosterLanguage

/// A portal's upload file described as data: its header, file conventions, what each column means,
/// and the rules the portal applies with the portal's own messages. Built-in formats are written in
/// the same `format … end` syntax a district can use for its own portal (see Grammar/roster.ebnf).
public struct FormatDefinition: Sendable {
    public var name: String
    public var title: String
    /// The header, in the order the portal expects.
    public var columns: [String] = []
    /// Columns a file may add (TAO's `group_user_active`).
    public var optionalColumns: [String] = []
    /// The columns and then the optional columns not among them, each once (a column may be named in
    /// both: in the file's order, and as one the file may leave out).
    public var allColumns: [String] { columns + optionalColumns.filter { !columns.contains($0) } }
    /// Name beginnings of further columns a file may add, carried as they are (OneRoster's extension
    /// fields, `metadata.…`): `optional columns starting "metadata."`.
    public var extensionPrefixes: [String] = []
    /// Whether header names match ignoring letter case and surrounding spaces.
    public var headerIgnoresCase = false
    /// Whether the portal expects the columns in the order `columns` gives (`header in order`).
    public var headerInOrder = false
    /// The file name ending the portal accepts, and the portal's message for any other
    /// (`file extension ".csv" message "…"`).
    public var fileExtension: (ending: String, message: String)?
    /// The one delimiter the portal reads, and what to say of a file with another
    /// (`file delimiter "," message "…"`: PearsonAccess wants comma-delimited files).
    public var fileDelimiter: (delimiter: String, message: String)?
    public var encoding: CSVDialect.Encoding = .utf8
    public var lineEnding: CSVDialect.LineEnding = .crlf
    public var byteOrderMark = false
    /// Rows per upload file, when the portal limits it.
    public var maxRows: Int?
    /// Column → shared meaning (`first_name`, `email`, `role`, `organizations` …), for conversions.
    public var meanings: [String: Meaning] = [:]
    public var rules: [ColumnRule] = []
    public var checks: [RowCheck] = []
    public var stateRules: [StateRule] = []
    /// Conditions the portal accepts but warns about (TAO: `user_active` given as 1 or 0).
    public var warnings: [RowCheck] = []
    /// Column combinations that may appear once (TAO: one row per user and group).
    public var uniqueKeys: [(columns: [String], ignoringCase: Bool, message: String)] = []
    /// Column combinations whose repeats the portal's documents do not say it rejects: accepted with a
    /// warning by `check`, a danger in a plan (`unique COL, … warn "…"`).
    public var uniqueWarnings: [(columns: [String], ignoringCase: Bool, message: String)] = []
    /// Columns that must hold the same value on every row of one user (TAO: a user's name, e-mail,
    /// language … across its group rows): `agree COL, … per COL message "…"`.
    public var agreements: [Agreement] = []
    /// Messages of the portal's error file that depend on the portal's own state, with what to do
    /// about each (`portal note "User exists with same username" advice "…"`).
    public var portalNotes: [(message: String, advice: String)] = []
    /// How the portal's guide says to resolve one of the messages roster checks itself
    /// (`resolve "Invalid role" advice "Add a valid role abbreviation."`: MCAS Table 6).
    public var resolutions: [(message: String, advice: String)] = []
    /// Whose words the messages are, where they are not the portal's (`messages "roster's words: …"`).
    public var messagesNote: String?
    /// The documents the format's rules come from (`source "…"`).
    public var sources: [String] = []
    /// Rules the sources state that the format does not model, each with why (`not modelled "…"`).
    public var notModelled: [String] = []
    /// What the portal's guide advises for every upload, said with each plan (`guide "…"`).
    public var guidance: [String] = []
    /// Rules and checks in the order written: messages follow it.
    public var order: [RuleRef] = []
    /// How other tables are reshaped into this format (`convert to`).
    public var conversion = ConversionFacts()
    /// What the portal does with an upload (`plan`).
    public var upload = UploadBehaviour()

    /// `portalNote`: a message in the `Notes` column of the portal's error file that roster cannot
    /// check itself, kept on the row as the portal's word.
    public enum RuleRef: Sendable, Hashable { case rule(Int), check(Int), state(Int), uniqueKey(Int), agreement(Int), portalNote }

    /// Columns with a `required` rule.
    public var requiredColumns: [String] {
        columns.filter { c in rules.contains { $0.column == c && $0.constraints.contains(.required) } }
    }

    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }

    /// Whether a column holds secrets: by its name (`Secrets`), or because the format says it means
    /// `password`.
    public func isSecret(_ column: String) -> Bool {
        Secrets.isSecret(column) || meanings[column] == .password
    }

    /// Whether a rule is about a secret column (its values are then never shown).
    public func isSecret(_ rule: RuleRef) -> Bool {
        if case .rule(let k) = rule { return isSecret(rules[k].column) }
        return false
    }

    /// The portal's messages roster checks itself, in the form `noteKey` gives: a `Notes` entry with one of
    /// them is replaced by roster's own verdict; any other entry is the portal's word and stays.
    public var selfCheckedMessages: Set<String> {
        var out = Set(
            rules.map(\.message) + rules.compactMap(\.existingUsersMessage) + checks.map(\.message) + uniqueKeys.map(\.message) + agreements.map(\.message))
        out.formUnion(stateRules.map(\.message))
        out.subtract(portalNotes.map(\.message))
        return Set(out.map(Self.noteKey))
    }

    /// A message without case, surrounding spaces or a closing full stop (the portal's error file
    /// writes "Invalid role." where its guide says "Invalid role").
    public static func noteKey(_ message: String) -> String {
        var m = message.trimmingCharacters(in: " \t").lowercased()
        while m.hasSuffix(".") { m.removeLast() }
        return m
    }

    /// What to do about a note the portal wrote, where the format says.
    public func advice(forNote note: String) -> String? {
        let k = Self.noteKey(note)
        return portalNotes.first { Self.noteKey($0.message) == k }?.advice
    }

    /// How the portal's guide says to resolve a message, where it says (a rule's message or a note
    /// of the portal's error file).
    public func resolution(of message: String) -> String? {
        let k = Self.noteKey(message)
        return resolutions.first { Self.noteKey($0.message) == k }?.advice
    }

    /// The columns a rule is about (what a review workbook marks and `check --format json` names).
    public func columns(of ref: RuleRef) -> [String] {
        switch ref {
        case .rule(let k): return [rules[k].column]
        case .state(let k): return [stateRules[k].column]
        case .uniqueKey(let k): return uniqueKeys[k].columns
        case .agreement(let k): return agreements[k].columns
        case .check(let k): return columns.filter { checks[k].failsWhen.columnsRead.contains($0) }
        case .portalNote: return []
        }
    }

    /// A rule's identity, stable across runs: `rule:Role`, `check:3`, `unique:Username`, `portal-note`.
    public func identifier(of ref: RuleRef) -> String {
        switch ref {
        case .rule(let k): return "rule:" + rules[k].column
        case .state(let k): return (stateRules[k].mustBeNew ? "exists:" : "known:") + stateRules[k].column
        case .uniqueKey(let k): return "unique:" + uniqueKeys[k].columns.joined(separator: ",")
        case .agreement(let k): return "agree:" + agreements[k].per
        case .check(let k): return "check:\(k + 1)"
        case .portalNote: return "portal-note"
        }
    }

    /// The names `with NAME = TABLE` may give: those the format's rules and dangers use, and `users`
    /// (the portal's own users) wherever the format says how the portal knows a user.
    public var stateNames: Set<String> {
        var out = Set(stateRules.map(\.state) + upload.stateDangers.map(\.state) + rules.compactMap(\.whenState))
        if !upload.key.isEmpty || column(meaning: .username) != nil || column(meaning: .email) != nil { out.insert("users") }
        return out
    }

    /// The format's column with this meaning, if any.
    public func column(meaning: Meaning) -> String? {
        columns.first { meanings[$0] == meaning } ?? optionalColumns.first { meanings[$0] == meaning }
    }

    /// The column of the table that stands for the format's column `name` (by the header rules).
    /// Whether a header name is one of the format's extension columns (`metadata.jobCode`).
    public func isExtension(_ header: String) -> Bool {
        extensionPrefixes.contains { header.hasPrefix($0) }
    }

    /// Whether a header name is the format's: one of its columns or optional columns, or an
    /// extension column.
    public func allows(_ header: String) -> Bool {
        allColumns.contains { matches(header, $0) } || isExtension(header)
    }

    public func matches(_ header: String, _ name: String) -> Bool {
        if headerIgnoresCase {
            return header.trimmingCharacters(in: " \t").lowercased() == name.lowercased()
        }
        return header == name
    }
}

/// Rules on one column, with the message the portal gives when a cell breaks one.
public struct ColumnRule: Sendable {
    public enum Constraint: Sendable, Equatable {
        /// The cell must not be blank.
        case required
        /// Length in characters, inclusive.
        case length(Int, Int)
        /// The whole cell (or each part) matches the pattern.
        case pattern(String)
        /// One of these values: exactly, or ignoring case.
        case oneOf([String], ignoringCase: Bool)
        /// The value appears once in the file (ignoring case when asked).
        case unique(ignoringCase: Bool)

        /// Whether `fix` may repair a value this constraint rejects (the portal's spelling of an
        /// allowed value, a layout); a blank, a length or a repeated value needs a person.
        public var isRepairable: Bool {
            switch self {
            case .pattern, .oneOf: return true
            case .required, .length, .unique: return false
            }
        }
    }
    public var column: String
    public var constraints: [Constraint]
    /// Several values in one cell, separated by this (the other constraints apply to each).
    public var separator: String?
    public var message: String
    public var range: SourceRange?
    /// The rule holds only for users the portal does not have yet (`… for new users`: TAO's password
    /// is needed only to create a user). Without the portal's users the rule is not checked: who
    /// is new cannot be known.
    public var newUsersOnly = false
    /// The message for a row of a user the portal has, where it differs (`… for existing users
    /// message "…"`: MCAS words a repeated username in an Add file, not in an Update file).
    public var existingUsersMessage: String?
    /// The rule holds only when the portal's setting of this name is given and not false
    /// (`… when hierarchies`: TAO's organization id, with organization hierarchies on).
    public var whenState: String?

    public init(column: String, constraints: [Constraint], separator: String? = nil, message: String, range: SourceRange? = nil) {
        self.column = column
        self.constraints = constraints
        self.separator = separator
        self.message = message
        self.range = range
    }

    /// The allowed values of a `one of` rule, if it has one.
    public var allowedValues: [String]? {
        for c in constraints { if case .oneOf(let v, _) = c { return v } }
        return nil
    }
}

/// A rule that needs the portal's own data, given as tables with `validate as F with NAME = TABLE`:
/// `exists COL in users.Username` rejects values the portal already has; `known COL in orgs.Org`
/// rejects values it does not know. Without that table the rule is skipped.
public struct StateRule: Sendable {
    public var column: String
    public var separator: String?
    /// The state table's name (as given after `with`) and its column (its first column if absent).
    public var state: String
    public var stateColumn: String
    /// true: the value must not already exist; false: the value must be known.
    public var mustBeNew: Bool
    public var ignoringCase: Bool
    /// Only rows where this holds (PearsonAccess: `exists` for Create rows, `known` for Update rows).
    public var when: Expr?
    public var message: String
    /// Compare only the part of each value after the last of this character (`after "@"`: an e-mail's domain).
    public var after: String?
    /// A given value ending in this suffix also stands for every value of the same length that
    /// begins as it does before the suffix (`with children "0000000"`: a California district's CDS
    /// code covers its schools' codes).
    public var children: String?

    /// Whether `part` is one of `values` (already folded when the rule ignores case), counting
    /// children where the rule says.
    public func contains(_ part: String, in values: Set<String>, parents: [String]) -> Bool {
        if values.contains(part) { return true }
        guard let children else { return false }
        return parents.contains { p in p.count == part.count && part.hasPrefix(p.dropLast(children.count)) }
    }

    /// The part of a value the rule compares.
    public func part(_ value: Substring) -> Substring {
        guard let after, let c = after.first, after.count == 1, let i = value.lastIndex(of: c) else { return value }
        return value[value.index(after: i)...]
    }
}

/// `agree COL, … per USER message "…"`: rows of one user must agree on these columns.
public struct Agreement: Sendable {
    public var columns: [String]
    public var per: String
    public var message: String
}

/// A rule across columns or rows: rows where `failsWhen` is true are rejected with `message`.
public struct RowCheck: Sendable {
    public var failsWhen: Expr
    public var message: String
    /// Which rows a plan's danger looks at: every row of the upload, the rows of users the portal
    /// has, or the portal's users the file leaves out (whose columns the condition then reads).
    public var scope: Scope = .allRows
    /// A plan's danger withholds its rows from a save as the format; a notice (`notice when …`) only
    /// says what the row does.
    public var holds = true

    public enum Scope: Sendable, Equatable { case allRows, existingUsers, missingUsers }

    public init(failsWhen: Expr, message: String, scope: Scope = .allRows) {
        self.failsWhen = failsWhen
        self.message = message
        self.scope = scope
    }
}
