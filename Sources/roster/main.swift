import ArgumentParser
import RosterData
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The command line: parse the arguments, run, and map the outcome to an exit status
// (0 success, 1 a runtime or data error, 2 a syntax or usage error; the argument parser's own
// usage errors would be 64). A plain recipe or -c run skips the parser's set-up.
SystemCall.tuneHeap()
do {
    if let run = Invocation.simple(Array(CommandLine.arguments.dropFirst())) {
        // A recipe or -c: the thread pool's first worker is made while the script is read.
        Parallel.warmUp()
        try run.run()
    } else {
        var command = try RosterCommand.parseAsRoot()
        try command.run()
    }
} catch let usage as UsageError {
    fputs("roster: error: \(usage.message)\n", stderr)
    exit(2)
} catch let status as ExitStatus {
    exit(status.code)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let message = RosterCommand.fullMessage(for: error)
    if RosterCommand.exitCode(for: error) == .success {
        print(message)
        exit(0)
    }
    fputs(message + "\n", stderr)
    exit(2)
}
