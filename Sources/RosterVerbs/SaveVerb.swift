import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal

/// `save PATH [as FORMAT] [chunk N] [encoding=…] [newline=…] [bom=…] [formulas=…]` — write the table
/// and pass it on. A plain save keeps the source file's encoding, BOM and line endings. The file is
/// written beside its target and renamed into place, so it is never half-written; a file this context
/// loaded is never overwritten.
struct SaveVerb: VerbStep {
    let path: Expr
    let format: String?
    let chunk: Int?
    let options: [Option<SaveOption>]
    let range: SourceRange

    static let descriptor = VerbDescriptor(
        name: "save", syntax: "save PATH [as FORMAT] [chunk N] [OPTION=VALUE ...]",
        summary:
            "write the table as CSV, or as an .xlsx workbook of text cells (a review workbook when it has Notes or Plan), all or nothing, never over a file this session loaded; chunk N writes files of at most N rows; options encoding, newline, bom, formulas, sheet, passwords",
        example: "upload | save \"out/upload.csv\""
    ) { (p: inout ScriptParser, r: SourceRange) throws(Diagnostic) -> any VerbStep in
        let path = try p.expression(minPrecedence: Parser.Precedence.concat)
        var format: String?
        if p.acceptKeyword("as") { format = try p.formatName() }
        var chunk: Int?
        if p.acceptKeyword("chunk") {
            guard let (n, nr) = try p.optionalCount() else { throw p.unexpected("the number of rows per file after chunk") }
            if n < 1 { throw Diagnostic.syntax("chunk needs at least 1 row per file", at: nr) }
            chunk = n
        }
        let options = try p.options(SaveOption.self)
        return SaveVerb(path: path, format: format, chunk: chunk, options: options, range: r.through(p.previousRange))
    }

