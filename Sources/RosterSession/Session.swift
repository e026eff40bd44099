import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs

/// One run of the language: the bound tables and values, the files loaded, where output goes.
/// A script run, `-c` and the REPL each own one session; there is no global state.
public final class Session: VerbContext {
    public private(set) var tables: [String: Table] = [:]
    public private(set) var values: [String: Value] = [:]
    /// `--param NAME=VALUE` from the command line; a `param` statement of that name takes it.
    public var paramOverrides: [String: String] = [:]
    public let output: OutputSink
    public var renderer: DiagnosticRenderer
    /// Relative paths resolve against this folder ("" = the current folder).
    public var baseDirectory: String
    public let verbs: VerbRegistry
    public private(set) var formats: FormatRegistry
    /// Notes (what `load` found, what a verb repaired) are shown unless quiet; warnings always.
    public var quiet = false
    /// Set by Ctrl-C: long work stops at the next check and a save removes its temporary file.
    public var isCancelled: @Sendable () -> Bool = { false }
    /// Shows a progress line for loads that take more than a second (the REPL sets this on a terminal).
    public var progressLine: (@Sendable (String) -> Void)?
    /// Run everything but write no file: each save says what it would write (`--dry-run`).
    public var dryRun = false
    /// A recipe's saves, put in place together when it succeeds (`ScriptRunner`); nil at the REPL.
    public var writeStage: WriteStage?
    /// Report how long each load and verb took (`--timings`).
    public var timings = false
    /// The most bytes a column may hold (`TextColumn.maxBytes`): a step that makes a larger column (a
    /// `join … allow many`, an `expand`, a `set` that joins long cells) is stopped rather than let
    /// its cells run into one another. Smaller only in tests.
    public var columnByteLimit = TextColumn.maxBytes
    /// How `plan` and `check` statements print their reports (`--format json`).
    public var reportFormat: ReportFormat = .text
    /// Shows a long preview through a pager and says whether it did (set when standard output is a terminal).
    public var pager: (@Sendable (String) -> Bool)?
    /// Width previews are fitted to (the terminal's width on a terminal).
    public var previewWidth = 100

    /// Set when standard input carries the script or the REPL's lines: `load "-"` then refuses.
    public var standardInputIsTaken = false

    /// Values bound from a secret (a password column, or another such value): `print` masks them.
    public private(set) var secretValues: Set<String> = []

    func markSecret(_ name: String, _ secret: Bool) {
        if secret { secretValues.insert(name) } else { secretValues.remove(name) }
    }

    /// Files this session read: a save never overwrites one of them.
    private(set) var loadedFiles: [FileIdentity: String] = [:]
    /// The files this session wrote (and the folders' lists of what roster wrote there).
    var writtenFiles = WrittenFiles()
    /// Files put in place at once (at the REPL), so an interruption after them never says "nothing was changed".
    var placedFiles = 0
    var currentSource: SourceFile?
    private var includeStack: [String] = []

    public init(
        output: OutputSink, baseDirectory: String = "", useColor: Bool = false,
        verbs: VerbRegistry = .standard, formats: FormatRegistry = .standard
    ) {
        self.output = output
        self.baseDirectory = baseDirectory
        self.renderer = DiagnosticRenderer(useColor: useColor)
        self.verbs = verbs
        self.formats = formats
    }

    // MARK: running

    /// Parses and runs a script or typed text. Errors come back located in `source`.
    public func run(_ source: SourceFile) throws(Diagnostic) {
        let statements = try ScriptParser.parse(source, verbs: verbs)
        try checkParamOverrides(statements, in: source)
        let saved = currentSource
        currentSource = source
        defer { currentSource = saved }
        for s in statements {
            do { try execute(s) } catch { throw error.located(in: source) }
        }
    }

