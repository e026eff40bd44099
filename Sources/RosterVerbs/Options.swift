import RosterDiagnostics
import RosterData
import RosterLanguage

/// The `name = value` options a statement takes (after `load` and `save`): one enum a statement,
/// whose cases say their spellings, allowed values and meaning. The parser checks names, and values
/// written as literals, when the script is parsed, so a misspelled option stops the script before
/// anything runs; a value from `$variable` goes through the same check when it runs.
public protocol OptionName: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// What the options set (the reader's options for `load`, the dialect and guards for `save`).
    associatedtype Settings
    /// The word the options follow.
    static var statement: String { get }
    /// Other spellings accepted for the option.
    var aliases: [String] { get }
    /// The values it takes, as help and completion show them.
    var allowed: [String] { get }
    var summary: String { get }
    /// Applies a value; returns why the value is wrong, or nil.
    func apply(_ value: String, to settings: inout Settings) -> String?
    /// Settings to try a value on when the script is parsed.
    static var scratch: Settings { get }
}

extension OptionName {
    /// The option a written name stands for (any case, or an alias).
    public static func named(_ written: String) -> Self? {
        let w = written.lowercased()
        return allCases.first { $0.rawValue == w || $0.aliases.contains(w) }
    }

    public static var names: [String] { allCases.map(\.rawValue) }
}

/// One parsed option: which one, the value's expression, where it stands.
public struct Option<Name: OptionName>: Sendable {
    public var name: Name
    public var value: Expr
    public var range: SourceRange
}

/// `load "file.csv" delimiter=";" encoding="windows-1252" ragged="pad"`.
public enum LoadOption: String, OptionName {
    case delimiter, encoding, ragged, sheet, orgs, package, optional

    public typealias Settings = CSVReadOptions
    public static let statement = "load"
    public static var scratch: CSVReadOptions { CSVReadOptions() }

    public var aliases: [String] {
        switch self {
        case .delimiter: ["sep", "separator"]
        case .encoding, .ragged, .sheet, .orgs, .package, .optional: []
        }
    }

    public var allowed: [String] {
        switch self {
        case .delimiter: [",", ";", "tab", "|"]
        case .encoding: ["utf-8", "windows-1252"]
        case .ragged: ["error", "pad"]
        case .sheet: ["NAME"]
        case .orgs: OneRosterOrgs.allCases.map { $0 == .sourcedId ? "sourcedId" : $0.rawValue }
        case .package: ["FOLDER"]
        case .optional: ["true", "false"]
        }
    }

    public var summary: String {
        switch self {
        case .delimiter: "the field separator, when it is not to be told from the file"
        case .encoding: "the file's encoding, when it is not to be told from its bytes"
        case .ragged: "rows with too few or too many fields: stop with an error, or pad them and report each"
        case .sheet: "the sheet of an Excel workbook to read (default: the first visible one)"
        case .orgs: "how a OneRoster package's orgSourcedIds are written: each organization's identifier, a DISTRICT-SCHOOL code, or the ids"
        case .package: "the folder of the OneRoster package to read, from a zip that holds several (without it such a zip is refused, naming them)"
        case .optional: "a blank file name (a recipe's extra that was not given) loads a table of no rows, with the format's columns, instead of stopping"
        }
    }

    public func apply(_ v: String, to o: inout CSVReadOptions) -> String? {
        switch self {
        case .delimiter:
            switch v {
            case ",", "comma": o.delimiter = UInt8(ascii: ",")
            case ";", "semicolon": o.delimiter = UInt8(ascii: ";")
            case "\t", "tab": o.delimiter = UInt8(ascii: "\t")
            case "|", "pipe": o.delimiter = UInt8(ascii: "|")
            default: return "delimiter must be \",\", \";\", \"tab\" or \"|\""
            }
        case .encoding:
            guard let e = CSVDialect.Encoding(userName: v) else { return "unknown encoding '\(v)'; use \"utf-8\" or \"windows-1252\"" }
            o.encoding = e
        case .ragged:
            guard let r = RaggedPolicy(rawValue: v) else { return "ragged must be \"error\" or \"pad\"" }
            o.ragged = r
        case .sheet:
            guard !v.isEmpty else { return "sheet needs a sheet's name" }
            o.sheet = v
        case .orgs:
            guard let m = OneRosterOrgs(rawValue: v.lowercased()) else { return "orgs must be \"identifier\", \"district-school\" or \"sourcedId\"" }
            o.oneRosterOrgs = m
        case .package:
            guard !v.isEmpty else { return "package needs the folder of a package in the zip" }
            o.oneRosterPackage = v
        case .optional:
            guard v == "true" || v == "false" else { return "optional must be true or false" }
            o.optional = v == "true"
        }
        return nil
    }
}

/// What `save` options set besides the dialect.
public struct SaveSettings: Sendable {
    public var dialect: CSVDialect
    /// `formulas="neutralise"`: prefix formula-like cells with `'`.
    public var neutraliseFormulas = false
    /// `sheet="Staff"`: the sheet's name in a saved workbook.
    public var sheet: String?
    /// `passwords="keep"`: write password columns into a workbook (they are masked otherwise).
    public var keepPasswords = false
    /// `dangers="upload"`: a save as a portal format writes rows with a danger instead of withholding them.
    public var uploadDangers = false
    /// `replace=true`: the save may replace a file roster did not write.
    public var replace = false
    public init(dialect: CSVDialect) { self.dialect = dialect }
}

