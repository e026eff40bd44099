/// Where results and diagnostics go. The command line writes them to stdout and stderr; tests and the
/// REPL collect them. The core never prints.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
    /// Bytes for standard output as they are (`save "-"`: a Windows-1252 file stays Windows-1252).
    func outBytes(_ bytes: [UInt8])
}

extension OutputSink {
    public func outBytes(_ bytes: [UInt8]) { out(String(decoding: bytes, as: UTF8.self)) }
}

/// Collects output in memory (tests, golden files).
public final class BufferSink: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public init() {}
    public func out(_ text: String) { stdout += text }
    public func err(_ text: String) { stderr += text }
}
