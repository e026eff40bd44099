import Testing
@testable import RosterData

/// Whole-cell patterns of ASCII classes are checked byte by byte (`ClassSequence`); they must agree
/// with the automaton everywhere.
@Suite("Class sequences against the automaton")
struct ClassSequenceTests {
    @Test("portal rule shapes are recognised, other shapes are not")
    func shapes() throws {
        for p in ["[A-Za-z0-9@._+-]+", "\\d{3}-\\d{3}-\\d{4}", "\\d{8}", "[A-Z]{2,3}\\d{2}x", "a", "\\d{8}(-\\d{8})?", "a(bc)?d+(e)?"] {
            #expect(try Regex("^(?:" + p + ")$").classSequence != nil, "\(p)")
        }
        for p in ["[^@\\s]+@[^@\\s]+", "\\d{8}(-\\d+)?", "a(b)?(c)?(d)?(e)?", "a+b+", "é+", "ab|cd", "[A-Z]{2,3}\\d*x"] {
            #expect(try Regex("^(?:" + p + ")$").classSequence == nil, "\(p)")
        }
        #expect(try Regex("[a-z]+").classSequence == nil, "not anchored: a search, not a whole-cell match")
    }

    @Test("a class sequence matches exactly what the automaton matches (random patterns and cells)")
    func agreesWithTheAutomaton() throws {
        var rng = SplitMix64(seed: 1234)
        let classes = ["\\d", "[a-c]", "-", "[A-Za-z0-9@._+-]", "x", "\\w", "\\s", "."]
        let counts = ["", "{2}", "{0,2}", "+", "*", "?", "{3,}"]
        let groups = ["(-\\d{2})?", "(ab)?", "(x[a-c])?"]
        let alphabet: [String] = ["1", "7", "a", "b", "c", "-", "x", "X", "@", " ", "é", "\t", "名", "_"]
        for i in 0..<400 {
            let items = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0
                    ? groups.randomElement(using: &rng)! : classes.randomElement(using: &rng)! + counts.randomElement(using: &rng)!
            }
            let pattern = "^(?:" + items.joined() + ")$"
            let re = try Regex(pattern)
            guard let sequence = re.classSequence else { continue }
            let cells = (0..<60).map { _ in (0..<Int.random(in: 0...7, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined() }
            for cell in cells {
                var text = cell
                let fast = text.withUTF8 { sequence.matches($0) }
                var t = re.tables
                let slow = text.withUTF8 { re.run($0, &t) }  // the automaton itself
                #expect(fast == slow, "case \(i): \(pattern) on \(cell.debugDescription)")
                if fast != slow { return }
            }
        }
    }
}
