/// A script (or typed line) the diagnostics point into.
public struct SourceFile: Sendable {
    public let name: String
    public let text: String
    public let utf8: [UInt8]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.utf8 = Array(text.utf8)
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, utf8.count)
        var i = 0
        while i < end {
            if utf8[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        let col = String(decoding: utf8[lineStart..<end], as: UTF8.self).count + 1
        return (line, col)
    }

    /// The text of the line holding `offset`, and the line's start offset.
    public func lineText(at offset: Int) -> (text: String, start: Int) {
        var s = min(offset, utf8.count)
        while s > 0 && utf8[s - 1] != 0x0A { s -= 1 }
        var e = min(offset, utf8.count)
        while e < utf8.count && utf8[e] != 0x0A && utf8[e] != 0x0D { e += 1 }
        return (String(decoding: utf8[s..<e], as: UTF8.self), s)
    }
}

/// A span of a script: byte offset and length.
public struct SourceRange: Sendable, Equatable {
    public var offset: Int
    public var length: Int
    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }
    public var end: Int { offset + length }
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(offset: offset, length: max(other.end, end) - offset)
    }
}

/// A place in a data file.
public struct DataLocation: Sendable, Equatable {
    public var path: String
    public var line: Int?
    /// 1-based character column in the line, for structural errors (an unterminated quote).
    public var column: Int?
    /// The table column the problem is in, for value errors.
    public var field: String?
    public init(path: String, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.field = field
    }
}

/// An error, warning or note. Errors are values: the parser, loader and verbs create them with an
/// identity (`DiagnosticID`, with its payload) and a source range; only `DiagnosticID.message` and
/// `DiagnosticRenderer` turn them into words, so code and tests decide by identity, never by text.
public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }
    /// What kind of failure, which decides the exit status (syntax and usage 2, the rest 1).
    public enum Kind: String, Sendable { case syntax, usage, runtime, data, assertion, io }

    public var id: DiagnosticID
    public var severity: Severity
    public var range: SourceRange?
    public var source: SourceFile?
    public var data: DataLocation?
    /// Extra lines: `did you mean 'Email'?`, the expected spelling, the fix.
    public var hints: [String]

    public init(
        _ id: DiagnosticID, severity: Severity = .error, at range: SourceRange? = nil,
        data: DataLocation? = nil, hints: [String] = []
    ) {
        self.id = id
        self.severity = severity
        self.range = range
        self.data = data
        self.hints = hints
    }

    /// The words, from the identity.
    public var message: String { id.message }
    public var kind: Kind { id.kind }

    public static func syntax(_ message: String, at range: SourceRange?, hints: [String] = []) -> Diagnostic {
        Diagnostic(.syntax(message), at: range, hints: hints)
    }

    public static func runtime(_ message: String, at range: SourceRange?, hints: [String] = []) -> Diagnostic {
        Diagnostic(.runtime(message), at: range, hints: hints)
    }

    public static func data(_ message: String, _ location: DataLocation, hints: [String] = []) -> Diagnostic {
        Diagnostic(.data(message), data: location, hints: hints)
    }

    public static func io(_ message: String, _ location: DataLocation, hints: [String] = []) -> Diagnostic {
        Diagnostic(.io(message), data: location, hints: hints)
    }

    public static func note(_ message: String, data: DataLocation? = nil) -> Diagnostic {
        Diagnostic(.note(message), severity: .note, data: data)
    }

    public static func warning(_ message: String, data: DataLocation? = nil, hints: [String] = []) -> Diagnostic {
        Diagnostic(.warning(message), severity: .warning, data: data, hints: hints)
    }

    /// Attaches the script this diagnostic points into, unless it already has one.
    public func located(in file: SourceFile) -> Diagnostic {
        var d = self
        if d.source == nil { d.source = file }
        return d
    }

    public func at(_ r: SourceRange) -> Diagnostic {
        var d = self
        if d.range == nil { d.range = r }
        return d
    }

    public var exitStatus: Int32 { kind == .syntax || kind == .usage ? 2 : 1 }
}

/// Turns diagnostics into the text people read:
///
///     recipe.roster:3:22: error: no column 'Emial' in table 'users'
///       3 | stay = users | where Emial != ""
///         |                      ^~~~~
///         = did you mean 'Email'?
public struct DiagnosticRenderer: Sendable {
    public var useColor: Bool
    public init(useColor: Bool) { self.useColor = useColor }

    private func paint(_ s: String, _ code: String) -> String { useColor ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    public func render(_ d: Diagnostic) -> String {
        var out = ""
        var location = ""
        if let src = d.source, let r = d.range {
            let (line, col) = src.lineColumn(of: r.offset)
            location = "\(src.name):\(line):\(col): "
        } else if let data = d.data {
            location = data.path
            if let l = data.line { location += ":\(l)" }
            if let c = data.column { location += ":\(c)" }
            location += ": "
        }
        let label: String
        switch d.severity {
        case .error: label = paint("error:", "1;31")
        case .warning: label = paint("warning:", "1;35")
        case .note: label = paint("note:", "1;36")
        }
        var message = d.message
        // The column goes in the message unless a source excerpt below names it.
        if let data = d.data, let field = data.field, d.source == nil || d.range == nil {
            message += " (column '\(field)')"
        }
        out += paint(location, "1") + label + " " + message + "\n"
        if let src = d.source, let r = d.range, d.severity != .note {
            let (line, _) = src.lineColumn(of: r.offset)
            let (text, start) = src.lineText(at: r.offset)
            let gutter = String(line)
            let pad = String(repeating: " ", count: gutter.count)
            var before = String(decoding: src.utf8[start..<min(r.offset, src.utf8.count)], as: UTF8.self)
            let lineEnd = start + text.utf8.count
            let spanEnd = min(r.end, lineEnd)
            let spanText = spanEnd > r.offset ? String(decoding: src.utf8[r.offset..<spanEnd], as: UTF8.self) : ""
            var shown = text
            // A long line is shown as a window around the place, never whole (a 77 KB line would
            // bury the message).
            let window = 100
            if text.count > 2 * window + 40 {
                let after = String(text.dropFirst(before.count + spanText.count))
                let head = before.count > window ? "…" + String(before.suffix(window)) : before
                let tail = after.count > window ? String(after.prefix(window)) + "…" : after
                shown = head + spanText.prefix(2 * window) + tail
                before = head
            }
            out += " \(gutter) | \(shown)\n"
            let width = max(1, min(spanText.count, 2 * window))
            let indent = String(before.map { $0 == "\t" ? "\t" : " " })
            out += " \(pad) | \(indent)" + paint("^" + String(repeating: "~", count: width - 1), "1;32") + "\n"
            if let data = d.data {
                out += " \(pad) = in \(data.path)\(data.line.map { ":\($0)" } ?? "")\(data.field.map { ", column '\($0)'" } ?? "")\n"
            }
            for h in d.hints { out += " \(pad) = \(h)\n" }
        } else {
            for h in d.hints { out += "  = \(h)\n" }
        }
        return out
    }
}
