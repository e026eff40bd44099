import RosterDiagnostics
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's terminal and environment, read in one place so that every mode (script, `-c`,
/// standard input, the REPL) decides colour and width by the same rules.
public enum Console {
    /// An environment variable, if set.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// Colour on standard error: never with `--no-color` or `NO_COLOR`, only on a terminal that is
    /// not `TERM=dumb`.
    public static func colorAllowed(noColorFlag: Bool) -> Bool {
        !noColorFlag && environment("NO_COLOR") == nil && isTerminal(2) && (environment("TERM") ?? "dumb") != "dumb"
    }

    /// The width of the terminal on `fd`, if it is one wider than 20 columns.
    public static func columns(of fd: Int32 = 1) -> Int? {
        guard isTerminal(fd) else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return nil }
        return Int(size.ws_col)
    }

    /// Flushes every output stream (so a prompt shows before input is read).
    public static func flushOutput() { fflush(nil) }

    /// The terminal's height in lines, when `fd` is a terminal.
    public static func rows(of fd: Int32 = 1) -> Int? {
        guard isTerminal(fd) else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 2 else { return nil }
        return Int(size.ws_row)
    }

    /// Shows text through `$PAGER` (else `less -FRX`) when standard output is a terminal and the text
    /// is taller than it; returns false when it did not (the caller prints it).
    public static func page(_ text: String) -> Bool {
        guard let height = rows(of: 1), text.reduce(0, { $0 + ($1 == "\n" ? 1 : 0) }) > height - 2 else { return false }
        let pager = environment("PAGER").flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
        fflush(stdout)
        guard let pipe = popen(pager, "w") else { return false }
        fputs(text, pipe)
        return pclose(pipe) != -1
    }

    /// Everything on standard input, up to `limit` bytes (nil when there is more).
    public static func readStandardInput(limit: Int) -> [UInt8]? {
        var text: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(0, &buf, buf.count)
            if n <= 0 { break }
            text.append(contentsOf: buf[0..<n])
            if text.count > limit { return nil }
        }
        return text
    }

    /// Rewrites the progress line on standard error ("\r", clear to the end of the line, the text).
    public static func showProgress(_ text: String) {
        fputs("\r\u{1B}[K" + text, stderr)
        fflush(stderr)
    }

    /// Seconds on a clock that only moves forward (for timings and progress).
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The most memory the process has held at once so far (its peak resident set), in bytes.
    public static func peakMemory() -> Int {
        #if canImport(Glibc)
        let selfWho = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let selfWho = RUSAGE_SELF
        #endif
        var usage = rusage()
        guard getrusage(selfWho, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        return Int(usage.ru_maxrss) * 1024  // KiB on Linux
        #endif
    }
}

/// Results on standard output, messages on standard error, through the C library's buffered
/// streams. Standard output is flushed before each message so the two interleave in order.
public final class StandardSink: OutputSink {
    public init() {}
    public func out(_ text: String) { fputs(text, stdout) }
    public func outBytes(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) } }
    public func err(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
    }
    public func flush() {
        fflush(stdout)
        fflush(stderr)
    }
}
