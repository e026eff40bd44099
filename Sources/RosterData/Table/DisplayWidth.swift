/// How many terminal cells text takes: East Asian wide and fullwidth characters and emoji take two,
/// combining marks and joiners none, everything else one — the rules of `wcwidth`, without
/// depending on the process's locale (in the C locale `wcwidth` knows no character beyond ASCII).
public enum DisplayWidth {
    /// The cells one character (a grapheme cluster) takes.
    public static func of(_ c: Character) -> Int {
        var wide = false
        var visible = false
        for u in c.unicodeScalars {
            let v = u.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { continue }
            switch u.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: break
            }
            if v == 0x200B || (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { continue }
            visible = true
            if isWide(v) || u.properties.isEmojiPresentation { wide = true }
        }
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && c.unicodeScalars.first?.properties.isEmoji == true { wide = true }
        return wide ? 2 : (visible ? 1 : 0)
    }

    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// East Asian Wide (W) and Fullwidth (F) ranges.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The text cut to at most `width` cells, with … when something was cut. Only as many characters
    /// as can be shown are looked at, so a cell of many megabytes is cut as fast as a short one.
    public static func cut(_ s: String, _ width: Int) -> String {
        var used = 0
        var out = ""
        var index = s.startIndex
        while index < s.endIndex {
            let c = s[index]
            let w = of(c)
            if used + w > width {
                // Make room for the ellipsis.
                while used + 1 > width, let last = out.popLast() { used -= of(last) }
                return out + "…"
            }
            out.append(c)
            used += w
            index = s.index(after: index)
        }
        return out
    }

    /// The text followed by spaces up to `width` cells.
    public static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - of(s)))
    }
}
