import RosterDiagnostics
import Synchronization

/// Reading and writing files.
///
/// Writes are all or nothing: the bytes go to a temporary file beside the target (readable by its
/// owner only while it is written), which is flushed to disk and renamed into place only when
/// complete, with the mode (and, for root, the owner) of the file it replaces. A failure or a
/// cancellation (Ctrl-C, a termination signal) removes the temporary file and leaves any earlier file
/// at the target untouched. A symbolic link is followed: the file it points to is replaced and the link
/// kept. A FIFO or a device is written through, never replaced. Reads copy files into memory (never a map) and
/// check sizes before reading anything.
public enum Files {
    public static func write(_ bytes: [UInt8], to path: String, isCancelled: () -> Bool = { false }) throws(Diagnostic) {
        try write(parts: [bytes], to: path, isCancelled: isCancelled)
    }

    /// Writes consecutive parts as one file.
    public static func write(parts: [[UInt8]], to path: String, isCancelled: () -> Bool = { false }) throws(Diagnostic) {
        _ = try writeSet([(path, parts)], isCancelled: isCancelled)
    }

    /// What a set of writes did besides writing: files it removed.
    public struct WriteReport: Sendable {
        /// Temporary files that an earlier, killed run left beside a target.
        public var abandonedTemporaries: [String] = []
        /// Files of the `removing` list that existed and were removed.
        public var removed: [String] = []
        /// Files an interrupted earlier run left half in place, now put in place (its journal said how).
        public var finished: [String] = []
    }

    /// Writes several files as one set: every file is written completely to its temporary file before
    /// any is renamed into place, so a failure part-way leaves all the previous files as they were.
    /// Then the files in `removing` (an earlier run's extra chunks) are removed.
    public static func writeSet(
        _ files: [(path: String, parts: [[UInt8]])], removing: [String] = [],
        isCancelled: () -> Bool = { false }
    ) throws(Diagnostic) -> WriteReport {
        try writeSet(files.map { Output(path: $0.path, parts: $0.parts) }, removing: removing, isCancelled: isCancelled)
    }

    /// A file to write, as the parts that make it, produced one at a time as they are written (a
    /// large table is encoded a block at a time). A part that cannot be made (a character the file's
    /// encoding lacks) stops the set before anything is put in place.
    public struct Output {
        public let path: String
        public let nextPart: () throws(Diagnostic) -> [UInt8]?

        public init(path: String, nextPart: @escaping () throws(Diagnostic) -> [UInt8]?) {
            self.path = path
            self.nextPart = nextPart
        }

        public init(path: String, parts: [[UInt8]]) {
            var rest = parts[...]
            self.init(path: path) { () throws(Diagnostic) -> [UInt8]? in rest.popFirst() }
        }
    }

