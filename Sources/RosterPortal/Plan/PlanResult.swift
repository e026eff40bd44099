import RosterData

extension Planner {
    /// One user (or membership) in the plan, as a report shows it.
    public struct Entry: Sendable {
        /// The row in the upload, or nil for a portal user the file does not hold.
        public var row: Int?
        /// The row in the portal's current users, when it matched one.
        public var currentRow: Int?
        public var action: PlanAction
        public var reason: String
        /// The row disables the account (PearsonAccess `Disabled = Yes`).
        public var disables = false
        /// The separate upload this row belongs in (MCAS "Add New Users"), when the portal has several.
        public var upload: String?
    }

    /// A danger: what it is, and the users it concerns.
    public struct Danger: Sendable {
        public var title: String
        public var lines: [String]
        /// How many users the lines concern (a user may have several lines).
        public var users: Int
    }

    /// The plan: the upload's rows in order, then the portal users the file leaves out. Kept as
    /// columns (a row number, an action and a reason per user), so a state's million users cost a few
    /// bytes each; `entry(_:)` gives one user as a value for reports.
    public struct Result: Sendable {
        /// Per user: the upload row, or -1 for a portal user the file does not hold.
        public internal(set) var uploadRowOf: [Int32] = []
        /// Per user: the portal row it matched, or -1.
        public internal(set) var portalRowOf: [Int32] = []
        public internal(set) var actions: [PlanAction] = []
        /// Per user: the row disables the account.
        public internal(set) var disabling: [Bool] = []
        /// Per user: 0, or 1 + the index of its separate upload in `uploadNames`.
        var uploadOf: [UInt8] = []
        var uploadNames: [String] = []
        /// Per user: why, in the portal's terms.
        public internal(set) var reasons = TextColumn(repeating: "", count: 0)
        /// The tables and key that name users, so a label is made only when one is shown.
        let labels: Labels
        public var dangers: [Danger]
        public var uploadRows: Int
        public var currentRows: Int
        /// Portal users outside what the upload covers (`covering`), not judged.
        public var uncovered = 0
        public var coverage: String?
        /// The titles of the dangers each upload row is in.
        public var rowDangers: [Int: [String]] = [:]
        /// The format's rules the data given could not decide (message, what they need).
        public var notChecked: [(message: String, needs: String)] = []

        /// How many users the plan has.
        public var entryCount: Int { actions.count }

        /// User `i` as a value.
        public func entry(_ i: Int) -> Entry {
            Entry(
                row: uploadRowOf[i] < 0 ? nil : Int(uploadRowOf[i]), currentRow: portalRowOf[i] < 0 ? nil : Int(portalRowOf[i]),
                action: actions[i], reason: reasons[i], disables: disabling[i], upload: uploadOf[i] == 0 ? nil : uploadNames[Int(uploadOf[i]) - 1])
        }

        /// Every user as a value (reports and tests; the plan itself keeps columns).
        public var entries: [Entry] { (0..<entryCount).map(entry) }

        /// The users with action `a`, in plan order.
        public func users(with a: PlanAction) -> [Int] { actions.indices.filter { actions[$0] == a } }

        /// Whether user `i`'s row goes in the file a save as the format writes: not a rejected row,
        /// nor one with a danger (both are withheld for a person), and not a portal user the file
        /// leaves out.
        public func isWritten(_ i: Int) -> Bool {
            uploadRowOf[i] >= 0 && actions[i] != .reject && rowDangers[Int(uploadRowOf[i])] == nil
        }

        /// The users of one of the portal's separate uploads (all, when nil), in plan order.
        func users(in upload: String?) -> [Int] {
            let wanted: UInt8? = upload.map { name in uploadNames.firstIndex(of: name).map { UInt8($0 + 1) } ?? UInt8.max }
            return actions.indices.filter { wanted == nil || uploadOf[$0] == wanted }
        }

        /// The users whose rows a save writes into an upload's file (all its files, when chunked).
        public func written(in upload: String? = nil) -> [Int] { users(in: upload).filter(isWritten) }

        /// The rows of an upload withheld for a person: rejected, and with a danger.
        public func withheld(in upload: String? = nil) -> (rejected: Int, dangers: Int) {
            var out = (rejected: 0, dangers: 0)
            for i in users(in: upload) where uploadRowOf[i] >= 0 {
                if actions[i] == .reject { out.rejected += 1 } else if !isWritten(i) { out.dangers += 1 }
            }
            return out
        }

