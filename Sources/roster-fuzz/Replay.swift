#if !FUZZING
import RosterData
import RosterDiagnostics

/// Without libFuzzer (a normal build): `roster-fuzz TARGET FILE…` runs the harness over saved
/// inputs — a crash found by the fuzzer, or the seed corpus — so a finding can be replayed anywhere.
@main
struct Replay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let harness = Harness(rawValue: name) else {
            let sink = StandardSink()
            sink.err("usage: roster-fuzz \(Harness.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n")
            sink.flush()
            return
        }
        // Each whole read's outcome is printed, one line each: `FILE: workbook: 4 rows, 3 columns`.
        let sink = StandardSink()
        for path in args.dropFirst() {
            guard let bytes = try? Files.readAll(path, limit: 1 << 24) else {
                sink.err("roster-fuzz: cannot read \(path)\n")
                continue
            }
            bytes.withUnsafeBufferPointer { harness.run($0) { sink.out("\(path): \($0)\n") } }
        }
        sink.flush()
    }
}
#endif
