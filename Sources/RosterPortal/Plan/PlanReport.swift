import RosterDiagnostics
import RosterData
import RosterLanguage

/// What `plan NEW against CURRENT as FORMAT` prints: the count of each action, the portal's own
/// summary, the separate uploads the portal wants, each action's users with the reason, and the dangers.
public enum PlanReport {
    /// Users listed per action before the list is cut short.
    static let listLimit = 25

    public static func render(_ r: Planner.Result, upload: String, current: String, format f: FormatDefinition) -> String {
        var out =
            "plan \(upload) against \(current) as \(f.name): \(plural(r.uploadRows, "row")) in the file, \(plural(r.currentRows, "row")) in the portal's users\n"
        let order: [PlanAction] = [.create, .activate, .update, .unchanged, .remove, .reject, .archive, .untouched]
        for a in order where r.count(a) > 0 {
            var line = "  " + a.rawValue.padding(10) + String(r.count(a)).leftPadding(6)
            if a == .archive || a == .untouched { line += "   (in the portal, not in the file)" }
            out += line + "\n"
        }
        let disabled = r.count(.disabled)
        if disabled > 0 { out += "  (rows that disable an account: \(disabled))\n" }
        if !f.upload.totals.isEmpty {
            out += "\n\(f.title) — the portal's summary after this upload:\n"
            let width = f.upload.totals.map(\.label.count).max()!
            for (label, counts) in f.upload.totals {
                out += "  " + label.padding(width) + String(counts.reduce(0) { $0 + r.count($1) }).leftPadding(7) + "\n"
            }
        }
        if !f.upload.separateUploads.isEmpty {
            out += "\nSeparate uploads" + (f.maxRows.map { " (at most \(plural($0, "row")) a file)" } ?? "") + ":\n"
            for (name, actions) in f.upload.separateUploads {
                let n = actions.reduce(0) { $0 + r.count($1) }
                var line = "  \(name): \(plural(n, "row"))"
                if let limit = f.maxRows, n > 0 { line += " in \(plural((n + limit - 1) / limit, "file"))" }
                out += line + " (" + actions.map { $0.rawValue }.joined(separator: " + ") + ")\n"
            }
        }
        for a in order where r.count(a) > 0 && a != .unchanged {
            let list = r.entries.filter { $0.action == a }
            out += "\n\(a.rawValue) — \(plural(list.count, a == .reject ? "row" : "user")):\n"
            for e in list.prefix(listLimit) {
                let at = e.row.map { "row \($0 + 2)  " } ?? ""
                out += "  \(at)\(e.label) — \(e.reason)\n"
            }
            if list.count > listLimit { out += "  … and \(list.count - listLimit) more (the plan verb lists every one)\n" }
        }
        if r.dangers.isEmpty {
            out += "\nDangers: none found\n"
        } else {
            out += "\nDangers:\n"
            for d in r.dangers {
                out += "  ! \(d.title) — \(plural(d.lines.count, "user")):\n"
                for l in d.lines.prefix(listLimit) { out += "      \(l)\n" }
                if d.lines.count > listLimit { out += "      … and \(d.lines.count - listLimit) more\n" }
            }
        }
        return out
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
