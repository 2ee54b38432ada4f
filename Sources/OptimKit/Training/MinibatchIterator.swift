/// Splits `count` examples into minibatches, with a fresh seeded shuffle every epoch.
///
/// Each epoch visits every example exactly once (sampling without replacement); the
/// last batch is smaller when `batchSize` does not divide `count`, rather than being
/// dropped. The order is rebuilt from `0..<count` before each shuffle, so an epoch's
/// order depends only on the generator, not on the previous epoch.
///
/// Batches are slices of one index buffer: iterating allocates nothing after the first
/// epoch.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// var batches = MinibatchIterator(count: 1500, batchSize: 10)
/// batches.shuffle(using: &rng)           // start of an epoch
/// for batch in batches.batches { ... }   // 150 slices of 10 indices
/// ```
public struct MinibatchIterator: Sendable, Equatable {
    public let count: Int
    public let batchSize: Int
    /// The current epoch's order of example indices.
    public private(set) var order: [Int]

    public init(count: Int, batchSize: Int) {
        requireValid(count >= 0, "MinibatchIterator: count must not be negative, got \(count)")
        requireValid(batchSize > 0, "MinibatchIterator: batchSize must be positive, got \(batchSize)")
        self.count = count
        self.batchSize = batchSize
        self.order = Array(0..<count)
    }

    /// Batches per epoch, the last one possibly partial.
    public var batchCount: Int { (count + batchSize - 1) / batchSize }

    /// Starts an epoch: a uniformly random order of all examples (Fisher–Yates on
    /// `0..<count`, the same permutation `rng.permutation(count)` would return).
    public mutating func shuffle(using rng: inout SeededGenerator) {
        for i in order.indices { order[i] = i }
        // Fisher–Yates written out for `[Int]` rather than calling the generic
        // `rng.shuffle(&order)`: in debug builds (no whole-module optimisation) the generic
        // version is not specialised across files and allocates on every swap.
        // Same draws in the same order, so the result is identical.
        var i = count - 1
        while i > 0 {
            let j = rng.integer(below: i + 1)
            let held = order[i]
            order[i] = order[j]
            order[j] = held
            i -= 1
        }
    }

    /// The `index`-th batch of the current epoch.
    public func batch(_ index: Int) -> ArraySlice<Int> {
        let start = index * batchSize
        return order[start..<min(start + batchSize, count)]
    }

    /// All batches of the current epoch, in order.
    public var batches: [ArraySlice<Int>] { (0..<batchCount).map(batch) }
}
