import RosterData
import RosterDiagnostics
import RosterLanguage
import RosterPortal
import RosterVerbs

/// The fuzz targets: each takes arbitrary bytes and must return without crashing, whatever they are
/// (an error is a fine answer). `Scripts/fuzz.sh TARGET SECONDS` runs one under libFuzzer.
enum Harness: String, CaseIterable {
    /// The CSV reader: any bytes as a file, serial and two-halves parsing, with the padding policy too;
    /// then the same bytes as a data file (web page tables and Excel 2003 XML are told apart there).
    case csv
    /// The lexer and the script parser: any bytes as a recipe.
    case parser
    /// The format-block parser: any bytes after `format fuzz`, then validation of a small table.
    case format
    /// A workbook built from the input's parts (`FuzzPackages.workbook`): the sheet's XML, shared
    /// strings, styles with their number formats, the workbook part; the fifth part (or the sheet's
    /// first line) as a number format, up to 4,096 bytes, applied to a few values.
    case sheet
    /// The zip container: input starting `PK` as a zip as it is; any other input as named entries
    /// zipped with correct CRCs (`FuzzPackages.zip`), read as roster reads a data file.
    case zip
    /// A OneRoster package from the input's parts (manifest, users, orgs, roles, demographics), read
    /// as a folder in every `orgs=` mode and as a zip holding the package in a folder.
    case oneroster

    /// Runs the harness; what each whole read gave (rows and columns, or the message) is passed to
    /// `report`, which the replay prints so a test can see that a seed reaches the reader it is for.
    func run(_ bytes: UnsafeBufferPointer<UInt8>, report: (String) -> Void = { _ in }) {
        func attempt(_ what: String, _ read: () throws(Diagnostic) -> CSVReadResult) {
            do {
                let table = try read().table
                report("\(what): \(table.rowCount) rows, \(table.columns.count) columns")
            } catch {
                report("\(what): refused: \(error.message)")
            }
        }
        switch self {
        case .csv:
            var options = CSVReadOptions()
            options.parallelThreshold = 64
            _ = try? CSVReader.read(buffer: bytes, path: "fuzz.csv", options: options)
            options.ragged = .pad
            options.parallelThreshold = Int.max
            _ = try? CSVReader.read(buffer: bytes, path: "fuzz.csv", options: options)
            // As a data file: what roster tells from the first bytes (a web page's table, an Excel
            // 2003 XML sheet) is read by its own reader.
            options.maxBytes = 8 << 20
            attempt("data file") { () throws(Diagnostic) in try DataFileReader.read(FileBytes(array: Array(bytes)), path: "fuzz.xls", options: options) }
        case .parser:
            let source = SourceFile(name: "fuzz.roster", bytes: Array(bytes))
            _ = try? ScriptParser.parse(source)
        case .sheet:
            let parts = FuzzPackages.parts(bytes, limit: 5)
            _ = try? WorkbookReader.readSheet(parts[0], path: "fuzz.xlsx")
            if let workbook = FuzzPackages.workbook(parts) {
                var options = WorkbookReadOptions()
                options.maxBytes = 8 << 20
                options.maxTextBytes = 8 << 20
                attempt("workbook") { () throws(Diagnostic) in try WorkbookReader.read(bytes: workbook, path: "fuzz.xlsx", options: options) }
            }
            let code = parts.count > 4 ? parts[4].prefix(4_096) : parts[0].prefix { $0 != 0x0A }.prefix(4_096)
            let format = NumberFormat(String(decoding: code, as: UTF8.self))
            for v in [0, -1.5, 45_899.25, 1_611_920_130_946, 1e300, -1e-300] { _ = format.format(v) }
        case .zip:
            let raw = bytes.starts(with: [0x50, 0x4B])
            let zipped = raw ? Array(bytes) : FuzzPackages.zip(FuzzPackages.parts(bytes, limit: 16))
            guard let zipped, var zip = try? ZipContainer(bytes: zipped, path: "fuzz.zip") else { return }
            zip.maxTotalBytes = 8 << 20
            for name in zip.names.prefix(64) { _ = try? zip.read(name) }
            var options = CSVReadOptions()
            options.maxBytes = 8 << 20
            attempt("zip") { () throws(Diagnostic) in try DataFileReader.read(FileBytes(array: zipped), path: "fuzz.zip", options: options) }
        case .oneroster:
            let parts = FuzzPackages.parts(bytes, limit: FuzzPackages.oneRosterFiles.count)
            let files = Dictionary(uniqueKeysWithValues: Swift.zip(FuzzPackages.oneRosterFiles, parts).filter { !$0.1.isEmpty })
            for mode in OneRosterOrgs.allCases {
                attempt("package orgs=\(mode.rawValue)") { () throws(Diagnostic) in
                    try OneRosterPackage.read(path: "fuzz", orgs: mode) { name in files[name] }
                }
            }
            let entries = Swift.zip(FuzzPackages.oneRosterFiles, parts).filter { !$0.1.isEmpty }.map { Array("package/\($0.0)\n".utf8) + $0.1 }
            if let zipped = FuzzPackages.zip(entries) {
                var options = CSVReadOptions()
                options.maxBytes = 8 << 20
                attempt("zipped package") { () throws(Diagnostic) in try DataFileReader.read(FileBytes(array: zipped), path: "fuzz.zip", options: options) }
            }
        case .format:
            let text = "format fuzz\n" + String(decoding: bytes, as: UTF8.self) + "\nend\n"
            guard let statements = try? ScriptParser.parse(SourceFile(name: "fuzz.roster", text: text)) else { return }
            for s in statements {
                if case .format(let f) = s.kind { _ = f.columns.count }
            }
        }
    }
}

/// libFuzzer's entry: the harness named by ROSTER_FUZZ_TARGET.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Harness.selected.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

extension Harness {
    static let selected: Harness = Console.environment("ROSTER_FUZZ_TARGET").flatMap(Harness.init(rawValue:)) ?? .csv
}

#if FUZZING
/// The package's executables start at `<name>_main`; under libFuzzer that start hands over to the
/// fuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("roster_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
#endif
