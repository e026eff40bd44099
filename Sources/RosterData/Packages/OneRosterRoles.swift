/// A OneRoster 1.2 `roles.csv` read per user: the role the 1.1 layout's one `role` cell holds (the
/// primary one), the user's organizations, and what that one cell cannot say — users whose roles
/// differ from one organization to another, users holding several roles, roles the SIS marks
/// `tobedeleted`, and users all of whose roles it marks so (the user is gone).
struct OneRosterRoles {
    /// One row of roles.csv.
    struct Entry {
        var role: String
        var org: String
        var primary: Bool
        var gone: Bool
    }

    /// The role `role` holds per user id: the primary one among the roles that stay.
    private(set) var roleOf: [String: String] = [:]
    /// The organizations of the roles that stay, in the file's order.
    private(set) var orgsOf: [String: [String]] = [:]
    /// Users whose roles are all marked `tobedeleted`: the user is leaving.
    private(set) var gone: Set<String> = []
    /// The same users in roles.csv's order, for notes.
    private(set) var goneInOrder: [String] = []
    /// Users whose roles differ between their organizations (`teacher` at one, `principal` at
    /// another), with what they hold where: one `role` cell cannot say which goes with which.
    private(set) var mixed: [(user: String, pairs: [String])] = []
    /// Users with several roles that are the same at each of their organizations: `role` holds the
    /// primary one, the others are named.
    private(set) var several: [(user: String, kept: String, others: [String])] = []
    /// Roles marked `tobedeleted` of users who keep other roles: left out.
    private(set) var ending: [(user: String, role: String, org: String)] = []

    init?(_ roles: Table) {
        guard let u = roles.column("userSourcedId"), let role = roles.column("role"), let org = roles.column("orgSourcedId") else { return nil }
        let type = roles.column("roleType"), status = roles.column("status")
        var order: [String] = []
        var entries: [String: [Entry]] = [:]
        for r in 0..<roles.rowCount {
            let user = u[r]
            if entries[user] == nil { order.append(user) }
            entries[user, default: []].append(
                Entry(
                    role: role[r], org: org[r], primary: type?[r] == "primary",
                    gone: status.map { Self.isToBeDeleted($0[r]) } ?? false))
        }
        for user in order { add(user, entries[user]!) }
    }

    /// OneRoster's `status` value for a record the SIS is removing (the spec's spelling, in any case).
    static func isToBeDeleted(_ status: String) -> Bool {
        status.trimmingSpaces.lowercased() == "tobedeleted"
    }

    private mutating func add(_ user: String, _ all: [Entry]) {
        var live = all.filter { !$0.gone }
        if live.isEmpty {
            // Every role ends: the user is gone, described by the roles it had.
            gone.insert(user)
            goneInOrder.append(user)
            live = all
        } else {
            for e in all where e.gone { ending.append((user, e.role, e.org)) }
        }
        let kept = (live.first { $0.primary } ?? live[0]).role
        roleOf[user] = kept
        // Sets beside the lists: one user may hold thousands of roles in a hostile file.
        var orgs: [String] = []
        var rolesAt: [String: [String]] = [:]
        var seen: Set<[String]> = []
        for e in live {
            if seen.insert([e.org]).inserted { orgs.append(e.org) }
            if seen.insert([e.org, e.role]).inserted { rolesAt[e.org, default: []].append(e.role) }
        }
        orgsOf[user] = orgs
        // A departing user's roles are not described: the user is gone from all of them.
        guard !gone.contains(user) else { return }
        let sets = Set(orgs.map { Set(rolesAt[$0]!) })
        if sets.count > 1 {
            mixed.append((user, orgs.map { "\(rolesAt[$0]!.joined(separator: "+")) at \($0)" }))
        } else if let held = rolesAt[orgs[0]], held.count > 1 {
            several.append((user, kept, held.filter { $0 != kept }))
        }
    }
}
