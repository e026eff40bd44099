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
/// OneRoster 1.1 `users.csv` layout: `manifest.csv` says the version and whether a file is a delta;
/// `orgs.csv` resolves each `orgSourcedIds` entry to a code a portal knows; a 1.2 package's
/// `roles.csv` gives each user's role (the primary one) and organizations, since its `users.csv` has
/// no `role`. A user the SIS marks `tobedeleted` (in users.csv, or in every one of its roles) keeps
/// that `status`, for `convert` to act on. The notes say which version and files were read and what
/// could not be carried.
public enum OneRosterPackage {
    /// The OneRoster 1.1 users.csv header, in its order.
    public static let usersHeader = [
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName",
        "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
    ]

    /// The prefix of OneRoster's extension columns (`metadata.district.jobCode`), carried as they are.
    public static let extensionPrefix = "metadata."

    /// `file(name)` gives a file of the package by name, or nil when it has none; `folder` is where
    /// the package is in its zip (`new/`), for the notes.
    public static func read(
        path: String, folder: String = "", orgs mode: OneRosterOrgs, file: (String) throws(Diagnostic) -> [UInt8]?
    ) throws(Diagnostic) -> CSVReadResult {
        let at = DataLocation(path: path)
        var read: [String] = []
        var notes: [Diagnostic] = []
        func table(_ name: String) throws(Diagnostic) -> Table? {
            guard let bytes = try file(name) else { return nil }
            read.append(name)
            let result = try CSVReader.read(bytes: bytes, path: path + "/" + name)
            notes += result.notes
            return result.table
        }
        var version = "1.1"
        var delta: [String] = []
        if let manifest = try table("manifest.csv"), let names = manifest.column("propertyName"), let values = manifest.column("value") {
            for r in 0..<manifest.rowCount {
                if names[r] == "oneroster.version" { version = values[r] }
                if names[r].hasPrefix("file."), values[r].trimmingSpaces.lowercased() == "delta" { delta.append(names[r]) }
            }
        }
        guard let users = try table("users.csv") else {
            throw .data("this OneRoster package has no users.csv", at, hints: ["a package holds manifest.csv, users.csv, orgs.csv …"])
        }
        let orgs = try table("orgs.csv")
        let rolesFile = users.column("role") == nil ? try table("roles.csv") : nil
        if rolesFile != nil && !version.hasPrefix("1.2") { version = "1.2" }
        let roles = rolesFile.flatMap(OneRosterRoles.init)

        var columns: [Column] = []
        let ids = users.column("sourcedId") ?? TextColumn(repeating: "", count: users.rowCount)
        // Organizations: sourcedId → identifier, type, parent.
        var orgInfo: [String: (identifier: String, type: String, parent: String)] = [:]
        if let orgs, let sid = orgs.column("sourcedId") {
            let ident = orgs.column("identifier"), type = orgs.column("type"), parent = orgs.column("parentSourcedId")
            for r in 0..<orgs.rowCount { orgInfo[sid[r]] = (ident?[r] ?? "", type?[r] ?? "", parent?[r] ?? "") }
        }
        // Ids orgs.csv does not resolve: a set, since a package may name hundreds of thousands.
        var unresolved: Set<String> = []
        var unresolvedInOrder: [String] = []
        func code(_ id: String) -> String {
            guard mode != .sourcedId else { return id }
            guard let o = orgInfo[id], !o.identifier.isEmpty else {
                if unresolved.insert(id).inserted { unresolvedInOrder.append(id) }
                return id
            }
            if mode == .districtSchool, o.type == "school", let p = orgInfo[o.parent], p.type == "district", !p.identifier.isEmpty {
                return p.identifier + "-" + o.identifier
            }
            return o.identifier
        }
        for name in usersHeader {
            var cells = users.column(name)
            if name == "role", cells == nil, let roles {
                cells = TextColumn((0..<users.rowCount).map { roles.roleOf[ids[$0]] ?? "" })
            }
            if name == "status", let roles, !roles.gone.isEmpty {
                let given = cells ?? TextColumn(repeating: "", count: users.rowCount)
                cells = TextColumn((0..<users.rowCount).map { roles.gone.contains(ids[$0]) ? "tobedeleted" : given[$0] })
            }
            if name == "orgSourcedIds" {
                let given = cells ?? TextColumn((0..<users.rowCount).map { (roles?.orgsOf[ids[$0]] ?? []).joined(separator: ",") })
                cells = TextColumn(
                    (0..<users.rowCount).map { r in
                        given[r].split(separator: ",").map { code(String($0).trimmingSpaces) }.joined(separator: ",")
                    })
            }
            columns.append(Column(name: name, cells: cells ?? TextColumn(repeating: "", count: users.rowCount)))
        }
        let extensions = users.columns.filter { $0.name.hasPrefix(extensionPrefix) }
        columns += extensions
        var table = Table(columns: columns, rowCount: users.rowCount, lines: users.lines, origin: TableOrigin(path: path, dialect: CSVDialect()))
        table.origin?.dialect.lineEnding = .lf
        let left = users.names.filter { !usersHeader.contains($0) && !$0.hasPrefix(extensionPrefix) }
        notes.append(
            .note(
                "OneRoster \(version) package\(folder.isEmpty ? "" : " in \(folder)"): read " + read.joined(separator: ", ")
                    + (mode == .sourcedId || orgs == nil
                        ? "" : "; orgSourcedIds written as each organization's \(mode == .identifier ? "identifier" : "district-school code")"),
                data: at))
        if !delta.isEmpty {
            notes.append(
                .warning(
                    "this is a delta package (manifest.csv: " + delta.map { "\($0) = delta" }.joined(separator: ", ")
                        + "): it holds only what changed since the last export, not the full roster; a full sync planned from it would archive everyone it leaves out (Pass archives every user missing from its file)",
                    data: at))
        }
        if orgs == nil && mode != .sourcedId {
            notes.append(.warning("the package has no orgs.csv: orgSourcedIds keep the package's ids", data: at))
        } else if !unresolved.isEmpty {
            notes.append(.warning("organizations orgs.csv does not give an identifier for, kept as their ids: " + firstFew(unresolvedInOrder), data: at))
        }
        if let roles { notes += roleNotes(roles, at: at) }
        if !extensions.isEmpty {
            notes.append(.note("extension columns carried as they are: " + extensions.map(\.name).joined(separator: ", "), data: at))
        }
        if !left.isEmpty {
            notes.append(.note("users.csv columns that OneRoster 1.1's users.csv does not have, not carried: " + left.joined(separator: ", "), data: at))
        }
        return CSVReadResult(table: table, notes: notes)
    }

