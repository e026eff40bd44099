import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession

/// The REPL without a terminal: takes typed lines, runs complete statements, shows results, keeps
/// the undo stack and the recording. The terminal layer (`LineEditor`) and the plain-lines loop both
/// drive it, and tests drive it directly.
public final class ReplSession {
    public let session: Session
    let output: OutputSink
    public var renderer: ReplRenderer
    var assembler = InputAssembler()
    /// Set by `:quit`.
    public private(set) var wantsToQuit = false
    /// Lets the file system answer path completion (the terminal sets it; tests leave it empty).
    public var listFiles: (String) -> [String] = { _ in [] }

    /// One step of the session, for `:undo` and `:redo`: the statement as typed, its place in the
    /// recording, and for a binding the name with what it held before and after. Every statement is a
    /// step, so undoing in order keeps the recording a recipe that runs: nothing recorded can refer
    /// to a binding that was undone.
    struct UndoEntry {
        enum State { case table(Table?), value(Value?) }
        /// The bound name, or nil for a statement that binds nothing (a save, a print, a check).
        let name: String?
        let before: State?
        let after: State?
        let text: String
        let recordedIndex: Int?
        /// A binding or a pipeline: a following line that begins with `|` continues it.
        let continuable: Bool
    }
    var undoStack: [UndoEntry] = []
    var redoStack: [UndoEntry] = []
    var recorder: Recorder?
    /// Set while a line beginning with `|` is being completed: the step it continues.
    var continuing: UndoEntry?

    public init(session: Session, output: OutputSink, renderer: ReplRenderer = ReplRenderer()) {
        self.session = session
        self.output = output
        self.renderer = renderer
    }

    /// The prompt for the next line.
    public var prompt: String { assembler.isContinuing ? "   ...> " : "roster> " }
    public var isContinuing: Bool { assembler.isContinuing }

    /// Drops a half-typed statement (Ctrl-C).
    public func cancelInput() {
        assembler.reset()
        continuing = nil
    }

    /// Takes one typed line; returns the complete statement it finished, if any (for the history).
    @discardableResult
    public func feed(_ line: String) -> String? {
        if !assembler.isContinuing {
            let trimmed = line.trimmingCharacters(in: " \t")
            if trimmed.isEmpty { return nil }
            if trimmed.hasPrefix(":") {
                meta(trimmed)
                return trimmed
            }
            // A pasted recipe's `| verb` line continues the statement before it.
            if trimmed.hasPrefix("|") {
                guard let last = undoStack.last, last.continuable else {
                    output.err("a line beginning with | continues the statement before it, and there is none to continue\n")
                    return nil
                }
                continuing = last
            }
        }
        guard let text = assembler.add(line) else { return nil }
        if let previous = continuing {
            continuing = nil
            continueStatement(previous, with: text)
            return text
        }
        run(text)
        return text
    }

    /// Runs the previous statement again with more pipeline after it: its binding is redone with the
    /// longer pipeline, and the recording holds the whole statement once. If the longer statement
    /// fails, the previous one stays as it was.
    func continueStatement(_ previous: UndoEntry, with more: String) {
        undoStep(quiet: true)
        let combined = previous.text + "\n" + more
        if !run(combined) {
            redoStep(quiet: true)
        } else {
            redoStack.removeAll()
        }
    }

    /// Runs a complete statement text. Errors are shown and change nothing; returns whether all ran.
    @discardableResult
    public func run(_ text: String) -> Bool {
        let source = SourceFile(name: "<input>", text: text)
        let statements: [Statement]
        do {
            statements = try ScriptParser.parse(source, verbs: session.verbs)
        } catch {
            output.err(session.renderer.render(error))
            return false
        }
        for s in statements {
            do {
                try execute(s, source: source)
                redoStack.removeAll()
            } catch {
                output.err(session.renderer.render(error.located(in: source)))
                return false
            }
        }
        return true
    }

    func statementText(_ s: Statement, in source: SourceFile) -> String {
        let bytes = Array(source.text.utf8)
        let r = s.range
        return String(decoding: bytes[r.offset..<min(bytes.count, r.end)], as: UTF8.self)
    }