    public static func writeSet(
        _ files: [Output], removing: [String] = [], stage: WriteStage? = nil, isCancelled: () -> Bool = { false }
    ) throws(Diagnostic) -> WriteReport {
        var report = WriteReport()
        var staged: [(temporary: String, target: String, path: String, replaces: Bool)] = []
        var through: [(target: String, output: Output)] = []
        var done = false
        defer {
            if !done { for s in staged { SystemCall.remove(s.temporary) } }
        }
        // A set an interrupted run left half in place is finished first (its journal says how).
        for folder in Set(files.map { directory(of: $0.path) }) { report.finished += CommitJournal.finishInterrupted(in: folder) }
        for file in files {
            let path = file.path
            let target = try resolvingLinks(path)
            let existing = SystemCall.status(target)
            if let e = existing, e.isDirectory {
                throw Diagnostic(.io("\(path) is a folder, not a file"), data: DataLocation(path: path))
            }
            if let e = existing, !e.isRegular {
                through.append((target, file))  // a FIFO or a device: written through below
                continue
            }
            report.abandonedTemporaries += removeAbandonedTemporaries(of: target)
            let temporary = temporaryName(for: target)
            let fd = SystemCall.createExclusive(temporary, permissions: 0o600)
            if fd < 0 { throw failure("cannot write", path) }
            staged.append((temporary, target, path, existing != nil))
            var ok: Bool
            // The error of a failed write is the one of the thread that wrote (errno is per thread).
            var error: Int32 = 0
            do throws(Diagnostic) {
                if let failed = try writeAll(fd, file.nextPart, isCancelled: isCancelled) {
                    ok = false
                    error = failed
                } else {
                    ok = SystemCall.sync(fd)
                    if !ok { error = SystemCall.errorNumber }
                }
            } catch {
                SystemCall.closeFile(fd)
                throw error
            }
            if ok {
                // The finished file takes the replaced file's mode (and owner, for root).
                ok = SystemCall.setPermissions(fd, existing?.permissions ?? SystemCall.newFilePermissions)
                if ok, let e = existing, SystemCall.isRoot { ok = SystemCall.setOwner(fd, owner: e.owner, group: e.group) }
                if !ok { error = SystemCall.errorNumber }
            }
            SystemCall.closeFile(fd)
            if isCancelled() { throw interrupted(path) }
            if !ok { throw failure("cannot write", path, error: error) }
        }
        if isCancelled() { throw interrupted(files.first?.path ?? "") }
        if let stage {
            // Put in place with the run's other files when the run succeeds (`WriteStage.commit`).
            stage.add(staged.map { ($0.temporary, $0.target, $0.path, $0.replaces) }, removing: removing)
            done = true
            try writeThrough(through, isCancelled: isCancelled)
            return report
        }
        // The files being replaced are held open across the renames and let go on another thread:
        // the last close of a large file frees its blocks (on a disk mounted with `discard`, waiting
        // for the device), which would otherwise hold up the rename by milliseconds.
        var replaced = staged.filter(\.replaces).map { SystemCall.openForReading($0.target) }.filter { $0 >= 0 }
        defer { for fd in replaced { SystemCall.closeFile(fd) } }
        done = true  // from here a set's temporary files are its journal's, which the next save finishes
        do {
            try CommitJournal.putInPlace(staged.map { ($0.temporary, $0.target, $0.path) })
        } catch {
            if staged.count == 1 { SystemCall.remove(staged[0].temporary) }
            throw error
        }
        let letGo = replaced
        replaced = []
        if !letGo.isEmpty { Parallel.later { for fd in letGo { SystemCall.closeFile(fd) } } }
        try writeThrough(through, isCancelled: isCancelled)
        for path in removing where SystemCall.status(path) != nil {
            SystemCall.remove(path)
            report.removed.append(path)
        }
        return report
    }

    /// Writes FIFOs and devices through, at once: they are streams, not files that can be put in place.
    static func writeThrough(_ through: [(target: String, output: Output)], isCancelled: () -> Bool) throws(Diagnostic) {
        for t in through {
            let fd = SystemCall.openForWritingThrough(t.target)
            if fd < 0 { throw failure("cannot write", t.output.path) }
            defer { SystemCall.closeFile(fd) }
            if let error = try writeAll(fd, t.output.nextPart, isCancelled: isCancelled) {
                throw isCancelled() ? interrupted(t.output.path) : failure("cannot write", t.output.path, error: error)
            }
        }
    }

    /// Writes every part `nextPart` gives, 4 MiB at a time, checking for cancellation between pieces.
    /// The next part is made while the current one is written (on two threads).
    /// Returns nil when every part is written, else the error number of the write that failed, as the
    /// thread that wrote it saw it (0 when cancelled).
    static func writeAll(_ fd: Int32, _ nextPart: () throws(Diagnostic) -> [UInt8]?, isCancelled: () -> Bool) throws(Diagnostic) -> Int32? {
        try withoutActuallyEscaping(nextPart) { (make) throws(Diagnostic) -> Int32? in
            try withoutActuallyEscaping(isCancelled) { (cancelled) throws(Diagnostic) -> Int32? in
                let shared = UncheckedSendable((make, cancelled))
                var current = try make()
                var written = 0
                while let part = current {
                    let offset = written
                    enum Step: Sendable {
                        case written(Int32?)
                        case made(Result<[UInt8]?, Diagnostic>)
                    }
                    let steps = Parallel.map([0, 1], work: part.count >= 1 << 20 ? Parallel.always : 0) { k -> Step in
                        let (make, cancelled) = shared.value
                        if k == 0 {
                            let failed = writeBytes(fd, part, isCancelled: cancelled)
                            // The disk starts on this part while the next is made and written.
                            if failed == nil { SystemCall.startWriteBack(fd, from: offset, count: part.count) }
                            return .written(failed)
                        }
                        do throws(Diagnostic) { return .made(.success(try make())) } catch { return .made(.failure(error)) }
                    }
                    guard case .written(let failed) = steps[0], case .made(let next) = steps[1] else { preconditionFailure("two steps") }
                    if let failed { return failed }
                    written += part.count
                    current = try next.get()
                }
                return nil
            }
        }
    }

