import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// The grammar and the README are specifications: every example in them must parse, and the README's
/// verb and function tables must list exactly what the registries hold.
@Suite("Grammar and README")
struct DocumentationTests {
    static let grammar = readText(projectRoot + "/Grammar/roster.ebnf") ?? ""
    static let readme = readText(projectRoot + "/README.md") ?? ""

    static var grammarExamples: [String] {
        grammar.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("(*> "), line.hasSuffix(" *)") else { return nil }
            return String(line.dropFirst(4).dropLast(3))
        }
    }

    /// Code blocks fenced as ```roster.
    static var readmeExamples: [String] {
        var out: [String] = []
        var current: [Substring]?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("```roster") {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                out.append(current!.joined(separator: "\n")); current = nil
            } else {
                current?.append(line)
            }
        }
        return out
    }

    @Test func thereAreExamples() {
        #expect(Self.grammarExamples.count >= 20)
        #expect(Self.readmeExamples.count >= 2)
    }

    @Test("every grammar example parses", arguments: grammarExamples)
    func grammarExample(_ text: String) throws {
        _ = try ScriptParser.parse(SourceFile(name: "roster.ebnf", text: text))
    }

    @Test("every README example parses", arguments: readmeExamples)
    func readmeExample(_ text: String) throws {
        _ = try ScriptParser.parse(SourceFile(name: "README.md", text: text))
    }

    @Test func grammarListsEveryVerb() {
        guard let line = Self.grammar.split(separator: "\n").firstIndex(where: { $0.hasPrefix("verb ") }) else {
            Issue.record("no 'verb' rule"); return
        }
        let lines = Self.grammar.split(separator: "\n")
        let rule = lines[line...].prefix { !$0.hasPrefix("where") }.joined(separator: " ").prefix { $0 != ";" }  // the rule runs over lines
        let listed = rule.drop { $0 != "=" }.dropFirst().split(separator: "|").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ";")).trimmingCharacters(in: .whitespaces)
        }
        #expect(Set(listed) == Set(VerbRegistry.standard.names))
    }

    /// Rows of the Markdown table that follows `heading`.
    static func tableRows(after heading: String) -> [String] {
        guard let r = readme.range(of: heading) else { return [] }
        var rows: [String] = []
        var started = false
        for line in readme[r.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") { started = true; rows.append(String(line)) } else if started { break }
        }
        return Array(rows.dropFirst(2))  // header and rule
    }

    @Test func readmeVerbTableMatchesTheRegistry() {
        let rows = Self.tableRows(after: "### Verbs")
        let expected = VerbRegistry.standard.descriptors.map { "| `\($0.syntax)` | \($0.summary) |" }
        #expect(rows == expected)
        if rows != expected { print(expected.joined(separator: "\n")) }
    }

    @Test func readmeFunctionTableMatchesTheRegistry() {
        let rows = Self.tableRows(after: "### Functions")
        let expected = FunctionRegistry.standard.functions.map { "| `\($0.syntax)` | \($0.summary) |" }
        #expect(rows == expected)
        if rows != expected { print(expected.joined(separator: "\n")) }
    }

    /// Every statement keyword, format-block line and option word appears in the grammar.
    @Test func grammarListsEveryKeywordOptionAndFormatLine() {
        for k in StatementKeyword.allCases { #expect(Self.grammar.contains("\"\(k.rawValue)\""), "statement \(k.rawValue)") }
        for item in FormatItem.allCases { #expect(Self.grammar.contains("\"\(item.rawValue)\""), "format line \(item.rawValue)") }
        for o in LoadOption.allCases { #expect(Self.grammar.contains("\(o.rawValue) = "), "load option \(o.rawValue)") }
        for o in SaveOption.allCases { #expect(Self.grammar.contains("\(o.rawValue) = "), "save option \(o.rawValue)") }
    }

    @Test func readmeStatementTableMatchesTheRegistry() {
        let rows = Self.tableRows(after: "### Statements")
        let expected = StatementKeyword.allCases.map { "| `\($0.syntax)` | \($0.summary) |" }
        #expect(rows == expected)
        if rows != expected { print(expected.joined(separator: "\n")) }
    }

    @Test func readmeOptionTableMatchesTheRegistry() {
        let rows = Self.tableRows(after: "### Load and save options")
        func lines<Name: OptionName>(_: Name.Type) -> [String] {
            Name.allCases.map { o in
                "| \(Name.statement) | `\(o.rawValue)` | " + o.allowed.map { "`\($0.replacingOccurrences(of: "|", with: "\\|"))`" }.joined(separator: ", ")
                    + " | \(o.summary) |"
            }
        }
        let expected = lines(LoadOption.self) + lines(SaveOption.self)
        #expect(rows == expected)
        if rows != expected { print(expected.joined(separator: "\n")) }
    }

    @Test func readmeFormatLineTableMatchesTheRegistry() {
        let rows = Self.tableRows(after: "#### Lines of a format block")
        let expected = FormatItem.allCases.map { "| `\($0.syntax.replacingOccurrences(of: "|", with: "\\|"))` | \($0.summary) |" }
        #expect(rows == expected)
        if rows != expected { print(expected.joined(separator: "\n")) }
    }
}
