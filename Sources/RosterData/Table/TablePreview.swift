import RosterDiagnostics

/// A table as people read it: aligned columns, long cells cut with …, a `1,234 rows × 7 columns` footer.
/// Password columns are masked: a roster's passwords never reach a screen or a log.
public enum TablePreview {
    public static let maxCellWidth = 32

    /// A cell as shown: line breaks and tabs as spaces, so a row stays on one line.
    static func clean(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }

    /// At most `width` terminal cells, with … when there is more (see `DisplayWidth.cut`).
    static func cut(_ s: String, _ width: Int) -> String { DisplayWidth.cut(s, width) }

    public static func render(_ t: Table, maxRows: Int = 10, width: Int = 100, formatName: String? = nil) -> String {
        let shown = min(maxRows, t.rowCount)
        var cols: [[String]] = []
        for c in t.columns {
            let secret = t.isSecret(column: c.name)
            var cells = [clean(cut(c.name, maxCellWidth))]
            for r in 0..<shown {
                let v = c.cells[r]
                cells.append(secret ? (v.isEmpty ? "" : Secrets.mask) : clean(cut(v, maxCellWidth)))
            }
            cols.append(cells)
        }
        let widths = cols.map { $0.map(DisplayWidth.of).max() ?? 0 }
        // Fit the terminal: show as many columns as fit, then say how many more there are.
        var fit = 0, used = 0
        for w in widths {
            if fit > 0 && used + w + 2 > width { break }
            used += w + 2
            fit += 1
        }
        var out = ""
        for r in 0...shown {
            var line = ""
            for j in 0..<fit {
                let cell = cols[j][r]
                line += (j + 1 < fit ? DisplayWidth.pad(cell, widths[j]) + "  " : cell)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
            if r == 0 { out += widths.prefix(fit).map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        var footer = "\(plural(t.rowCount, "row")) × \(plural(t.columns.count, "column"))"
        if shown < t.rowCount { footer += " (first \(shown) shown)" }
        if fit < t.columns.count {
            footer +=
                "; \(t.columns.count - fit) more column\(t.columns.count - fit == 1 ? "" : "s") not shown: "
                + t.columns[fit...].prefix(6).map(\.name).joined(separator: ", ") + (t.columns.count - fit > 6 ? ", …" : "")
        }
        if let f = formatName ?? (t.formatName == "csv" ? nil : t.formatName) { footer += " [\(f)]" }
        return out + footer + "\n"
    }
}
