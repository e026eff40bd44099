import Foundation
import RosterDiagnostics
import ZIPFoundation

/// A zip file read from memory (an .xlsx workbook, a OneRoster package), with the limits hostile
/// files need: the parts' total size after inflating is bounded, and a part that inflates far beyond
/// its compressed size (a zip bomb) is refused. Sizes are counted as bytes arrive, not taken from the
/// zip's own directory, which can lie.
public struct ZipContainer {
    let archive: Archive
    let path: String
    /// The most bytes all parts read from this container may inflate to.
    public var maxTotalBytes = 1 << 30
    /// A part may inflate to at most this many times its compressed size, beyond the first megabyte
    /// (sheet XML packs some 10 to 30 times; deflate's own limit is about 1,030).
    public var maxRatio = 300
    private var total = 0

    public init(bytes: [UInt8], path: String) throws(Diagnostic) {
        self.path = path
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .data(
                "this file begins like a zip file (an Excel workbook or a OneRoster package) but is damaged or cut short", DataLocation(path: path),
                hints: ["download or save the file again; a file copied before it was complete looks like this"])
        }
    }

    /// Every part's name, in the order the zip lists them.
    public var names: [String] { archive.map(\.path) }

    public func contains(_ name: String) -> Bool { archive[name] != nil }

    /// A part's bytes, or nil when the zip has no such part.
    public mutating func read(_ name: String) throws(Diagnostic) -> [UInt8]? {
        guard let entry = archive[name] else { return nil }
        var out: [UInt8] = []
        let compressed = max(Int(entry.compressedSize), 1)
        let ratio = maxRatio
        let allowed = maxTotalBytes - total
        var tooBig: String?
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                out.append(contentsOf: chunk)
                if out.count > allowed {
                    tooBig = "its parts inflate to more than \(maxTotalBytes >> 20) MiB"
                    throw CocoaError(.fileReadTooLarge)
                }
                if out.count > 1 << 20 && out.count / compressed > ratio {
                    tooBig = "the part \(name) inflates to more than \(ratio) times its packed size (a zip bomb)"
                    throw CocoaError(.fileReadTooLarge)
                }
            }
        } catch {
            if let tooBig { throw .data("refused: \(tooBig)", DataLocation(path: path)) }
            throw .data("this zip file is damaged: its part \(name) cannot be read (\(error))", DataLocation(path: path))
        }
        total += out.count
        return out
    }
}
