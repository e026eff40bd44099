import ArgumentParser
import RosterData
import RosterPortal
import RosterSession

/// `roster check FILE [--as FORMAT]`: what a portal would reject in a file, from the shell.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print what a portal would reject in a file, and why. Exit status 1 when any row would be rejected.",
        discussion:
            "EXAMPLES\n  roster check mcas-upload.csv --as mcas\n  roster check mcas-upload.csv --format json\n  roster check tao-upload.csv --as tao --users tao-users.csv --groups tao-groups.csv"
    )

    @Argument(help: "The file to check.", completion: .file(extensions: ["csv", "txt"]))
    var file: String

    @Option(
        name: .customLong("as"), help: ArgumentHelp("The portal format (else told from the header).", valueName: "FORMAT"),
        completion: .list(FormatRegistry.standard.names.filter { $0 != "csv" }))
    var format: String?

    @Option(
        name: .customLong("format"),
        help: ArgumentHelp("The report: text for people, json for programs, csv for the rows with Notes.", valueName: "text|json|csv"))
    var report: ReportFormat = .text

    @Option(
        name: .customLong("users"), help: ArgumentHelp("The portal's own users (its export): rules for new or existing users need them.", valueName: "FILE"),
        completion: .file(extensions: ["csv", "xlsx"]))
    var users: String?

    @Option(name: .customLong("groups"), help: ArgumentHelp("The portal's groups (TAO).", valueName: "FILE"), completion: .file(extensions: ["csv", "xlsx"]))
    var groups: String?

    @Option(
        name: .customLong("orgs"), help: ArgumentHelp("The portal's organizations (MCAS).", valueName: "FILE"), completion: .file(extensions: ["csv", "xlsx"]))
    var orgs: String?

    @Option(
        name: .customLong("with"),
        help: ArgumentHelp(
            "Other portal data a rule uses, as in a script's 'with': a file, or values separated by commas (--with domains=district.org, --with hierarchies=true) (repeatable).",
            valueName: "NAME=FILE|VALUES"))
    var with: [String] = []

    @OptionGroup var options: RunOptions

    func run() throws {
        let sink = StandardSink()
        defer { sink.flush() }
        var runner = try options.runner()
        runner.reportFormat = report
        var given: [(String, String)] = [users.map { ("users", $0) }, groups.map { ("groups", $0) }, orgs.map { ("orgs", $0) }].compactMap { $0 }
        for item in with {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw UsageError(message: "--with needs NAME=FILE or NAME=VALUES, as in --with domains=district.org; got '\(item)'")
            }
            given.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        let status = runner.check(path: file, format: format, portalData: given, output: sink)
        if status != 0 { throw ExitStatus(status) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
