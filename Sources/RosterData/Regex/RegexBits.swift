/// The bit-parallel NFA a `Regex` falls back to when its lazy DFA keeps needing new states (a pattern
/// such as `^.*a.{200}b.{200}a$` can need a new one for every character, each costing a closure and a
/// hash). One bit per instruction: a character moves every live position one instruction on at once
/// (a shift), and only positions that land on a split or jump are expanded through their
/// precomputed closure. The cost per character is a few words per 64 instructions.
struct BitSimulator {
    let words: Int
    /// Per scalar class: the `set` instructions that accept it.
    let classMask: [[UInt64]]
    /// Per instruction: its closure (atStart false), as bits.
    let closure: [[UInt64]]
    /// Instructions a position cannot rest on (split, jump, start): expanded through `closure`.
    let expands: [UInt64]
    /// Where a new match attempt begins, at the text's start and after it (unanchored search).
    let start: [UInt64]
    let restart: [UInt64]
    let matchMask: [UInt64]
    let asciiClass: [Int32]

    init(_ re: Regex) {
        asciiClass = re.asciiClass
        let n = re.program.count + 1
        let words = (n + 63) / 64
        self.words = words
        func bits(_ pcs: [Int32]) -> [UInt64] { Self.bits(pcs, words: words) }
        closure = (0..<n).map { pc in pc < re.program.count ? bits(re.closure(of: [Int32(pc)], atStart: false)) : bits([]) }
        var expands = [UInt64](repeating: 0, count: words)
        var matchMask = [UInt64](repeating: 0, count: words)
        for (pc, inst) in re.program.enumerated() {
            switch inst {
            case .split, .jump, .start: expands[pc >> 6] |= 1 << (UInt64(pc) & 63)
            case .match: matchMask[pc >> 6] |= 1 << (UInt64(pc) & 63)
            case .set, .end, .wordBoundary: break
            }
        }
        self.expands = expands
        self.matchMask = matchMask
        classMask = (0..<re.classCount).map { cls in
            bits(
                re.program.indices.compactMap { pc in
                    if case .set(let k) = re.program[pc], re.classInSet[cls][k] { return Int32(pc) }
                    return nil
                })
        }
        start = bits(re.closure(of: [0], atStart: true))
        restart = closure[0]
    }

    /// Runs the text from `live` (the positions after the text before `from`); true at a match.
    func run(_ re: Regex, _ text: UnsafeBufferPointer<UInt8>, from: Int, live: [UInt64]) -> Bool {
        var current = live
        var next = [UInt64](repeating: 0, count: words)
        if accepts(current) { return true }
        var i = from
        while i < text.count {
            let (cls, len) = asciiClass.withUnsafeBufferPointer { re.characterClass(text, at: i, $0) }
            i += len
            let mask = classMask[cls]
            var carry: UInt64 = 0
            for w in 0..<words {
                let m = current[w] & mask[w]
                next[w] = (m << 1) | carry
                carry = m >> 63
            }
            for w in 0..<words {
                var pending = next[w] & expands[w]
                if pending == 0 { continue }
                next[w] &= ~expands[w]
                while pending != 0 {
                    let bit = pending.trailingZeroBitCount
                    pending &= pending - 1
                    let c = closure[w << 6 | bit]
                    for v in 0..<words { next[v] |= c[v] }
                }
            }
            for w in 0..<words { next[w] |= restart[w] }
            swap(&current, &next)
            if accepts(current) { return true }
        }
        var pcs: [Int32] = []
        for w in 0..<words {
            var x = current[w]
            while x != 0 {
                pcs.append(Int32(w << 6 | x.trailingZeroBitCount))
                x &= x - 1
            }
        }
        return re.matchesAtEnd(pcs)
    }

    @inline(__always)
    func accepts(_ live: [UInt64]) -> Bool {
        for w in 0..<words where live[w] & matchMask[w] != 0 { return true }
        return false
    }

    /// The positions of a DFA state, as bits.
    func bits(of pcs: [Int32]) -> [UInt64] { Self.bits(pcs, words: words) }

    static func bits(_ pcs: [Int32], words: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: words)
        for pc in pcs { out[Int(pc) >> 6] |= 1 << (UInt64(pc) & 63) }
        return out
    }
}
