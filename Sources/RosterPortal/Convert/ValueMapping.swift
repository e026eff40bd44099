import RosterDiagnostics
import RosterData
import RosterLanguage

/// Carries values into the target format during `convert`, and remembers what it did so the report
/// can say it: values mapped through a crosswalk, values it could not map (kept as written), and the
/// choices made where a user's rows disagree.
struct ValueMapping {
    /// Column → mapped value pairs with their counts, in first-seen order.
    /// Column → mapped value pairs with their counts and the crosswalk that mapped them, in
    /// first-seen order.
    private var mapped: [(column: String, from: String, to: String, count: Int, by: String)] = []
    private var unmapped: [(column: String, value: String, count: Int)] = []
    private var allowedFor: [String: [String]] = [:]
    /// The meaning of each column with unmapped values, for the `with MEANING = {…}` that maps them.
    private var meaningFor: [String: Meaning] = [:]
    /// Column → users whose several values were narrowed to one, with what they had.
    private var chosen: [(column: String, user: String, values: [String], kept: String)] = []
    private var rankFor: [String: [String]] = [:]
    /// Values a user held that the target's ranking does not know, by column.
    private var unranked: [(column: String, value: String)] = []
    var notes: [String] = []

    /// The target values for one source value: unchanged when the target already allows it, else
    /// through the crosswalk (which may give several, `"TA|TE"`); a value with no entry is kept and noted.
    mutating func map(_ value: String, meaning: Meaning, column: String, converter: Converter) -> [String] {
        let target = converter.target
        let allowedRule = target.rules.first { $0.column == column && $0.allowedValues != nil }
        if let rule = allowedRule, rule.constraints.allSatisfy({ FormatValidator.holds($0, value, nil) }) { return [value] }
        // The district's crosswalk first, then the built-in one: a value either maps is mapped.
        let crosswalks = converter.crosswalks(for: meaning)
        for crosswalk in crosswalks {
            guard let to = crosswalk.value(for: value) else { continue }
            let by = crosswalk.from == Crosswalk.given ? "the crosswalk you gave" : "the built-in crosswalk \(crosswalk.from) → \(target.name)"
            note(column: column, from: value, to: to, by: by)
            let sep = target.conversion.separators[column] ?? "|"
            return to.split(separator: sep).map(String.init)
        }
        if !crosswalks.isEmpty || allowedRule != nil {
            if let i = unmapped.firstIndex(where: { $0.column == column && $0.value == value }) {
                unmapped[i].count += 1
            } else {
                unmapped.append((column, value, 1))
            }
            if let a = allowedRule?.allowedValues { allowedFor[column] = a }
            meaningFor[column] = meaning
        }
        return [value]
    }

    /// Takes in what another mapping noted (another column's), after this one's.
    mutating func absorb(_ other: ValueMapping) {
        mapped += other.mapped
        unmapped += other.unmapped
        allowedFor.merge(other.allowedFor) { mine, _ in mine }
        meaningFor.merge(other.meaningFor) { mine, _ in mine }
        chosen += other.chosen
        rankFor.merge(other.rankFor) { mine, _ in mine }
        unranked += other.unranked
        notes += other.notes
    }

    /// Whether every value of `column` is carried as written with nothing to report: the target
    /// has no list of allowed values for it and no crosswalk for its meaning.
    func passesThrough(column: String, meaning: Meaning, converter: Converter) -> Bool {
        !converter.target.rules.contains { $0.column == column && $0.allowedValues != nil } && converter.crosswalks(for: meaning).isEmpty
    }

    /// Counts `times` more uses of a value `map` has already seen in `column`: the report is the
    /// same as mapping it that many more times.
    mutating func repeatUse(of value: String, column: String, times: Int) {
        if let i = mapped.firstIndex(where: { $0.column == column && $0.from == value }) {
            mapped[i].count += times
        } else if let i = unmapped.firstIndex(where: { $0.column == column && $0.value == value }) {
            unmapped[i].count += times
        }
    }

