import CZlib
import RosterDiagnostics

/// A zip file read from memory (an .xlsx workbook, a OneRoster package), with the limits hostile
/// files need: the parts' total size after inflating is bounded, and a part that inflates far beyond
/// its compressed size (a zip bomb) is refused. Sizes are counted as bytes arrive, not taken from the
/// zip's own directory, which can lie; every offset the directory gives is checked against the file.
/// A zip naming one entry twice is refused: programs differ on which of the two they read (openpyxl
/// the last), so the same file would show different people. Names are found ignoring case when no
/// entry has the exact name, as Office packages require (`xl/SharedStrings.xml` is the shared
/// strings part); two names that differ only in case are refused like a name given twice.
///
/// Its own reader over zlib rather than a package: the zip packages on this platform bring
/// Foundation, which costs every run of roster its start-up time (measured: 9.1 ms against 12.4 ms).
public struct ZipContainer {
    let bytes: [UInt8]
    let path: String
    /// The most bytes all parts read from this container may inflate to.
    public var maxTotalBytes = 1 << 30
    /// A part may inflate to at most this many times its compressed size, beyond the first megabyte
    /// (sheet XML packs some 10 to 30 times; deflate's own limit is about 1,030).
    public var maxRatio = 300
    private var total = 0

    /// One part as the central directory lists it.
    struct Entry {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var crc: UInt32
        var localHeader: Int
        /// Bit 0 of the entry's flags: its bytes are encrypted with a password.
        var encrypted: Bool
    }
    let entries: [Entry]
    /// Each entry's place in `entries`, by name, and by its name in lower case.
    let index: [String: Int]
    let lowercasedIndex: [String: Int]

    public init(bytes: [UInt8], path: String) throws(Diagnostic) {
        self.bytes = bytes
        self.path = path
        guard let list = Self.directory(bytes) else {
            throw .data(
                "this file begins like a zip file (an Excel workbook or a OneRoster package) but is damaged or cut short", DataLocation(path: path),
                hints: ["download or save the file again; a file copied before it was complete looks like this"])
        }
        var index: [String: Int] = [:], lowercased: [String: Int] = [:]
        index.reserveCapacity(list.count)
        lowercased.reserveCapacity(list.count)
        for (k, e) in list.enumerated() {
            let twice =
                index.updateValue(k, forKey: e.name).map { list[$0].name } ?? lowercased.updateValue(k, forKey: e.name.lowercased()).map { list[$0].name }
            guard let twice else { continue }
            let named = twice == e.name ? "two entries named \(e.name)" : "two entries named \(twice) and \(e.name), one name to Excel and to Windows"
            throw .data(
                "this zip file holds \(named): programs differ on which of them they read, so the file is refused",
                DataLocation(path: path),
                hints: ["export or save it again from the program that made it; unzipping it by hand would keep whichever copy the unzip program picks"])
        }
        entries = list
        self.index = index
        lowercasedIndex = lowercased
    }

    /// Every part's name, in the order the zip lists them.
    public var names: [String] { entries.map(\.name) }

    public func contains(_ name: String) -> Bool { position(name) != nil }

    /// The entry named `name`, or else the one whose name differs only in case.
    func position(_ name: String) -> Int? { index[name] ?? lowercasedIndex[name.lowercased()] }

    /// The name the zip gives the entry `name` finds (its own spelling, for messages).
    public func storedName(_ name: String) -> String? { position(name).map { entries[$0].name } }

    // MARK: reading the directory

    @inline(__always) static func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    @inline(__always) static func u32(_ b: [UInt8], _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }

    /// The central directory's entries, or nil when the file is not a whole zip.
    static func directory(_ b: [UInt8]) -> [Entry]? {
        // The end record is in the last 64 KiB + 22 bytes, found from the end.
        guard b.count >= 22 else { return nil }
        var end = -1
        var k = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while k >= lowest {
            if b[k] == 0x50, b[k + 1] == 0x4B, b[k + 2] == 0x05, b[k + 3] == 0x06 {
                end = k
                break
            }
            k -= 1
        }
        guard end >= 0 else { return nil }
        let count = u16(b, end + 10)
        let size = u32(b, end + 12)
        let offset = u32(b, end + 16)
        guard offset >= 0, size >= 0, offset + size <= end, count <= 100_000 else { return nil }
        var out: [Entry] = []
        var at = offset
        for _ in 0..<count {
            guard at + 46 <= end, b[at] == 0x50, b[at + 1] == 0x4B, b[at + 2] == 0x01, b[at + 3] == 0x02 else { return nil }
            let method = UInt16(u16(b, at + 10))
            let crc = UInt32(u32(b, at + 16))
            let compressed = u32(b, at + 20)
            let nameLength = u16(b, at + 28), extraLength = u16(b, at + 30), commentLength = u16(b, at + 32)
            let local = u32(b, at + 42)
            let flags = u16(b, at + 8)
            guard at + 46 + nameLength <= end, local + 30 <= offset else { return nil }
            let name = String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            out.append(Entry(name: name, method: method, compressedSize: compressed, crc: crc, localHeader: local, encrypted: flags & 1 != 0))
            at += 46 + nameLength + extraLength + commentLength
        }
        return out
    }

    // MARK: reading a part