    func run(_ input: Table, _ context: any VerbContext) throws(Diagnostic) -> Table {
        guard let raw = try context.evaluateValue(path).asText, !raw.isEmpty else {
            throw Diagnostic.runtime("save needs a file name", at: path.range)
        }
        var table = input
        var dialect = input.origin?.dialect ?? CSVDialect()
        var rowsPerFile = chunk
        var withheld: Table?
        let kind = try SavedKind(raw, portal: format.flatMap { $0 == "csv" ? nil : $0 }, at: path.range)
        if let name = format, name != "csv" {
            let f = try context.format(named: name, at: range)
            let split = try gate(input, f, context)
            withheld = split.withheld
            table = try Self.shaped(split.upload, as: f, context: context, at: range)
            dialect = CSVDialect(
                delimiter: UInt8(ascii: ","), lineEnding: f.lineEnding, encoding: f.encoding,
                byteOrderMark: f.byteOrderMark, finalLineBreak: true)
            if let n = chunk, let limit = f.maxRows, n > limit {
                throw Diagnostic.runtime(
                    "chunk \(n) is above what \(f.name) takes: at most \(plural(limit, "row")) a file", at: range,
                    hints: ["write chunk \(limit), or leave chunk out: a save as \(f.name) splits at \(limit) by itself"])
            }
            if let (ending, message) = f.fileExtension, raw != "-", !raw.lowercased().hasSuffix(ending.lowercased()) {
                throw Diagnostic.runtime(
                    "\(f.name) takes only \(ending) files: \"\(message)\"", at: path.range,
                    hints: ["save it as \"\(Self.split(raw).0)\(ending)\""])
            }
            if rowsPerFile == nil, let limit = f.maxRows, table.rowCount > limit {
                rowsPerFile = limit
                context.note(
                    "save as \(f.name): \(f.name) takes at most \(plural(limit, "row")) a file, so \(plural(table.rowCount, "row")) go into numbered files",
                    at: range)
            }
        }
        var settings = SaveSettings(dialect: dialect)
        var given: [(SaveOption, String, SourceRange)] = []
        for o in options { given.append((o.name, try context.evaluateValue(o.value).asText ?? "", o.range)) }
        try SaveOption.apply(given, to: &settings)
        dialect = settings.dialect
        if dialect.encoding == .windows1252, format == nil || format == "csv", !given.contains(where: { $0.0 == .encoding }),
            let (column, problem) = Self.unencodable(table)
        {
            // A report made from a Windows-1252 file may hold what that encoding lacks (a → of a
            // change report): it is written as UTF-8 rather than not at all.
            dialect.encoding = .utf8
            context.note(
                "save: written as UTF-8, not the Windows-1252 of the file it came from: \(column) holds \(problem)", at: range)
        }
        if settings.neutraliseFormulas, let name = format, name != "csv", let o = options.first(where: { $0.name == .formulas }) {
            // A portal file is never altered silently: the portal would store `'=…` as the value.
            throw Diagnostic.runtime(
                "formulas=\"neutralise\" would change cells of a \(name) upload, and a portal file is never altered silently", at: o.range,
                hints: [
                    "save the portal file without it (the formula-like cells are reported), and neutralise only a copy meant for people: save \"for-people.csv\" formulas=\"neutralise\""
                ])
        }
        if kind == .tsv { dialect.delimiter = UInt8(ascii: "\t") }
        let workbook = kind == .workbook
        if kind == .json {
            if settings.sheet != nil || options.contains(where: { $0.name == .passwords }) {
                throw Diagnostic.runtime("sheet= and passwords= are for a saved .xlsx workbook", at: range)
            }
        } else if workbook {
            // Every cell of a saved workbook is text, so a formula-like cell stays inert text.
            maskPasswords(&table, keep: settings.keepPasswords, format: format, context: context)
        } else {
            if settings.sheet != nil || options.contains(where: { $0.name == .passwords }) {
                throw Diagnostic.runtime("sheet= and passwords= are for a saved .xlsx workbook", at: range)
            }
            try guardFormulas(&table, neutralise: settings.neutraliseFormulas, context: context)
        }

        let standard = Self.standardStream(raw)
        if raw == "-" || standard != nil {
            // Standard output (or error): the file's bytes go to the descriptor, for the next program
            // in a pipeline or a log opened for appending — never a file renamed over the one the
            // descriptor points to. Messages stay on standard error.
            let emit: ([UInt8]) -> Void =
                standard == 2 ? { context.output.err(String(decoding: $0, as: UTF8.self)) } : { context.output.outBytes($0) }
            if let withheld {
                context.warn(
                    "save as \(format ?? ""): \(plural(withheld.rowCount, "row")) withheld, and a stream has no file beside it to hold them: "
                        + Self.someRows(withheld, naming: nil), at: range, hints: ["save to a file name to get them in NAME-withheld.csv"])
            }
            if rowsPerFile != nil && (chunk != nil || table.rowCount > (rowsPerFile ?? 0)) {
                throw Diagnostic.runtime(
                    "save \"-\" writes one stream, so it cannot be split into files", at: range,
                    hints: ["save to a file name to get numbered files"])
            }
            if workbook { throw Diagnostic.runtime("save \"-\" writes CSV; a workbook needs a file name", at: range) }
            if context.dryRun {
                _ = try CSVWriter.encodeParts(table, dialect: dialect, path: "<stdout>")
                context.output.err("dry run: would write \(plural(table.rowCount, "row")) to standard output\n")
                return input
            }
            if dialect.encoding == .windows1252 {
                // A character Windows-1252 lacks must stop the save before a byte goes out.
                for part in try CSVWriter.encodeParts(table, dialect: dialect, path: "<stdout>") { emit(part) }
                return input
            }
            var stream = CSVWriter.Stream(table, dialect: dialect, path: "<stdout>")
            while let part = try stream.next() { emit(part) }
            return input
        }
        let target = context.resolve(raw)
        var pieces: [(String, Table)] = []
        // A portal file with no rows is not written: there is nothing to upload, and an earlier run's
        // file (and its numbered parts) is removed, so that it cannot be uploaded again by mistake.
        let nothingToUpload = format != nil && format != "csv" && table.rowCount == 0
        if nothingToUpload {
            rowsPerFile = rowsPerFile ?? 1
            context.note("save as \(format!): nothing to upload, so no \(raw) is written", at: range)
        } else if let n = rowsPerFile, table.rowCount > n {
            let (stem, ext) = Self.split(target)
            var start = 0, k = 1
            while start < table.rowCount {
                let end = min(start + n, table.rowCount)
                pieces.append((stem + "-" + Self.threeDigits(k) + ext, table.gather(Array(start..<end))))
                start = end
                k += 1
            }
        } else {
            pieces = [(target, table)]
        }
        // Check everything before writing anything. A CSV file is encoded as it is written, a block
        // of rows at a time; a character its encoding lacks stops the save before any file is in place.
        var encoded: [(String, Files.Output, Int)] = []
        for (p, t) in pieces {
            try context.checkWritable(p, at: path.range)
            try context.checkReplaceable(p, workbook: workbook, replacing: settings.replace, at: path.range)
            if workbook {
                let f = try (t.formatName == "csv" ? nil : t.formatName).map { (n) throws(Diagnostic) in try context.format(named: n, at: range) }
                try WorkbookWriter.checkFits(t, path: p)
                let sheet = settings.sheet ?? Self.stem(p)
                if WorkbookWriter.sheetName(sheet) != sheet {
                    // Excel's sheet names: at most 31 characters, none of []:*?/\ — a name given is
                    // refused, a name made from the file's is said.
                    if let o = options.first(where: { $0.name == .sheet }) {
                        throw Diagnostic.runtime(
                            "sheet=\"\(sheet)\" is not a name Excel takes (at most 31 characters, none of []:*?/\\)", at: o.range,
                            hints: ["sheet=\"\(WorkbookWriter.sheetName(sheet))\""])
                    }
                    context.note("save: the sheet is named '\(WorkbookWriter.sheetName(sheet))', as Excel's rules for sheet names want", at: range)
                }
                let bytes = try WorkbookWriter.encode(t, sheet: sheet, marks: WorkbookReview.marks(t, format: f, formats: context.formats.formats))
                encoded.append((p, Files.Output(path: p, parts: [bytes]), t.rowCount))
            } else if kind == .json {
                encoded.append((p, Files.Output(path: p, parts: [JSONTableWriter.encode(t)]), t.rowCount))
            } else {
                var stream = CSVWriter.Stream(t, dialect: dialect, path: p)
                encoded.append((p, Files.Output(path: p) { () throws(Diagnostic) -> [UInt8]? in try stream.next() }, t.rowCount))
            }
        }
        // A save that makes numbered files is one set: files an earlier run of it left (more chunks, or
        // the unnumbered file) are removed, so no stale chunk can be uploaded twice. Never a loaded file.
        var stale: [String] = []
        if rowsPerFile != nil {
            for p in Self.staleFiles(of: target, keeping: Set(encoded.map(\.0))) {
                guard context.rosterWrote(p) else {
                    // Only what roster wrote is removed: a file of that name a person made stays.
                    context.warn("\(p) looks like a part of an earlier run of this save, but roster did not write it, so it stays", at: range)
                    continue
                }
                do throws(Diagnostic) {
                    try context.checkWritable(p, at: path.range)
                    stale.append(p)
                } catch {
                    context.report(
                        Diagnostic(
                            .warning("\(p) is left by an earlier run of this save, but this session loaded it, so it stays"),
                            severity: .warning, at: range))
                }
            }
        }
        // The rows kept out of a portal file, beside it for a person; none, and an earlier run's list goes.
        var withheldList: String?
        if format != nil, format != "csv", !workbook {
            let list = Self.withheldPath(target)
            withheldList = list
            if let withheld {
                try context.checkWritable(list, at: path.range)
                try context.checkReplaceable(list, workbook: false, replacing: settings.replace, at: path.range)
                var stream = CSVWriter.Stream(withheld, dialect: CSVDialect(), path: list)
                encoded.append((list, Files.Output(path: list) { () throws(Diagnostic) -> [UInt8]? in try stream.next() }, withheld.rowCount))
                context.warn(
                    "save as \(format!): \(plural(withheld.rowCount, "row")) withheld from \(raw) for a person (\(Self.withheldPath(raw))): "
                        + Self.someRows(withheld, naming: context.formats.format(named: format!)?.upload.key.first), at: range,
                    hints: ["each row says why in \(UploadGate.withheldColumn); to upload rows with a danger anyway, save … dangers=\"upload\""])
            } else if SystemCall.status(list) != nil, context.rosterWrote(list) {
                do throws(Diagnostic) {
                    try context.checkWritable(list, at: path.range)
                    stale.append(list)
                } catch {}
            }
        }
        if context.dryRun {
            for (p, output, rows) in encoded {
                var bytes = 0
                while let part = try output.nextPart() { bytes += part.count }
                context.output.out("dry run: would write \(p): \(plural(rows, "row")) × \(plural(table.columns.count, "column")), \(plural(bytes, "byte"))\n")
            }
            for p in stale { context.output.out("dry run: would remove \(p), left by an earlier run of this save\n") }
            return input
        }
        let made = try Files.makeParentFolders(of: target)
        let stage = context.writeStage
        stage?.made(folders: made)
        let report: Files.WriteReport
        do {
            report = try Files.writeSet(encoded.map(\.1), removing: stale, stage: stage, isCancelled: context.isCancelled)
        } catch {
            if stage == nil { Files.removeFolders(made) }  // a failed save leaves no folder it made
            throw error
        }
        context.noteWritten(encoded.map(\.0))
        // Said when the files are in place: at once, or when the recipe's run succeeds.
        var said: [String] = []
        let files = encoded.filter { $0.0 != withheldList }
        if files.count == 1 {
            said.append("wrote \(files[0].0): \(plural(files[0].2, "row")) × \(plural(table.columns.count, "column"))")
        } else if let first = files.first, let last = files.last {
            said.append(
                "wrote \(files.count) files of at most \(plural(rowsPerFile ?? table.rowCount, "row")): \(first.0) … \(last.0) (\(plural(table.rowCount, "row")) in all)"
            )
        }
        if let w = encoded.first(where: { $0.0 == withheldList }) { said.append("wrote \(w.0): \(plural(w.2, "withheld row"))") }
        if !report.finished.isEmpty {
            context.warn(
                "finished putting in place what an interrupted earlier run of roster left half done: " + report.finished.joined(separator: ", "),
                at: range)
        }
        if stage == nil {
            for s in said { context.note(s, at: range) }
            if !report.removed.isEmpty {
                context.note("removed \(report.removed.joined(separator: ", ")), left by an earlier run of this save", at: range)
            }
        } else {
            let at = range
            let gone = stale
            stage?.whenCommitted {
                for s in said { context.note(s, at: at) }
                let removed = gone.filter { SystemCall.status($0) == nil }
                if !removed.isEmpty { context.note("removed \(removed.joined(separator: ", ")), left by an earlier run of this save", at: at) }
            }
        }
        if !report.abandonedTemporaries.isEmpty {
            context.note(
                "removed \(plural(report.abandonedTemporaries.count, "temporary file")) an interrupted earlier save left: "
                    + report.abandonedTemporaries.joined(separator: ", "), at: range)
        }
        return input
    }

