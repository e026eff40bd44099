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
                // A macro-enabled workbook (.xlsm) is read like any other; its macros are never run.
                return try WorkbookReader.read(zip, path: path, options: WorkbookReadOptions(sheet: options.sheet))
            }
            if options.sheet != nil { throw .data("sheet= is for Excel workbooks; this is a zip file", at) }
            if let root = packageRoot(zip.names) {
                return try OneRosterPackage.read(path: path, orgs: options.oneRosterOrgs) { (name) throws(Diagnostic) in try zip.read(root + name) }
            }
            throw .data("this zip file is neither an Excel workbook nor a OneRoster package (it has no users.csv)", at)
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            if containsUTF16(file.bytes, "EncryptedPackage") {
                throw .data(
                    "this workbook is protected with a password, so its contents are encrypted", at,
                    hints: ["open it in Excel and save it without a password (File › Info › Protect Workbook), or save it as CSV UTF-8"])
            }
            throw .data(
                "this is an old Excel workbook (.xls), which roster does not read", at, hints: ["in Excel save it as .xlsx or CSV UTF-8 (Comma delimited)"])
        }
        if options.sheet != nil { throw .data("sheet= is for Excel workbooks; this file is not one", at) }
        var options = options
        if file.canGiveBack { options.givingBack = file }
        return try file.withBuffer { (b) throws(Diagnostic) in try CSVReader.read(buffer: b, path: path, options: options) }
    }

    /// A OneRoster package from a folder of its CSV files.
    public static func readFolder(_ path: String, options: CSVReadOptions) throws(Diagnostic) -> CSVReadResult {
        try OneRosterPackage.read(path: path, orgs: options.oneRosterOrgs) { (name) throws(Diagnostic) -> [UInt8]? in
            let file = path + "/" + name
            guard SystemCall.status(file)?.isRegular == true else { return nil }
            return try Files.readAll(file, limit: options.maxBytes)
        }
    }

    /// The folder inside a zip that holds users.csv (packages are zipped with or without a folder).
    static func packageRoot(_ names: [String]) -> String? {
        guard let users = names.first(where: { $0 == "users.csv" || $0.hasSuffix("/users.csv") }) else { return nil }
        return String(users.dropLast("users.csv".count))
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