    func execute(_ s: Statement, source: SourceFile) throws(Diagnostic) {
        session.currentSourceForReports = source
        defer { session.currentSourceForReports = nil }
        switch s.kind {
        case .bind(let name, let p):
            let previous = session.tables[name]
            let t = try session.evaluate(p)
            session.bindTable(name, t)
            let text = statementText(s, in: source)
            let index = record(text)
            undoStack.append(
                UndoEntry(name: name, before: .table(previous), after: .table(t), text: text, recordedIndex: index, continuable: true))
            output.out(renderer.binding(name, t))
        case .pipeline(let p):
            let t = try session.evaluate(p)
            let text = statementText(s, in: source)
            let index = record(text)
            undoStack.append(UndoEntry(name: nil, before: nil, after: nil, text: text, recordedIndex: index, continuable: true))
            switch p.lastVerbName {
            case "show", "save": break
            case "count": output.out(renderer.countChart(t))
            default: output.out(renderer.preview(t))
            }
        case .let(let name, _), .param(let name, _):
            let previous = session.values[name]
            try session.execute(s)
            let text = statementText(s, in: source)
            let index = record(text)
            undoStack.append(
                UndoEntry(name: name, before: .value(previous), after: .value(session.values[name]), text: text, recordedIndex: index, continuable: false))
            if let v = session.values[name] { output.out(renderer.value(name, v, secret: session.secretValues.contains(name))) }
        case .print, .assert, .include, .format, .check, .plan:
            try session.execute(s)
            let text = statementText(s, in: source)
            let index = record(text)
            undoStack.append(UndoEntry(name: nil, before: nil, after: nil, text: text, recordedIndex: index, continuable: false))
        }
    }

    // MARK: recording

    /// Appends a statement to the recording (if one is on) and returns its index there.
    func record(_ text: String, at position: Int? = nil) -> Int? {
        guard var r = recorder else { return nil }
        let index = min(position ?? r.statements.count, r.statements.count)
        r.statements.insert(text, at: index)
        recorder = r
        writeRecording()
        return index
    }

    func writeRecording() {
        guard let r = recorder else { return }
        do { try r.write() } catch { output.err(session.renderer.render(error)) }
    }

    // MARK: meta-commands

    func meta(_ text: String) {
        let body = text.dropFirst()
        var name = String(body.prefix { $0 != " " })
        let argument = String(body.dropFirst(name.count)).trimmingCharacters(in: " \t")
        // `:record! FILE`: the explicit spelling that may replace an existing file.
        let forced = name.hasSuffix("!")
        if forced { name.removeLast() }
        guard let command = MetaCommands.command(named: name) else {
            let hint = Suggest.nearest(name, in: MetaCommands.names).map { "; did you mean :\($0)?" } ?? ""
            output.err("unknown command :\(name)\(hint) (:help lists them)\n")
            return
        }
        switch command.kind {
        case .help:
            output.out(renderer.help(argument, formats: session.formats))
        case .tables:
            output.out(renderer.tables(session.tables))
        case .columns:
            guard let t = session.tables[argument] else {
                let hint = Suggest.nearest(argument, in: Array(session.tables.keys)).map { "; did you mean '\($0)'?" } ?? ""
                output.err(argument.isEmpty ? "which table? :columns TABLE\n" : "no table named '\(argument)'\(hint)\n")
                return
            }
            output.out(renderer.columns(argument, t))
        case .formats:
            let w = session.formats.names.map(\.count).max() ?? 0
            output.out(session.formats.formats.map { $0.name + String(repeating: " ", count: w - $0.name.count) + "  \($0.title)\n" }.joined())
        case .record:
            if argument.isEmpty {
                output.out(recorder.map { "recording to \($0.path) (\(plural($0.statements.count, "statement")))\n" } ?? "not recording; :record FILE starts\n")
            } else if argument == "off" {
                if let r = recorder {
                    output.out("stopped recording; \(r.path) holds \(plural(r.statements.count, "statement"))\n")
                } else {
                    output.out("not recording\n")
                }
                recorder = nil
            } else {
                let path = session.resolve(argument)
                if let refusal = recordingRefusal(path, as: argument, forced: forced) {
                    output.err(refusal)
                    return
                }
                // The file is written at once, so a folder that does not exist or cannot be written
                // is said now, not after an hour of statements.
                let next = Recorder(path: path, statements: [])
                do {
                    try next.write()
                } catch {
                    output.err(session.renderer.render(error))
                    output.err(":record: not recording" + (recorder.map { "; still recording to \($0.path)" } ?? "") + "\n")
                    return
                }
                var note = ""
                if let previous = recorder, previous.path != path {
                    note += "stopped recording to \(previous.path) (\(plural(previous.statements.count, "statement"))); "
                }
                recorder = next
                note += "recording to \(path): every statement that succeeds is added; :record off stops\n"
                if argument.contains("/") && !argument.hasPrefix("./") {
                    note += "note: paths in a recipe are relative to its own folder, not to this one\n"
                }
                output.out(note)
            }
        case .undo:
            let steps = max(1, Int(argument) ?? 1)
            for _ in 0..<steps where undoStep(quiet: false) != nil {}
        case .redo:
            let steps = max(1, Int(argument) ?? 1)
            for _ in 0..<steps where redoStep(quiet: false) {}
        case .quit:
            wantsToQuit = true
        }
    }