    private mutating func note(column: String, from: String, to: String, by: String) {
        if let i = mapped.firstIndex(where: { $0.column == column && $0.from == from }) {
            mapped[i].count += 1
        } else {
            mapped.append((column, from, to, 1, by))
        }
    }

    /// One value where the target holds one: the highest role when the format ranks roles, else the
    /// first value; either way the choice is reported.
    mutating func choose(_ values: [String], meaning: Meaning, column: String, user: String, rank: [String]?) -> String {
        var kept = values[0]
        if meaning == .role, let rank {
            // Only values the target ranks are ranked (as the portal compares them, ignoring case); the
            // others are reported, never placed.
            let order = rank.map { $0.lowercased() }
            let place = { (v: String) in order.firstIndex(of: v.lowercased()) }
            let ranked = values.filter { place($0) != nil }
            if let best = ranked.min(by: { place($0)! < place($1)! }) { kept = best }
            unranked += values.filter { place($0) == nil }.map { (column, $0) }
            rankFor[column] = rank
        }
        chosen.append((column, user.hasPrefix("\u{1}") ? String(user.dropFirst()) : user, values, kept))
        return kept
    }

    var mappedNotes: [String] {
        columnsInOrder(mapped.map(\.column)).flatMap { c in
            let list = mapped.filter { $0.column == c }
            return columnsInOrder(list.map(\.by)).map { by in
                let pairs = list.filter { $0.by == by }.map { "\($0.from) → \($0.to) (\(plural($0.count, "value")))" }
                return "\(c): \(pairs.joined(separator: ", ")) by \(by)"
            }
        } + notes
    }

    /// Each column's values no crosswalk mapped, and how to give them: the district's own crosswalk
    /// for the column's meaning, naming every value (`convert to mcas with role = {"principal": "…"}`).
    func unmappedWarnings(target: String) -> [String] {
        columnsInOrder(unmapped.map(\.column)).map { c in
            let list = unmapped.filter { $0.column == c }
            let values = list.map { "'\($0.value)' (\(plural($0.count, "value")))" }
            var s = "\(c): no mapping for \(values.joined(separator: ", ")), kept as written"
            if let a = allowedFor[c] { s += "; the format allows " + a.joined(separator: ", ") }
            let meaning = meaningFor[c].map(\.rawValue) ?? c
            let pairs = list.map { "\"\($0.value)\": \"…\"" }.joined(separator: ", ")
            return s + "; give them with the conversion: convert to \(target) with \(meaning) = {\(pairs)}"
        }
    }

    /// Users whose rows held several values of a column, and which was kept; a secret column's values
    /// are never shown (`secret` says which columns are).
    func choiceWarnings(secret: (String) -> Bool) -> [String] {
        columnsInOrder(chosen.map(\.column)).map { c in
            let list = chosen.filter { $0.column == c }
            let hide = secret(c)
            let shown = list.prefix(5).map { e in
                hide ? "\(e.user) (\(e.values.count) values)" : "\(e.user) (\(e.values.joined(separator: ", ")) → \(e.kept))"
            }.joined(separator: ", ")
            let more = list.count > 5 ? ", … (\(list.count) in all)" : ""
            if let rank = rankFor[c] {
                var values = Set<String>()
                let strays = unranked.filter { $0.column == c && values.insert($0.value).inserted }.map(\.value)
                let stray =
                    strays.isEmpty ? "" : "; not in \(c)'s ranking, so never chosen by rank: " + strays.map { "'\($0)'" }.joined(separator: ", ")
                return
                    "\(c): \(plural(list.count, "user")) had several; one per user, so the highest was kept (\(rank.joined(separator: " > "))): \(shown)\(more)\(stray)"
            }
            return "\(c): \(plural(list.count, "user")) had different values in their rows; the first was kept: \(shown)\(more)"
        }
    }

    private func columnsInOrder(_ columns: [String]) -> [String] {
        var seen = Set<String>()
        return columns.filter { seen.insert($0).inserted }
    }
}
