import RosterDiagnostics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let tmp = (dir == "" ? "" : dir + "/") + ".\(base).roster-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure("cannot write", path) }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        let chunk = 1 << 22
        var written = true
        for part in parts where written {
            var offset = 0
            written = part.withUnsafeBufferPointer { buf in
                while offset < buf.count {
                    if isCancelled() { return false }
                    let n = Glibc.write(fd, buf.baseAddress! + offset, min(chunk, buf.count - offset))
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
        }
        let err = errno
        if !written || fsync(fd) != 0 {
            close(fd)
            if isCancelled() { throw Diagnostic(.io("interrupted; \(path) was not written"), data: DataLocation(path: path)) }
            errno = err
            throw failure("cannot write", path)
        }
        close(fd)
        if isCancelled() { throw Diagnostic(.io("interrupted; \(path) was not written"), data: DataLocation(path: path)) }
        if rename(tmp, path) != 0 { throw failure("cannot move the finished file into place at", path) }
        ok = true
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func failure(_ what: String, _ path: String) -> Diagnostic {
        let reason = String(cString: strerror(errno))
        return Diagnostic(.io("\(what) \(path): \(reason)"), data: DataLocation(path: path),
                          hints: errno == ENOENT ? ["the folder \(directory(of: path)) does not exist"] : [])
    }

    /// Opens a file for reading and checks it: not a folder, not over `limit` bytes.
    static func openForReading(_ path: String, limit: Int) throws(Diagnostic) -> (fd: Int32, stat: stat) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            throw Diagnostic(.io("cannot read \(path): \(reason)"), data: DataLocation(path: path))
        }
        var st = stat()
        if fstat(fd, &st) != 0 { close(fd); throw failure("cannot read", path) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw Diagnostic(.io("\(path) is a folder, not a file"), data: DataLocation(path: path))
        }
        if Int(st.st_size) > limit {
            close(fd)
            throw Diagnostic(.data("\(path) is \(st.st_size) bytes, more than the \(limit)-byte limit"), data: DataLocation(path: path))
        }
        return (fd, st)
    }

    /// The whole file, with a size limit checked before reading.
    public static func readAll(_ path: String, limit: Int) throws(Diagnostic) -> [UInt8] {
        let (fd, st) = try openForReading(path, limit: limit)
        defer { close(fd) }
        return try readAll(fd, size: Int(st.st_size), limit: limit, path: path)
    }

    /// Reads an open file: `size` bytes, then whatever more a pipe or growing file still gives.
    static func readAll(_ fd: Int32, size: Int, limit: Int, path: String) throws(Diagnostic) -> [UInt8] {
        var buffer = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buf, count in
            var got = 0
            while got < size {
                let n = read(fd, buf.baseAddress! + got, size - got)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                got += n
            }
            count = got
        }
        // A file that grew while being read (a pipe, /dev/stdin): read the rest.
        if size == 0 || buffer.count == size {
            var tail = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = tail.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress!, 65536) }
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
        defer { close(fd) }
        if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 {
            let size = Int(st.st_size)
            if let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED {
                madvise(m, size, MADV_SEQUENTIAL)
                return FileBytes(mapped: UnsafeRawPointer(m), count: size)
            }
        }
        return FileBytes(array: try readAll(fd, size: Int(st.st_size), limit: limit, path: path))
    }

    /// The file's identity (device and inode), to recognise a file the session loaded under another name.
    public static func identity(_ path: String) -> FileIdentity? {
        var st = stat()
        if stat(path, &st) != 0 { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
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
        if let m = mapped { munmap(UnsafeMutableRawPointer(mutating: m), count) }
    }
}

public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}
