import RosterDiagnostics
import RosterData
import RosterLanguage

/// Writes a format's action column from the portal's users, as an explicit step before a plan
/// (PearsonAccess: `Create` for a user the portal does not have, `Update` for one it has), and turns
/// each portal user the file leaves out into an update row that disables the account, with a reason,
/// where the format says how (`disable when … by Disabled = "Yes" reason "Disabled Reason"`). Leavers
/// the portal already holds as disabled are left out: there is nothing to send for them.
public struct ActionFiller {
    public let format: FormatDefinition

    public init(_ format: FormatDefinition) { self.format = format }

    public struct Report: Sendable {
        public var created = 0
        public var updated = 0
        public var disabled: [String] = []
        /// Rows whose Action the file gave otherwise: row number, was, now.
        public var replaced: [(row: Int, was: String, now: String)] = []
    }

    public func fill(_ upload: Table, current: Table, reason: String?, bindings: any Bindings, at range: SourceRange) throws(Diagnostic) -> (Table, Report) {
        guard let ac = format.upload.actionColumn else {
            throw Diagnostic.runtime(
                "format \(format.name) has no action column: its portal decides by itself whether a row creates or updates", at: range,
                hints: ["plan the file as it is: plan against CURRENT as \(format.name)"])
        }
        let key = try Planner(format).keyColumns(at: range)
        let validator = FormatValidator(format)
        let old = validator.canonicallyNamed(current)
        var out = upload
        if out.index(of: ac.column) == nil {
            out.columns.insert(Column(name: ac.column, cells: TextColumn(repeating: "", count: out.rowCount)), at: 0)
        }
        let named = validator.canonicallyNamed(out)
        let match = KeyMatcher(format: format, key: key, current: old)
        var report = Report()
        var matched = Set<Int>()
        let given = named.column(ac.column)!
        var actions: [String] = []
        let matches = match.matches(named)
        for r in 0..<named.rowCount {
            let current = matches.current(r)
            let now = current == nil ? ac.create[0] : ac.update[0]
            if let c = current { matched.insert(c) }
            if current == nil { report.created += 1 } else { report.updated += 1 }
            let was = given[r]
            if !was.isBlankCell, !(current == nil ? ac.create : ac.update).contains(where: { $0.lowercased() == was.lowercased() }) {
                report.replaced.append((r + 2, was, now))
            }
            actions.append(now)
        }
        let j = out.columns.firstIndex { format.matches($0.name, ac.column) }!
        out.columns[j].cells = TextColumn(actions)

        // Leavers: portal users the file leaves out, disabled by an update row.
        guard let by = format.upload.disableBy, let reason else { return (out, report) }
        let alreadyDisabled = try format.upload.disableWhen.map { e throws(Diagnostic) in try Evaluator(table: old, bindings: bindings).condition(e) }
        let leavers = (0..<old.rowCount).filter { !matched.contains($0) && !(alreadyDisabled?[$0] ?? false) }
        guard !leavers.isEmpty else { return (out, report) }
        for j in out.columns.indices {
            let name = out.columns[j].name
            let canonical = format.allColumns.first { format.matches(name, $0) }
            let extra: [String] = leavers.map { c in
                switch canonical {
                case ac.column: return ac.update[0]
                case by.column: return by.value
                case by.reasonColumn: return reason
                default: return canonical.flatMap { old.column($0)?[c] } ?? ""
                }
            }
            out.columns[j].cells = TextColumn(out.columns[j].cells.strings + extra)
        }
        out.rowCount += leavers.count
        out.lines = nil
        report.disabled = leavers.map { match.label(old, $0) }
        return (out, report)
    }
}
