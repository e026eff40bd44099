import RosterDiagnostics

/// Reads a web page holding one table — what many "Export to Excel" buttons save, often under an
/// `.xls` or `.xlsx` name — as Excel opens it: each `<tr>` a row, each `<td>`/`<th>` a cell, its text
/// with tags left out, runs of white space as one space, `<br>` a line break, a cell holding only
/// `&nbsp;` empty (web pages write empty cells so), a cell spanning
/// columns or rows (`colspan`, `rowspan`) kept in its first cell and named like a merged cell. A page
/// with several tables, or tables inside tables, has no one table to read, and is refused with how
/// to save it properly. Bytes that are not UTF-8 are read as Windows-1252.
enum HTMLTableReader {
    /// Whether the file's first bytes (after a BOM and white space) start a web page or a table.
    static func looksLikeHTML(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = firstTag(head)
        let lowered = head[start..<min(head.count, start + 64)].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        return ["<!doctype html", "<html", "<table", "<head", "<body", "<meta"].contains { lowered.starts(with: Array($0.utf8)) }
    }

    /// Where the first non-space byte after a UTF-8 BOM is.
    static func firstTag(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var k = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while k < b.count, XMLScanner.isSpace(b[k]) { k += 1 }
        return k
    }

    static let refusedHint = "open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8 (Comma delimited), then load that file"

    static func read(_ raw: UnsafeBufferPointer<UInt8>, path: String) throws(Diagnostic) -> CSVReadResult {
        let at = DataLocation(path: path)
        var notes: [Diagnostic] = []
        let decoded: [UInt8]? =
            TextEncoding.checkCharacters(raw.baseAddress ?? UnsafePointer(bitPattern: 1)!, from: 0, to: raw.count, limit: raw.count) == raw.count
            ? nil : TextEncoding.decodeWindows1252(raw)
        if decoded != nil { notes.append(.note("the web page is not UTF-8: read as Windows-1252", data: at)) }
        notes.insert(.note("this file is a web page (HTML) holding a table, as \"Export to Excel\" buttons save: read its table", data: at), at: 0)
        let bytes = decoded ?? Array(raw)
        var grid = SheetGrid(path: path, sheet: "the web page")
        var tables = 0, depth = 0
        var row = 0, column = 0
        var cell: [UInt8]?
        var cellAt = (row: 0, column: 0)
        /// Columns a `rowspan` keeps taken, by row.
        var taken: [Int: Set<Int>] = [:]
        var takenCount = 0
        var pendingSpace = false

        func finishCell() throws(Diagnostic) {
            guard var text = cell else { return }
            cell = nil
            while let last = text.last, last == 0x20 { text.removeLast() }
            // `<td>&nbsp;</td>` is how web pages write an empty cell.
            if text.allSatisfy({ $0 == 0x20 || $0 == 0xC2 || $0 == 0xA0 }) { text.removeAll() }
            try grid.add(row: cellAt.row, column: cellAt.column, text)
        }

        try bytes.withUnsafeBufferPointer { (b) throws(Diagnostic) in
            var i = 0
            while i < b.count {
                let c = b[i]
                if c != 0x3C {
                    if cell != nil {
                        if XMLScanner.isSpace(c) {
                            pendingSpace = true
                        } else {
                            if pendingSpace, let text = cell, !text.isEmpty, text.last != 0x0A { cell!.append(0x20) }
                            pendingSpace = false
                            i = appendCharacter(b, at: i, to: &cell!)
                            continue
                        }
                    }
                    i += 1
                    continue
                }
                // A comment, a declaration or a tag.
                if i + 3 < b.count, b[i + 1] == 0x21, b[i + 2] == 0x2D, b[i + 3] == 0x2D {
                    i = find(b, Array("-->".utf8), from: i + 4).map { $0 + 3 } ?? b.count
                    continue
                }
                guard let tag = Tag(b, at: i) else {
                    i += 1
                    continue
                }
                i = tag.end
                switch (tag.name, tag.closing) {
                case ("script", false), ("style", false):
                    i = find(b, Array("</\(tag.name)".utf8), from: i, ignoringCase: true) ?? b.count
                case ("table", false):
                    depth += 1
                    tables += 1
                    if depth > 1 {
                        throw .data("this file is a web page whose table holds other tables, so it has no one table to read", at, hints: [refusedHint])
                    }
                    if tables > 1 {
                        throw .data("this file is a web page holding several tables, so it is not known which to read", at, hints: [refusedHint])
                    }
                case ("table", true):
                    try finishCell()
                    depth = max(0, depth - 1)
                case ("tr", false):
                    try finishCell()
                    row += 1
                    column = 0
                case ("tr", true):
                    try finishCell()
                case ("td", false), ("th", false):
                    guard depth == 1 else { break }
                    try finishCell()
                    if row == 0 { row = 1 }
                    while taken[row]?.contains(column) == true { column += 1 }
                    cellAt = (row, column)
                    cell = []
                    pendingSpace = false
                    let across = min(max(tag.number("colspan", in: b) ?? 1, 1), 1_000)
                    let down = min(max(tag.number("rowspan", in: b) ?? 1, 1), 65_534)
                    if across > 1 || down > 1 {
                        let last = WorkbookReader.cellName(column + across - 1, row + down - 1)
                        grid.found.merged.add(WorkbookReader.cellName(column, row) + ":" + last)
                        takenCount += across * (down - 1)
                        guard takenCount <= max(1 << 20, b.count) else {
                            throw .data("the web page's table spans far more cells than it holds: refused as a table", at, hints: [refusedHint])
                        }
                        for r in (row + 1)..<(row + down) { taken[r, default: []].formUnion(column..<(column + across)) }
                    }
                    column += across
                case ("td", true), ("th", true):
                    try finishCell()
                case ("br", _):
                    if cell != nil {
                        cell!.append(0x0A)
                        pendingSpace = false
                    }
                default:
                    break
                }
            }
        }
        try finishCell()
        guard tables > 0 || !grid.cells.isEmpty else {
            throw .data("this file is a web page (HTML) with no table in it, not a spreadsheet", at, hints: [refusedHint])
        }
        return try grid.table(bytes: bytes.count, notes: notes)
    }

