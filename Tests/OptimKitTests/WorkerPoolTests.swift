@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// `WorkerPool` must run every index of a loop exactly once, also when loops are started
/// from inside an iteration or from several threads at once (those run on the caller).
@Suite struct WorkerPoolTests {
    /// The suite's own pool, so its worker threads are used even while other suites keep
    /// `WorkerPool.shared` busy; the tests of this suite run at once and share it, which
    /// exercises the busy path too. (Its threads are never stopped.)
    static let pool = WorkerPool(workers: 3)

    /// Adds `index + 1` to `counts[index]` for every index of a loop of `count` iterations.
    static func fill(_ pool: WorkerPool, _ counts: UnsafeMutablePointer<Int>, _ count: Int) {
        withUnsafePointer(to: SendableMutablePointer(counts)) { arguments in
            pool.run(count, arguments: UnsafeRawPointer(arguments)) { raw, index in
                raw.load(as: SendableMutablePointer<Int>.self).base[index] += index + 1
            }
        }
    }

    @Test func everyIndexRunsExactlyOnce() {
        for count in [0, 1, 2, 7, 1000] {
            var counts = [Int](repeating: 0, count: count)
            for _ in 0..<3 {
                counts.withUnsafeMutableBufferPointer { Self.fill(Self.pool, $0.baseAddress!, count) }
            }
            #expect(counts == (0..<count).map { 3 * ($0 + 1) })
        }
    }

    @Test func loopStartedInsideAnIterationRunsOnTheCaller() {
        let outer = 8, inner = 50
        var counts = [Int](repeating: 0, count: outer * inner)
        counts.withUnsafeMutableBufferPointer { buffer in
            withUnsafePointer(to: SendableMutablePointer(buffer.baseAddress!)) { arguments in
                Self.pool.run(outer, arguments: UnsafeRawPointer(arguments)) { raw, index in
                    let rows = raw.load(as: SendableMutablePointer<Int>.self).base
                    WorkerPoolTests.fill(WorkerPoolTests.pool, rows + index * inner, inner)
                }
            }
        }
        #expect(counts == (0..<(outer * inner)).map { $0 % inner + 1 })
    }

    @Test func loopsFromSeveralThreadsAtOnce() {
        let callers = 4, count = 300
        let results = UnsafeMutablePointer<Int>.allocate(capacity: callers * count)
        defer { results.deallocate() }
        results.initialize(repeating: 0, count: callers * count)
        let shared = SendableMutablePointer(results)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<20 { WorkerPoolTests.fill(WorkerPoolTests.pool, shared.base + caller * count, count) }
        }
        let expected = (0..<(callers * count)).map { 20 * ($0 % count + 1) }
        #expect(Array(UnsafeBufferPointer(start: results, count: callers * count)) == expected)
    }

    /// A pool whose threads never poll: every hand-off goes through the condition variables
    /// (workers asleep, a caller that sleeps until the last index has finished), the path a
    /// polling pool takes only after 200 µs of idleness.
    static let sleepingPool = WorkerPool(workers: 2, spinMicroseconds: 0)

    @Test func poolThatNeverPollsRunsEveryIndexExactlyOnce() {
        for count in [2, 3, 64, 1000] {
            var counts = [Int](repeating: 0, count: count)
            for _ in 0..<50 {
                counts.withUnsafeMutableBufferPointer { Self.fill(Self.sleepingPool, $0.baseAddress!, count) }
            }
            #expect(counts == (0..<count).map { 50 * ($0 + 1) })
        }
    }

    @Test func concurrentForPassesTheContext() {
        var out = [Int](repeating: 0, count: 64)
        out.withUnsafeMutableBufferPointer { buffer in
            concurrentFor(64, context: (SendableMutablePointer(buffer.baseAddress!), 10)) { context, i in
                let (target, offset) = context
                target.base[i] = i * i + offset
            }
        }
        #expect(out == (0..<64).map { $0 * $0 + 10 })
    }
}
