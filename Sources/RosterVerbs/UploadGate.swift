import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// What a save as a portal format keeps out of the portal's file, so that an upload holds exactly
/// what the plan said it would: rows the portal would reject (the plan's `Reject`, or the format's
/// rules where the table has no plan), rows with a danger (the plan's, or where the table has no
/// plan those a row shows by itself; unless `dangers="upload"`), and rows whose
/// `Decision` is not an upload (a person to review; a leaver the portal lets go by itself). Rows a
/// person must look at are withheld into a file beside the upload, each with why; leavers are only
/// counted, since no row should be sent for them.
struct UploadGate {
    let format: FormatDefinition
    let uploadDangers: Bool

    struct Split {
        var upload: Table
        /// The withheld rows, all their columns, and `Withheld` (why).
        var withheld: Table?
        /// Rows that are not uploads (leavers, the plan's rows for users the file leaves out), by decision.
        var notUploads: [String: Int] = [:]
    }

    static let withheldColumn = "Withheld"

    func split(_ t: Table, context: any VerbContext) throws(Diagnostic) -> Split {
        var why = [String](repeating: "", count: t.rowCount)
        var dropped = [String?](repeating: nil, count: t.rowCount)
        if let decision = t.column(Reconciler.decisionColumn) {
            let reasons = t.column(Reconciler.whyColumn)
            for r in 0..<t.rowCount {
                guard let d = Reconciler.Decision(rawValue: decision[r]), !d.isUploaded else { continue }
                if d == .review { why[r] = "to review: " + (reasons?[r] ?? "") } else { dropped[r] = d.rawValue }
            }
        }
        if let plan = t.column(Planner.planColumn) {
            let reasons = t.column(Planner.reasonColumn)
            for r in 0..<t.rowCount where dropped[r] == nil && why[r].isEmpty {
                switch PlanAction(rawValue: plan[r]) {
                case .reject: why[r] = "rejected: " + (reasons?[r] ?? "")
                case .archive, .untouched: dropped[r] = plan[r]
                default: break
                }
            }
        } else {
            let problems = try FormatValidator(format).problems(t, bindings: context)
            for r in 0..<t.rowCount where dropped[r] == nil && why[r].isEmpty && !problems[r].isEmpty {
                why[r] = "rejected: " + problems[r].map(\.message).joined(separator: "; ")
            }
            // Without a plan, the dangers a row shows by itself (TIDE: a Delete row) still hold it
            // back; those that need the portal's users are the plan's to find.
            if !uploadDangers {
                let names = Set(t.names)
                let evaluator = Evaluator(table: t, bindings: context)
                for danger in format.upload.dangers where danger.scope == .allRows && danger.holds && danger.failsWhen.columnsRead.isSubset(of: names) {
                    let hit = try evaluator.condition(danger.failsWhen)
                    for r in 0..<t.rowCount where hit[r] && dropped[r] == nil && why[r].isEmpty { why[r] = "danger: " + danger.message }
                }
            }
        }
        if !uploadDangers, let danger = t.column(Planner.dangerColumn) {
            for r in 0..<t.rowCount where dropped[r] == nil && why[r].isEmpty && !danger[r].isEmpty {
                why[r] = "danger: " + danger[r]
            }
        }
        var split = Split(upload: t)
        let kept = (0..<t.rowCount).filter { dropped[$0] == nil && why[$0].isEmpty }
        guard kept.count < t.rowCount else { return split }
        for case let d? in dropped { split.notUploads[d, default: 0] += 1 }
        split.upload = t.gather(kept)
        let held = (0..<t.rowCount).filter { !why[$0].isEmpty }
        if !held.isEmpty {
            var w = t.gather(held)
            w.setColumn(Self.withheldColumn, TextColumn(held.map { why[$0] }))
            w.formatName = "csv"
            w.origin?.dialect = CSVDialect()
            split.withheld = w
        }
        return split
    }
}
