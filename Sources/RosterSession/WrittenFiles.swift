import RosterDiagnostics
import RosterData
import RosterVerbs

/// Which files roster wrote, so that a save never replaces what nobody asked it to: files this
/// session wrote, and, in each folder a save wrote into, a list of the names roster wrote there
/// (`.roster-written`), so that next year's run of a recipe replaces last year's outputs without being
/// told, while a person's own file of the same name is never replaced unless the save says
/// `replace=true`. A recipe (`.roster`) and a file of another kind than the one written (a workbook
/// under a CSV's name, or the reverse) are never replaced.
struct WrittenFiles {
    static let listName = ".roster-written"
    private(set) var paths: Set<String> = []

    /// Whether roster wrote `path` before: in this session, or by the folder's list.
    func wrote(_ path: String) -> Bool {
        if paths.contains(path) { return true }
        let folder = Files.directory(of: path)
        let name = String(path.dropFirst(folder.isEmpty ? 0 : folder.count + 1))
        return Self.list(in: folder).contains(name)
    }

    mutating func add(_ written: [String]) { paths.formUnion(written) }

    /// The names the folder's list holds.
    static func list(in folder: String) -> Set<String> {
        let path = (folder.isEmpty ? "" : folder + "/") + listName
        guard let bytes = try? Files.readAll(path, limit: 1 << 20) else { return [] }
        return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Adds `written` to their folders' lists (each list written whole, all or nothing).
    static func record(_ written: [String]) {
        var byFolder: [String: [String]] = [:]
        for p in written {
            let folder = Files.directory(of: p)
            byFolder[folder, default: []].append(String(p.dropFirst(folder.isEmpty ? 0 : folder.count + 1)))
        }
        for (folder, names) in byFolder {
            let all = list(in: folder).union(names).sorted()
            let path = (folder.isEmpty ? "" : folder + "/") + listName
            try? Files.write(Array((all.joined(separator: "\n") + "\n").utf8), to: path)
        }
    }

    /// The first bytes of a file.
    static func head(_ path: String, _ count: Int) -> [UInt8] {
        let fd = SystemCall.openForReading(path)
        guard fd >= 0 else { return [] }
        defer { SystemCall.closeFile(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { SystemCall.readBytes(fd, $0.baseAddress!, count) }
        return Array(bytes.prefix(max(n, 0)))
    }

    /// Why a save may not replace `path`, if it may not.
    func refusal(_ path: String, workbook: Bool, replacing: Bool) -> (String, [String])? {
        guard let status = SystemCall.status(path), status.isRegular else { return nil }
        if path.lowercased().hasSuffix(".roster") {
            return ("\(path) is a recipe: a save never replaces it", ["save the table under a name ending in .csv or .xlsx"])
        }
        let isZip = Self.head(path, 4) == [0x50, 0x4B, 0x03, 0x04]
        if isZip != workbook {
            return (
                "\(path) is \(isZip ? "a workbook or zip file" : "not a workbook"), and this save would write \(workbook ? "a workbook" : "CSV text") over it",
                ["save under another name; roster never replaces a file with one of another kind"]
            )
        }
        if replacing || wrote(path) { return nil }
        return (
            "\(path) exists and roster did not write it: a save does not replace a file nobody asked it to",
            ["save under another name, or say so: save \"\(path)\" replace=true"]
        )
    }
}