    /// Appends the character or character reference at `i` (`&amp;`, `&nbsp;`, `&#233;`) to `out`;
    /// returns the index after it.
    static func appendCharacter(_ b: UnsafeBufferPointer<UInt8>, at i: Int, to out: inout [UInt8]) -> Int {
        guard b[i] == 0x26, let semi = (i + 1..<min(b.count, i + 12)).first(where: { b[$0] == 0x3B }) else {
            out.append(b[i])
            return i + 1
        }
        let name = String(decoding: b[(i + 1)..<semi], as: UTF8.self)
        var scalar: Unicode.Scalar?
        switch name {
        case "amp": scalar = "&"
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        case "nbsp": scalar = "\u{A0}"
        default:
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
            }
        }
        guard let scalar, scalar.value != 0 else {
            out.append(b[i])
            return i + 1
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
        return semi + 1
    }

    static func find(_ b: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], from: Int, ignoringCase: Bool = false) -> Int? {
        guard !needle.isEmpty, from <= b.count - needle.count else { return nil }
        var k = from
        while k <= b.count - needle.count {
            var same = true
            for (n, c) in needle.enumerated() {
                let x = b[k + n]
                if x != c && !(ignoringCase && x >= 0x41 && x <= 0x5A && x + 32 == c) {
                    same = false
                    break
                }
            }
            if same { return k }
            k += 1
        }
        return nil
    }

    /// An HTML tag: its name in lower case, whether it closes, its attributes' bytes and its end.
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: Range<Int>
        var end: Int

        init?(_ b: UnsafeBufferPointer<UInt8>, at i: Int) {
            var k = i + 1
            closing = k < b.count && b[k] == 0x2F
            if closing { k += 1 }
            let nameStart = k
            while k < b.count, (b[k] | 0x20 >= 0x61 && b[k] | 0x20 <= 0x7A) || (b[k] >= 0x30 && b[k] <= 0x39) { k += 1 }
            guard k > nameStart else { return nil }
            name = String(decoding: b[nameStart..<k].map { $0 | 0x20 }, as: UTF8.self)
            let attributesStart = k
            var quote: UInt8 = 0
            while k < b.count {
                let c = b[k]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == 0x22 || c == 0x27 {
                    quote = c
                } else if c == 0x3E {
                    break
                }
                k += 1
            }
            attributes = attributesStart..<min(k, b.count)
            end = min(k + 1, b.count)
        }

        /// A whole-number attribute (`colspan="2"`, `rowspan=3`).
        func number(_ attribute: String, in b: UnsafeBufferPointer<UInt8>) -> Int? {
            let text = Array(b[attributes].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 })
            let key = Array((attribute + "=").utf8)
            guard let k = (0..<max(0, text.count - key.count + 1)).first(where: { text[$0..<($0 + key.count)].elementsEqual(key) }) else { return nil }
            let digits = text[(k + key.count)...].drop { $0 == 0x22 || $0 == 0x27 || $0 == 0x20 }.prefix { $0 >= 0x30 && $0 <= 0x39 }.prefix(6)
            return Int(String(decoding: digits, as: UTF8.self))
        }
    }
}
