@testable import OptimKit
@testable import OptimKernels
import Dispatch
import Foundation
import Synchronization
import Testing

/// `GEMMScratchPool` lends each borrower its own memory, reuses what was returned, places
/// large buffers on 2 MiB boundaries and keeps no more than its limits.
@Suite struct GEMMScratchPoolTests {
    @Test func reusesTheSmallestBufferThatFits() {
        let pool = GEMMScratchPool()
        let small = pool.withMemory(bytes: 1000) { Int(bitPattern: $0) }
        let large = pool.withMemory(bytes: 3 << 20) { Int(bitPattern: $0) }
        #expect(pool.retainedByteCount == 1000 + (4 << 20))   // the large one rounded to two huge pages
        #expect(pool.withMemory(bytes: 900) { Int(bitPattern: $0) } == small)
        #expect(pool.withMemory(bytes: 2000) { Int(bitPattern: $0) } == large)
        #expect(pool.withMemory(bytes: 3 << 20) { Int(bitPattern: $0) } == large)
        #expect(large % HugePages.size == 0)
        #expect(small % 64 == 0)
    }

    @Test func nestedBorrowersGetDisjointMemory() {
        let pool = GEMMScratchPool()
        pool.withMemory(bytes: 4096) { outer in
            outer.initializeMemory(as: UInt8.self, repeating: 1, count: 4096)
            pool.withMemory(bytes: 4096) { inner in
                #expect(inner != outer)
                inner.initializeMemory(as: UInt8.self, repeating: 2, count: 4096)
            }
            let bytes = UnsafeRawBufferPointer(start: outer, count: 4096)
            #expect(bytes.allSatisfy { $0 == 1 })
        }
    }

    /// Threads borrowing at the same time each fill their buffer with their own value and
    /// check it is intact afterwards: a buffer lent twice at once would be overwritten.
    @Test func concurrentBorrowersDoNotShare() {
        let pool = GEMMScratchPool(retainedLimit: 2)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let count = 1000 + index * 37
            pool.withMemory(bytes: count * MemoryLayout<Int>.stride) { memory in
                let values = memory.bindMemory(to: Int.self, capacity: count)
                values.initialize(repeating: index, count: count)
                for _ in 0..<200 { usleep(0) }
                if !(0..<count).allSatisfy({ values[$0] == index }) { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        // At most two of the 64 buffers are kept, each of at most the largest request.
        #expect(pool.retainedByteCount <= 2 * (1000 + 63 * 37) * MemoryLayout<Int>.stride)
    }

    /// A body that throws still gives its buffer back.
    @Test func throwingBodyReturnsItsBuffer() {
        struct Failure: Error {}
        let pool = GEMMScratchPool()
        let first = try? pool.withMemory(bytes: 5000) { memory -> Int in throw Failure() }
        #expect(first == nil)
        #expect(pool.retainedByteCount == 5000)
    }

    /// A buffer larger than the whole byte limit is released at once and evicts nothing.
    @Test func aBufferOverTheByteLimitIsNotKept() {
        let pool = GEMMScratchPool(retainedLimit: 4, retainedByteLimit: 1 << 20)
        pool.withMemory(bytes: 1000) { _ in }
        pool.withMemory(bytes: 2 << 20) { _ in }
        #expect(pool.retainedByteCount == 1000)
    }

    /// Huge-page advice covers only the whole 2 MiB pages inside a buffer, never memory around it.
    @Test func hugePageAdviceStaysInsideTheBuffer() {
        let page = HugePages.size
        #expect(HugePages.wholePages(from: page, byteCount: 3 * page) == page..<(4 * page))
        #expect(HugePages.wholePages(from: page + 64, byteCount: 3 * page) == (2 * page)..<(4 * page))
        #expect(HugePages.wholePages(from: page + 64, byteCount: page) == nil)
        #expect(HugePages.wholePages(from: 5 * page - 1, byteCount: page + 2) == (5 * page)..<(6 * page))
        #expect(HugePages.wholePages(from: 5 * page - 1, byteCount: page) == nil)
    }

    @Test func keepsNoMoreThanItsLimits() {
        let pool = GEMMScratchPool(retainedLimit: 2, retainedByteLimit: 5 << 20)
        // Three borrowed at once, then all returned: only the two largest may stay.
        pool.withMemory(bytes: 100) { _ in
            pool.withMemory(bytes: 200) { _ in
                pool.withMemory(bytes: 300) { _ in }
            }
        }
        #expect(pool.retainedByteCount == 300 + 200)
        // Two 4 MiB buffers returned: the count limit drops the 200- and 300-byte ones (the
        // smallest go first), then the byte limit one of the 4 MiB buffers.
        pool.withMemory(bytes: 4 << 20) { _ in
            pool.withMemory(bytes: 4 << 20) { _ in }
        }
        #expect(pool.retainedByteCount == 4 << 20)
    }
}