    /// What the one `role` cell per user could not hold, said.
    static func roleNotes(_ roles: OneRosterRoles, at: DataLocation) -> [Diagnostic] {
        var notes: [Diagnostic] = []
        if !roles.mixed.isEmpty {
            notes.append(
                .warning(
                    "users with different roles at different organizations (roles.csv); role holds the primary one: "
                        + roles.mixed.prefix(8).map { "\($0.user) (\(firstFew($0.pairs)))" }.joined(separator: "; ")
                        + (roles.mixed.count > 8 ? "; … (\(roles.mixed.count.grouped) in all)" : ""),
                    data: at))
        }
        if !roles.several.isEmpty {
            notes.append(
                .note(
                    "users with more than one role (roles.csv); role holds the primary one: "
                        + roles.several.prefix(8).map { "\($0.user) (\($0.kept); also \(firstFew($0.others)))" }.joined(separator: "; ")
                        + (roles.several.count > 8 ? "; … (\(roles.several.count.grouped) in all)" : ""),
                    data: at))
        }
        if !roles.ending.isEmpty {
            notes.append(
                .note(
                    "roles roles.csv marks tobedeleted, left out (the users keep their other roles): "
                        + firstFew(roles.ending.prefix(8).map { "\($0.user) (\($0.role) at \($0.org))" }, count: roles.ending.count),
                    data: at))
        }
        if !roles.gone.isEmpty {
            notes.append(
                .note(
                    "users every one of whose roles roles.csv marks tobedeleted, given status tobedeleted: "
                        + firstFew(roles.goneInOrder.prefix(8), count: roles.gone.count),
                    data: at))
        }
        return notes
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
