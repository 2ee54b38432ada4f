/// The spread of one measured quantity over repeated runs (one value per seed).
///
/// Non-finite values (a run that diverged) are not averaged: they are counted in
/// `nonFiniteCount` and every statistic below is taken over the finite values, so a summary
/// never hides a divergence inside a NaN mean.
///
/// ```
/// mean  x̄ = Σ xᵢ / n
/// sd    s = sqrt(Σ (xᵢ − x̄)² / (n − 1))     (0 when n = 1)
/// se    s / sqrt(n)                         standard error of the mean
/// median: the middle value of the sorted finite values (mean of the two middle ones for even n)
/// ```
/// Sums run in seed order with plain IEEE additions, so a summary is bit-identical on every
/// machine.
///
/// ```swift
/// let s = RunSummary([0.25, 0.24, 0.26])
/// s.mean                 // 0.25
/// s.standardDeviation    // 0.01
/// s.count { $0 < 0.255 } // 2
/// ```
public struct RunSummary: Sendable, Equatable {
    /// Every value in run order, finite or not.
    public let values: [Double]
    /// The finite values in run order.
    public let finiteValues: [Double]
    public let mean: Double
    public let standardDeviation: Double
    public let median: Double
    public let minimum: Double
    public let maximum: Double

    public init(_ values: [Double]) {
        if values.isEmpty { misuse("RunSummary: needs at least one run") }
        self.values = values
        let finite = values.filter(\.isFinite)
        finiteValues = finite
        let n = Double(finite.count)
        if finite.isEmpty {
            mean = .nan; standardDeviation = .nan; median = .nan; minimum = .nan; maximum = .nan
            return
        }
        var sum = 0.0
        for v in finite { sum += v }
        let m = sum / n
        var squares = 0.0
        for v in finite { squares += (v - m) * (v - m) }
        mean = m
        standardDeviation = finite.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        let sorted = finite.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
    }

    /// Number of runs, finite or not.
    public var runs: Int { values.count }
    /// Runs whose value is NaN or infinite.
    public var nonFiniteCount: Int { values.count - finiteValues.count }
    /// `s / sqrt(n)` over the finite values (NaN without any).
    public var standardError: Double {
        finiteValues.isEmpty ? .nan : standardDeviation / Double(finiteValues.count).squareRoot()
    }

    /// Runs whose value meets `criterion` (a non-finite value never does).
    public func count(where criterion: (Double) -> Bool) -> Int {
        finiteValues.reduce(0) { $0 + (criterion($1) ? 1 : 0) }
    }
}

/// Pointwise summaries of curves recorded by repeated runs (e.g. loss per epoch, one curve
/// per seed): `summaries[k]` is the `RunSummary` of every curve's k-th point. Curves may
/// differ in length (a diverged run stops early); point k summarises the curves that reach it.
///
/// ```swift
/// let band = CurveSummary([[1, 0.5], [1, 0.7]])
/// band.means      // [1, 0.6]
/// band.minima     // [1, 0.5]
/// ```
public struct CurveSummary: Sendable, Equatable {
    public let summaries: [RunSummary]

    public init(_ curves: [[Double]]) {
        if curves.isEmpty { misuse("CurveSummary: needs at least one curve") }
        let length = curves.map(\.count).max() ?? 0
        summaries = (0..<length).map { k in RunSummary(curves.compactMap { k < $0.count ? $0[k] : nil }) }
    }

    public var means: [Double] { summaries.map(\.mean) }
    public var minima: [Double] { summaries.map(\.minimum) }
    public var maxima: [Double] { summaries.map(\.maximum) }
}

/// Runs one experiment once per seed index: run `i` receives its own generator, derived
/// from `seed` and `i` alone (SplitMix64 of the pair), so the runs are independent streams,
/// adding runs leaves the earlier ones unchanged, and the results are bit-identical from
/// one execution to the next.
///
/// ```swift
/// let losses = RepeatedRuns.run(count: 5, seed: 42) { i, rng in train(&rng).finalLoss }
/// let summary = RunSummary(losses)
/// ```
public enum RepeatedRuns {
    /// The generator of run `index` for the experiment seeded with `seed`.
    public static func generator(seed: UInt64, index: Int) -> SeededGenerator {
        if index < 0 { misuse("RepeatedRuns: run index must not be negative, got \(index)") }
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return SeededGenerator(seed: z ^ (z >> 31))
    }

    public static func run<T>(count: Int, seed: UInt64, _ body: (_ index: Int, _ generator: inout SeededGenerator) throws -> T) rethrows -> [T] {
        if count <= 0 { misuse("RepeatedRuns: count must be positive, got \(count)") }
        var results: [T] = []
        results.reserveCapacity(count)
        for i in 0..<count {
            var rng = generator(seed: seed, index: i)
            results.append(try body(i, &rng))
        }
        return results
    }
}