    /// A part's bytes, or nil when the zip has no such part.
    public mutating func read(_ name: String) throws(Diagnostic) -> [UInt8]? {
        guard let k = position(name) else { return nil }
        let e = entries[k]
        if e.encrypted {
            throw .data(
                "this zip file is protected with a password: its part \(e.name) is encrypted", DataLocation(path: path),
                hints: ["unzip it with its password and load the folder, or ask for the file again without a password"])
        }
        let damaged = Diagnostic.data("this zip file is damaged: its part \(name) cannot be read", DataLocation(path: path))
        let b = bytes
        let h = e.localHeader
        guard h + 30 <= b.count, b[h] == 0x50, b[h + 1] == 0x4B, b[h + 2] == 0x03, b[h + 3] == 0x04 else { throw damaged }
        let start = h + 30 + Self.u16(b, h + 26) + Self.u16(b, h + 28)
        guard start <= b.count, e.compressedSize <= b.count - start else { throw damaged }
        let allowed = maxTotalBytes - total
        var out: [UInt8]
        switch e.method {
        case 0:
            guard e.compressedSize <= allowed else { throw tooBig("its parts inflate to more than \(maxTotalBytes >> 20) MiB") }
            out = Array(b[start..<(start + e.compressedSize)])
        case 8:
            out = try inflate(b, start, e.compressedSize, allowed: allowed, name: name)
        default:
            throw .data("this zip file packs its part \(name) in a way roster does not read (method \(e.method))", DataLocation(path: path))
        }
        let crc = out.withUnsafeBufferPointer { p in UInt32(crc32(0, p.baseAddress, UInt32(p.count))) }
        guard crc == e.crc else { throw damaged }
        total += out.count
        return out
    }

    func tooBig(_ why: String) -> Diagnostic { .data("refused: \(why)", DataLocation(path: path)) }

    /// Raw deflate through zlib, stopping as soon as the output passes the total or the ratio limit.
    func inflate(_ b: [UInt8], _ start: Int, _ size: Int, allowed: Int, name: String) throws(Diagnostic) -> [UInt8] {
        var stream = z_stream()
        guard roster_inflate_init(&stream) == Z_OK else { throw .data("zlib could not start inflating \(name)", DataLocation(path: path)) }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(max(size * 4, 1 << 16), 64 << 20))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        let compressed = max(size, 1)
        var status: Int32 = Z_OK
        var problem: Diagnostic?
        b.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
            stream.avail_in = UInt32(size)
            chunk.withUnsafeMutableBufferPointer { c in
                repeat {
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    if status != Z_OK && status != Z_STREAM_END { return }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: c[0..<(c.count - Int(stream.avail_out))]))
                    if out.count > allowed {
                        problem = tooBig("its parts inflate to more than \(maxTotalBytes >> 20) MiB")
                        return
                    }
                    if out.count > 1 << 20 && out.count / compressed > maxRatio {
                        problem = tooBig("the part \(name) inflates to more than \(maxRatio) times its packed size (a zip bomb)")
                        return
                    }
                } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
        if let problem { throw problem }
        guard status == Z_STREAM_END else { throw .data("this zip file is damaged: its part \(name) cannot be read", DataLocation(path: path)) }
        return out
    }

    // MARK: writing

    /// A zip of these parts, each deflated, with a fixed time stamp so the same parts give the same bytes.
    public static func write(_ parts: [(String, [UInt8])]) throws(Diagnostic) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int, _ into: inout [UInt8]) { le16(v & 0xFFFF, &into); le16(v >> 16 & 0xFFFF, &into) }
        let time = 0, date = (2024 - 1980) << 9 | 1 << 5 | 1  // 1 January 2024, 00:00
        for (name, data) in parts {
            let packed = try deflate(data)
            let crc = data.withUnsafeBufferPointer { p in Int(crc32(0, p.baseAddress, UInt32(p.count))) }
            let nameBytes = Array(name.utf8)
            let offset = out.count
            guard offset < Int(UInt32.max), packed.count < Int(UInt32.max), data.count < Int(UInt32.max) else {
                throw Diagnostic(.io("the workbook is larger than a zip file without ZIP64 holds (4 GiB)"))
            }
            var local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
            le16(20, &local); le16(0x0800, &local); le16(8, &local); le16(time, &local); le16(date, &local)
            le32(crc, &local); le32(packed.count, &local); le32(data.count, &local); le16(nameBytes.count, &local); le16(0, &local)
            out += local + nameBytes + packed
            var entry: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
            le16(20, &entry); le16(20, &entry); le16(0x0800, &entry); le16(8, &entry); le16(time, &entry); le16(date, &entry)
            le32(crc, &entry); le32(packed.count, &entry); le32(data.count, &entry); le16(nameBytes.count, &entry)
            le16(0, &entry); le16(0, &entry); le16(0, &entry); le16(0, &entry); le32(0, &entry); le32(offset, &entry)
            central += entry + nameBytes
        }
        let centralOffset = out.count
        out += central
        var end: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        le16(0, &end); le16(0, &end); le16(parts.count, &end); le16(parts.count, &end)
        le32(central.count, &end); le32(centralOffset, &end); le16(0, &end)
        return out + end
    }

    static func deflate(_ data: [UInt8]) throws(Diagnostic) -> [UInt8] {
        var stream = z_stream()
        guard roster_deflate_init(&stream, 6) == Z_OK else { throw Diagnostic(.io("zlib could not start deflating")) }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 16)
        var status: Int32 = Z_OK
        let written: Int = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress ?? UnsafePointer(o.baseAddress!))
                stream.avail_in = UInt32(input.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                status = CZlib.deflate(&stream, Z_FINISH)
                return o.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw Diagnostic(.io("zlib could not deflate a workbook part")) }
        out.removeLast(out.count - written)
        return out
    }
}
