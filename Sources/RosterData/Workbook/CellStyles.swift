import RosterDiagnostics

/// What a cell style (`s` attribute) does to a number: nothing (General), a number format compiled
/// once for all the cells that use it, or nothing because its format is longer than the reader
/// allows — such a cell keeps its value as General, and the load says so.
enum CellStyle {
    case general
    case format(NumberFormat)
    /// A format code of `length` bytes, more than `WorkbookReadOptions.maxFormatLength`.
    case tooLong(id: Int, length: Int)

    /// The number format of each cell style (`cellXfs`), from built-in ids and the workbook's own.
    /// A code is compiled once per id, however many styles and cells use it.
    static func read(_ zip: inout ZipContainer, part: String?, path: String, maxFormatLength: Int) throws(Diagnostic) -> [CellStyle] {
        guard let part, let bytes = try zip.read(part) else { return [] }
        return try WorkbookReader.scan(bytes, path: path, part: part) { x throws(XMLScanner.Failure) -> [CellStyle] in
            var custom: [Int: Range<Int>] = [:]
            var out: [CellStyle] = []
            var inCellXfs = false
            var compiled: [Int: CellStyle] = [:]
            while let t = try x.nextTag() {
                if x.equals(t.name, "numFmt"), !t.closing, let id = x.int(x.attribute("numFmtId", in: t.attributes)),
                    let code = x.attribute("formatCode", in: t.attributes)
                {
                    custom[id] = code
                    compiled[id] = nil
                } else if x.equals(t.name, "cellXfs") {
                    inCellXfs = !t.closing && !t.selfClosing
                } else if inCellXfs, x.equals(t.name, "xf"), !t.closing {
                    let id = x.int(x.attribute("numFmtId", in: t.attributes)) ?? 0
                    if let style = compiled[id] {
                        out.append(style)
                        continue
                    }
                    let style: CellStyle
                    if id == 0 {
                        style = .general
                    } else if let raw = custom[id], raw.count > maxFormatLength {
                        // Measured before it is unescaped or compiled: a long code costs nothing.
                        style = .tooLong(id: id, length: raw.count)
                    } else {
                        let f = NumberFormat(custom[id].map { x.string($0) } ?? NumberFormat.builtIn[id] ?? "General")
                        style = f.code.lowercased() == "general" ? .general : .format(f)
                    }
                    compiled[id] = style
                    out.append(style)
                }
            }
            return out
        }
    }
}
