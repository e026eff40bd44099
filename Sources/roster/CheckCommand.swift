import ArgumentParser
import RosterData
import RosterPortal
import RosterSession

/// `roster check FILE [--as FORMAT]`: what a portal would reject in a file, from the shell.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print what a portal would reject in a file, and why. Exit status 1 when any row would be rejected.",
        discussion: "EXAMPLES\n  roster check mcas-upload.csv --as mcas\n  roster check mcas-upload.csv --format json"
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

    @OptionGroup var options: RunOptions

    func run() throws {
        let sink = StandardSink()
        defer { sink.flush() }
        var runner = try options.runner()
        runner.reportFormat = report
        let status = runner.check(path: file, format: format, output: sink)
        if status != 0 { throw ExitStatus(status) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
