import RosterDiagnostics
import RosterLanguage

/// What a save writes, told from the file name's ending: an `.xlsx` workbook, tab-separated values
/// (`.tsv`, `.tab`), JSON (`.json`), or CSV (`.csv`, `.txt`, any other name). Endings of files roster
/// does not write (`.ods`, `.xls`, …) are refused with what it writes, never filled with comma CSV
/// under a name another program would open as something else.
enum SavedKind: Equatable {
    case csv, tsv, json, workbook

    /// Endings of spreadsheets and documents roster reads or knows but does not write.
    static let refused: [String: String] = [
        ".ods": "an OpenDocument spreadsheet", ".xls": "an old Excel workbook", ".xlsm": "a macro-enabled Excel workbook",
        ".xlsb": "a binary Excel workbook", ".numbers": "a Numbers spreadsheet", ".xml": "an XML file", ".html": "a web page",
        ".htm": "a web page", ".zip": "a zip file", ".parquet": "a Parquet file", ".pdf": "a PDF document", ".docx": "a Word document",
    ]

    init(_ name: String, portal: String?, at range: SourceRange) throws(Diagnostic) {
        let lower = name.lowercased()
        let ending = lower.lastIndex(of: ".").map { String(lower[$0...]) } ?? ""
        if let what = Self.refused[ending], name != "-" {
            let stem = String(name.dropLast(ending.count))
            throw Diagnostic.runtime(
                "save writes .csv, .tsv, .xlsx or .json files; \(name) would be \(what)", at: range,
                hints: ["save \"\(stem).xlsx\" for Excel, or \"\(stem).csv\" for any program"])
        }
        switch ending {
        case ".xlsx": self = .workbook
        case ".tsv", ".tab": self = .tsv
        case ".json": self = .json
        default: self = .csv
        }
        if let portal, self == .tsv || self == .json {
            throw Diagnostic.runtime(
                "save as \(portal) writes the portal's comma-separated file; \(name) would say otherwise", at: range,
                hints: ["save \"\(String(name.dropLast(ending.count))).csv\" as \(portal)"])
        }
    }
}