    /// `--param` names that no `param` statement declares are a usage error (with a did-you-mean).
    func checkParamOverrides(_ statements: [Statement], in source: SourceFile) throws(Diagnostic) {
        guard includeStack.isEmpty, !paramOverrides.isEmpty else { return }
        var declared: [String] = []
        var hasInclude = false
        for s in statements {
            if case .param(let n, _) = s.kind { declared.append(n) }
            if case .include = s.kind { hasInclude = true }
        }
        if hasInclude { return }
        for name in paramOverrides.keys.sorted() where !declared.contains(name) {
            var hints = Suggest.hint(name, in: declared)
            hints.append(declared.isEmpty ? "\(source.name) declares no param" : "its params: " + declared.joined(separator: ", "))
            throw Diagnostic(.paramNotDeclared(name: name, script: source.name), hints: hints)
        }
    }

    public func execute(_ s: Statement) throws(Diagnostic) {
        if isCancelled() { throw Diagnostic(.interrupted(nothingChanged: false), at: s.range) }
        switch s.kind {
        case .bind(let name, let p):
            let t = try evaluate(p)
            tables[name] = t
        case .pipeline(let p):
            _ = try evaluate(p)
        case .let(let name, let e):
            values[name] = try evaluateValue(e)
            markSecret(name, Secrets.isSecret(name) || e.readsSecret(secretValues: secretValues))
        case .param(let name, let e):
            if let given = paramOverrides[name] {
                values[name] = .text(given)
                markSecret(name, Secrets.isSecret(name))
            } else {
                values[name] = try evaluateValue(e)
                markSecret(name, Secrets.isSecret(name) || e.readsSecret(secretValues: secretValues))
            }
        case .print(let items):
            var parts: [String] = []
            for e in items {
                if case .column(let name) = e.kind, let t = tables[name] {
                    parts.append(TablePreview.render(t, maxRows: 10, width: previewWidth).trimmingTrailingNewline)
                } else {
                    let v = try evaluateValue(e)
                    parts.append(e.readsSecret(secretValues: secretValues) ? v.maskedDisplay : v.display)
                }
            }
            output.out(parts.joined(separator: " ") + "\n")
        case .assert(let cond, let message):
            let v = try evaluateValue(cond)
            guard case .bool(let ok) = v else {
                throw Diagnostic.runtime("assert needs a true/false condition; this is \(v.typeName)", at: cond.range)
            }
            if !ok {
                let text = try message.map { (m) throws(Diagnostic) in try evaluateValue(m).display } ?? "assertion failed"
                throw Diagnostic(.assertionFailed(text), at: cond.range)
            }
        case .include(let e):
            try include(e)
        case .format(let f):
            formats.register(f)
        case .check(let name, let range, let formatName, let given):
            guard let t = tables[name] else { throw unknownTable(name, at: range) }
            let f = try format(named: formatName, at: s.range)
            let state = try portalState(given, for: f, at: s.range)
            var clock = timings ? Self.now() : 0
            try printCheck(t, name: name, validator: FormatValidator(f, state: state))
            if timings { reportTime("check", at: s.range, since: &clock) }
        case .plan(let name, let range, let clause):
            guard let t = tables[name] else { throw unknownTable(name, at: range) }
            let (result, _) = try plan(t, clause, at: s.range)
            let currentName: String
            if case .table(let n, _) = clause.current { currentName = n } else { currentName = "the portal's users" }
            let f = try format(named: clause.format, at: s.range)
            switch reportFormat {
            case .json: output.out(PlanReport.json(result, upload: name, current: currentName, format: f))
            case .text, .csv: output.out(PlanReport.render(result, upload: name, current: currentName, format: f))
            }
        }
    }

    /// The check report of a table, in the report format asked for (`check` statement and `roster check`).
    func printCheck(_ t: Table, name: String, validator: FormatValidator) throws(Diagnostic) {
        switch reportFormat {
        case .text: output.out(try CheckReport.render(t, name: name, validator: validator, bindings: self))
        case .json: output.out(try CheckReport.json(t, name: name, validator: validator, bindings: self))
        case .csv:
            output.outBytes(Array(try CheckReport.csv(t, validator: validator, bindings: self).utf8))
            // As a save says: cells a spreadsheet would run as formulas, in a report that may be opened in one.
            var formulas = 0
            for c in t.columns { c.cells.forEachCell { _, cell in if CSVWriter.isFormulaLike(cell) { formulas += 1 } } }
            if formulas > 0 {
                report(
                    Diagnostic(
                        .warning(
                            "check: \(plural(formulas, "cell")) of the report \(formulas == 1 ? "begins" : "begin") with =, +, -, @ or a tab, which a spreadsheet runs as a formula"
                        ),
                        severity: .warning, hints: ["open the report as text, or neutralise them: … | save \"for-people.csv\" formulas=\"neutralise\""]))
            }
        }
    }

