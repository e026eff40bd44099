import RosterDiagnostics

/// Where a workbook's parts are, found as Excel finds them rather than by the names Excel happens to
/// write: the package's relationships (`_rels/.rels`) name the workbook part (else
/// `[Content_Types].xml` does, else `xl/workbook.xml`), and the workbook's own relationships name its
/// sheets, shared strings and styles. Targets are resolved against the workbook's folder (`../`, a
/// leading `/`), and looked up in the zip ignoring case, since part names are case-insensitive in an
/// Office package (calamine's `issue_419.xlsx` stores `xl/SharedStrings.xml`).
struct WorkbookParts {
    /// The workbook part (`xl/workbook.xml`).
    var workbook: String
    /// The workbook's relationships by id, each target resolved to a part name.
    var targets: [String: String] = [:]
    var sharedStrings: String?
    var styles: String?

    /// The workbook's parts; nil when the zip holds no workbook part.
    static func find(_ zip: inout ZipContainer, path: String) throws(Diagnostic) -> WorkbookParts? {
        guard let workbook = try workbookPart(&zip, path: path) else { return nil }
        var parts = WorkbookParts(workbook: workbook)
        let folder = Self.folder(of: workbook)
        let rels = folder + "_rels/" + String(workbook.dropFirst(folder.count)) + ".rels"
        for r in try relationships(&zip, rels, path: path) {
            guard let target = resolve(r.target, from: folder) else { continue }
            parts.targets[r.id] = target
            switch r.type {
            case "sharedStrings": parts.sharedStrings = parts.sharedStrings ?? target
            case "styles": parts.styles = parts.styles ?? target
            default: break
            }
        }
        // A package without relationships for them keeps them where Excel writes them.
        if parts.sharedStrings == nil, zip.contains(folder + "sharedStrings.xml") { parts.sharedStrings = folder + "sharedStrings.xml" }
        if parts.styles == nil, zip.contains(folder + "styles.xml") { parts.styles = folder + "styles.xml" }
        return parts
    }

    /// The part the package's relationships call its office document, or the content types' workbook.
    static func workbookPart(_ zip: inout ZipContainer, path: String) throws(Diagnostic) -> String? {
        for r in try relationships(&zip, "_rels/.rels", path: path) where r.type == "officeDocument" {
            if let target = resolve(r.target, from: ""), zip.contains(target) { return zip.storedName(target) }
        }
        if let types = try zip.read("[Content_Types].xml") {
            var found: String?
            try WorkbookReader.scan(types, path: path, part: "[Content_Types].xml") { x throws(XMLScanner.Failure) in
                while found == nil, let t = try x.nextTag() {
                    guard !t.closing, x.equals(t.name, "Override"), let type = x.attribute("ContentType", in: t.attributes),
                        let name = x.attribute("PartName", in: t.attributes)
                    else { continue }
                    let contentType = x.string(type)
                    if contentType.hasSuffix(".main+xml"), contentType.contains("spreadsheetml") || contentType.contains("ms-excel.sheet") {
                        found = resolve(x.string(name), from: "")
                    }
                }
            }
            if let found, zip.contains(found) { return zip.storedName(found) }
        }
        return zip.storedName("xl/workbook.xml")
    }

    /// A relationships part's entries: id, the last word of the type, and the target as written.
    /// External targets (links to other files) are left out.
    static func relationships(_ zip: inout ZipContainer, _ part: String, path: String) throws(Diagnostic) -> [(id: String, type: String, target: String)] {
        guard let bytes = try zip.read(part) else { return [] }
        var out: [(id: String, type: String, target: String)] = []
        try WorkbookReader.scan(bytes, path: path, part: part) { x throws(XMLScanner.Failure) in
            while let t = try x.nextTag() {
                guard !t.closing, x.equals(t.name, "Relationship"), let target = x.attribute("Target", in: t.attributes) else { continue }
                if let mode = x.attribute("TargetMode", in: t.attributes), x.string(mode) == "External" { continue }
                let id = x.attribute("Id", in: t.attributes).map { x.string($0) } ?? ""
                let type = x.attribute("Type", in: t.attributes).map { x.string($0) } ?? ""
                out.append((id, String(type.split(separator: "/").last ?? ""), x.string(target)))
            }
        }
        return out
    }

    /// The folder of a part name, with its final `/` (`xl/` for `xl/workbook.xml`).
    static func folder(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// A relationship's target as a part name: absolute when it starts with `/`, else relative to
    /// `folder`; `.` and `..` steps resolved. Nil for a target outside the package.
    static func resolve(_ target: String, from folder: String) -> String? {
        let whole = target.hasPrefix("/") ? String(target.dropFirst()) : folder + target
        var steps: [Substring] = []
        for step in whole.split(separator: "/", omittingEmptySubsequences: true) {
            if step == "." { continue }
            if step == ".." {
                guard !steps.isEmpty else { return nil }
                steps.removeLast()
            } else {
                steps.append(step)
            }
        }
        return steps.isEmpty ? nil : steps.joined(separator: "/")
    }
}
