import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// What a verb may ask of the run it is part of. The context implements it; verbs know nothing else
/// of the context, and nothing of the terminal.
public protocol VerbContext: Bindings {
    var formats: FormatRegistry { get }
    var output: OutputSink { get }
    /// Width previews are fitted to.
    var previewWidth: Int { get }
    /// Run everything but write no file (`--dry-run`).
    var dryRun: Bool { get }
    /// Where a recipe's saves wait to be put in place together when it succeeds (nil: each save is
    /// put in place at once, as at the REPL).
    var writeStage: WriteStage? { get }
    /// Set by Ctrl-C and termination signals: long work stops at its next check.
    var isCancelled: @Sendable () -> Bool { get }
    /// Runs a pipeline (the argument of `join`, `append`, `diff`, `plan against`).
    func evaluate(_ p: Pipeline) throws(Diagnostic) -> Table
    /// Evaluates an expression outside any table.
    func evaluateValue(_ e: Expr) throws(Diagnostic) -> Value
    /// Shows a note or warning (notes are left out when quiet).
    func report(_ d: Diagnostic)
    /// A path as written in a script, resolved against the script's folder.
    func resolve(_ path: String) -> String
    /// Refuses a save over a file this run loaded.
    func checkWritable(_ path: String, at range: SourceRange) throws(Diagnostic)
    /// Refuses a save that would replace what nobody asked to replace: a recipe, a file of another
    /// kind than the one written, or a file roster did not write (unless `replace=true`).
    func checkReplaceable(_ path: String, workbook: Bool, replacing: Bool, at range: SourceRange) throws(Diagnostic)
    /// Remembers files a save wrote (or will put in place when the recipe succeeds), so that a later
    /// save, or next year's run of the recipe, may replace them.
    func noteWritten(_ paths: [String])
    /// Whether roster wrote `path` (this session, or by its folder's list of what roster wrote there).
    func rosterWrote(_ path: String) -> Bool
    /// Prints a preview (`show`): through the pager when it is long and on a terminal.
    func showPreview(_ text: String)
}

extension VerbContext {
    public func note(_ message: String, at range: SourceRange) {
        report(Diagnostic(.note(message), severity: .note, at: range))
    }

    public func warn(_ message: String, at range: SourceRange, hints: [String] = []) {
        report(Diagnostic(.warning(message), severity: .warning, at: range, hints: hints))
    }

    /// A known format, or an error with a did-you-mean.
    public func format(named name: String, at range: SourceRange) throws(Diagnostic) -> FormatDefinition {
        if let f = formats.format(named: name) { return f }
        throw Diagnostic(
            .unknownFormat(name), at: range,
            hints: Suggest.hint(name, in: formats.names) + ["formats: " + formats.names.joined(separator: ", ")])
    }

    public func evaluator(for table: Table) -> Evaluator { Evaluator(table: table, bindings: self) }
}