    /// Splits a table saved as a portal format into the rows to upload and those withheld, and says
    /// what was left out.
    func gate(_ input: Table, _ f: FormatDefinition, _ context: any VerbContext) throws(Diagnostic) -> UploadGate.Split {
        var uploadDangers = false
        if let o = options.first(where: { $0.name == .dangers }) {
            var s = SaveSettings(dialect: CSVDialect())
            try SaveOption.apply([(o.name, try context.evaluateValue(o.value).asText ?? "", o.range)], to: &s)
            uploadDangers = s.uploadDangers
        }
        let split = try UploadGate(format: f, uploadDangers: uploadDangers).split(input, context: context)
        if !split.notUploads.isEmpty {
            let parts = split.notUploads.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            context.note("save as \(f.name): rows that are not uploads left out (" + parts.joined(separator: ", ") + ")", at: range)
        }
        return split
    }

    /// The first column holding a character Windows-1252 lacks, and that character.
    static func unencodable(_ t: Table) -> (String, String)? {
        for c in t.columns {
            do throws(TextEncoding.UnencodableCharacter) {
                _ = try TextEncoding.encodeWindows1252(c.cells.bytes)
            } catch {
                return (c.name, "'\(Character(Unicode.Scalar(error.scalar) ?? " "))'")
            }
        }
        return nil
    }