        /// A count of the portal's summary over the users in `list` (rows of a written file).
        public func count(_ c: PlanCount, of list: [Int]) -> Int {
            if c == .processed { return count(.total, of: list) - count(.rejected, of: list) }
            var n = 0
            for i in list {
                switch c {
                case .total: if uploadRowOf[i] >= 0 { n += 1 }
                case .disabled: if disabling[i] && actions[i] != .reject { n += 1 }
                default: if PlanCount(actions[i]) == c { n += 1 }
                }
            }
            return n
        }

        /// A count of the portal's summary over the file a save writes for an upload.
        public func count(_ c: PlanCount, in upload: String? = nil) -> Int { count(c, of: written(in: upload)) }

        public func count(_ a: PlanAction) -> Int {
            var n = 0
            for x in actions where x == a { n += 1 }
            return n
        }

        /// The user as the key names it (`ann@x.org`, `ann@x.org at 01611920000000`).
        public func label(_ e: Entry) -> String { labels.label(e) }
    }

    /// Collects the plan's columns one user at a time; the separate upload follows from the action.
    struct ResultBuilder {
        var uploadRowOf: [Int32] = []
        var portalRowOf: [Int32] = []
        var actions: [PlanAction] = []
        var disabling: [Bool] = []
        var uploadOf: [UInt8] = []
        var reasons: TextColumnBuilder
        /// Per action (its place in `PlanAction.allCases`): the upload a row goes in, and for a
        /// rejected row by whether the portal has the user (it would have been in the update file).
        let uploadFor: [UInt8]
        let rejectedNew: UInt8
        let rejectedKnown: UInt8

        init(format: FormatDefinition, expected: Int) {
            let uploads = format.upload.separateUploads
            func slot(_ a: PlanAction) -> UInt8 { uploads.firstIndex { $0.actions.contains(a) }.map { UInt8($0 + 1) } ?? 0 }
            var table = [UInt8](repeating: 0, count: PlanAction.allCases.count)
            for a in PlanAction.allCases { table[a.place] = slot(a) }
            uploadFor = table
            rejectedNew = slot(.create)
            rejectedKnown = slot(.update)
            reasons = TextColumnBuilder(expectedCells: expected, expectedBytes: expected * 16)
            uploadRowOf.reserveCapacity(expected)
            portalRowOf.reserveCapacity(expected)
            actions.reserveCapacity(expected)
            disabling.reserveCapacity(expected)
            uploadOf.reserveCapacity(expected)
        }

        mutating func add(row: Int?, current: Int?, _ action: PlanAction, _ reason: String, disables: Bool = false) {
            uploadRowOf.append(Int32(row ?? -1))
            portalRowOf.append(Int32(current ?? -1))
            actions.append(action)
            disabling.append(disables)
            if action == .reject {
                uploadOf.append(current == nil ? rejectedNew : rejectedKnown)
            } else {
                uploadOf.append(uploadFor[action.place])
            }
            reasons.append(reason)
        }

        /// Another builder's rows after these.
        mutating func append(_ other: ResultBuilder) {
            uploadRowOf += other.uploadRowOf
            portalRowOf += other.portalRowOf
            actions += other.actions
            disabling += other.disabling
            uploadOf += other.uploadOf
            reasons.append(contentsOf: other.reasons)
        }

        func finish(format: FormatDefinition, labels: Labels, dangers: [Danger], uploadRows: Int, currentRows: Int) -> Result {
            Result(
                uploadRowOf: uploadRowOf, portalRowOf: portalRowOf, actions: actions, disabling: disabling, uploadOf: uploadOf,
                uploadNames: format.upload.separateUploads.map(\.name), reasons: reasons.finish(), labels: labels, dangers: dangers,
                uploadRows: uploadRows, currentRows: currentRows)
        }
    }
}

extension PlanAction {
    /// The action's place in `allCases`, without making that array.
    var place: Int {
        switch self {
        case .create: 0
        case .update: 1
        case .activate: 2
        case .unchanged: 3
        case .remove: 4
        case .archive: 5
        case .untouched: 6
        case .reject: 7
        }
    }
}