    /// Writes every byte of `part`, 4 MiB at a time, checking for cancellation between pieces: nil
    /// when written, else the error number (read on this thread; 0 when cancelled).
    static func writeBytes(_ fd: Int32, _ part: [UInt8], isCancelled: () -> Bool) -> Int32? {
        let chunk = 1 << 22
        return part.withUnsafeBufferPointer { buf -> Int32? in
            guard let start = buf.baseAddress else { return nil }
            var offset = 0
            while offset < buf.count {
                if isCancelled() { return 0 }
                let n = SystemCall.writeBytes(fd, start + offset, min(chunk, buf.count - offset))
                if n < 0 {
                    if SystemCall.isInterrupted { continue }
                    return SystemCall.errorNumber
                }
                offset += n
            }
            return nil
        }
    }

    /// The file a path finally names, following symbolic links (at most 40, as the system does).
    static func resolvingLinks(_ path: String) throws(Diagnostic) -> String {
        var current = path
        for _ in 0..<40 {
            guard let link = SystemCall.linkTarget(current) else { return current }
            if link.hasPrefix("/") {
                current = link
            } else {
                let dir = directory(of: current)
                current = dir.isEmpty ? link : dir + "/" + link
            }
        }
        throw Diagnostic(.io("\(path) is a chain of more than 40 symbolic links"), data: DataLocation(path: path))
    }

    static let temporaryMarker = ".roster-tmp-"

    /// `.NAME.roster-tmp-PID-RANDOM` beside the target: hidden, and telling which process wrote it.
    static func temporaryName(for target: String) -> String {
        let dir = directory(of: target)
        let base = target.split(separator: "/").last.map(String.init) ?? target
        return (dir.isEmpty ? "" : dir + "/") + ".\(base)\(temporaryMarker)\(SystemCall.processID)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes temporary files beside `target` whose writer is no longer running (killed before it
    /// could clean up), and returns their paths.
    static func removeAbandonedTemporaries(of target: String) -> [String] {
        let dir = directory(of: target)
        let base = target.split(separator: "/").last.map(String.init) ?? target
        let prefix = ".\(base)\(temporaryMarker)"
        var removed: [String] = []
        for name in SystemCall.listDirectory(dir) where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { continue }
            if pid == SystemCall.processID || SystemCall.processIsAlive(pid) { continue }
            let path = (dir.isEmpty ? "" : dir + "/") + name
            SystemCall.remove(path)
            removed.append(path)
        }
        return removed
    }

    static func interrupted(_ path: String) -> Diagnostic {
        Diagnostic(.io("interrupted; \(path) was not written"), data: DataLocation(path: path))
    }

    /// Makes the folders above `path` that do not exist yet.
    /// Makes the folders a path needs, and returns those it made (outermost first), so that a save
    /// that fails can take them away again.
    @discardableResult
    public static func makeParentFolders(of path: String) throws(Diagnostic) -> [String] {
        let dir = directory(of: path)
        if dir.isEmpty || dir == "/" { return [] }
        var built = dir.hasPrefix("/") ? "" : "."
        var made: [String] = []
        for part in dir.split(separator: "/") {
            built += "/" + part
            if SystemCall.makeDirectory(built) {
                made.append(built)
            } else if !SystemCall.alreadyExists {
                let error = SystemCall.errorNumber
                removeFolders(made)
                throw Diagnostic(.io("cannot make the folder \(built): \(SystemCall.describe(error))"), data: DataLocation(path: path))
            }
        }
        return made
    }

