import RosterDiagnostics

/// A compiled regular expression for yes/no matching (`~`, `matches`), run as a lazily built DFA over
/// Unicode scalars: each input character costs one table look-up once its transition is known, and the
/// time is linear in the text whatever the pattern, so hostile cells cannot make it backtrack for ever.
/// Patterns with `\b` run as an NFA simulation (still linear).
public final class Regex: @unchecked Sendable {
    enum Inst {
        case set(Int)
        case split(Int, Int)
        case jump(Int)
        case start, end
        case wordBoundary(Bool)
        case match
    }

    let program: [Inst]
    let sets: [ScalarSet]
    public let pattern: String
    let usesWordBoundary: Bool

    // Scalar classes: scalars that every set treats alike share a class.
    let boundaries: [UInt32]  // class k covers [boundaries[k], boundaries[k+1])
    var asciiClass: [Int32] = Array(repeating: 0, count: 128)
    let classCount: Int
    let classInSet: [[Bool]]  // [class][set]

    // The lazy DFA (mutable cache: a Regex is used by one evaluation at a time).
    var stateIndex: [[Int32]: Int32] = [:]
    var stateSets: [[Int32]] = []
    var stateMatches: [Bool] = []
    var stateMatchesAtEnd: [Bool] = []
    /// Per state and class: the next state as its offset in this table (state × classes), with
    /// `acceptsFlag` set when that state has matched; -1 while not yet built. One load per byte.
    var transitions: [Int32] = []
    static let acceptsFlag: Int32 = 1 << 30
    static let maxStates = 4096
    /// Set when the DFA cache has filled up: from then on texts run on the bit-parallel NFA.
    var bitSimulator: BitSimulator?
    /// Set when the pattern is a whole-cell run of ASCII classes, which is checked byte by byte
    /// without the automaton.
    let classSequence: ClassSequence?

    public init(_ pattern: String) throws(RegexError) {
        self.pattern = pattern
        var parser = RegexParser(pattern)
        let node = try parser.parse()
        var compiler = Compiler()
        try compiler.emit(node)
        compiler.program.append(.match)
        program = compiler.program
        sets = compiler.sets
        classSequence = ClassSequence(node)
        usesWordBoundary = compiler.usesWordBoundary

        var cuts: Set<UInt32> = [0, 0x110000]
        for s in sets { for r in s.ranges { cuts.insert(r.lowerBound); cuts.insert(r.upperBound + 1) } }
        boundaries = cuts.sorted()
        classCount = boundaries.count - 1
        var cis: [[Bool]] = []
        for k in 0..<classCount {
            let rep = boundaries[k]
            cis.append(sets.map { $0.contains(rep) })
        }
        classInSet = cis
        for c in 0..<128 { asciiClass[c] = Int32(classOf(UInt32(c))) }
        _ = intern(closure(of: [0], atStart: true))
    }

    /// Checks a pattern's syntax without building its automaton (a format's patterns are checked
    /// when the format is read, and compiled only when a rule runs).
    public static func validate(_ pattern: String) throws(RegexError) {
        var parser = RegexParser(pattern)
        let node = try parser.parse()
        var compiler = Compiler()
        try compiler.emit(node)
    }

    /// The class of the character at `i` and its length in bytes (ASCII through `ascii`).
    @inline(__always)
    func characterClass(_ text: UnsafeBufferPointer<UInt8>, at i: Int, _ ascii: UnsafeBufferPointer<Int32>) -> (Int, Int) {
        let b = text[i]
        if b < 0x80 { return (Int(ascii[Int(b)]), 1) }
        let (scalar, len) = TextEncoding.decodeScalar(text, at: i)
        return (classOf(scalar), len)
    }

