import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Regular files mapped into memory for reading, which spares copying a large file before parsing
/// it. A mapped file that another program truncates while it is read would kill the reader with a
/// bus error; a handler for that signal instead puts zeros where the missing pages were and marks
/// the mapping cut, and the reader then refuses the file as changed while it was read.
///
/// The handler can reach nothing but process-wide state, so the live mappings are a fixed set of
/// atomic slots (a load maps one file at a time; when every slot is taken, the file is read
/// instead). A bus error outside every mapping goes to the handler that was there before.
package enum FileMapping {
    static let slotCount = 8
    /// A slot's mapping is `starts[k]..<ends[k]`; a start of 0 is a free slot, -1 one being filled.
    static let starts = InlineArray<8, Atomic<Int>> { _ in Atomic(0) }
    static let ends = InlineArray<8, Atomic<Int>> { _ in Atomic(0) }
    static let cut = InlineArray<8, Atomic<Bool>> { _ in Atomic(false) }
    static let installed = Atomic<Bool>(false)
    /// The system's page size, read before the handler is installed (the handler may call nothing
    /// that is not safe in a signal handler).
    static let pageSize = Atomic<Int>(4096)
    /// The bus-error action before ours, written once before ours is installed.
    nonisolated(unsafe) static var previous = sigaction()

    /// A mapping of a whole open file, and the file kept open (its size is checked after reading).
    package struct Mapping: @unchecked Sendable {
        package let base: UnsafeMutableRawPointer
        package let count: Int
        package let file: Int32
        let slot: Int
    }

    /// Maps the `count` bytes of the open file `fd` read-only; nil when it cannot (the caller reads it).
    package static func map(_ fd: Int32, count: Int) -> Mapping? {
        guard count > 0, installGuard() else { return nil }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        let file = dup(fd)
        if file >= 0 {
            for k in 0..<slotCount where starts[k].compareExchange(expected: 0, desired: -1, ordering: .acquiringAndReleasing).exchanged {
                cut[k].store(false, ordering: .relaxed)
                ends[k].store(Int(bitPattern: p) + count, ordering: .relaxed)
                starts[k].store(Int(bitPattern: p), ordering: .releasing)
                return Mapping(base: p, count: count, file: file, slot: k)
            }
            close(file)
        }
        munmap(p, count)
        return nil
    }

    /// Whether the file was cut short while mapped (the missing part then read as zeros).
    package static func wasCut(_ m: Mapping) -> Bool { cut[m.slot].load(ordering: .acquiring) }

    package static func unmap(_ m: Mapping) {
        starts[m.slot].store(-1, ordering: .releasing)
        munmap(m.base, m.count)
        close(m.file)
        starts[m.slot].store(0, ordering: .releasing)
    }

    /// Installs the bus-error handler once; false when it cannot be.
    static func installGuard() -> Bool {
        if installed.load(ordering: .acquiring) { return true }
        pageSize.store(SystemCall.pageSize, ordering: .releasing)
        var action = sigaction()
        SystemCall.setInfoHandler(&action) { signal, info, context in
            FileMapping.busError(signal, info, context)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO
        guard installed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return true }
        if sigaction(SIGBUS, &action, &previous) == 0 { return true }
        installed.store(false, ordering: .releasing)
        return false
    }

    /// A bus error in a mapping: zeros from the faulting page to the mapping's end, and the slot
    /// marked cut. Anywhere else, or when the zeros cannot be mapped: the previous handler takes
    /// over (the fault happens again).
    static func busError(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        let address = info.map { SystemCall.faultAddress($0) } ?? 0
        for k in 0..<slotCount {
            let start = starts[k].load(ordering: .acquiring)
            let end = ends[k].load(ordering: .relaxed)
            guard start > 0, address >= start, address < end else { continue }
            let page = address & ~(pageSize.load(ordering: .acquiring) - 1)
            let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            // Without zeros in place the fault would only recur: then it is a bus error after all.
            guard zeros != MAP_FAILED else { break }
            cut[k].store(true, ordering: .releasing)
            return
        }
        sigaction(SIGBUS, &previous, nil)
    }
}
