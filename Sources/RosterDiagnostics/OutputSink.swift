/// Where results and diagnostics go. The command line writes them to stdout and stderr; tests and the
/// REPL collect them. The core never prints.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// Collects output in memory (tests, golden files).
public final class BufferSink: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public init() {}
    public func out(_ text: String) { stdout += text }
    public func err(_ text: String) { stderr += text }
}