    func include(_ e: Expr) throws(Diagnostic) {
        guard case .text(let raw) = try evaluateValue(e) else {
            throw Diagnostic.runtime("include needs a file name in quotes", at: e.range)
        }
        let path = resolve(raw)
        if includeStack.contains(path) || includeStack.count > 20 {
            throw Diagnostic.runtime("\(raw) includes itself", at: e.range)
        }
        let bytes: [UInt8]
        do { bytes = try Files.readAll(path, limit: 16 << 20) } catch { throw error.at(e.range) }
        let source = SourceFile(name: path, bytes: bytes)
        let savedBase = baseDirectory
        includeStack.append(path)
        baseDirectory = Files.directory(of: path)
        defer {
            baseDirectory = savedBase
            includeStack.removeLast()
        }
        try run(source)
    }

    /// Runs a pipeline and returns its table.
    public func evaluate(_ p: Pipeline) throws(Diagnostic) -> Table {
        var t: Table
        var clock = timings ? Self.now() : 0
        switch p.source {
        case .load(let pathExpr, let format, let options, let range):
            t = try load(pathExpr, format: format, options: options, range: range)
            if timings { reportTime("load", at: range, since: &clock) }
        case .table(let name, let range):
            guard let found = tables[name] else { throw unknownTable(name, at: range) }
            t = found
        case .nested(let inner):
            t = try evaluate(inner)
        case .values(let values, _):
            t = Table(columns: [Column(name: "value", cells: TextColumn(values))], rowCount: values.count)
        case .value(let e):
            let values = try Self.listValues(evaluateValue(e))
            t = Table(columns: [Column(name: "value", cells: TextColumn(values))], rowCount: values.count)
        }
        let placedBefore = placedFiles
        for step in p.steps {
            if isCancelled() { throw Diagnostic(.interrupted(nothingChanged: placedFiles == placedBefore), at: step.range) }
            dropFormatIfChanged(&t)
            let secrets = t.secretCells
            t = try step.run(consume t, self)
            t.markSecret(holding: secrets)
            try checkColumnSizes(t, madeBy: step)
            if timings { reportTime(String(describing: type(of: step)).replacingVerbSuffix, at: step.range, since: &clock) }
        }
        // Interrupted during the last step: its result is not to be trusted or bound (and a save that
        // already put its files in place is not "nothing changed").
        if isCancelled() { throw Diagnostic(.interrupted(nothingChanged: placedFiles == placedBefore), at: p.range) }
        dropFormatIfChanged(&t)
        return t
    }

    /// Stops a step that made a column larger than a column can hold (`columnByteLimit`).
    func checkColumnSizes(_ t: Table, madeBy step: any VerbStep) throws(Diagnostic) {
        guard let c = t.columns.first(where: { $0.cells.bytes.count > columnByteLimit }) else { return }
        throw Diagnostic.runtime(
            "this step made column `\(c.name)` hold \(c.cells.bytes.count.grouped) bytes, more than a column holds (\(columnByteLimit.grouped))",
            at: step.range,
            hints: ["make fewer rows or shorter cells first: a `where` before it, a narrower join key, or `select` the columns needed"])
    }

    /// A table is in a format only while its header still is that format's (or its error file's).
    func dropFormatIfChanged(_ t: inout Table) {
        if t.formatName != "csv", let f = formats.header(named: t.formatName), !f.columns.isEmpty,
            FormatDetection.exact(t.names, f) == nil
        {
            t.formatName = "csv"
        }
    }

    static func now() -> Double { Console.monotonicSeconds() }

    func reportTime(_ what: String, at range: SourceRange, since clock: inout Double) {
        let t = Self.now()
        let ms = Int(((t - clock) * 1000).rounded())
        var d = Diagnostic(.timing(step: what, milliseconds: ms, peakMiB: Console.peakMemory() >> 20), severity: .note, at: range)
        if let src = currentSource { d = d.located(in: src) }
        output.err(renderer.render(d))  // asked for, so shown even when quiet
        clock = t
    }

