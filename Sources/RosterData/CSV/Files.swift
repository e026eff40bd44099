import RosterDiagnostics

/// Reading and writing files.
///
/// Writes are all or nothing: the bytes go to a temporary file beside the target, which is flushed to
/// disk and renamed into place only when complete. A failure or a cancellation (Ctrl-C) removes the
/// temporary file and leaves any earlier file at the target untouched. Reads map regular files into
/// memory and check sizes before reading anything.
public enum Files {
    public static func write(_ bytes: [UInt8], to path: String, isCancelled: () -> Bool = { false }) throws(Diagnostic) {
        try write(parts: [bytes], to: path, isCancelled: isCancelled)
    }

    /// Writes consecutive parts as one file.
    public static func write(parts: [[UInt8]], to path: String, isCancelled: () -> Bool = { false }) throws(Diagnostic) {
        let dir = directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let tmp = (dir == "" ? "" : dir + "/") + ".\(base).roster-tmp-\(SystemCall.processID)-\(UInt32.random(in: 0...UInt32.max))"
        let fd = SystemCall.createExclusive(tmp, permissions: 0o644)
        if fd < 0 { throw failure("cannot write", path) }
        var ok = false
        defer {
            if !ok { SystemCall.remove(tmp) }
        }
        let chunk = 1 << 22
        var written = true
        for part in parts where written {
            var offset = 0
            written = part.withUnsafeBufferPointer { buf in
                while offset < buf.count {
                    if isCancelled() { return false }
                    guard let start = buf.baseAddress else { return true }
                    let n = SystemCall.writeBytes(fd, start + offset, min(chunk, buf.count - offset))
                    if n < 0 {
                        if SystemCall.isInterrupted { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
        }
        var err = SystemCall.errorNumber
        if written && !SystemCall.sync(fd) { written = false; err = SystemCall.errorNumber }
        SystemCall.closeFile(fd)
        if isCancelled() { throw Diagnostic(.io("interrupted; \(path) was not written"), data: DataLocation(path: path)) }
        if !written { throw failure("cannot write", path, error: err) }
        if !SystemCall.move(tmp, to: path) { throw failure("cannot move the finished file into place at", path) }
        ok = true
    }

    /// Makes the folders above `path` that do not exist yet.
    public static func makeParentFolders(of path: String) throws(Diagnostic) {
        let dir = directory(of: path)
        if dir.isEmpty || dir == "/" { return }
        var built = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            built += "/" + part
            if !SystemCall.makeDirectory(built) && !SystemCall.alreadyExists {
                throw Diagnostic(.io("cannot make the folder \(built): \(SystemCall.describe(SystemCall.errorNumber))"), data: DataLocation(path: path))
            }
        }
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func failure(_ what: String, _ path: String, error: Int32 = SystemCall.errorNumber) -> Diagnostic {
        let missing = SystemCall.isMissing
        return Diagnostic(
            .io("\(what) \(path): \(SystemCall.describe(error))"), data: DataLocation(path: path),
            hints: missing ? ["the folder \(directory(of: path)) does not exist"] : [])
    }

    /// Opens a file for reading and checks it: not a folder, not over `limit` bytes.
    static func openForReading(_ path: String, limit: Int) throws(Diagnostic) -> (fd: Int32, status: FileStatus) {
        let fd = SystemCall.openForReading(path)
        if fd < 0 {
            throw Diagnostic(.io("cannot read \(path): \(SystemCall.describe(SystemCall.errorNumber))"), data: DataLocation(path: path))
        }
        guard let st = SystemCall.status(of: fd) else {
            let error = failure("cannot read", path)
            SystemCall.closeFile(fd)
            throw error
        }
        if st.isDirectory {
            SystemCall.closeFile(fd)
            throw Diagnostic(.io("\(path) is a folder, not a file"), data: DataLocation(path: path))
        }
        if st.size > limit {
            SystemCall.closeFile(fd)
            throw Diagnostic(.data("\(path) is \(st.size) bytes, more than the \(limit)-byte limit"), data: DataLocation(path: path))
        }
        return (fd, st)
    }

    /// The whole file, with a size limit checked before reading.
    public static func readAll(_ path: String, limit: Int) throws(Diagnostic) -> [UInt8] {
        let (fd, st) = try openForReading(path, limit: limit)
        defer { SystemCall.closeFile(fd) }
        return try readAll(fd, size: st.size, limit: limit, path: path)
    }

    /// Reads an open file: `size` bytes, then whatever more a pipe or growing file still gives.
    static func readAll(_ fd: Int32, size: Int, limit: Int, path: String) throws(Diagnostic) -> [UInt8] {
        var buffer = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buf, count in
            var got = 0
            while got < size {
                guard let start = buf.baseAddress else { break }
                let n = SystemCall.readBytes(fd, start + got, size - got)
                if n < 0 && SystemCall.isInterrupted { continue }
                if n <= 0 { break }
                got += n
            }
            count = got
        }
        // A file that grew while being read (a pipe, /dev/stdin): read the rest.
        if size == 0 || buffer.count == size {
            var tail = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = tail.withUnsafeMutableBytes { SystemCall.readBytes(fd, $0.baseAddress!, 65536) }
                if n <= 0 { break }
                buffer.append(contentsOf: tail[0..<n])
                if buffer.count > limit {
                    throw Diagnostic(.data("\(path) is more than the \(limit)-byte limit"), data: DataLocation(path: path))
                }
            }
        }
        return buffer
    }

    /// The file's bytes: mapped into memory for a regular file (no copy, no zeroed pages), read for
    /// anything else (a pipe, standard input).
    public static func open(_ path: String, limit: Int) throws(Diagnostic) -> FileBytes {
        let (fd, st) = try openForReading(path, limit: limit)
        defer { SystemCall.closeFile(fd) }
        if st.isRegular, st.size > 0, let m = SystemCall.mapReadOnly(fd, size: st.size) {
            return FileBytes(mapped: m, count: st.size)
        }
        return FileBytes(array: try readAll(fd, size: st.size, limit: limit, path: path))
    }

    /// The file's identity (device and inode), to recognise a file the session loaded under another name.
    public static func identity(_ path: String) -> FileIdentity? {
        SystemCall.status(path).map { FileIdentity(device: $0.device, inode: $0.inode) }
    }
}

/// A file's contents, mapped or in an array; unmapped when released.
public final class FileBytes {
    private let mapped: UnsafeRawPointer?
    private let array: [UInt8]
    public let count: Int

    init(mapped: UnsafeRawPointer, count: Int) {
        self.mapped = mapped
        self.count = count
        self.array = []
    }

    init(array: [UInt8]) {
        self.mapped = nil
        self.array = array
        self.count = array.count
    }

    public func withBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> R) throws(Diagnostic) -> R {
        if let m = mapped { return try body(UnsafeBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: count)) }
        return try array.withUnsafeBufferPointer { (b) throws(Diagnostic) in try body(b) }
    }

    deinit {
        if let m = mapped { SystemCall.unmap(m, size: count) }
    }
}

public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}
