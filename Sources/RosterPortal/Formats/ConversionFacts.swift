import RosterDiagnostics
import RosterData
import RosterLanguage

/// What a format says about reshaping other tables into it (`convert to FORMAT`): which columns hold
/// several values in one cell, how many rows a user has, how roles rank, and the crosswalks that carry
/// another format's values (roles, active flags) into this one's.
public struct ConversionFacts: Sendable {
    /// Column → separator, for columns holding several values (`meaning Org = organization each "|"`).
    public var separators: [String: String] = [:]
    /// The meaning a user has one row per value of (`organization` for TOMS, `group` for TAO);
    /// nil when the format has one row per user.
    public var rowPer: Meaning?
    /// Roles from the highest permission down, when a user may hold only one
    /// (`one role per user, highest first "DTC", "STC", …`).
    public var roleRank: [String]?
    /// Value crosswalks from another format, for one meaning.
    public var crosswalks: [Crosswalk] = []
    /// Values the portal takes as one when a person holds them together at one organization
    /// (`combine role "Test Administrator" + "Test Examiner" = "Test Administrator & Test Examiner"`).
    public var combinations: [(meaning: Meaning, parts: [String], value: String)] = []
    /// Values for cells a conversion leaves blank (`default "State Code" = "CA"`).
    public var defaults: [(column: String, value: Expr)] = []

    public init() {}
}

/// `crosswalk role from oneroster {"teacher": "TA", …}`: values of `meaning` as the format `from`
/// writes them → this format's values. A value may map to several (`"TA|TE"`, with the column's separator).
public struct Crosswalk: Sendable {
    public var meaning: Meaning
    public var from: String
    public var entries: [(key: String, value: String)]

    /// The `from` of a crosswalk the script gives (`convert to pan with role = {…}`).
    public static let given = "(given)"

    public init(meaning: Meaning, from: String, entries: [(key: String, value: String)]) {
        self.meaning = meaning
        self.from = from
        self.entries = entries
    }

    /// The value for `key`: as written, or else ignoring case.
    public func value(for key: String) -> String? {
        if let e = entries.first(where: { $0.key == key }) { return e.value }
        let k = key.lowercased()
        return entries.first { $0.key.lowercased() == k }?.value
    }
}

/// What the portal does with an uploaded file, given the users it already has (`plan`).
public struct UploadBehaviour: Sendable {
    /// The columns that match a row to the portal's record (`key Username`). With more than one, the
    /// first names the user and the rest a membership (TOMS: e-mail and CDS code; TAO: user and group).
    public var key: [String] = []
    public var keyIgnoresCase = false
    /// A column that identifies a user even when the key changes (Pass `idnumber`).
    public var stableID: String?
    /// What the guide says to do when the key changes on a user the stable id finds (`stable id
    /// idnumber advice "…"`: Pass wants an e-mail changed in Pass first), said as a danger.
    public var stableIDAdvice: String?
    /// Rows matching a portal user activate it (TOMS: last year's users are inactive until uploaded).
    public var existingActivated = false
    /// What happens to portal users missing from the file.
    public var missing: MissingUsers = MissingUsers(action: .untouched, reason: "not in the file: the portal leaves this user as it is", danger: nil)
    /// A blank cell erases the stored value (TAO).
    public var blankErases = false
    /// The file's own action column (PearsonAccess `Action`): its create and update spellings.
    public var actionColumn: (column: String, create: [String], update: [String])?
    /// Rows that disable the account (`disable when lower(Disabled) == "yes"`).
    public var disableWhen: Expr?
    /// Rows that remove a membership (TAO `group_user_active` FALSE or blank).
    public var removeWhen: (condition: Expr, message: String)?
    /// How a row removes a membership (`remove when … by group_user_active = "FALSE"`), for
    /// `reconcile`, which turns memberships HR no longer lists into such rows.
    public var removeBy: (column: String, value: String)?
    /// Rows the portal accepts but that lose something (`danger when … message "…"`).
    public var dangers: [RowCheck] = []
    /// Separate uploads for new and existing users (MCAS): each upload's name and the actions it takes.
    public var separateUploads: [(name: String, actions: [PlanAction])] = []
    /// The portal's own summary after an upload: label → the sum of these counts.
    public var totals: [(label: String, counts: [PlanCount])] = []
    /// The message the portal shows after an upload, by outcome (`popup success "…" partial "…" failure "…"`).
    public var popup: Popup?
    /// How the portal compares a column's values, by column (`compare role ignoring case blank as "student"`).
    public var comparisons: [String: Comparison] = [:]
    /// Rows whose value the portal's other data holds, which the plan warns about (Pass: users
    /// synced from Clever): `danger email in synced.email ignoring case message "…"`.
    public var stateDangers: [StateRule] = []
    /// A column whose value should appear once, which the plan warns about (`danger unique idnumber message "…"`).
    public var uniqueDangers: [(column: String, message: String)] = []
    /// How an update row disables a user (`disable when … by Disabled = "Yes" reason "Disabled Reason"`),
    /// for `actions against`, which turns leavers into such rows.
    public var disableBy: (column: String, value: String, reasonColumn: String?)?
    /// What disabling an account that is already disabled does (`disable … again "…"`: PearsonAccess
    /// sets the Disabled Date to the day of the upload), said as a danger.
    public var disabledAgain: String?

