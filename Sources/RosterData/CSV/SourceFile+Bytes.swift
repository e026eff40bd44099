import RosterDiagnostics

extension SourceFile {
    /// A script file's text: UTF-8 (a byte-order mark is dropped), or Windows-1252 when the bytes are
    /// not UTF-8 (a recipe saved by Notepad as "ANSI"), so an en dash in a map key stays an en dash.
    public init(name: String, bytes: [UInt8]) {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        let valid = b.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) } == nil
        let utf8 = valid ? Array(b) : b.withUnsafeBufferPointer { TextEncoding.decodeWindows1252($0) }
        self.init(name: name, text: String(decoding: utf8, as: UTF8.self))
    }
}