/// `save "out.csv" encoding="windows-1252" newline="crlf" bom=false formulas="neutralise"`.
public enum SaveOption: String, OptionName {
    case encoding, newline, bom, formulas, sheet, passwords, dangers, replace

    public typealias Settings = SaveSettings
    public static let statement = "save"
    public static var scratch: SaveSettings { SaveSettings(dialect: CSVDialect()) }

    public var aliases: [String] {
        switch self {
        case .newline: ["newlines", "line_endings"]
        case .encoding, .bom, .formulas, .sheet, .passwords, .dangers, .replace: []
        }
    }

    public var allowed: [String] {
        switch self {
        case .encoding: ["utf-8", "windows-1252"]
        case .newline: ["lf", "crlf", "cr"]
        case .bom: ["true", "false"]
        case .formulas: ["keep", "neutralise"]
        case .sheet: ["NAME"]
        case .passwords: ["mask", "keep"]
        case .dangers: ["withhold", "upload"]
        case .replace: ["true", "false"]
        }
    }

    public var summary: String {
        switch self {
        case .encoding: "the encoding to write (default: the loaded file's)"
        case .newline: "the line ending to write (default: the loaded file's)"
        case .bom: "whether to begin with a byte-order mark (default: as the loaded file did)"
        case .formulas: "cells a spreadsheet would run as formulas: keep them (reported), or neutralise them with a leading '"
        case .sheet: "the sheet's name in a saved .xlsx workbook (default: the file's name without .xlsx)"
        case .passwords: "password columns in a saved .xlsx workbook: masked (the default), or kept"
        case .dangers: "rows a plan found a danger in, saved as a portal format: withheld for a person (the default), or uploaded"
        case .replace: "replace a file that roster did not write (it is refused otherwise; a recipe file or a file of another kind never is)"
        }
    }

    public func apply(_ raw: String, to s: inout SaveSettings) -> String? {
        let v = raw.lowercased()
        switch self {
        case .encoding:
            guard let e = CSVDialect.Encoding(userName: v) else { return "unknown encoding '\(v)'; use \"utf-8\" or \"windows-1252\"" }
            s.dialect.encoding = e
            if e == .windows1252 { s.dialect.byteOrderMark = false }
        case .newline:
            guard let l = CSVDialect.LineEnding(rawValue: v) else { return "newline must be \"lf\", \"crlf\" or \"cr\"" }
            s.dialect.lineEnding = l
            s.dialect.finalLineBreak = true
        case .bom:
            guard v == "true" || v == "false" else { return "bom must be true or false" }
            s.dialect.byteOrderMark = v == "true"
        case .formulas:
            switch v {
            case "keep": s.neutraliseFormulas = false
            case "neutralise", "neutralize": s.neutraliseFormulas = true
            default: return "formulas must be \"keep\" or \"neutralise\""
            }
        case .sheet:
            guard !raw.isEmpty else { return "sheet needs a name" }
            s.sheet = raw
        case .passwords:
            guard v == "keep" || v == "mask" else { return "passwords must be \"mask\" or \"keep\"" }
            s.keepPasswords = v == "keep"
        case .dangers:
            guard v == "withhold" || v == "upload" else { return "dangers must be \"withhold\" or \"upload\"" }
            s.uploadDangers = v == "upload"
        case .replace:
            guard v == "true" || v == "false" else { return "replace must be true or false" }
            s.replace = v == "true"
        }
        return nil
    }
}

extension ScriptParser {
    /// `name = value` pairs after `load` or `save`. An unknown name, or a literal value the option
    /// does not take, is a syntax error here, before any statement runs.
    public mutating func options<Name: OptionName>(_: Name.Type) throws(Diagnostic) -> [Option<Name>] {
        var out: [Option<Name>] = []
        while let written = current.identifier, peek().isSymbol("=") {
            let r = current.range
            guard let name = Name.named(written) else {
                throw Diagnostic(
                    .unknownOption(statement: Name.statement, name: written), at: r,
                    hints: Suggest.hint(written, in: Name.names) + ["\(Name.statement) options: " + Name.names.joined(separator: ", ")])
            }
            _ = advance(); _ = advance()
            let v = try expression(minPrecedence: Parser.Precedence.concat)
            if let literal = v.literalText {
                var scratch = Name.scratch
                if let problem = name.apply(literal, to: &scratch) { throw .syntax(problem, at: v.range) }
            }
            out.append(Option(name: name, value: v, range: r.through(previousRange)))
        }
        return out
    }
}

extension Expr {
    /// The text of a literal (`"crlf"`, `true`), which can be checked before the script runs.
    var literalText: String? {
        switch kind {
        case .text(let s): s
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}

extension OptionName {
    /// Applies options whose values are known now (evaluated by the caller), as a run-time check
    /// for values that came from expressions.
    public static func apply(_ options: [(Self, String, SourceRange)], to settings: inout Settings) throws(Diagnostic) {
        for (name, value, range) in options {
            if let problem = name.apply(value, to: &settings) { throw Diagnostic.runtime(problem, at: range) }
        }
    }
}
