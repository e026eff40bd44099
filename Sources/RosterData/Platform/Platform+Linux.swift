#if canImport(Glibc)
@preconcurrency import Glibc

/// glibc's `mallopt`, which its Swift module does not import (malloc.h).
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

extension SystemCall {
    /// Blocks of 4 MiB and more (columns, indexes) come straight from the system and go back to it when freed,
    /// rather than staying in the heap after a larger block was freed: glibc otherwise raises this
    /// threshold as a program frees blocks (up to 32 MiB), and a table's freed columns stay resident.
    public static func returnLargeBlocksWhenFreed() {
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        _ = glibcMallopt(mmapThreshold, 1 << 22)
    }

    /// Where Linux keeps a signal action's handler.
    static func setHandler(_ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
        action.__sigaction_handler.sa_handler = handler
    }
}
#endif
