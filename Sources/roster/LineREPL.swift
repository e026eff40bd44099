@preconcurrency import CEditLine
import RosterCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A line-at-a-time session on a terminal, edited with libedit: each line runs as it is entered and a
/// bare pipeline prints a preview.
struct LineREPL {
    let session: Session
    let sink: StandardSink

    func run() {
        setlocale(LC_CTYPE, "")
        sink.out("roster — type a statement, or :quit to leave.\n")
        sink.flush()
        while true {
            guard let raw = readline("roster> ") else { sink.out("\n"); break }
            let line = String(cString: raw)
            free(raw)
            Interrupt.clear()
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            add_history(line)
            if trimmed == ":quit" || trimmed == ":q" { break }
            evaluate(line)
            sink.flush()
        }
    }

    func evaluate(_ line: String) {
        let source = SourceFile(name: "<input>", text: line)
        do {
            let statements = try Parser.parse(source, verbs: session.verbs)
            for s in statements {
                if case .pipeline(let p) = s.kind {
                    let t: Table
                    do { t = try session.evaluate(p) } catch { throw error.located(in: source) }
                    sink.out(TablePreview.render(t, maxRows: 10, width: 100))
                } else {
                    try session.run(SourceFile(name: "<input>", text: line))
                    break
                }
            }
        } catch let d as Diagnostic {
            sink.err(session.renderer.render(d))
        } catch {
            sink.err("error: \(error)\n")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