    /// The standard stream a path names (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/2` …): 1 or 2.
    static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": 1
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": 2
        default: nil
        }
    }

    /// Where a save as a portal format puts the rows it withholds: `out/x.csv` → `out/x-withheld.csv`.
    static func withheldPath(_ path: String) -> String {
        let (stem, ext) = split(path)
        return stem + "-withheld" + (ext.lowercased() == ".csv" ? ext : ".csv")
    }

    /// The first few withheld rows, by row and why.
    static func someRows(_ t: Table, naming key: String?) -> String {
        let why = t.column(UploadGate.withheldColumn)!
        let first = key.flatMap { t.column($0) } ?? t.columns.first?.cells
        let shown = (0..<min(t.rowCount, 5)).map { r in (first.map { "\($0[r]): " } ?? "") + why[r] }
        return shown.joined(separator: "; ") + (t.rowCount > 5 ? "; … (\(t.rowCount) in all)" : "")
    }

    /// A file name without its folder and ending (`out/review.xlsx` → `review`), a saved sheet's name.
    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.lowercased().hasSuffix(".xlsx") ? String(name.dropLast(5)) : name
    }

    /// Password columns in a workbook for people: masked unless `passwords="keep"`, and said either way.
    func maskPasswords(_ table: inout Table, keep: Bool, format: String?, context: any VerbContext) {
        let f = (format ?? (table.formatName == "csv" ? nil : table.formatName)).flatMap { context.formats.format(named: $0) }
        let secret = table.columns.indices.filter { j in table.isSecret(column: table.columns[j].name) || f?.isSecret(table.columns[j].name) == true }
        guard !secret.isEmpty else { return }
        let names = secret.map { table.columns[$0].name }.joined(separator: ", ")
        if keep {
            context.warn("save: the workbook holds the passwords in \(names), as passwords=\"keep\" asks", at: range)
            return
        }
        for j in secret {
            let cells = table.columns[j].cells
            table.columns[j].cells = TextColumn((0..<table.rowCount).map { cells.isBlank($0) ? "" : Secrets.mask })
        }
        context.note("save: \(names) masked in the workbook (passwords=\"keep\" writes them)", at: range)
    }

    /// Reports cells a spreadsheet would run as formulas; with `formulas="neutralise"` prefixes them with `'`.
    func guardFormulas(_ table: inout Table, neutralise: Bool, context: any VerbContext) throws(Diagnostic) {
        var total = 0
        var first: (Int, String)?
        for (j, c) in table.columns.enumerated() {
            // Only a cell's first byte can make it a formula: look at those, without copying anything.
            var hits: [Int] = []
            c.cells.bytes.withUnsafeBufferPointer { b in
                c.cells.ends.withUnsafeBufferPointer { e in
                    var start = 0
                    for i in 0..<e.count {
                        let end = Int(e[i])
                        if end > start {
                            let f = b[start]
                            if f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || f == UInt8(ascii: "@") || f == 0x09 || f == 0x0D,
                                CSVWriter.isFormulaLike(UnsafeBufferPointer(rebasing: b[start..<end]))
                            {
                                hits.append(i)
                            }
                        }
                        start = end
                    }
                }
            }
            guard !hits.isEmpty else { continue }
            total += hits.count
            if first == nil || hits[0] < first!.0 { first = (hits[0], c.name) }
            if neutralise {
                var mask = [Bool](repeating: false, count: table.rowCount)
                for i in hits { mask[i] = true }
                let fixed = VectorOps.mapColumn(c.cells) { b, out in
                    out.append(UInt8(ascii: "'")); out.append(contentsOf: b)
                }
                table.columns[j].cells = c.cells.merging(fixed, where: mask)
            }
        }
        guard total > 0, let (row, col) = first else { return }
        let line = table.displayLine(ofRow: row)
        if neutralise {
            context.note("save: \(plural(total, "cell")) began with =, +, -, @ or a tab and now begin with ' so a spreadsheet shows them as text", at: range)
        } else {
            context.warn(
                "save: \(plural(total, "cell")) begin with =, +, -, @ or a tab, which a spreadsheet runs as a formula (first: row \(line), column '\(col)')",
                at: range,
                hints: ["for a file people will open, save with formulas=\"neutralise\""])
        }
    }

    /// The table with exactly the format's columns, in its order and spelling. A missing column the
    /// format requires is an error; a missing optional one is written blank; columns the format does
    /// not have (and `Notes`) are left out and named.
    static func shaped(_ t: Table, as f: FormatDefinition, context: any VerbContext, at range: SourceRange) throws(Diagnostic) -> Table {
        var out = t
        out.columns = []
        let required = f.requiredColumns
        for want in f.allColumns {
            if let c = t.columns.first(where: { f.matches($0.name, want) }) {
                out.columns.append(Column(name: want, cells: c.cells))
            } else if required.contains(want) {
                let near = Suggest.nearest(want, in: t.names)
                throw Diagnostic.runtime(
                    "save as \(f.name): the table has no '\(want)' column, which \(f.name) requires", at: range,
                    hints: (near.map { ["is '\($0)' that column? rename \(Evaluator.spell($0)) as \(Evaluator.spell(want))"] } ?? []) + [
                        "\(f.name) columns: " + f.columns.joined(separator: ", ")
                    ])
            } else if f.columns.contains(want) {
                out.columns.append(Column(name: want, cells: TextColumn(repeating: "", count: t.rowCount)))
            }
        }
        // Extension columns (OneRoster's `metadata.…`) follow the format's own, as the file had them.
        out.columns += t.columns.filter { f.isExtension($0.name) }
        let left = t.names.filter { have in !f.allows(have) }
        if !left.isEmpty {
            context.note(
                "save as \(f.name): left out \(left.count == 1 ? "a column" : "columns") \(f.name) does not have: \(left.joined(separator: ", "))", at: range)
        }
        return out
    }

    /// Files beside `target` that a save making numbered files owns: `STEM-NNN.EXT` and `STEM.EXT`
    /// itself, less those this run writes.
    static func staleFiles(of target: String, keeping: Set<String>) -> [String] {
        let (stem, ext) = split(target)
        let dir = Files.directory(of: target)
        let stemName = String(stem.dropFirst(dir.isEmpty ? 0 : dir.count + 1))
        var out: [String] = []
        for name in SystemCall.listDirectory(dir) {
            let full = (dir.isEmpty ? "" : dir + "/") + name
            if keeping.contains(full) { continue }
            let isTarget = full == target
            var isChunk = false
            if name.hasPrefix(stemName + "-"), name.hasSuffix(ext) {
                let number = name.dropFirst(stemName.count + 1).dropLast(ext.count)
                isChunk = number.count >= 3 && number.allSatisfy { $0.isASCII && $0.isNumber }
            }
            if isTarget || isChunk { out.append(full) }
        }
        return out.sorted()
    }

    static func threeDigits(_ k: Int) -> String { k < 10 ? "00\(k)" : (k < 100 ? "0\(k)" : "\(k)") }

    static func split(_ path: String) -> (String, String) {
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") { return (String(path[..<dot]), String(path[dot...])) }
        return (path, "")
    }
}
