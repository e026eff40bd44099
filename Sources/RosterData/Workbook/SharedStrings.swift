import RosterDiagnostics

/// A workbook's shared strings (`xl/sharedStrings.xml`): each `<si>`'s text runs joined, phonetic
/// runs left out. Cells refer to them by index; the sheet reader copies a string only when it builds
/// the column that shows it, and counts its bytes once for every cell that does.
struct SharedStrings {
    var text = TextColumn()
    /// The strings that held a NUL character (`&#0;`, `_x0000_`), which was dropped: a NUL is not
    /// text, and a file holding one is refused as binary when read back.
    var withNul: Set<Int> = []

    var count: Int { text.count }

    /// The strings of `part`; none when the workbook has no shared strings part (a cell that refers
    /// to one is then refused by the sheet reader, never read as blank).
    static func read(_ zip: inout ZipContainer, part: String?, path: String) throws(Diagnostic) -> SharedStrings {
        guard let part, let bytes = try zip.read(part) else { return SharedStrings() }
        return try WorkbookReader.scan(bytes, path: path, part: part) { x throws(XMLScanner.Failure) -> SharedStrings in
            var out = TextColumnBuilder(expectedCells: 1024, expectedBytes: bytes.count / 2)
            var withNul: Set<Int> = []
            var inItem = false, inPhonetic = false
            var cell: [UInt8] = []
            while let t = try x.nextTag() {
                if x.equals(t.name, "si") {
                    if t.closing {
                        if SheetText.dropNul(&cell, from: 0) { withNul.insert(out.ends.count) }
                        out.append(cell)
                        inItem = false
                    } else if t.selfClosing {
                        out.append([UInt8]())
                    } else {
                        inItem = true
                        cell.removeAll(keepingCapacity: true)
                    }
                } else if x.equals(t.name, "rPh") {
                    inPhonetic = !t.closing && !t.selfClosing
                } else if inItem, !inPhonetic, x.equals(t.name, "t"), !t.closing, !t.selfClosing {
                    try x.appendText(to: &cell, excelEscapes: true)
                }
            }
            return SharedStrings(text: out.finish(), withNul: withNul)
        }
    }
}
