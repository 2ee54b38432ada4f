@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing

@Suite struct MinibatchIteratorTests {
    @Test func everyExampleOncePerEpochWithAPartialLastBatch() {
        var rng = SeededGenerator(seed: 3)
        var it = MinibatchIterator(count: 23, batchSize: 5)
        #expect(it.batchCount == 5)
        it.shuffle(using: &rng)
        let sizes = it.batches.map(\.count)
        #expect(sizes == [5, 5, 5, 5, 3])
        #expect(it.batches.flatMap { Array($0) }.sorted() == Array(0..<23))
    }

    @Test func freshShuffleEachEpochAndReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        var first = MinibatchIterator(count: 100, batchSize: 10)
        var second = MinibatchIterator(count: 100, batchSize: 10)
        first.shuffle(using: &a)
        let epoch1 = first.order
        first.shuffle(using: &a)
        let epoch2 = first.order
        #expect(epoch1 != epoch2)
        #expect(epoch1 != Array(0..<100))
        second.shuffle(using: &b)
        #expect(second.order == epoch1)
        // Each epoch is exactly the generator's permutation of 0..<n (independent of the previous order).
        var c = SeededGenerator(seed: 42)
        #expect(c.permutation(100) == epoch1)
        #expect(c.permutation(100) == epoch2)
    }

    @Test func exactDivisionAndSingleExampleBatches() {
        var rng = SeededGenerator(seed: 1)
        var it = MinibatchIterator(count: 1500, batchSize: 10)
        it.shuffle(using: &rng)
        #expect(it.batchCount == 150)
        #expect(it.batches.allSatisfy { $0.count == 10 })
        var ones = MinibatchIterator(count: 4, batchSize: 1)
        ones.shuffle(using: &rng)
        #expect(ones.batches.map { $0.first! }.sorted() == [0, 1, 2, 3])
        let whole = MinibatchIterator(count: 7, batchSize: 100)
        #expect(whole.batchCount == 1 && whole.batch(0).count == 7)
    }
}
