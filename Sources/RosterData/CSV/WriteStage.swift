import RosterDiagnostics

/// The files a run has written but not yet put in place: a recipe's outputs appear together when it
/// succeeds, or not at all. Each save writes its files completely to temporary files beside their
/// targets (checked and flushed to disk); `commit` renames them all into place at the end of the run
/// and removes what the saves said to remove (an earlier run's extra chunks); `abandon` removes the
/// temporary files, so a run that stops half way leaves every earlier file as it was.
public final class WriteStage {
    struct Entry {
        let temporary: String
        let target: String
        let path: String
        let replaces: Bool
    }
    private var entries: [Entry] = []
    private var removals: [String] = []
    private var afterCommit: [() -> Void] = []
    /// Folders the run's saves made: taken away again (where empty) when the run is abandoned.
    private var madeFolders: [String] = []

    /// Folders a save made for its files.
    public func made(folders: [String]) { madeFolders += folders }

    public init() {}

    /// The files waiting to be put in place, as the saves named them.
    public var paths: [String] { entries.map(\.path) }

    func add(_ staged: [(temporary: String, target: String, path: String, replaces: Bool)], removing: [String]) {
        for s in staged {
            // A later save to the same file replaces the earlier one's temporary file.
            if let i = entries.firstIndex(where: { $0.target == s.target }) {
                SystemCall.remove(entries[i].temporary)
                entries.remove(at: i)
            }
            entries.append(Entry(temporary: s.temporary, target: s.target, path: s.path, replaces: s.replaces))
        }
        removals += removing
    }

    /// Said once the files are in place (a save's "wrote …").
    public func whenCommitted(_ body: @escaping () -> Void) { afterCommit.append(body) }

    /// Puts every file in place, then removes what the saves said to remove. A rename that fails
    /// stops here and says which files are in place and which are not.
    public func commit() throws(Diagnostic) -> [String] {
        let moves = entries.map { ($0.temporary, $0.target, $0.path) }
        entries = []
        try CommitJournal.putInPlace(moves)
        madeFolders = []
        var removed: [String] = []
        for path in removals where SystemCall.status(path) != nil {
            SystemCall.remove(path)
            removed.append(path)
        }
        removals = []
        for body in afterCommit { body() }
        afterCommit = []
        return removed
    }

    /// Removes every temporary file: nothing of the run is put in place.
    public func abandon() {
        for e in entries { SystemCall.remove(e.temporary) }
        Files.removeFolders(madeFolders)
        madeFolders = []
        entries = []
        removals = []
        afterCommit = []
    }
}
