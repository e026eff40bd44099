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

/// The operating-system calls roster makes — files, signals, processes — in one place,
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
        // A parent may have started roster with the signal blocked (it inherits the mask): unblock it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Ends the process at once, from a signal handler.
    public static func exitNow(_ status: Int32) -> Never { _exit(status) }

    /// The last call's error number, and its description.
    public static var errorNumber: Int32 { errno }
    public static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
    public static var isInterrupted: Bool { errno == EINTR }
    public static var isMissing: Bool { errno == ENOENT }
    /// Whether an error number says a file or folder does not exist.
    public static func isMissing(_ error: Int32) -> Bool { error == ENOENT }
    /// Whether an error number says the disk (or the user's quota) is full.
    public static func isFull(_ error: Int32) -> Bool { error == ENOSPC || error == EDQUOT }
    public static var alreadyExists: Bool { errno == EEXIST }

    public static var processID: Int32 { getpid() }

    /// A new file, which must not exist yet (`O_EXCL`), for writing; -1 on failure.
    public static func createExclusive(_ path: String, permissions: UInt32) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
    }

    /// Opens a file for reading without waiting: a FIFO nobody writes to opens at once (and reads as
    /// empty) instead of blocking for ever; reads then wait as usual for a writer's data.
    public static func openForReading(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        return fd
    }

    /// Writes up to `count` bytes; the number written, or -1.
    public static func writeBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

    /// Reads up to `count` bytes; the number read (0 at the end), or -1.
    public static func readBytes(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, into, count) }

    /// Reads up to `count` bytes at `offset`, leaving the file position alone (so threads can share a file).
    public static func readBytes(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int, at offset: Int) -> Int {
        pread(fd, into, count, off_t(offset))
    }

    public static func closeFile(_ fd: Int32) { _ = close(fd) }

    /// Moves the file position (after reads at offsets, so that reading on finds the rest).
    public static func seek(_ fd: Int32, to offset: Int) -> Bool { lseek(fd, off_t(offset), SEEK_SET) >= 0 }

    /// The size of a huge page (2 MiB on x86-64 and on arm64 with 4 KiB pages).
    public static let hugePageSize = 2 << 20

    /// The free huge pages `/proc/buddyinfo`'s text shows: per zone, the counts of free blocks of
    /// 2^0 … 2^10 pages of 4 KiB, of which those of 2^9 pages (2 MiB) and up hold huge pages.
    static func hugePages(inBuddyInfo text: String) -> Int {
        var total = 0
        for line in text.split(separator: "\n") {
            let counts = line.split(separator: " ").compactMap { Int($0) }
            // "Node 0, zone Normal c0 … c10": the node number parses too, then the eleven counts.
            guard counts.count >= 11 else { continue }
            for (order, count) in counts.suffix(11).enumerated() where order >= 9 { total += count << (order - 9) }
        }
        return total
    }

    /// Flushes a file's data to the disk; false on failure.
    public static func sync(_ fd: Int32) -> Bool { fsync(fd) == 0 }
    public static func move(_ from: String, to: String) -> Bool { rename(from, to) == 0 }
    public static func remove(_ path: String) { unlink(path) }
    public static func makeDirectory(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }
    /// Removes an empty folder (a folder with anything in it stays).
    public static func removeEmptyDirectory(_ path: String) { _ = rmdir(path) }
    /// Flushes a folder's entries to disk, so a rename in it survives a power cut.
    public static func syncFolder(_ path: String) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }

    /// An existing file or device, for writing through it (no create, no truncate); -1 on failure.
    public static func openForWritingThrough(_ path: String) -> Int32 { open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC) }

    /// The text of a symbolic link, or nil when `path` is not one.
    public static func linkTarget(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buf, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets an open file's permission bits; false on failure.
    public static func setPermissions(_ fd: Int32, _ permissions: UInt32) -> Bool { fchmod(fd, mode_t(permissions)) == 0 }

    /// Gives an open file an owner and group (only root may); false on failure.
    public static func setOwner(_ fd: Int32, owner: UInt32, group: UInt32) -> Bool { fchown(fd, uid_t(owner), gid_t(group)) == 0 }

    public static var isRoot: Bool { geteuid() == 0 }

    /// The permission bits a new file gets (0o666 less the process's umask), read once.
    public static let newFilePermissions: UInt32 = {
        let mask = umask(0o022)
        umask(mask)
        return 0o666 & ~UInt32(mask)
    }()

    /// Whether a process with this id is running (for telling a dead writer's temporary file).
    public static func processIsAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// The names in a folder ("" = the current folder), without "." and "..".
    public static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path.isEmpty ? "." : path) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

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

    public static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer? { malloc(bytes) }
    public static func reallocate(_ p: UnsafeMutableRawPointer, _ bytes: Int) -> UnsafeMutableRawPointer? { realloc(p, bytes) }
    public static func release(_ p: UnsafeMutableRawPointer) { free(p) }

    /// Whole pages straight from the system, for a large buffer that lives only while a file is read:
    /// `unmapPages` gives them back at once rather than leaving a hole in the heap.
    public static func mapPages(_ bytes: Int) -> UnsafeMutableRawPointer? {
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        return p == MAP_FAILED ? nil : p
    }

    public static func unmapPages(_ p: UnsafeMutableRawPointer, _ bytes: Int) { _ = munmap(p, bytes) }

    /// The size of a memory page.
    public static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }

    /// Gives the pages of `count` bytes at `p` (page-aligned) back to the system; reading them
    /// afterwards gives zeros until they are written again.
    public static func discardPages(_ p: UnsafeMutableRawPointer, _ count: Int) {
        #if canImport(Glibc)
        _ = madvise(p, count, MADV_DONTNEED)
        #elseif canImport(Darwin)
        _ = madvise(p, count, MADV_FREE)
        #endif
    }
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
