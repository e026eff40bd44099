import RosterDiagnostics

/// How a CSV file is spelled on disk. A plain save writes the dialect of the file a table came from,
/// so an unedited load and save gives back the same bytes.
public struct CSVDialect: Sendable, Equatable {
    public enum LineEnding: String, Sendable, Equatable, CaseIterable {
        case lf, crlf, cr
        public var bytes: [UInt8] {
            switch self {
            case .lf: [0x0A]
            case .crlf: [0x0D, 0x0A]
            case .cr: [0x0D]
            }
        }
        /// Position in counters kept as [LF, CRLF, CR].
        var index: Int {
            switch self {
            case .lf: 0
            case .crlf: 1
            case .cr: 2
            }
        }

        public var label: String {
            switch self {
            case .lf: "LF"
            case .crlf: "CRLF"
            case .cr: "CR"
            }
        }
    }

    public enum Encoding: String, Sendable, Equatable, CaseIterable {
        case utf8 = "utf-8"
        case windows1252 = "windows-1252"
        public var label: String { self == .utf8 ? "UTF-8" : "Windows-1252" }

        /// Accepts the spellings people use for the two encodings.
        public init?(userName: String) {
            switch String(userName.lowercased().map { $0 == "_" ? "-" : $0 }) {
            case "utf-8", "utf8": self = .utf8
            case "windows-1252", "cp1252", "win1252", "ansi", "latin1", "latin-1", "iso-8859-1": self = .windows1252
            default: return nil
            }
        }
    }

    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var lineEnding: LineEnding = .lf
    public var encoding: Encoding = .utf8
    public var byteOrderMark: Bool = false
    /// Whether the last record ends with a line break.
    public var finalLineBreak: Bool = true
    /// The rows came from an Excel workbook (a plain save writes UTF-8 CSV with LF).
    public var fromWorkbook = false

    public init(
        delimiter: UInt8 = UInt8(ascii: ","), lineEnding: LineEnding = .lf, encoding: Encoding = .utf8,
        byteOrderMark: Bool = false, finalLineBreak: Bool = true
    ) {
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.encoding = encoding
        self.byteOrderMark = byteOrderMark
        self.finalLineBreak = finalLineBreak
    }

    /// The dialect of a table read from a workbook.
    public init(workbook: Bool) {
        self.init()
        fromWorkbook = workbook
    }

    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    public var summary: String {
        if fromWorkbook { return "Excel workbook" }
        return "\(encoding.label)\(byteOrderMark ? " with BOM" : ""), \(lineEnding.label), \(delimiterName)-separated"
    }
}
