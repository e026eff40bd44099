import RosterDiagnostics

/// Tells what a data file is from its first bytes and reads it: CSV, an Excel workbook, a OneRoster
/// package (a zip of CSV files), or says what it is when roster cannot read it (an old .xls, a
/// password-protected workbook, a binary workbook).
public enum DataFileReader {
    public static func read(_ file: FileBytes, path: String, options: CSVReadOptions) throws(Diagnostic) -> CSVReadResult {
        // A file cut short while it was read is reported as that, not as what its missing part made of it.
        do {
            let result = try readUnchecked(file, path: path, options: options)
            try file.checkUnchanged()
            return result
        } catch {
            try file.checkUnchanged()
            throw error
        }
    }

    static func readUnchecked(_ file: FileBytes, path: String, options: CSVReadOptions) throws(Diagnostic) -> CSVReadResult {
        // The first bytes tell the kind; only a zip or an old workbook is copied out whole.
        let head = try file.withBuffer { Array($0.prefix(8)) }
        let at = DataLocation(path: path)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            var zip = try ZipContainer(bytes: file.bytes, path: path)
            zip.maxTotalBytes = options.maxBytes
            if zip.contains("xl/workbook.xml") || zip.contains("xl/workbook.bin") {
                if options.oneRosterPackage != nil { throw .data("package= is for a zip of OneRoster packages; this is an Excel workbook", at) }
                // A macro-enabled workbook (.xlsm) is read like any other; its macros are never run.
                var workbook = WorkbookReadOptions(sheet: options.sheet)
                workbook.maxBytes = options.maxBytes
                return try WorkbookReader.read(zip, path: path, options: workbook)
            }
            if options.sheet != nil { throw .data("sheet= is for Excel workbooks; this is a zip file", at) }
            if let root = try packageRoot(zip.names, chosen: options.oneRosterPackage, at: at) {
                return try OneRosterPackage.read(path: path, folder: root, orgs: options.oneRosterOrgs) { (name) throws(Diagnostic) in
                    try zip.read(root + name)
                }
            }
            throw .data("this zip file is neither an Excel workbook nor a OneRoster package (it has no users.csv)", at)
        }
        if options.oneRosterPackage != nil { throw .data("package= is for a zip of OneRoster packages; this file is not one", at) }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            if containsUTF16(file.bytes, "EncryptedPackage") {
                throw .data(
                    "this workbook is encrypted: it has a password to open it, or Excel encrypted it with its own built-in key (as it does for a workbook saved read-only or with protected sheets); roster cannot tell which without decrypting it",
                    at,
                    hints: [
                        "if it opens in Excel without asking for a password, the built-in key is the reason: save a copy with File › Save As › Excel Workbook after removing protection (Review › Unprotect Sheet / Protect Workbook), or save it as CSV UTF-8",
                        "if Excel asks for a password, open it with the password and save it without one (File › Info › Protect Workbook › Encrypt with Password, clear it)",
                    ])
            }
            throw .data(
                "this is an old Excel workbook (.xls), which roster does not read", at, hints: ["in Excel save it as .xlsx or CSV UTF-8 (Comma delimited)"])
        }
        let markup = try file.withBuffer { (b) -> Int in
            let head = UnsafeBufferPointer(rebasing: b.prefix(4_096))
            return SpreadsheetMLReader.looksLikeSpreadsheetML(head) ? 1 : HTMLTableReader.looksLikeHTML(head) ? 2 : 0
        }
        if markup == 1 {
            return try file.withBuffer { (b) throws(Diagnostic) in try SpreadsheetMLReader.read(b, path: path, sheet: options.sheet) }
        }
        if options.sheet != nil { throw .data("sheet= is for Excel workbooks; this file is not one", at) }
        if markup == 2 {
            guard file.count <= options.maxBytes else { throw .data("refused: the web page is larger than \(options.maxBytes >> 20) MiB", at) }
            return try file.withBuffer { (b) throws(Diagnostic) in try HTMLTableReader.read(b, path: path) }
        }
        var options = options
        if file.canGiveBack { options.givingBack = file }
        return try file.withBuffer { (b) throws(Diagnostic) in try CSVReader.read(buffer: b, path: path, options: options) }
    }

    /// A OneRoster package from a folder of its CSV files.
    public static func readFolder(_ path: String, options: CSVReadOptions) throws(Diagnostic) -> CSVReadResult {
        if options.oneRosterPackage != nil {
            throw .data("package= is for a zip holding several OneRoster packages; load the package's own folder", DataLocation(path: path))
        }
        return try OneRosterPackage.read(path: path, orgs: options.oneRosterOrgs) { (name) throws(Diagnostic) -> [UInt8]? in
            let file = path + "/" + name
            guard SystemCall.status(file)?.isRegular == true else { return nil }
            return try Files.readAll(file, limit: options.maxBytes)
        }
    }

    /// The folder inside a zip that holds users.csv (packages are zipped with or without a folder),
    /// nil when none does. A zip holding several packages (`old/`, `new/`) is refused unless
    /// `chosen` names one: read from the first folder, it would be read without a word of which.
    static func packageRoot(_ names: [String], chosen: String?, at: DataLocation) throws(Diagnostic) -> String? {
        let roots = names.filter { $0.lowercased() == "users.csv" || $0.lowercased().hasSuffix("/users.csv") }.map { String($0.dropLast("users.csv".count)) }
        func shown(_ root: String) -> String { root.isEmpty ? "the zip's top level" : root }
        if let chosen {
            var folder = chosen
            while folder.hasPrefix("/") { folder.removeFirst() }
            while folder.hasSuffix("/") { folder.removeLast() }
            let root = folder.isEmpty ? "" : folder + "/"
            guard roots.contains(root) else {
                throw .data(
                    "this zip file has no OneRoster package in folder '\(chosen)'", at,
                    hints: [roots.isEmpty ? "it holds no users.csv" : "its packages: " + roots.map(shown).joined(separator: ", ")])
            }
            return root
        }
        guard roots.count > 1 else { return roots.first }
        throw .data(
            "this zip file holds \(roots.count) OneRoster packages: \(roots.map(shown).joined(separator: ", ")); roster reads one at a time", at,
            hints: ["say which: " + roots.map { "load … package=\"\($0.isEmpty ? "/" : String($0.dropLast()))\"" }.joined(separator: " or ")])
    }

    static func containsUTF16(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle: [UInt8] = text.utf8.flatMap { (c: UInt8) -> [UInt8] in [c, 0] }
        guard bytes.count >= needle.count else { return false }
        let limit = min(bytes.count, 1 << 20) - needle.count
        guard limit >= 0 else { return false }
        var i = 0
        while i <= limit {
            if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}
