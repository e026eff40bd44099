import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession

#if ROSTER_LIBEDIT
@preconcurrency import CEditLine
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line editing on libedit: Emacs keys and arrows, history kept in a file across sessions (blank
/// lines and repeats left out, at most `historySize` lines), Ctrl-R search, and Tab bound to a
/// completion function. This is the only code that talks to the terminal.
public final class LineEditor {
    public enum Read { case line(String), interrupted, end }

    private let el: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let historySize: Int
    private var promptC: UnsafeMutablePointer<CChar>
    /// Computes completions for (line, cursor in characters).
    public var completer: ((String, Int) -> Completion)?

    /// Nil when libedit cannot be opened (not installed): the REPL then reads plain lines.
    public init?(program: String, historyFile: String?, historySize: Int = 1000) {
        guard roster_libedit_open() != 0, let el = roster_el_init(program) else { return nil }
        setlocale(LC_CTYPE, "")  // without it libedit drops or mangles non-ASCII letters
        self.el = el
        history = roster_history_init()
        self.historyFile = historyFile
        self.historySize = historySize
        promptC = strdup("roster> ")
        roster_history_setsize(history, Int32(historySize))
        roster_history_setunique(history, 1)
        if let f = historyFile { roster_history_load(history, f) }
        roster_el_set_history(el, history)
        roster_el_set_editor(el, "emacs")
        roster_el_set_signal(el, 0)
        roster_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        roster_el_set_prompt(el) { e in
            guard let e, let data = roster_el_clientdata(e) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptC
        }
        roster_el_addfn(el, "roster-complete", "complete the word at the cursor") { e, _ in
            guard let e, let data = roster_el_clientdata(e) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete(e)
        }
        roster_el_bind(el, "^I", "roster-complete")
        roster_el_bind(el, "^R", "em-inc-search-prev")
    }

    deinit {
        roster_el_end(el)
        roster_history_end(history)
        free(promptC)
    }

    public var prompt: String = "roster> " {
        didSet {
            free(promptC)
            promptC = strdup(prompt)
        }
    }

    /// Reads a line. Ctrl-C while typing gives `.interrupted`; Ctrl-D on an empty line gives `.end`.
    public func readLine() -> Read {
        var count: Int32 = 0
        Interrupt.clear()
        guard let raw = roster_el_gets(el, &count), count > 0 else {
            if Interrupt.requested {
                Interrupt.clear()
                return .interrupted
            }
            return .end
        }
        if Interrupt.requested {
            Interrupt.clear()
            return .interrupted
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a finished statement to the history, and to the history file as it is now: the file is
    /// read again and the line added to what it holds, so two REPL windows keep each other's lines
    /// instead of the last one to write replacing the file with its own.
    public func addHistory(_ line: String) {
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
        roster_history_enter(history, line)
        guard let f = historyFile else { return }
        let onDisk = roster_history_init()
        defer { roster_history_end(onDisk) }
        roster_history_setsize(onDisk, Int32(historySize))
        roster_history_setunique(onDisk, 1)
        roster_history_load(onDisk, f)
        roster_history_enter(onDisk, line)
        roster_history_save(onDisk, f)
    }

    /// Tab: replace the word at the cursor by the only candidate, or by what all candidates share
    /// and list them.
    func complete(_ e: OpaquePointer) -> UInt8 {
        guard let completer else { return UInt8(CC_REFRESH_BEEP) }
        let buffer = roster_el_buffer(e)!
        let cursorBytes = Int(roster_el_cursor(e))
        let length = Int(roster_el_length(e))
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
        let line = String(decoding: bytes, as: UTF8.self)
        let cursor = String(decoding: bytes[0..<cursorBytes], as: UTF8.self).count
        let result = completer(line, cursor)
        guard !result.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = cursor - result.start
        let replacement = result.candidates.count == 1 ? result.candidates[0] : result.commonPrefix
        let current = String(Array(line)[result.start..<cursor])
        if replacement.count >= typed, replacement != current || result.candidates.count == 1 {
            roster_el_deletestr(e, Int32(typed))
            roster_el_insertstr(e, replacement)
        }
        if result.candidates.count == 1 { return UInt8(CC_REFRESH) }
        let width = min(100, (result.candidates.map(\.count).max() ?? 0) + 2)
        let perLine = max(1, 100 / width)
        var text = "\n"
        for (i, c) in result.candidates.prefix(60).enumerated() {
            text += c + String(repeating: " ", count: width - c.count)
            if (i + 1) % perLine == 0 { text += "\n" }
        }
        if result.candidates.count > 60 { text += "… (\(result.candidates.count) in all)" }
        if !text.hasSuffix("\n") { text += "\n" }
        fputs(text, roster_stdout())
        fflush(roster_stdout())
        return UInt8(CC_REDISPLAY)
    }
}
#endif