    public init() {}

    /// The comparison for a column: the format's, or exact.
    public func comparison(_ column: String) -> Comparison { comparisons[column] ?? Comparison() }

    /// The messages the portal shows after an upload; `{successCount}` stands for the rows it took.
    public struct Popup: Sendable {
        public var success: String
        public var partial: String
        public var failure: String

        /// The message for an upload of `processed` accepted and `rejected` rejected rows.
        public func message(processed: Int, rejected: Int) -> String {
            let m = rejected == 0 ? success : processed == 0 ? failure : partial
            return m.replacingAll("{successCount}", with: String(processed))
        }
    }

    /// How the portal tells two values of a column apart: ignoring case or not, what a blank stands for
    /// (TAO: a blank `group_role` is `TEST_TAKER`), and spellings it takes as the same (Pass: `1` is `Active`).
    public struct Comparison: Sendable {
        public var ignoringCase = false
        public var blankAs: String?
        public var treating: [(value: String, as: String)] = []

        public init() {}

        /// The value the portal stores for this cell, in a form two cells can be compared by.
        public func normalised(_ value: String) -> String {
            var v = value
            if let blankAs, value.isBlankCell { v = blankAs }
            if let t = treating.first(where: { ignoringCase ? $0.value.lowercased() == v.lowercased() : $0.value == v }) { v = t.as }
            return ignoringCase ? v.lowercased() : v
        }

        /// The cell as a plan shows it: `blank`, or `blank = TEST_TAKER` where the portal fills it in.
        public func shown(_ value: String) -> String {
            guard value.isBlankCell else { return value }
            return blankAs.map { "blank = \($0)" } ?? "blank"
        }
    }

    public struct MissingUsers: Sendable {
        public enum Action: String, Sendable { case untouched, archived }
        public var action: Action
        public var reason: String
        /// Said in the plan's dangers, with the users it concerns.
        public var danger: String?
    }
}

/// What the portal will do with one user.
public enum PlanAction: String, Sendable, CaseIterable {
    case create = "Create", update = "Update", activate = "Activate", unchanged = "Unchanged"
    case remove = "Remove", archive = "Archive", untouched = "Untouched", reject = "Reject"
}

/// The counts a portal's summary is made of (`totals "Number of Users Created" = created`).
public enum PlanCount: String, Sendable, CaseIterable {
    case total, rejected, processed, created, updated, activated, unchanged, removed, archived, untouched, disabled

    /// The count for a plan action, where there is one.
    public init?(_ action: PlanAction) {
        switch action {
        case .create: self = .created
        case .update: self = .updated
        case .activate: self = .activated
        case .unchanged: self = .unchanged
        case .remove: self = .removed
        case .archive: self = .archived
        case .untouched: self = .untouched
        case .reject: self = .rejected
        }
    }
}

extension String {
    /// Empty, or only spaces and tabs: what portals treat as a blank cell.
    var isBlankCell: Bool { utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
}
