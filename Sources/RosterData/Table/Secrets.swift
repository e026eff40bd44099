/// Which columns hold secrets — decided here and nowhere else. A secret column's values never reach a
/// terminal or a log: previews, `print`, messages, plans and check reports show `••••••`. Writing
/// them to a file stays possible (an upload file is what they are for).
public enum Secrets {
    public static let mask = "••••••"

    /// Words that make a column secret anywhere in its name.
    static let containedWords = ["password", "passwd", "passcode", "passphrase", "secret"].map { Array($0.utf8) }
    /// Short words that make it secret only as a word of their own (`pin`, `user_pin`, `userPIN`),
    /// so that `Pinellas` or `shipping` are not.
    static let wholeWords: Set<String> = ["pin", "pwd", "pw"]

    /// Whether a column with this name holds secrets (any case). A format's column whose meaning is
    /// `password` is secret too (`FormatDefinition.isSecret`).
    public static func isSecret(_ columnName: String) -> Bool {
        let lower = Array(columnName.lowercased().utf8)
        if containedWords.contains(where: { contains(lower, $0) }) { return true }
        return words(of: columnName).contains { wholeWords.contains($0) }
    }

    /// Whether `word` occurs in `text`, byte for byte (names are short; the standard library's
    /// `String.contains` costs more to start than it saves here, and this runs for every column a
    /// statement binds).
    static func contains(_ text: [UInt8], _ word: [UInt8]) -> Bool {
        guard word.count <= text.count else { return false }
        return (0...text.count - word.count).contains { i in text[i..<i + word.count].elementsEqual(word) }
    }

    /// The words of a name: split at anything but letters and digits, and where a lower-case letter
    /// is followed by an upper-case one (`userPin` → user, pin).
    static func words(of name: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previousWasLower = false
        for ch in name {
            if !(ch.isLetter || ch.isNumber) {
                if !current.isEmpty { out.append(current.lowercased()) }
                current = ""
                previousWasLower = false
                continue
            }
            if ch.isUppercase && previousWasLower {
                out.append(current.lowercased())
                current = ""
            }
            current.append(ch)
            previousWasLower = ch.isLowercase
        }
        if !current.isEmpty { out.append(current.lowercased()) }
        return out
    }
}
