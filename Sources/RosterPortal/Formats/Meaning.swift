/// What a column stands for, shared across formats (`Fname` in MCAS and `First name` in TOMS are
/// both `first_name`): conversions and plans go through meanings, never through column names.
/// A format block may name a meaning of its own; the ones roster's own logic relies on are here.
public struct Meaning: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    public var description: String { rawValue }

    public static let firstName = Meaning(rawValue: "first_name")
    public static let lastName = Meaning(rawValue: "last_name")
    /// A whole name in one column (made from, or split into, first and last names).
    public static let name = Meaning(rawValue: "name")
    public static let email = Meaning(rawValue: "email")
    public static let username = Meaning(rawValue: "username")
    public static let id = Meaning(rawValue: "id")
    public static let role = Meaning(rawValue: "role")
    public static let organization = Meaning(rawValue: "organization")
    public static let group = Meaning(rawValue: "group")
    public static let active = Meaning(rawValue: "active")
    /// The state of the source's record, as OneRoster's `status` gives it: `tobedeleted` means the SIS
    /// is removing the user (never uploaded as active).
    public static let recordStatus = Meaning(rawValue: "record_status")
    public static let password = Meaning(rawValue: "password")
    /// Why an account is disabled (written beside a pan row that disables it).
    public static let disabledReason = Meaning(rawValue: "disabled_reason")
}
