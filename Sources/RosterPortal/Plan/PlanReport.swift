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
        if let c = r.coverage, r.uncovered > 0 {
            out += "  \(plural(r.uncovered, "portal user")) outside this upload (\(c)): not judged, and not archived by it\n"
        }
        out += uploads(r, f)
        for a in order where r.count(a) > 0 && a != .unchanged {
            let list = r.users(with: a)
            out += "\n\(a.rawValue) — \(plural(list.count, a == .reject ? "row" : "user")):\n"
            for e in list.prefix(listLimit).map(r.entry) {
                let at = e.row.map { "row \($0 + 2)  " } ?? ""
                out += "  \(at)\(r.label(e)) — \(e.reason)\n"
            }
            if list.count > listLimit { out += "  … and \(list.count - listLimit) more (the plan verb lists every one)\n" }
        }
        if r.dangers.isEmpty {
            out += "\nDangers: none found\n"
        } else {
            out += "\nDangers:\n"
            for d in r.dangers {
                out += "  ! \(d.title) — \(plural(d.users, "user")):\n"
                for l in d.lines.prefix(listLimit) { out += "      \(l)\n" }
                if d.lines.count > listLimit { out += "      … and \(d.lines.count - listLimit) more\n" }
            }
        }
        out += notChecked(r.notChecked)
        for g in f.guidance { out += "\nThe guide: \(g)\n" }
        return out
    }

    /// The rules that the data given could not decide, by what each needs (`with orgs = …`).
    public static func notChecked(_ list: [(message: String, needs: String)]) -> String {
        guard !list.isEmpty else { return "" }
        var out = "\nNot checked (the data these need was not given: with NAME = …):\n"
        for (message, needs) in list { out += "  \(needs): \(message)\n" }
        return out
    }
}

extension PlanReport {
    /// The plan as JSON, with the data the text shows: the counts, each upload's summary lines and
    /// pop-up, every user with its row, action and reason, and the dangers.
    public static func json(_ r: Planner.Result, upload: String, current: String, format f: FormatDefinition) -> String {
        let counts = PlanAction.allCases.filter { r.count($0) > 0 }.map { ($0.rawValue, String(r.count($0))) }
        let names = uploadNames(f)
        var uploads: [String] = []
        if reportsUploads(f) {
            for name in names {
                var pairs: [(String, String)] = [("name", name.map(JSONText.string) ?? "null"), ("rows", String(r.count(.total, in: name)))]
                pairs.append(
                    ("summary", JSONText.object(f.upload.totals.map { ($0.label, String($0.counts.reduce(0) { $0 + r.count($1, in: name) })) })))
                if let popup = f.upload.popup {
                    pairs.append(("popup", JSONText.string(popup.message(processed: r.count(.processed, in: name), rejected: r.count(.rejected, in: name)))))
                }
                uploads.append(JSONText.object(pairs))
            }
        }
        let users = r.entries.map { e in
            JSONText.object([
                ("row", e.row.map { String($0 + 2) } ?? "null"), ("user", JSONText.string(r.label(e))), ("plan", JSONText.string(e.action.rawValue)),
                ("reason", JSONText.string(e.reason)), ("upload", e.upload.map(JSONText.string) ?? "null"),
            ])
        }
        let dangers = r.dangers.map { d in
            JSONText.object([("title", JSONText.string(d.title)), ("users", String(d.users)), ("lines", JSONText.array(d.lines.map(JSONText.string)))])
        }
        return JSONText.object([
            ("upload", JSONText.string(upload)), ("current", JSONText.string(current)), ("format", JSONText.string(f.name)),
            ("rows", String(r.uploadRows)), ("portal_rows", String(r.currentRows)), ("counts", JSONText.object(counts)),
            ("uncovered", String(r.uncovered)), ("uploads", JSONText.array(uploads)), ("users", JSONText.array(users)),
            ("dangers", JSONText.array(dangers)),
            (
                "not_checked",
                JSONText.array(r.notChecked.map { JSONText.object([("needs", JSONText.string($0.needs)), ("message", JSONText.string($0.message))]) })
            ),
            ("guide", JSONText.array(f.guidance.map(JSONText.string))),
        ]) + "\n"
    }

    /// The separate uploads by name, or one unnamed upload.
    static func uploadNames(_ f: FormatDefinition) -> [String?] {
        f.upload.separateUploads.isEmpty ? [nil] : f.upload.separateUploads.map(\.name)
    }

    /// Whether the format says anything about what the portal reports after an upload.
    static func reportsUploads(_ f: FormatDefinition) -> Bool {
        !f.upload.totals.isEmpty || f.upload.popup != nil || !f.upload.separateUploads.isEmpty
    }

    /// Each file the portal takes on its own (MCAS: Add New Users, Update Existing Users), or the one
    /// upload: its rows, and the portal's summary and message after it, as the portal words them.
    static func uploads(_ r: Planner.Result, _ f: FormatDefinition) -> String {
        var out = ""
        let names = uploadNames(f)
        guard reportsUploads(f) else { return out }
        if names != [nil] {
            out += "\n\(f.title) takes these as separate uploads" + (f.maxRows.map { ", at most \(plural($0, "row")) a file" } ?? "") + ":\n"
        }
        for name in names {
            let written = r.written(in: name)
            let total = written.count
            let (rejected, dangers) = r.withheld(in: name)
            let held =
                rejected + dangers == 0
                ? ""
                : "; withheld for a person, not in the file: "
                    + [rejected > 0 ? "\(plural(rejected, "rejected row"))" : nil, dangers > 0 ? "\(plural(dangers, "row")) with a danger" : nil]
                    .compactMap { $0 }.joined(separator: ", ")
            if let name {
                let actions = f.upload.separateUploads.first { $0.name == name }!.actions.map(\.rawValue).joined(separator: " + ")
                var line = "\n  \(name) (\(actions)): \(plural(total, "row"))"
                if let limit = f.maxRows, total > limit { line += " in \(plural((total + limit - 1) / limit, "file"))" }
                out += line + held + "\n"
                if total == 0 { continue }
            } else {
                out += "\n\(f.title) — after this upload (\(plural(total, "row")) in the file\(held)):\n"
            }
            // The portal reports each file on its own: one summary per file a save writes.
            let limit = f.maxRows ?? max(total, 1)
            let files = stride(from: 0, to: total, by: limit).map { Array(written[$0..<min($0 + limit, total)]) }
            for (k, file) in files.enumerated() {
                if files.count > 1 { out += "    file \(k + 1) of \(files.count) (rows \(k * limit + 1)–\(k * limit + file.count)):\n" }
                let indent = files.count > 1 ? "      " : "    "
                if !f.upload.totals.isEmpty {
                    let width = f.upload.totals.map(\.label.count).max()!
                    for (label, counts) in f.upload.totals {
                        out += indent + label.padding(width + 1) + String(counts.reduce(0) { $0 + r.count($1, of: file) }).leftPadding(7) + "\n"
                    }
                }
                if let popup = f.upload.popup {
                    out +=
                        indent + "the portal will say: \"\(popup.message(processed: r.count(.processed, of: file), rejected: r.count(.rejected, of: file)))\"\n"
                }
            }
        }
        let unchanged = r.count(.unchanged)
        if names != [nil], unchanged > 0 {
            out += "\n  \(plural(unchanged, "row")) the same as the portal's need no upload\n"
        }
        return out
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
