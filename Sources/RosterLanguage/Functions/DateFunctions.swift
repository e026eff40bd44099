import RosterDiagnostics
import RosterData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Dates: read in the layouts rosters hold (2025-03-30, 3/30/2025, 03/30/25, 2025/03/30) and written
/// in a layout of `YYYY`, `YY`, `MM`, `M`, `DD`, `D` (default `YYYY-MM-DD`).
enum DateFunctions {
    static let all: [FunctionDescriptor] = [
        FunctionDescriptor(
            "date", "date(TEXT [, LAYOUT])", "a date rewritten in LAYOUT (default YYYY-MM-DD); blank when TEXT is not a date",
            example: "date(`Active Begin Date`, \"M/D/YYYY\")", args: 1...2
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let layout = a.count > 1 ? try Args.constantText(a[1], "the layout") : "YYYY-MM-DD"
            return try VectorOps.mapText(a[0], rows: c.rows) { b, out in
                if let d = SimpleDate(parsing: String(decoding: b, as: UTF8.self)) { out.append(contentsOf: d.format(layout).utf8) }
            }
        },
        FunctionDescriptor(
            "today", "today([LAYOUT])", "today's date (local time) in LAYOUT (default YYYY-MM-DD)", example: "set Begin = today(\"M/D/YYYY\")", args: 0...1
        ) { (a: [Vector], c: FunctionContext) throws(EvalError) -> Vector in
            let layout = a.isEmpty ? "YYYY-MM-DD" : try Args.constantText(a[0], "the layout")
            return .scalar(.text(SimpleDate.today().format(layout)))
        },
    ]
}

package struct SimpleDate: Equatable {
    var year: Int, month: Int, day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    package init?(parsing raw: String) {
        let s = raw.trimmingCharacters(in: " \t")
        let datePart = s.split(separator: "T", maxSplits: 1).first.map(String.init) ?? s
        let head = datePart.split(separator: " ", maxSplits: 1).first.map(String.init) ?? datePart
        let seps: [Character] = ["-", "/", "."]
        guard let sep = seps.first(where: { head.contains($0) }) else { return nil }
        let parts = head.split(separator: sep, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        // Digits only, but perhaps more than an Int holds: such a part is no date.
        let n = parts.compactMap { Int($0) }
        guard n.count == 3 else { return nil }
        if parts[0].count == 4 {
            (year, month, day) = (n[0], n[1], n[2])
        } else if parts[2].count == 4 {
            (year, month, day) = (n[2], n[0], n[1])  // US layout: month first
        } else if parts[2].count == 2 {
            // Two-digit years as Excel reads them: 00–29 → 2000s, 30–99 → 1900s.
            (year, month, day) = (n[2] < 30 ? 2000 + n[2] : 1900 + n[2], n[0], n[1])
        } else {
            return nil
        }
        guard month >= 1, month <= 12, day >= 1, day <= SimpleDate.daysIn(month: month, year: year) else { return nil }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    package func format(_ layout: String) -> String {
        var out = ""
        var rest = Substring(layout)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        while !rest.isEmpty {
            if rest.hasPrefix("YYYY") {
                out += String(year); rest = rest.dropFirst(4)
            } else if rest.hasPrefix("YY") {
                out += two(year % 100); rest = rest.dropFirst(2)
            } else if rest.hasPrefix("MM") {
                out += two(month); rest = rest.dropFirst(2)
            } else if rest.hasPrefix("M") {
                out += String(month); rest = rest.dropFirst(1)
            } else if rest.hasPrefix("DD") {
                out += two(day); rest = rest.dropFirst(2)
            } else if rest.hasPrefix("D") {
                out += String(day); rest = rest.dropFirst(1)
            } else {
                out.append(rest.first!); rest = rest.dropFirst()
            }
        }
        return out
    }

    static func today() -> SimpleDate {
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return SimpleDate(year: Int(tmv.tm_year) + 1900, month: Int(tmv.tm_mon) + 1, day: Int(tmv.tm_mday))
    }
}

extension String {
    /// The text without the given characters at either end.
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