    /// Evaluates an expression outside any table.
    public func evaluateValue(_ e: Expr) throws(Diagnostic) -> Value {
        let ev = Evaluator(table: Table(columns: [], rowCount: 1), bindings: self, scalarContext: true)
        let v = try ev.eval(e)
        switch v {
        case .scalar(let x): return x
        default: return v.value(at: 0)
        }
    }

    // MARK: bindings (for the REPL and tests)

    public func bindTable(_ name: String, _ t: Table) { tables[name] = t }
    public func removeTable(_ name: String) { tables[name] = nil }
    public func bindValue(_ name: String, _ v: Value) { values[name] = v }
    public func removeValue(_ name: String) { values[name] = nil }

    /// The typed text that reports point into while the REPL runs a statement.
    public var currentSourceForReports: SourceFile? {
        get { currentSource }
        set { currentSource = newValue }
    }

    // MARK: files

    /// A path as written in a script, resolved against the script's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        if path.hasPrefix("~/") { return path }
        return baseDirectory + "/" + path
    }

    func load(_ pathExpr: Expr, format: String?, options: [Option<LoadOption>], range: SourceRange) throws(Diagnostic) -> Table {
        guard let raw = try evaluateValue(pathExpr).asText else {
            throw Diagnostic.runtime("load needs a file name", at: pathExpr.range)
        }
        var readOptions = CSVReadOptions()
        var given: [(LoadOption, String, SourceRange)] = []
        for o in options { given.append((o.name, try evaluateValue(o.value).asText ?? "", o.range)) }
        try LoadOption.apply(given, to: &readOptions)
        if raw.isEmpty && readOptions.optional {
            // An extra the recipe's caller did not give: no rows, and the format's columns.
            let f = try format.map { (name) throws(Diagnostic) in try self.format(named: name, at: range) }
            var t = Table(columns: (f?.columns ?? []).map { Column(name: $0, cells: TextColumn([String]())) }, rowCount: 0)
            t.formatName = f?.name ?? "csv"
            report(Diagnostic(.note("no file given: an empty table" + (f.map { " with \($0.name)'s columns" } ?? "")), severity: .note, at: range))
            return t
        }
        let path = resolve(raw)
        readOptions.isCancelled = isCancelled
        if let show = progressLine {
            let started = Self.now()
            let name = path
            readOptions.progress = { fraction in
                if Self.now() - started > 1 { show("loading \(name)… \(Int(fraction * 100))%") }
            }
        }
        defer { if let show = progressLine { show("") } }
        let file: FileBytes
        if raw != "-", SystemCall.status(path)?.isDirectory == true {
            // A folder: a OneRoster package's CSV files.
            let result = try DataFileReader.readFolder(path, options: readOptions)
            return try finishLoad(result, path: path, shownPath: path, format: format, range: range)
        }
        if raw == "-" {
            // CSV from standard input, unless the script itself came from there.
            if standardInputIsTaken {
                throw Diagnostic.runtime(
                    "load \"-\" reads standard input, but the script is read from there", at: pathExpr.range,
                    hints: ["give the script as a file or with -c: roster -c '…' < data.csv"])
            }
            guard let bytes = Console.readStandardInput(limit: readOptions.maxBytes) else {
                throw Diagnostic(.data("standard input holds more than \(readOptions.maxBytes) bytes"), at: pathExpr.range)
            }
            file = FileBytes(array: bytes)
        } else {
            do { file = try Files.open(path, limit: readOptions.maxBytes) } catch { throw error.at(pathExpr.range) }
        }
        let shownPath = raw == "-" ? "<stdin>" : path
        let result = try DataFileReader.read(file, path: shownPath, options: readOptions)
        if raw != "-", let id = Files.identity(path) { loadedFiles[id] = path }
        return try finishLoad(result, path: path, shownPath: shownPath, format: format, range: range)
    }

    /// A read file becomes a table: its format given or recognised from the header, and the notes said.
    func finishLoad(_ result: CSVReadResult, path: String, shownPath: String, format: String?, range: SourceRange) throws(Diagnostic) -> Table {
        var table = result.table
        var found = ""
        if let name = format {
            let f = try self.format(named: name, at: range)
            table.formatName = f.name
            if !f.columns.isEmpty, FormatDetection.exact(table.names, f) == nil {
                let diffs = FormatDetection.differences(table.names, f)
                let missing = f.columns.filter { want in !table.names.contains { f.matches($0, want) } }
                var hints = diffs.compactMap { d in d.want.map { "'\(d.have)': did you mean '\($0)'?" } }
                if !missing.isEmpty { hints.append("\(f.name) columns not in the file: " + missing.joined(separator: ", ")) }
                report(Diagnostic(.warning("the header of \(shownPath) is not quite \(f.name)'s"), severity: .warning, at: range, hints: hints))
            }
        } else {
            switch FormatDetection.detect(table.names, in: formats) {
            case .format(let name, let errorFile):
                table.formatName = name
                found = errorFile ? ", \(name) error file" : ", \(name) format"
            case .nearly(let name, let diffs):
                let hints = diffs.map { d in d.want.map { "'\(d.have)': did you mean '\($0)'?" } ?? "'\(d.have)' is not a \(name) column" }
                report(
                    Diagnostic(
                        .warning("the header looks like \(name)'s but does not match it; loaded as plain CSV"), severity: .warning, at: range,
                        hints: hints + ["fix the header, or load … as \(name) to use the format anyway"]))
            case .none:
                break
            }
        }
        for n in result.notes { report(n) }
        let cols = table.columns.count
        report(
            .note(
                "loaded \(table.rowCount.grouped) row\(table.rowCount == 1 ? "" : "s") × \(cols) column\(cols == 1 ? "" : "s") (\(result.table.origin!.dialect.summary)\(found))",
                data: DataLocation(path: shownPath)))
        return table
    }

    public func showPreview(_ text: String) {
        if let pager, pager(text) { return }
        output.out(text)
    }

    /// Refuses a save over a file this session loaded.
    public func checkWritable(_ path: String, at range: SourceRange) throws(Diagnostic) {
        if let id = Files.identity(path), let loaded = loadedFiles[id] {
            throw Diagnostic(
                .wontOverwrite(path: path, loadedAs: loaded == path ? nil : loaded), at: range,
                hints: ["save under another name, e.g. \"\(Self.suggestedCopyName(path))\""])
        }
    }

    public func checkReplaceable(_ path: String, workbook: Bool, replacing: Bool, at range: SourceRange) throws(Diagnostic) {
        if let (message, hints) = writtenFiles.refusal(path, workbook: workbook, replacing: replacing) {
            throw Diagnostic.runtime(message, at: range, hints: hints)
        }
    }

    public func rosterWrote(_ path: String) -> Bool { writtenFiles.wrote(path) }

    public func noteWritten(_ paths: [String]) {
        guard !dryRun else { return }
        writtenFiles.add(paths)
        if let stage = writeStage {
            stage.whenCommitted { WrittenFiles.record(paths) }
        } else {
            WrittenFiles.record(paths)
            placedFiles += paths.count
        }
    }

    static func suggestedCopyName(_ path: String) -> String {
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") {
            return String(path[..<dot]) + "-new" + String(path[dot...])
        }
        return path + "-new"
    }

    // MARK: reports

    /// Shows a note or warning on stderr, pointing into the current script when it has a range.
    public func report(_ d: Diagnostic) {
        if quiet && d.severity == .note { return }
        var d = d
        if let s = currentSource, d.range != nil { d = d.located(in: s) }
        // A progress line on the terminal is cleared first, so the message starts on a clean line.
        progressLine?("")
        output.err(renderer.render(d))
    }
}

/// How reports are printed: for people, or for programs.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, csv
}

extension Session {
    /// A value given for a list (`with domains = $domains`): a list's items, or a text's parts between
    /// commas (`"a.org, b.org"`), blank parts left out.
    static func listValues(_ v: Value) -> [String] {
        switch v {
        case .list(let items): return items.map(\.display).filter { !$0.isEmpty }
        case .column(let c): return c.strings.filter { !$0.isEmpty }
        default:
            return v.display.split(separator: ",").map { String($0).trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
        }
    }
}
