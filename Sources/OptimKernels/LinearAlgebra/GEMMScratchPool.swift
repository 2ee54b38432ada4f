import OptimKit
import Synchronization
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Packing scratch for `GEMM` products called without a `GEMMWorkspace` (`matmul`, the
/// plain `GEMM.multiply`), kept between calls so that repeated products reuse the same,
/// huge-page backed memory instead of asking `malloc` every time.
///
/// Why: a large product needs megabytes of scratch (a 2048 × 2048 f64 product on two cores:
/// about 5 MB, a packed band of A and a piece of B per core). Freshly allocated on every call,
/// that memory can be new pages each time, which the kernel must map and zero while the
/// product waits. On the 2-core machine, with the same code otherwise (5 Dec 2026, three runs
/// of three trials each): 1024 × 1024 f32 at 170-201 GFLOPS allocating per call, 192-206 with
/// the pool; the first trial at 512 × 512 f64 at 76-80 against 100-104. Large buffers are
/// placed on 2 MiB transparent huge pages, as numpy does for its arrays: fewer TLB misses
/// while a task streams its band of A (not measured separately).
///
/// How it behaves:
/// - `withMemory(bytes:_:)` lends a 64-byte aligned buffer of at least `bytes` bytes for the
///   duration of the body: the smallest free one that is large enough, or a new one. Buffers
///   of `hugePageThreshold` bytes or more are rounded up to whole huge pages, aligned to
///   2 MiB and marked `MADV_HUGEPAGE` (Linux) before first use.
/// - Products running at the same time on different threads borrow different buffers.
/// - At most `retainedLimit` buffers and `retainedByteLimit` bytes are kept; beyond that the
///   smallest are released when returned. Results never depend on which buffer is lent.
final class GEMMScratchPool: Sendable {
    /// The process-wide pool used by `GEMM` without a workspace.
    static let shared = GEMMScratchPool()

    /// Buffers at least this large are placed on huge pages.
    static let hugePageThreshold = 256 << 10

    let retainedLimit: Int
    let retainedByteLimit: Int

    /// A buffer's address and size. It moves between threads only through the mutex, and
    /// only one borrower holds it at a time: hence the unchecked conformance.
    private struct Buffer: @unchecked Sendable {
        var address: UnsafeMutableRawPointer
        var byteCount: Int
    }

    private let available = Mutex<[Buffer]>([])

    init(retainedLimit: Int = max(4, GEMM.coreCount), retainedByteLimit: Int = 128 << 20) {
        self.retainedLimit = retainedLimit
        self.retainedByteLimit = retainedByteLimit
    }

    deinit {
        available.withLock { buffers in
            for buffer in buffers { Self.release(buffer.address) }
            buffers.removeAll()
        }
    }

    /// Bytes currently kept for reuse (not lent out).
    var retainedByteCount: Int { available.withLock { $0.reduce(0) { $0 + $1.byteCount } } }

    /// Runs `body` with a buffer of at least `bytes` bytes (64-byte aligned), lent from the pool.
    func withMemory<R>(bytes: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let wanted = max(bytes, 64)
        let lent = available.withLock { buffers -> Buffer? in
            // The smallest free buffer that fits, so one large product's buffer is not
            // taken by a small one while a large one could use it.
            var best: Int?
            for (index, buffer) in buffers.enumerated() where buffer.byteCount >= wanted {
                if best.map({ buffer.byteCount < buffers[$0].byteCount }) ?? true { best = index }
            }
            return best.map { buffers.remove(at: $0) }
        } ?? Self.allocate(wanted)
        defer { giveBack(lent) }
        return try body(lent.address)
    }

    private func giveBack(_ buffer: Buffer) {
        // A buffer larger than the whole byte limit is not kept (it would evict every other).
        if buffer.byteCount > retainedByteLimit {
            Self.release(buffer.address)
            return
        }
        let released = available.withLock { buffers -> [Buffer] in
            buffers.append(buffer)
            buffers.sort { $0.byteCount > $1.byteCount }
            var dropped: [Buffer] = []
            var total = buffers.reduce(0) { $0 + $1.byteCount }
            while buffers.count > retainedLimit || (total > retainedByteLimit && !buffers.isEmpty) {
                let smallest = buffers.removeLast()
                total -= smallest.byteCount
                dropped.append(smallest)
            }
            return dropped
        }
        for buffer in released { Self.release(buffer.address) }
    }

    private static func allocate(_ bytes: Int) -> Buffer {
        let huge = bytes >= hugePageThreshold
        let size = huge ? (bytes + HugePages.size - 1) / HugePages.size * HugePages.size : bytes
        var address: UnsafeMutableRawPointer?
        if posix_memalign(&address, huge ? HugePages.size : 64, size) != 0 || address == nil {
            misuse("GEMM: could not allocate \(size) bytes of packing scratch")
        }
        if huge { HugePages.advise(address!, byteCount: size) }
        return Buffer(address: address!, byteCount: size)
    }

    /// Both kinds of buffer come from `posix_memalign`, so the C library's `free` releases them.
    private static func release(_ address: UnsafeMutableRawPointer) {
        free(address)
    }
}