    /// Removes folders a save made, innermost first, where they are still empty.
    public static func removeFolders(_ made: [String]) {
        for f in made.reversed() { SystemCall.removeEmptyDirectory(f) }
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// What went wrong with a file, from the error number the failing call gave (never read again
    /// later, or on another thread, where it may say something else).
    static func failure(_ what: String, _ path: String, error: Int32 = SystemCall.errorNumber) -> Diagnostic {
        var hints: [String] = []
        if SystemCall.isMissing(error) { hints.append("the folder \(directory(of: path)) does not exist") }
        if SystemCall.isFull(error) { hints.append("the disk is full: the file that was there is as it was; free some room and save again") }
        return Diagnostic(.io("\(what) \(path): \(SystemCall.describe(error))"), data: DataLocation(path: path), hints: hints)
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

    /// Reads `size` bytes of an open file into `memory`: a large file as two halves on two threads
    /// (copying from the page cache is the cost, and two cores copy nearly twice as fast). Returns the
    /// bytes each half got (fewer than asked when the file was cut short while it was read).
    static func readInHalves(_ fd: Int32, into memory: UnsafeMutableRawPointer, size: Int) -> [Int] {
        let halves = size >= Parallel.bytes ? 2 : 1
        let base = UncheckedSendable(memory)
        return Parallel.map(Array(0..<halves), work: Parallel.always) { k -> Int in
            let from = size / halves * k
            let to = k == halves - 1 ? size : size / halves * (k + 1)
            var at = from
            while at < to {
                let n = SystemCall.readBytes(fd, base.value + at, to - at, at: at)
                if n < 0 && SystemCall.isInterrupted { continue }
                if n <= 0 { break }
                at += n
            }
            return at - from
        }
    }

    /// Reads an open file: `size` bytes, then whatever more a pipe or growing file still gives.
    static func readAll(_ fd: Int32, size: Int, limit: Int, path: String) throws(Diagnostic) -> [UInt8] {
        var buffer = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buf, count in
            guard let start = buf.baseAddress, size > 0 else { return }
            let got = readInHalves(fd, into: start, size: size)
            // The bytes up to the first short half (a file cut short while it was read).
            var total = 0
            for (k, n) in got.enumerated() {
                total += n
                if n < (k == got.count - 1 ? size - size / got.count * k : size / got.count) { break }
            }
            count = total
            _ = SystemCall.seek(fd, to: total)
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

    /// The file's bytes. A regular file of a quarter of a megabyte or more is mapped (not copied; a truncation
    /// while it is read is caught, see `FileMapping`), a smaller one read into memory; either way a
    /// file that changed while it was read is refused with a message (`FileBytes.checkUnchanged`).
    public static func open(_ path: String, limit: Int) throws(Diagnostic) -> FileBytes {
        let (fd, st) = try openForReading(path, limit: limit)
        defer { SystemCall.closeFile(fd) }
        guard st.isRegular, st.size > 0 else { return FileBytes(array: try readAll(fd, size: st.size, limit: limit, path: path)) }
        let identity = FileIdentity(device: st.device, inode: st.inode)
        if st.size >= Parallel.bytes, let mapping = FileMapping.map(fd, count: st.size) {
            return FileBytes(mapping: mapping, source: path, identity: identity)
        }
        let file = FileBytes(count: st.size, source: path, identity: identity)
        try file.fill(from: fd)
        return file
    }

    /// The file's identity (device and inode), to recognise a file the session loaded under another name.
    public static func identity(_ path: String) -> FileIdentity? {
        SystemCall.status(path).map { FileIdentity(device: $0.device, inode: $0.inode) }
    }
}

/// A file's contents in memory the reader may give back as it goes: a large CSV file's pages are
/// returned once parsed, so a load needs little more memory than the table it makes. Bytes given back
/// read as zeros (a mapped file's come back from the file); `restore` reads them from the file again
/// for a reader that must start over.
public final class FileBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    public let count: Int
    /// The regular file the bytes came from; nil for bytes that cannot be read again (standard input).
    private let source: String?
    private let identity: FileIdentity?
    /// Set when the bytes are the file mapped into memory.
    private let mapping: FileMapping.Mapping?
    /// False once pages were given back (until `restore`).
    private let isWhole = Atomic<Bool>(true)

    public init(array: [UInt8]) {
        count = array.count
        let memory = SystemCall.allocate(max(1, array.count))!
        array.withUnsafeBytes { if let from = $0.baseAddress { memory.copyMemory(from: from, byteCount: array.count) } }
        base = memory
        source = nil
        identity = nil
        mapping = nil
    }

    /// Room for `count` bytes of the regular file at `source`, filled by `fill`.
    init(count: Int, source: String, identity: FileIdentity) {
        self.count = count
        base = SystemCall.allocate(max(1, count))!
        self.source = source
        self.identity = identity
        mapping = nil
    }

    /// A mapped file's bytes.
    init(mapping: FileMapping.Mapping, source: String, identity: FileIdentity) {
        count = mapping.count
        base = mapping.base
        self.mapping = mapping
        self.source = source
        self.identity = identity
    }

    deinit {
        if let mapping { FileMapping.unmap(mapping) } else { SystemCall.release(base) }
    }

    /// Refuses a mapped file that was cut short or grew while it was read (a file read into memory
    /// was checked as it was read). The open file is asked, not its path: a file saved over by
    /// another program under the same name leaves the one mapped whole.
    public func checkUnchanged() throws(Diagnostic) {
        guard let mapping, let path = source else { return }
        if FileMapping.wasCut(mapping) || SystemCall.status(of: mapping.file)?.size != count {
            throw Self.changedWhileRead(path)
        }
    }

    /// The message for a file another program changed while it was read.
    static func changedWhileRead(_ path: String) -> Diagnostic {
        Diagnostic(
            .io("\(path) changed while it was read (another program is writing it)"), data: DataLocation(path: path),
            hints: ["load it again when that program has finished"])
    }

    /// Reads the whole file (two halves on two threads for a large one). A file whose size changed is refused.
    func fill(from fd: Int32) throws(Diagnostic) {
        let path = source ?? ""
        let size = count
        let got = Files.readInHalves(fd, into: base, size: size)
        var one: UInt8 = 0
        if got.reduce(0, +) != size || SystemCall.readBytes(fd, &one, 1, at: size) > 0 || SystemCall.status(of: fd)?.size != size {
            throw Self.changedWhileRead(path)
        }
    }

    /// The bytes as an array (a zip container reads from them).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)) }

    public func withBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> R) throws(Diagnostic) -> R {
        try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Whether pages can be given back: only when the file can be read again.
    public var canGiveBack: Bool { source != nil }

    /// Gives back the whole pages inside `range`, bytes the reader is done with.
    public func giveBack(_ range: Range<Int>) {
        guard source != nil else { return }
        isWhole.store(false, ordering: .relaxed)
        let page = SystemCall.pageSize
        let address = Int(bitPattern: base)
        let first = (address + range.lowerBound + page - 1) / page * page
        let last = (address + range.upperBound) / page * page
        if last > first { SystemCall.discardPages(UnsafeMutableRawPointer(bitPattern: first)!, last - first) }
    }

    /// Reads the file again into the same memory, for a reader that must start over after giving
    /// pages back. Refused when the file is no longer what was read.
    public func restore() throws(Diagnostic) {
        // Pages of a mapped file come back from the file when read again.
        guard let path = source, mapping == nil, !isWhole.load(ordering: .relaxed) else { return }
        let (fd, st) = try Files.openForReading(path, limit: count)
        defer { SystemCall.closeFile(fd) }
        guard st.size == count, FileIdentity(device: st.device, inode: st.inode) == identity else {
            throw Self.changedWhileRead(path)
        }
        try fill(from: fd)
        isWhole.store(true, ordering: .relaxed)
    }
}

public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}
