/// Runs one script the way the `roster` command does (parse, `--param` overrides, diagnostics on
/// stderr) and returns the exit status: 0 success, 1 runtime/data error or failed assert, 2 syntax or
/// usage error. The executable and the golden tests both go through here.
public struct ScriptRunner {
    public var params: [String: String] = [:]
    public var quiet = false
    public var useColor = false
    public var previewWidth = 100
    public var timings = false
    public var isCancelled: @Sendable () -> Bool = { false }

    public init() {}

    public func run(_ source: SourceFile, baseDirectory: String, output: OutputSink) -> Int32 {
        let session = Session(output: output, baseDirectory: baseDirectory, useColor: useColor)
        session.paramOverrides = params
        session.quiet = quiet
        session.isCancelled = isCancelled
        session.previewWidth = previewWidth
        session.timings = timings
        do {
            try session.run(source)
            return 0
        } catch {
            output.err(session.renderer.render(error))
            return error.exitStatus
        }
    }

    /// `--param NAME=VALUE` strings as a dictionary, or a usage message.
    public static func parseParams(_ items: [String]) -> Result<[String: String], Diagnostic> {
        var out: [String: String] = [:]
        for p in items {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                return .failure(Diagnostic(.error, .usage, "--param needs NAME=VALUE, as in --param past=users-2024.csv; got '\(p)'"))
            }
            out[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return .success(out)
    }

    /// The folder of a script path ("" for the current folder).
    public static func folder(of path: String) -> String { Files.directory(of: path) }
}