    /// Why `:record` will not write to `path`, if it will not: a file the session loaded never, an
    /// existing file only with `:record!`. Proposes a name that is free.
    func recordingRefusal(_ path: String, as written: String, forced: Bool) -> String? {
        do {
            try session.checkWritable(path, at: SourceRange(offset: 0, length: 0))
        } catch {
            return ":record: \(written) was loaded in this session; a recording never replaces it\n"
        }
        if SystemCall.status(path)?.isDirectory == true {
            return ":record: \(written) is a folder; give a file name, as in :record \(written.hasSuffix("/") ? written : written + "/")session.roster\n"
        }
        guard !forced, recorder?.path != path, SystemCall.status(path) != nil else { return nil }
        var k = 2
        var free = written
        while SystemCall.status(session.resolve(free)) != nil {
            let (stem, ext) = written.lastIndex(of: ".").map { (String(written[..<$0]), String(written[$0...])) } ?? (written, "")
            free = "\(stem)-\(k)\(ext)"
            k += 1
        }
        return ":record: \(written) already exists, and a recording never replaces a file by itself; "
            + ":record \(free) records to a new file, :record! \(written) replaces it\n"
    }

    /// Undoes the last step: a binding goes back to what it held, and the statement leaves the
    /// recording; a statement that wrote a file leaves the recording (its file stays). Returns the step.
    @discardableResult
    func undoStep(quiet: Bool) -> UndoEntry? {
        guard let entry = undoStack.popLast() else {
            if !quiet { output.err("nothing to undo\n") }
            return nil
        }
        restore(entry.name, entry.before, quiet: quiet, verb: "back to")
        if entry.name == nil && !quiet { output.out("undone: \(firstLine(entry.text)) (anything it wrote stays; it leaves the recording)\n") }
        if let i = entry.recordedIndex, var r = recorder, i < r.statements.count {
            r.statements.remove(at: i)
            recorder = r
            writeRecording()
        }
        redoStack.append(entry)
        return entry
    }

    /// Redoes the last undone step: a binding takes again what it held, a statement that binds
    /// nothing runs again; either way it returns to the recording where it was.
    @discardableResult
    func redoStep(quiet: Bool) -> Bool {
        guard let entry = redoStack.popLast() else {
            if !quiet { output.err("nothing to redo\n") }
            return false
        }
        if entry.name == nil {
            // Run it again (a save writes again); `run` records it and stacks it afresh.
            let undone = redoStack
            run(entry.text)
            redoStack = undone
            return true
        }
        restore(entry.name, entry.after, quiet: quiet, verb: "again")
        let index = entry.recordedIndex.flatMap { record(entry.text, at: $0) }
        undoStack.append(
            UndoEntry(name: entry.name, before: entry.before, after: entry.after, text: entry.text, recordedIndex: index, continuable: entry.continuable))
        return true
    }

    func restore(_ name: String?, _ state: UndoEntry.State?, quiet: Bool, verb: String) {
        guard let name, let state else { return }
        switch state {
        case .table(let t?):
            session.bindTable(name, t)
            if !quiet { output.out("\(name) is \(verb) \(plural(t.rowCount, "row")) × \(plural(t.columns.count, "column"))\n") }
        case .table(nil):
            session.removeTable(name)
            if !quiet { output.out("\(name) is unbound again\n") }
        case .value(let v?):
            session.bindValue(name, v)
            if !quiet { output.out("$\(name) is \(verb) \(session.secretValues.contains(name) ? v.maskedDisplay : v.display)\n") }
        case .value(nil):
            session.removeValue(name)
            if !quiet { output.out("$\(name) is unbound again\n") }
        }
    }

    func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 60 ? String(line.prefix(57)) + "…" : line
    }

    // MARK: completion

    public func complete(_ line: String, cursor: Int) -> Completion {
        var ctx = CompletionContext()
        for (name, t) in session.tables { ctx.tables[name] = t.names }
        ctx.values = Array(session.values.keys)
        ctx.formats = session.formats.names
        ctx.listFiles = { [listFiles, session] dir in listFiles(session.resolve(dir.isEmpty ? "." : dir)) }
        ctx.sheetNames = { [session] file in
            guard let bytes = try? Files.readAll(session.resolve(file), limit: 256 << 20) else { return [] }
            return (try? WorkbookReader.sheets(bytes: bytes, path: file).map(\.name)) ?? []
        }
        return Completer.complete(line, cursor: cursor, ctx)
    }
}

/// A recipe being recorded: the statements so far, written out whole after each change.
struct Recorder {
    let path: String
    var statements: [String]

    func write() throws(Diagnostic) {
        var text = "# Recorded in the roster REPL. Run it with: roster \(path.split(separator: "/").last.map(String.init) ?? path)\n"
        for s in statements { text += s + "\n" }
        try Files.write(Array(text.utf8), to: path)
    }
}
