import RosterDiagnostics

/// How a OneRoster package's organizations are written into `orgSourcedIds`.
public enum OneRosterOrgs: String, Sendable, CaseIterable {
    /// The organization's `identifier` (a California school's CDS code).
    case identifier
    /// A school as `DISTRICT-SCHOOL` from its parent district's identifier and its own (MCAS `Org`);
    /// a district as its identifier.
    case districtSchool = "district-school"
    /// The ids as the package writes them.
    case sourcedId = "sourcedid"
}

/// Reads a OneRoster package (a zip, or a folder of its CSV files) into one table of users in the
/// OneRoster 1.1 `users.csv` layout: `manifest.csv` says the version; `orgs.csv` resolves each
/// `orgSourcedIds` entry to a code a portal knows; a 1.2 package's `roles.csv` gives each user's role
/// (the primary one) and organizations, since its `users.csv` has no `role`. The notes say which
/// version and files were read and what could not be resolved.
public enum OneRosterPackage {
    /// The OneRoster 1.1 users.csv header, in its order.
    public static let usersHeader = [
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName",
        "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
    ]

    /// `file(name)` gives a file of the package by name, or nil when it has none.
    public static func read(
        path: String, orgs mode: OneRosterOrgs, file: (String) throws(Diagnostic) -> [UInt8]?
    ) throws(Diagnostic) -> CSVReadResult {
        let at = DataLocation(path: path)
        var read: [String] = []
        func table(_ name: String) throws(Diagnostic) -> Table? {
            guard let bytes = try file(name) else { return nil }
            read.append(name)
            return try CSVReader.read(bytes: bytes, path: path + "/" + name).table
        }
        var version = "1.1"
        if let manifest = try table("manifest.csv"), let names = manifest.column("propertyName"), let values = manifest.column("value") {
            for r in 0..<manifest.rowCount where names[r] == "oneroster.version" { version = values[r] }
        }
        guard let users = try table("users.csv") else {
            throw .data("this OneRoster package has no users.csv", at, hints: ["a package holds manifest.csv, users.csv, orgs.csv …"])
        }
        let orgs = try table("orgs.csv")
        let roles = users.column("role") == nil ? try table("roles.csv") : nil
        if roles != nil && !version.hasPrefix("1.2") { version = "1.2" }

        var notes: [Diagnostic] = []
        var columns: [Column] = []
        let ids = users.column("sourcedId") ?? TextColumn(repeating: "", count: users.rowCount)
        // 1.2: role and organizations per user from roles.csv, the primary role first.
        var roleOf: [String: String] = [:]
        var orgsOf: [String: [String]] = [:]
        var mixed: [String] = []
        if let roles, let u = roles.column("userSourcedId"), let role = roles.column("role"), let org = roles.column("orgSourcedId") {
            let type = roles.column("roleType")
            for r in 0..<roles.rowCount {
                let user = u[r]
                if roleOf[user] == nil || type?[r] == "primary" {
                    if let was = roleOf[user], was != role[r], !mixed.contains(user) { mixed.append(user) }
                    roleOf[user] = role[r]
                } else if roleOf[user] != role[r], !mixed.contains(user) {
                    mixed.append(user)
                }
                if !orgsOf[user, default: []].contains(org[r]) { orgsOf[user, default: []].append(org[r]) }
            }
        }
        // Organizations: sourcedId → identifier, type, parent.
        var orgInfo: [String: (identifier: String, type: String, parent: String)] = [:]
        if let orgs, let sid = orgs.column("sourcedId") {
            let ident = orgs.column("identifier"), type = orgs.column("type"), parent = orgs.column("parentSourcedId")
            for r in 0..<orgs.rowCount { orgInfo[sid[r]] = (ident?[r] ?? "", type?[r] ?? "", parent?[r] ?? "") }
        }
        var unresolved: [String] = []
        func code(_ id: String) -> String {
            guard mode != .sourcedId else { return id }
            guard let o = orgInfo[id], !o.identifier.isEmpty else {
                if !unresolved.contains(id) { unresolved.append(id) }
                return id
            }
            if mode == .districtSchool, o.type == "school", let p = orgInfo[o.parent], p.type == "district", !p.identifier.isEmpty {
                return p.identifier + "-" + o.identifier
            }
            return o.identifier
        }
        for name in usersHeader {
            var cells = users.column(name)
            if name == "role", cells == nil, roles != nil {
                cells = TextColumn((0..<users.rowCount).map { roleOf[ids[$0]] ?? "" })
            }
            if name == "orgSourcedIds" {
                let given = cells ?? TextColumn((0..<users.rowCount).map { (orgsOf[ids[$0]] ?? []).joined(separator: ",") })
                cells = TextColumn(
                    (0..<users.rowCount).map { r in
                        given[r].split(separator: ",").map { code(String($0).trimmingSpaces) }.joined(separator: ",")
                    })
            }
            columns.append(Column(name: name, cells: cells ?? TextColumn(repeating: "", count: users.rowCount)))
        }
        var table = Table(columns: columns, rowCount: users.rowCount, lines: users.lines, origin: TableOrigin(path: path, dialect: CSVDialect()))
        table.origin?.dialect.lineEnding = .lf
        let left = users.names.filter { !usersHeader.contains($0) }
        notes.append(
            .note(
                "OneRoster \(version) package: read " + read.joined(separator: ", ")
                    + (mode == .sourcedId || orgs == nil
                        ? "" : "; orgSourcedIds written as each organization's \(mode == .identifier ? "identifier" : "district-school code")"),
                data: at))
        if orgs == nil && mode != .sourcedId {
            notes.append(Diagnostic(.warning("the package has no orgs.csv: orgSourcedIds keep the package's ids"), severity: .warning, data: at))
        } else if !unresolved.isEmpty {
            notes.append(
                Diagnostic(
                    .warning("organizations orgs.csv does not give an identifier for, kept as their ids: " + unresolved.prefix(8).joined(separator: ", ")),
                    severity: .warning, data: at))
        }
        if !mixed.isEmpty {
            notes.append(
                Diagnostic(
                    .warning(
                        "users with different roles at different organizations (roles.csv); role holds the primary one: "
                            + mixed.prefix(8).joined(separator: ", ")),
                    severity: .warning, data: at))
        }
        if !left.isEmpty {
            notes.append(.note("users.csv columns that OneRoster 1.1's users.csv does not have, not carried: " + left.joined(separator: ", "), data: at))
        }
        return CSVReadResult(table: table, notes: notes)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
