/// A table as JSON for other programs: an array with one object a row, its keys the column names in
/// the table's order, every value a string (cells are text: `00050000` stays `"00050000"`).
public enum JSONTableWriter {
    public static func encode(_ table: Table) -> [UInt8] {
        let keys = table.columns.map { Array(JSONText.string($0.name).utf8) + Array(": ".utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(table.columns.reduce(64) { $0 + $1.cells.bytes.count + table.rowCount * 8 })
        out.append(UInt8(ascii: "["))
        for r in 0..<table.rowCount {
            out.append(contentsOf: r == 0 ? Array("\n  {".utf8) : Array(",\n  {".utf8))
            for (j, column) in table.columns.enumerated() {
                if j > 0 { out.append(contentsOf: Array(", ".utf8)) }
                out.append(contentsOf: keys[j])
                appendString(column.cells.withCell(r) { Array($0) }, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: table.rowCount == 0 ? Array("]\n".utf8) : Array("\n]\n".utf8))
        return out
    }

    /// A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped.
    static func appendString(_ bytes: [UInt8], to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case ..<0x20: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
