#if canImport(Glibc)
@preconcurrency import Glibc

/// glibc's `mallopt`, which its Swift module does not import (malloc.h).
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// Linux's `sync_file_range` (its Swift module does not import it).
@_silgen_name("sync_file_range") private func linuxSyncFileRange(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
/// Linux's `mremap` (variadic in C, so not imported; the fixed arguments are all it is given here).
@_silgen_name("mremap") private func linuxMremap(
    _ address: UnsafeMutableRawPointer, _ oldSize: Int, _ newSize: Int, _ flags: Int32
) -> UnsafeMutableRawPointer?

extension SystemCall {
    /// The heap is tuned for a program that builds and drops large columns: blocks under 32 MiB
    /// (a column of a million rows) come from the heap and are reused by the next column, instead of
    /// being mapped fresh each time (every page then faulted in and zeroed again); and every thread
    /// shares one heap, so memory freed by one thread serves the next allocation on another instead
    /// of sitting in a per-thread arena. Larger blocks still come straight from the system and go
    /// back to it when freed (and buffers that live only while a file is read use `mapPages`).
    public static func tuneHeap() {
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = glibcMallopt(mmapThreshold, 32 << 20)
        _ = glibcMallopt(arenaMax, 1)
    }

    /// Moves or grows pages from `mapPages` without copying them.
    public static func remapPages(_ p: UnsafeMutableRawPointer, from oldSize: Int, to newSize: Int) -> UnsafeMutableRawPointer? {
        let mayMove: Int32 = 1  // MREMAP_MAYMOVE
        guard let q = linuxMremap(p, oldSize, newSize, mayMove), q != MAP_FAILED else { return nil }
        return q
    }

    /// Faults in the whole pages inside `count` bytes at `p` for writing, in one call: cheaper than
    /// a trap per page as they are first written. Kernels before 5.14 ignore the request.
    public static func prepareForWriting(_ p: UnsafeMutableRawPointer, _ count: Int) {
        let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
        advise(populateWrite, wholeUnitsOf: pageSize, in: p, count)
    }

    /// Asks for huge pages in the aligned part of `count` bytes at `p`: a fresh 100 MB column is then
    /// fifty faults instead of twenty-five thousand, and is handed back as fast when the program
    /// ends. Only worth it where the system has free huge pages at hand (`freeHugePages`): without
    /// them it would stop to compact memory first.
    public static func adviseHugePages(_ p: UnsafeMutableRawPointer, _ count: Int) {
        let hugePage: Int32 = 14  // MADV_HUGEPAGE
        advise(hugePage, wholeUnitsOf: hugePageSize, in: p, count)
    }

    /// `madvise` over the whole units (pages, huge pages; a power of two) inside `count` bytes at `p`.
    private static func advise(_ advice: Int32, wholeUnitsOf unit: Int, in p: UnsafeMutableRawPointer, _ count: Int) {
        let first = (Int(bitPattern: p) + unit - 1) & ~(unit - 1)
        let last = (Int(bitPattern: p) + count) & ~(unit - 1)
        if last > first { _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, advice) }
    }

    /// How many huge pages the system could hand out now without compacting memory: its free blocks
    /// of a huge page or more (`/proc/buddyinfo`, orders 9 and up of 4 KiB pages); 0 when that
    /// cannot be read or the pages are not 4 KiB.
    public static func freeHugePages() -> Int {
        guard pageSize == 4096 else { return 0 }
        let fd = open("/proc/buddyinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var text = [UInt8](repeating: 0, count: 8192)
        let n = text.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 8192) }
        guard n > 0 else { return 0 }
        return Self.hugePages(inBuddyInfo: String(decoding: text[0..<n], as: UTF8.self))
    }

    /// Starts writing `count` bytes of an open file from `offset` to the disk without waiting, so
    /// the `fsync` that ends a save has less left to wait for.
    public static func startWriteBack(_ fd: Int32, from offset: Int, count: Int) {
        let write: UInt32 = 2  // SYNC_FILE_RANGE_WRITE
        _ = linuxSyncFileRange(fd, Int64(offset), Int64(count), write)
    }

    /// Where Linux keeps a signal action's handler that is told the signal's details.
    static func setInfoHandler(
        _ action: inout sigaction, _ handler: @escaping @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void
    ) {
        action.__sigaction_handler.sa_sigaction = handler
    }

    /// The address a bus error or segmentation fault is about.
    static func faultAddress(_ info: UnsafeMutablePointer<siginfo_t>) -> Int {
        Int(bitPattern: info.pointee._sifields._sigfault.si_addr)
    }

    /// Where Linux keeps a signal action's handler.
    static func setHandler(_ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
        action.__sigaction_handler.sa_handler = handler
    }
}
#endif
