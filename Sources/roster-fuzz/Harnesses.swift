import RosterData
import RosterDiagnostics
import RosterLanguage
import RosterPortal
import RosterVerbs

/// The fuzz targets: each takes arbitrary bytes and must return without crashing, whatever they are
/// (an error is a fine answer). `Scripts/fuzz.sh TARGET SECONDS` runs one under libFuzzer.
enum Harness: String, CaseIterable {
    /// The CSV reader: any bytes as a file, serial and two-halves parsing, with the padding policy too.
    case csv
    /// The lexer and the script parser: any bytes as a recipe.
    case parser
    /// The format-block parser: any bytes after `format fuzz`, then validation of a small table.
    case format
    /// A workbook's sheet XML and number formats: any bytes as a sheet part, and the first line as a
    /// number format applied to a few values.
    case sheet
    /// The zip container: any bytes as a workbook or package, every part read within small limits.
    case zip

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .csv:
            var options = CSVReadOptions()
            options.parallelThreshold = 64
            _ = try? CSVReader.read(buffer: bytes, path: "fuzz.csv", options: options)
            options.ragged = .pad
            options.parallelThreshold = Int.max
            _ = try? CSVReader.read(buffer: bytes, path: "fuzz.csv", options: options)
        case .parser:
            let source = SourceFile(name: "fuzz.roster", bytes: Array(bytes))
            _ = try? ScriptParser.parse(source)
        case .sheet:
            _ = try? WorkbookReader.readSheet(Array(bytes), path: "fuzz.xlsx")
            let code = String(decoding: bytes.prefix { $0 != 0x0A }.prefix(200), as: UTF8.self)
            for v in [0, -1.5, 45_899.25, 1_611_920_130_946, 1e300, -1e-300] { _ = NumberFormat(code).format(v) }
        case .zip:
            guard var zip = try? ZipContainer(bytes: Array(bytes), path: "fuzz.zip") else { return }
            zip.maxTotalBytes = 8 << 20
            for name in zip.names.prefix(64) { _ = try? zip.read(name) }
            _ = try? WorkbookReader.read(bytes: Array(bytes), path: "fuzz.xlsx")
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
