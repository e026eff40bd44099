import RosterDiagnostics

/// Puts a set of finished files in place so that the set switches as one, even across a `kill -9`:
/// before the first rename, each folder gets a journal (`.roster-pending`) naming every temporary file
/// and its target, flushed to disk; after the last, the journals go. A run killed between the
/// renames leaves a journal whose temporary files are complete and flushed: the next save into that
/// folder finishes the renames first (and says so), so the folder holds the whole new set — never a
/// mix of new and old parts.
enum CommitJournal {
    static let name = ".roster-pending"

    static func path(in folder: String) -> String { (folder.isEmpty ? "" : folder + "/") + name }

    /// Renames each temporary file onto its target, journalled per folder; folders are flushed.
    static func putInPlace(_ moves: [(temporary: String, target: String, path: String)]) throws(Diagnostic) {
        guard !moves.isEmpty else { return }
        let folders = Dictionary(grouping: moves) { Files.directory(of: $0.target) }
        let journalled = moves.count > 1
        if journalled {
            for (folder, list) in folders {
                let text = list.map { "\(base($0.temporary))\t\(base($0.target))" }.joined(separator: "\n") + "\n"
                try writeFlushed(Array(text.utf8), to: path(in: folder))
            }
            for folder in folders.keys { SystemCall.syncFolder(folder) }
        }
        var placed: [String] = []
        for m in moves {
            guard SystemCall.move(m.temporary, to: m.target) else {
                let error = SystemCall.errorNumber
                throw Diagnostic(
                    .io(
                        "cannot move the finished file into place at \(m.path): \(SystemCall.describe(error))"
                            + (placed.isEmpty ? "" : "; already in place: " + placed.joined(separator: ", "))
                            + (journalled ? "; the next save into its folder finishes the set" : "")),
                    data: DataLocation(path: m.path))
            }
            placed.append(m.path)
        }
        for folder in folders.keys {
            if journalled { SystemCall.remove(path(in: folder)) }
            SystemCall.syncFolder(folder)
        }
    }

    /// Finishes a set an interrupted run left half in place in `folder`: every temporary file its
    /// journal names that still exists is renamed onto its target. Returns the targets put in place.
    static func finishInterrupted(in folder: String) -> [String] {
        let journal = path(in: folder)
        guard let bytes = try? Files.readAll(journal, limit: 1 << 20) else { return [] }
        var done: [String] = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].contains("/"), !parts[1].contains("/") else { continue }
            let temporary = (folder.isEmpty ? "" : folder + "/") + parts[0]
            let target = (folder.isEmpty ? "" : folder + "/") + parts[1]
            if SystemCall.status(temporary) != nil, SystemCall.move(temporary, to: target) { done.append(target) }
        }
        SystemCall.remove(journal)
        SystemCall.syncFolder(folder)
        return done
    }

    static func base(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// A small file written whole and flushed (the journal itself: it must be on disk before a rename).
    static func writeFlushed(_ bytes: [UInt8], to path: String) throws(Diagnostic) {
        SystemCall.remove(path)
        let fd = SystemCall.createExclusive(path, permissions: 0o600)
        if fd < 0 { throw Files.failure("cannot write", path) }
        defer { SystemCall.closeFile(fd) }
        let ok = bytes.withUnsafeBytes { b in SystemCall.writeBytes(fd, b.baseAddress!, b.count) == b.count } && SystemCall.sync(fd)
        if !ok { throw Files.failure("cannot write", path) }
    }
}
