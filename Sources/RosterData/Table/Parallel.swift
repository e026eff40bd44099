import RosterDiagnostics
import Dispatch

/// Column-wise work spread over the machine's cores. Columns are independent values, so each can be
/// built on its own thread; small jobs stay on the calling thread.
package enum Parallel {
    /// `work` for jobs that are always worth a thread each (the halves of a large file).
    package static let always = Int.max / 64

    /// Rows from which a column is worth splitting between two threads: a thread costs tens of
    /// microseconds to hand work to, a half of this many rows a millisecond or so to work through.
    package static let rows = 32_768

    /// Bytes from which a file is worth reading, checking or parsing in two halves (and mapping
    /// rather than copying): a 920 KB file of 10,000 users then loads in about half the time.
    package static let bytes = 1 << 18

    /// Starts the pool's first worker thread now, so that it is being made while the script is read
    /// and parsed rather than when the first step splits its work and must wait for it (the job on
    /// 10,000 rows and start-up: 3–7% less wall time in alternating runs).
    package static func warmUp() {
        later {}
    }

    /// Runs `work` on the thread pool without waiting for it.
    package static func later(_ work: @escaping @Sendable () -> Void) {
        DispatchQueue.global().async(execute: work)
    }

    /// The rows `0..<n` as two halves when there are enough to be worth two threads, else as one range.
    package static func halves(_ n: Int) -> [Range<Int>] {
        n >= rows ? [0..<n / 2, n / 2..<n] : [0..<n]
    }

    /// `body` over `items`, one thread per item when `work` (rows or bytes per item) makes it worth it.
    package static func map<T: Sendable, R: Sendable>(_ items: [T], work: Int, _ body: @Sendable (T) -> R) -> [R] {
        if items.count < 2 || work < rows / items.count { return items.map(body) }
        let slots = Slots<R>(count: items.count)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                slots.set(i, body(items[i]))
            }
        }
        return slots.values
    }

    /// One slot per item, each written by exactly one thread.
    final class Slots<R>: @unchecked Sendable {
        private var storage: [R?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: R) { storage.withUnsafeMutableBufferPointer { $0[i] = v } }
        var values: [R] { storage.map { $0! } }
    }
}

/// Hands values that are only read to another thread (the session and tables during a parallel `set`).
package struct UncheckedSendable<T>: @unchecked Sendable {
    package let value: T
    package init(_ value: T) { self.value = value }
}
