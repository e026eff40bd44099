/// A whole-cell pattern made only of classes of ASCII characters in a row, each a fixed number of
/// times except at most one that may repeat over a range (`^[A-Za-z0-9._-]+$`, `^\d{3}-\d{3}-\d{4}$`),
/// or a few such rows where a fixed group is optional (`^\d{8}(-\d{8})?$`): the shape of most of a
/// portal's field rules. Such a pattern is decided by the cell's length and by each byte's class at
/// its position, with no state carried from byte to byte, so the byte checks do not wait on one
/// another as an automaton's steps do.
struct ClassSequence {
    /// Per class, 256 entries: 1 where the byte is in the class (never for bytes of 0x80 and more:
    /// the classes are ASCII, and no byte of a longer character is ASCII).
    private let members: [UInt8]
    /// The rows of classes the pattern allows; a cell matches when one of them does.
    private let shapes: [Shape]

    /// One row of classes: fixed ones before and after at most one that repeats.
    struct Shape {
        var head: [Int] = []
        var tail: [Int] = []
        var middle: (item: Int, min: Int, max: Int)?
    }

    /// Rows with an optional group are spelled out, up to this many.
    static let mostShapes = 4

    /// The sequence `node` stands for, when it is `^`, such classes, `$`; nil for anything else.
    init?(_ node: RegexNode) {
        guard case .concat(let parts) = node else { return nil }
        var flat: [RegexNode] = []
        func flatten(_ n: RegexNode) {
            if case .concat(let inner) = n { inner.forEach(flatten) } else { flat.append(n) }
        }
        parts.forEach(flatten)
        guard flat.count >= 3, case .start = flat.first!, case .end = flat.last! else { return nil }
        var members: [UInt8] = []
        var tables: [ScalarSet: Int] = [:]
        func table(_ set: ScalarSet) -> Int? {
            if let k = tables[set] { return k }
            guard set.ranges.allSatisfy({ $0.upperBound < 0x80 }) else { return nil }
            var t = [UInt8](repeating: 0, count: 256)
            for r in set.ranges { for v in r { t[Int(v)] = 1 } }
            members += t
            tables[set] = members.count / 256 - 1
            return tables[set]
        }
        /// Adds `count` fixed positions of class `k` to every shape.
        func fixed(_ shapes: inout [Shape], _ k: Int, _ count: Int) {
            for s in shapes.indices { for _ in 0..<count { if shapes[s].middle == nil { shapes[s].head.append(k) } else { shapes[s].tail.append(k) } } }
        }
        var shapes = [Shape()]
        for item in flat.dropFirst().dropLast() {
            switch item {
            case .set(let s):
                guard let k = table(s) else { return nil }
                fixed(&shapes, k, 1)
            case .repeatNode(.set(let s), let lo, let hi) where lo == hi || shapes.allSatisfy({ $0.middle == nil }):
                guard let k = table(s) else { return nil }
                if lo == hi {
                    fixed(&shapes, k, lo)
                } else {
                    for i in shapes.indices { shapes[i].middle = (k, lo, hi ?? Int.max) }
                }
            case .repeatNode(let group, 0, 1):
                // An optional group of fixed classes (or an optional class after the one that
                // repeats): every shape with it and without it.
                var inner: [RegexNode] = []
                if case .concat(let g) = group { inner = g } else { inner = [group] }
                var classes: [Int] = []
                for n in inner {
                    switch n {
                    case .set(let s):
                        guard let k = table(s) else { return nil }
                        classes.append(k)
                    case .repeatNode(.set(let s), let lo, let hi) where lo == hi:
                        guard let k = table(s) else { return nil }
                        classes += Array(repeating: k, count: lo)
                    default: return nil
                    }
                }
                guard shapes.count * 2 <= Self.mostShapes else { return nil }
                var with = shapes
                for k in classes { fixed(&with, k, 1) }
                shapes += with
            default:
                return nil
            }
        }
        self.members = members
        self.shapes = shapes
    }

    /// Whether the whole cell matches one of the shapes.
    @inline(__always)
    func matches(_ cell: UnsafeBufferPointer<UInt8>, _ m: UnsafePointer<UInt8>) -> Bool {
        for shape in shapes where Self.matches(cell, shape, m) { return true }
        return false
    }

    @inline(__always)
    static func matches(_ cell: UnsafeBufferPointer<UInt8>, _ shape: Shape, _ m: UnsafePointer<UInt8>) -> Bool {
        let n = cell.count, fixed = shape.head.count + shape.tail.count
        guard n >= fixed else { return false }
        if let middle = shape.middle {
            guard n - fixed >= middle.min && n - fixed <= middle.max else { return false }
        } else if n != fixed {
            return false
        }
        var all: UInt8 = 1
        var i = 0
        for k in shape.head {
            all &= m[k &* 256 &+ Int(cell[i])]
            i += 1
        }
        if let middle = shape.middle {
            let row = m + middle.item * 256
            let stop = n - shape.tail.count
            while i < stop {
                all &= row[Int(cell[i])]
                i += 1
            }
        }
        for k in shape.tail {
            all &= m[k &* 256 &+ Int(cell[i])]
            i += 1
        }
        return all != 0
    }

    func matches(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        members.withUnsafeBufferPointer { matches(cell, $0.baseAddress!) }
    }

    /// `matches` for every cell of a column (a large one in two halves on two threads); only for the
    /// cells `mask` picks, when given (the others are false).
    func matchEach(_ column: TextColumn, where mask: [Bool]? = nil) -> [Bool] {
        let n = column.count
        var out = [Bool](repeating: false, count: n)
        out.withUnsafeMutableBufferPointer { o in
            let target = UncheckedSendable(o)
            let halves = Parallel.halves(n)
            _ = Parallel.map(halves, work: n / halves.count) { rows in
                members.withUnsafeBufferPointer { m in
                    if let mask {
                        column.withCells(rows) { i, cell in target.value[i] = mask[i] && matches(cell, m.baseAddress!) }
                    } else {
                        column.withCells(rows) { i, cell in target.value[i] = matches(cell, m.baseAddress!) }
                    }
                }
            }
        }
        return out
    }
}
