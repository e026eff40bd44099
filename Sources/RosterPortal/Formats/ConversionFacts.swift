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
    /// Rows the portal accepts but that lose something (`danger when … message "…"`).
    public var dangers: [RowCheck] = []
    /// Separate uploads for new and existing users (MCAS): each upload's name and the actions it takes.
    public var separateUploads: [(name: String, actions: [PlanAction])] = []
    /// The portal's own summary after an upload: label → the sum of these counts.
    public var totals: [(label: String, counts: [PlanCount])] = []

    public init() {}

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
