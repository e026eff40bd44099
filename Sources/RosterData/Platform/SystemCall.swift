#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says of a file, in the platform's own terms turned into plain fields.
public struct FileStatus: Sendable {
    public var size: Int
    public var isDirectory: Bool
    public var isRegular: Bool
    public var device: UInt64
    public var inode: UInt64
    /// Permission bits (`0o644`).
    public var permissions: UInt32
    public var owner: UInt32
    public var group: UInt32
}

/// The operating-system calls roster makes — files, memory maps, signals, processes — in one place,
/// written against POSIX. What differs between systems (the signal structure) is in
/// `Platform+Linux.swift` and `Platform+Darwin.swift`; the rest of the code calls only this.
public enum SystemCall {
    /// Calls `handler` when `signal` arrives. No `SA_RESTART`: a read waiting for a key returns, so
    /// the line editor can drop the line and prompt again.
    public static func onSignal(_ signal: Int32, _ handler: @escaping @convention(c) (Int32) -> Void) {
        var action = sigaction()
        setHandler(&action, handler)
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
    }

    /// Ends the process at once, from a signal handler.
    public static func exitNow(_ status: Int32) -> Never { _exit(status) }

    /// The last call's error number, and its description.
    public static var errorNumber: Int32 { errno }
    public static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
    public static var isInterrupted: Bool { errno == EINTR }
    public static var isMissing: Bool { errno == ENOENT }
    public static var alreadyExists: Bool { errno == EEXIST }

    public static var processID: Int32 { getpid() }

    /// A new file, which must not exist yet (`O_EXCL`), for writing; -1 on failure.
    public static func createExclusive(_ path: String, permissions: UInt32) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
    }

    public static func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }

    /// Writes up to `count` bytes; the number written, or -1.
    public static func writeBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

    /// Reads up to `count` bytes; the number read (0 at the end), or -1.
    public static func readBytes(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, into, count) }

    public static func closeFile(_ fd: Int32) { _ = close(fd) }

    /// Flushes a file's data to the disk; false on failure.
    public static func sync(_ fd: Int32) -> Bool { fsync(fd) == 0 }
    public static func move(_ from: String, to: String) -> Bool { rename(from, to) == 0 }
    public static func remove(_ path: String) { unlink(path) }
    public static func makeDirectory(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }

    public static func status(of fd: Int32) -> FileStatus? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileStatus(st)
    }

    public static func status(_ path: String) -> FileStatus? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStatus(st)
    }

    /// The file mapped read-only into memory, advised for reading front to back; nil when it cannot be.
    public static func mapReadOnly(_ fd: Int32, size: Int) -> UnsafeRawPointer? {
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else { return nil }
        madvise(m, size, MADV_SEQUENTIAL)
        return UnsafeRawPointer(m)
    }

    public static func unmap(_ p: UnsafeRawPointer, size: Int) {
        munmap(UnsafeMutableRawPointer(mutating: p), size)
    }

    public static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer? { malloc(bytes) }
    public static func reallocate(_ p: UnsafeMutableRawPointer, _ bytes: Int) -> UnsafeMutableRawPointer? { realloc(p, bytes) }
    public static func release(_ p: UnsafeMutableRawPointer) { free(p) }
}

extension FileStatus {
    init(_ st: stat) {
        size = Int(st.st_size)
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
        isRegular = (st.st_mode & S_IFMT) == S_IFREG
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        permissions = UInt32(st.st_mode) & 0o7777
        owner = UInt32(st.st_uid)
        group = UInt32(st.st_gid)
    }
}