    func classOf(_ c: UInt32) -> Int {
        var lo = 0, hi = boundaries.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if boundaries[mid] <= c { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Follows splits and jumps. `^` passes only at the start; `$` stays in the set as a pending test.
    func closure(of pcs: [Int32], atStart: Bool) -> [Int32] {
        var seen = [Bool](repeating: false, count: program.count)
        var out: [Int32] = []
        var stack = pcs.reversed().map { Int($0) }
        while let pc = stack.popLast() {
            if seen[pc] { continue }
            seen[pc] = true
            switch program[pc] {
            case .jump(let t): stack.append(t)
            case .split(let a, let b): stack.append(b); stack.append(a)
            case .start: if atStart { stack.append(pc + 1) }
            case .set, .match, .end, .wordBoundary: out.append(Int32(pc))
            }
        }
        return out.sorted()
    }

    func intern(_ set: [Int32]) -> Int32 {
        if let id = stateIndex[set] { return id }
        if stateSets.count >= Self.maxStates { resetCache() }
        let id = Int32(stateSets.count)
        stateIndex[set] = id
        stateSets.append(set)
        stateMatches.append(
            set.contains {
                if case .match = program[Int($0)] { return true }; return false
            })
        stateMatchesAtEnd.append(matchesAtEnd(set))
        transitions.append(contentsOf: repeatElement(-1, count: classCount))
        return id
    }

    func resetCache() {
        if bitSimulator == nil { bitSimulator = BitSimulator(self) }
        let start = stateSets[0]
        stateIndex = [:]; stateSets = []; stateMatches = []; stateMatchesAtEnd = []; transitions = []
        stateIndex[start] = 0
        stateSets.append(start)
        stateMatches.append(
            start.contains {
                if case .match = program[Int($0)] { return true }; return false
            })
        stateMatchesAtEnd.append(matchesAtEnd(start))
        transitions.append(contentsOf: repeatElement(-1, count: classCount))
    }

    func matchesAtEnd(_ set: [Int32]) -> Bool {
        var seen = [Bool](repeating: false, count: program.count)
        var stack = set.map { Int($0) }
        while let pc = stack.popLast() {
            if seen[pc] { continue }
            seen[pc] = true
            switch program[pc] {
            case .match: return true
            case .end: stack.append(pc + 1)
            case .jump(let t): stack.append(t)
            case .split(let a, let b): stack.append(a); stack.append(b)
            default: break
            }
        }
        return false
    }

    func step(_ state: Int32, _ cls: Int) -> Int32 {
        var next: [Int32] = []
        for pc in stateSets[Int(state)] {
            if case .set(let k) = program[Int(pc)], classInSet[cls][k] { next.append(pc + 1) }
        }
        // Unanchored search: a match may begin at every position.
        next.append(0)
        let target = intern(closure(of: next, atStart: false))
        // `intern` may have reset the cache; only record the transition if `state` is still valid.
        if Int(state) < stateSets.count {
            transitions[Int(state) * classCount + cls] = target * Int32(classCount) | (stateMatches[Int(target)] ? Self.acceptsFlag : 0)
        }
        return target
    }

    /// The automaton's tables, read through local copies: the matching loop then makes no
    /// exclusivity-checked access to this object per byte. They are let go before `step` grows the
    /// tables (so growing copies nothing) and taken again after.
    struct Tables {
        var ascii: [Int32]
        var transitions: [Int32]
        var accepting: [Bool]
        var acceptingAtEnd: [Bool]
    }

    var tables: Tables { Tables(ascii: asciiClass, transitions: transitions, accepting: stateMatches, acceptingAtEnd: stateMatchesAtEnd) }

    /// True when the pattern matches somewhere in the UTF-8 text.
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if let classSequence { return classSequence.matches(text) }
        if usesWordBoundary { return simulate(text) }
        if let sim = bitSimulator { return sim.run(self, text, from: 0, live: sim.start) }
        var t = tables
        return run(text, &t)
    }

    /// `matches` for every cell of a column. Cells run on the automaton's tables through raw
    /// pointers taken once; a cell that needs a state not built yet leaves the fast loop, is matched
    /// the ordinary way (which builds the state), and the loop resumes after it.
    public func matchEach(_ column: TextColumn, where mask: [Bool]? = nil) -> [Bool] {
        if let classSequence { return classSequence.matchEach(column, where: mask) }
        let n = column.count
        var out = [Bool](repeating: false, count: n)
        if usesWordBoundary {
            column.forEachCell { i, cell in out[i] = mask?[i] != false && simulate(cell) }
            return out
        }
        // A large column runs as two halves on two threads for as long as the states built so far
        // suffice; a half that needs a new state stops, the state is built here (the DFA changes only
        // between the parallel passes), and both go on.
        let halves = Parallel.halves(n)
        var next = halves.map(\.lowerBound)
        out.withUnsafeMutableBufferPointer { o in
            let shared = UncheckedSendable(o)
            while true {
                let open = halves.indices.filter { next[$0] < halves[$0].upperBound }
                if open.isEmpty { break }
                if let sim = bitSimulator {
                    for k in open {
                        for i in next[k]..<halves[k].upperBound where mask?[i] != false {
                            o[i] = column.withCell(i) { sim.run(self, $0, from: 0, live: sim.start) }
                        }
                    }
                    break
                }
                let from = next
                let stopped = Parallel.map(open, work: open.count == 2 ? Parallel.always : 0) { k in
                    self.fastPass(column, from: from[k], to: halves[k].upperBound, where: mask, into: shared.value)
                }
                for (k, stop) in zip(open, stopped) {
                    next[k] = stop
                    if stop < halves[k].upperBound {
                        var t = tables
                        o[stop] = column.withCell(stop) { run($0, &t) }
                        next[k] = stop + 1
                    }
                }
            }
        }
        return out
    }

    /// Matches cells `start..<end` (those `mask` picks, when given; the others stay false) with the
    /// states built so far; returns the first cell that needs a new state (or `end` when all are
    /// done). Only reads the DFA, so two can run at once.
    func fastPass(_ column: TextColumn, from start: Int, to end: Int, where mask: [Bool]?, into out: UnsafeMutableBufferPointer<Bool>) -> Int {
        if let mask {
            return mask.withUnsafeBufferPointer { fastPass(column, from: start, to: end, picked: $0.baseAddress, into: out) }
        }
        return fastPass(column, from: start, to: end, picked: nil, into: out)
    }

    @inline(__always)
    func fastPass(_ column: TextColumn, from start: Int, to end: Int, picked mask: UnsafePointer<Bool>?, into out: UnsafeMutableBufferPointer<Bool>) -> Int {
        let t = tables
        let classes = classCount
        return t.transitions.withUnsafeBufferPointer { tr in
            t.ascii.withUnsafeBufferPointer { ascii in
                t.accepting.withUnsafeBufferPointer { accepting in
                    t.acceptingAtEnd.withUnsafeBufferPointer { acceptingAtEnd in
                        column.bytes.withUnsafeBufferPointer { bytes in
                            column.ends.withUnsafeBufferPointer { ends in
                                var s = start == 0 ? 0 : Int(ends[start - 1])
                                var i = start
                                while i < end {
                                    let e = Int(ends[i])
                                    if let mask, !mask[i] {
                                        s = e
                                        i += 1
                                        continue
                                    }
                                    if i + 1 < end && mask?[i + 1] != false,
                                        let (first, second) = Self.pairOfASCIICells(
                                            bytes, s, e, Int(ends[i + 1]), tr.baseAddress!, ascii.baseAddress!, accepting[0], acceptingAtEnd.baseAddress!,
                                            classes)
                                    {
                                        out[i] = first
                                        out[i + 1] = second
                                        s = Int(ends[i + 1])
                                        i += 2
                                        continue
                                    }
                                    var offset = 0
                                    var matched = accepting[0]
                                    var p = s
                                    while !matched && p < e {
                                        let (cls, len) = characterClass(UnsafeBufferPointer(rebasing: bytes[s..<e]), at: p - s, ascii)
                                        p += len
                                        let next = tr[offset + cls]
                                        if next < 0 { return i }
                                        matched = next & Regex.acceptsFlag != 0
                                        offset = Int(next & ~Regex.acceptsFlag)
                                    }
                                    out[i] = matched || acceptingAtEnd[offset / classes]
                                    s = e
                                    i += 1
                                }
                                return end
                            }
                        }
                    }
                }
            }
        }
    }

    /// Two ASCII cells (`a..<b` and `b..<c`) through the DFA side by side: each step of one waits on
    /// its previous step's table load, so two independent walks take about the time of one. Nil when
    /// either cell has a byte of 0x80 or more or needs a state not built yet (the caller then takes
    /// them one at a time). A walk goes on past a match; the match is kept.
    @inline(__always)
    static func pairOfASCIICells(
        _ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ c: Int, _ tr: UnsafePointer<Int32>, _ ascii: UnsafePointer<Int32>,
        _ acceptsEmpty: Bool, _ acceptingAtEnd: UnsafePointer<Bool>, _ classes: Int
    ) -> (Bool, Bool)? {
        let n1 = b - a, n2 = c - b
        let common = min(n1, n2)
        var o1 = 0, o2 = 0
        var hit: Int32 = acceptsEmpty ? acceptsFlag : 0
        var hit1 = hit, hit2 = hit
        var k = 0
        while k < common {
            let x = bytes[a + k], y = bytes[b + k]
            if (x | y) >= 0x80 { return nil }
            let t1 = tr[o1 + Int(ascii[Int(x)])], t2 = tr[o2 + Int(ascii[Int(y)])]
            if (t1 | t2) < 0 { return nil }
            hit1 |= t1
            hit2 |= t2
            o1 = Int(t1 & ~acceptsFlag)
            o2 = Int(t2 & ~acceptsFlag)
            k += 1
        }
        // The rest of the longer cell on its own.
        let (start, n) = n1 > n2 ? (a, n1) : (b, n2)
        var o = n1 > n2 ? o1 : o2
        hit = 0
        while k < n {
            let x = bytes[start + k]
            if x >= 0x80 { return nil }
            let t = tr[o + Int(ascii[Int(x)])]
            if t < 0 { return nil }
            hit |= t
            o = Int(t & ~acceptsFlag)
            k += 1
        }
        if n1 > n2 { (hit1, o1) = (hit1 | hit, o) } else { (hit2, o2) = (hit2 | hit, o) }
        return (hit1 & acceptsFlag != 0 || acceptingAtEnd[o1 / classes], hit2 & acceptsFlag != 0 || acceptingAtEnd[o2 / classes])
    }

    @inline(__always)
    func run(_ text: UnsafeBufferPointer<UInt8>, _ t: inout Tables) -> Bool {
        if t.accepting[0] { return true }
        let classes = classCount
        var offset = 0  // the state × classes
        var i = 0
        let n = text.count
        while i < n {
            let charStart = i
            let (cls, len) = t.ascii.withUnsafeBufferPointer { characterClass(text, at: i, $0) }
            i += len
            let next = t.transitions[offset + cls]
            if next >= 0 {
                if next & Self.acceptsFlag != 0 { return true }
                offset = Int(next)
            } else {
                t = Tables(ascii: t.ascii, transitions: [], accepting: [], acceptingAtEnd: [])
                let state = Int32(offset / classes)
                let set = stateSets[Int(state)]
                let target = step(state, cls)
                t = tables
                if let sim = bitSimulator {
                    // The cache filled up: the rest of the text runs on the bit-parallel NFA, from
                    // the positions before this character.
                    return sim.run(self, text, from: charStart, live: sim.bits(of: set))
                }
                if t.accepting[Int(target)] { return true }
                offset = Int(target) * classes
            }
        }
        return t.acceptingAtEnd[offset / classes]
    }

    public func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches($0) }
    }

    /// NFA simulation with look-around for `\b`.
    func simulate(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var scalars: [UInt32] = []
        var i = 0
        while i < text.count {
            let (s, len) = TextEncoding.decodeScalar(text, at: i)
            scalars.append(s)
            i += len
        }
        func isWord(_ p: Int) -> Bool { p >= 0 && p < scalars.count && ScalarSet.word.contains(scalars[p]) }
        func close(_ pcs: [Int], at pos: Int) -> (Set<Int>, Bool) {
            var seen = Set<Int>()
            var out = Set<Int>()
            var stack = pcs
            while let pc = stack.popLast() {
                if !seen.insert(pc).inserted { continue }
                switch program[pc] {
                case .match: return (out, true)
                case .jump(let t): stack.append(t)
                case .split(let a, let b): stack.append(a); stack.append(b)
                case .start: if pos == 0 { stack.append(pc + 1) }
                case .end: if pos == scalars.count { stack.append(pc + 1) }
                case .wordBoundary(let want): if (isWord(pos - 1) != isWord(pos)) == want { stack.append(pc + 1) }
                case .set: out.insert(pc)
                }
            }
            return (out, false)
        }
        var (current, matched) = close([0], at: 0)
        if matched { return true }
        for pos in 0..<scalars.count {
            let cls = classOf(scalars[pos])
            var next: [Int] = [0]
            for pc in current { if case .set(let k) = program[pc], classInSet[cls][k] { next.append(pc + 1) } }
            (current, matched) = close(next, at: pos + 1)
            if matched { return true }
        }
        return false
    }

    struct Compiler {
        var program: [Inst] = []
        var sets: [ScalarSet] = []
        var setIndex: [ScalarSet: Int] = [:]
        var usesWordBoundary = false
        static let maxProgram = 20_000

        mutating func emit(_ node: RegexNode) throws(RegexError) {
            if program.count > Self.maxProgram { throw RegexError(message: "the pattern is too large", position: 0) }
            switch node {
            case .empty: break
            case .set(let s):
                let k: Int
                if let e = setIndex[s] { k = e } else { k = sets.count; sets.append(s); setIndex[s] = k }
                program.append(.set(k))
            case .concat(let items): for n in items { try emit(n) }
            case .alternate(let branches):
                var jumps: [Int] = []
                for (bi, b) in branches.enumerated() {
                    if bi < branches.count - 1 {
                        let split = program.count
                        program.append(.split(split + 1, -1))
                        try emit(b)
                        jumps.append(program.count)
                        program.append(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try emit(b)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repeatNode(let inner, let minR, let maxR):
                for _ in 0..<minR { try emit(inner) }
                if let maxR {
                    var splits: [Int] = []
                    for _ in minR..<maxR {
                        splits.append(program.count)
                        program.append(.split(-1, -1))
                        try emit(inner)
                    }
                    for s in splits { program[s] = .split(s + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.split(-1, -1))
                    try emit(inner)
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            case .start: program.append(.start)
            case .end: program.append(.end)
            case .wordBoundary(let b):
                usesWordBoundary = true
                program.append(.wordBoundary(b))
            }
        }
    }
}
