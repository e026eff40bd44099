import RosterData
import RosterDiagnostics

/// Builds whole workbooks and packages from fuzz input, so the fuzzer mutates what is inside the
/// parts — the XML of a sheet, its shared strings and styles, a OneRoster CSV file — and not the zip
/// framing: mutated raw zips almost all fail the CRC check before any part is read. The input is the
/// parts one after another, each ended by a NUL byte (which no XML or CSV part needs); the zip is made
/// with correct sizes and CRCs by roster's own writer.
enum FuzzPackages {
    /// The input cut at NUL bytes; at most `limit` parts, the last taking the rest.
    static func parts(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0 && out.count < limit - 1 {
            out.append(Array(bytes[start..<i]))
            start = i + 1
        }
        out.append(Array(bytes[start...]))
        return out
    }

    /// A workbook of one sheet whose parts are, in order: the sheet's XML, the shared strings, the
    /// styles, and (optional) the workbook part itself. A missing or empty part is left out of the zip.
    static func workbook(_ parts: [[UInt8]]) -> [UInt8]? {
        func part(_ i: Int) -> [UInt8]? { i < parts.count && !parts[i].isEmpty ? parts[i] : nil }
        var files: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(rootRelationships.utf8)),
            ("xl/workbook.xml", part(3) ?? Array(workbookXML.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRelationships.utf8)),
            ("xl/worksheets/sheet1.xml", part(0) ?? []),
        ]
        if let strings = part(1) { files.append(("xl/sharedStrings.xml", strings)) }
        if let styles = part(2) { files.append(("xl/styles.xml", styles)) }
        return try? ZipContainer.write(files)
    }

    /// A zip of named entries: each part's first line is the entry's name, the rest its bytes.
    static func zip(_ parts: [[UInt8]]) -> [UInt8]? {
        var files: [(String, [UInt8])] = []
        var seen: Set<String> = []
        for p in parts {
            let cut = p.firstIndex(of: 0x0A) ?? p.endIndex
            let name = String(decoding: p[..<cut], as: UTF8.self)
            // The writer is roster's own and trusted; a name it would never write twice is kept once,
            // since a zip naming an entry twice is refused before any part is read.
            guard !name.isEmpty, seen.insert(name).inserted else { continue }
            files.append((name, cut < p.endIndex ? Array(p[(cut + 1)...]) : []))
        }
        return try? ZipContainer.write(files)
    }

    /// The files of a OneRoster package, in the order the input gives them; an empty part is a file
    /// the package does not have.
    static let oneRosterFiles = ["manifest.csv", "users.csv", "orgs.csv", "roles.csv", "demographics.csv"]

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        </Types>
        """
    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    static let workbookXML = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """
}
