import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs

/// Runs one script the way the `roster` command does (parse, `--param` overrides, diagnostics on
/// stderr) and returns the exit status: 0 success, 1 runtime/data error or failed assert, 2 syntax or
/// usage error. The executable and the golden tests both go through here.
public struct ScriptRunner {
    public var params: [String: String] = [:]
    public var quiet = false
    public var useColor = false
    public var previewWidth = 100
    public var timings = false
    public var dryRun = false
    /// Standard input carries the script or the REPL's lines, so `load "-"` cannot read data there.
    public var standardInputIsTaken = false
    public var isCancelled: @Sendable () -> Bool = { false }
    /// How `plan` and `check` print their reports.
    public var reportFormat: ReportFormat = .text
    /// Long `show` previews go through this when standard output is a terminal.
    public var pager: (@Sendable (String) -> Bool)?

    public init() {}

    /// A session with this runner's settings.
    public func session(output: OutputSink, baseDirectory: String = "") -> Session {
        let session = Session(output: output, baseDirectory: baseDirectory, useColor: useColor)
        session.paramOverrides = params
        session.quiet = quiet
        session.isCancelled = isCancelled
        session.previewWidth = previewWidth
        session.timings = timings
        session.reportFormat = reportFormat
        session.pager = pager
        session.dryRun = dryRun
        session.standardInputIsTaken = standardInputIsTaken
        return session
    }

    /// Runs a recipe: its saves are put in place together when it succeeds, and none when it stops
    /// half way (a failed statement, Ctrl-C), so `out/` never mixes this run's files with an earlier one's.
    public func run(_ source: SourceFile, baseDirectory: String, output: OutputSink) -> Int32 {
        let session = session(output: output, baseDirectory: baseDirectory)
        let stage = WriteStage()
        session.writeStage = stage
        do {
            try session.run(source)
            _ = try stage.commit()
            return 0
        } catch {
            let waiting = stage.paths
            stage.abandon()
            output.err(session.renderer.render(error))
            if !waiting.isEmpty {
                output.err(
                    session.renderer.render(
                        Diagnostic(
                            .warning(
                                "nothing was written: the run stopped before its end, so its \(plural(waiting.count, "file")) stay as they were ("
                                    + listSome(waiting, limit: 6) + ")"), severity: .warning)))
            }
            return error.exitStatus
        }
    }

    /// `roster check FILE [--as FORMAT]`: the check report for one file. Exit status 0 when every row
    /// would be accepted, 1 when any would be rejected (or the file cannot be read), 2 when the format
    /// is unknown or cannot be told from the header.
    public func check(path: String, format: String?, portalData: [(name: String, source: String)] = [], output: OutputSink) -> Int32 {
        let session = session(output: output)
        let nowhere = SourceRange(offset: 0, length: 0)
        do {
            let t = try session.load(Expr(.text(path), nowhere), format: format, options: [], range: nowhere)
            guard t.formatName != "csv" else {
                output.err(
                    session.renderer.render(
                        Diagnostic(
                            .cannotTellFormat(path: path), data: DataLocation(path: path),
                            hints: ["give it: roster check \(path) --as FORMAT (" + session.formats.names.filter { $0 != "csv" }.joined(separator: ", ") + ")"])
                    ))
                return 2
            }
            let f = session.formats.format(named: t.formatName)!
            let validator = FormatValidator(f, state: try portalState(portalData, for: f, in: session))
            try session.printCheck(t, name: path, validator: validator)
            let rejects = try validator.problems(t, bindings: session).contains { !$0.isEmpty }
            return rejects || !CheckReport.fileFindings(t, f).isEmpty ? 1 : 0
        } catch {
            output.err(session.renderer.render(error))
            if case .unknownFormat = error.id { return 2 }
            return error.exitStatus
        }
    }

    /// The portal's data given on the command line (`--users FILE`, `--with domains=a.org,b.org`):
    /// a value naming a file that exists is loaded, anything else is a list of values.
    func portalState(_ given: [(name: String, source: String)], for f: FormatDefinition, in session: Session) throws(Diagnostic) -> [String: Table] {
        let nowhere = SourceRange(offset: 0, length: 0)
        var sources: [(String, PipelineSource)] = []
        for (name, source) in given {
            if SystemCall.status(session.resolve(source)) != nil {
                sources.append((name, .load(path: Expr(.text(source), nowhere), format: nil, options: [], range: nowhere)))
            } else {
                let values = source.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
                sources.append((name, .values(values, nowhere)))
            }
        }
        return try session.portalState(sources, for: f, at: nowhere)
    }

    /// `--param NAME=VALUE` strings as a dictionary, or a usage message.
    public static func parseParams(_ items: [String]) -> Result<[String: String], Diagnostic> {
        var out: [String: String] = [:]
        for p in items {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                return .failure(Diagnostic(.usage("--param needs NAME=VALUE, as in --param past=users-2024.csv; got '\(p)'")))
            }
            out[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return .success(out)
    }

    /// The folder of a script path ("" for the current folder).
    public static func folder(of path: String) -> String { Files.directory(of: path) }
}
