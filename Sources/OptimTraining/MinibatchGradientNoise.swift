import OptimKit
import OptimKernels
import OptimData
/// How far minibatch gradients of the linear model stray from the full gradient, measured
/// against the prediction for sampling without replacement.
///
/// With per-example gradients `gᵢ` (i = 1…N), their mean `μ` (the full gradient) and total
/// variance `σ² = (1/N) Σ ‖gᵢ − μ‖²`, the mean of a batch of b distinct examples drawn
/// uniformly satisfies
///
///     E ‖g_𝓑 − μ‖² = σ²/b · (N − b)/(N − 1)
///
/// (the second factor is the finite-population correction; it is 1 for b = 1 and 0 for
/// b = N). `measure` evaluates both sides at one parameter vector: the predicted and the
/// empirical root-mean-square deviation over many batches cut from fresh shuffles, exactly
/// as the training loop forms them.
///
/// - `batchSizes`: the b to try (each must be at most N).
/// - `batches`: full batches drawn per batch size (default 3000).
///
/// ```swift
/// var initRNG = SeededGenerator(seed: 1), batchRNG = SeededGenerator(seed: 2)
/// let noise = MinibatchGradientNoise.measure(data: data, batchSizes: [1, 10, 100],
///                                   parameterGenerator: &initRNG, batchGenerator: &batchRNG)
/// noise.rows[1].measured   // close to noise.rows[1].predicted
/// ```
public struct MinibatchGradientNoise: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var batchSize: Int
        /// `√(σ²/b · (N − b)/(N − 1))`.
        public var predicted: Double
        /// Root-mean-square of `‖g_𝓑 − μ‖` over the drawn batches.
        public var measured: Double
    }

    /// The parameters at which the gradients were taken (`[w…, b]`).
    public var parameters: [Double]
    /// `σ²`, the total variance of the per-example gradients.
    public var totalVariance: Double
    public var rows: [Row]

    /// Draws the parameters like the training loop (`w ~ N(0, 0.01²)`, `b = 0`) from
    /// `parameterGenerator`, then measures every batch size with batches from `batchGenerator`.
    public static func measure(data: AirfoilData, batchSizes: [Int], batches: Int = 3000,
                               parameterGenerator: inout SeededGenerator,
                               batchGenerator: inout SeededGenerator) -> MinibatchGradientNoise {
        let params = LinearRegression.initialParameters(featureCount: data.featureCount, generator: &parameterGenerator)
        return measure(data: data, parameters: params, batchSizes: batchSizes, batches: batches, generator: &batchGenerator)
    }

    /// Measures at the given parameters.
    public static func measure(data: AirfoilData, parameters params: [Double], batchSizes: [Int], batches: Int = 3000,
                               generator: inout SeededGenerator) -> MinibatchGradientNoise {
        let n = data.count, dim = params.count
        requireValid(n > 1 && batches > 0,
                     "MinibatchGradientNoise: need at least two examples and one batch, got \(n) examples and \(batches) batches")
        var perExample = [[Double]]()
        perExample.reserveCapacity(n)
        var g = [Double](repeating: 0, count: dim)
        for i in 0..<n {
            LinearRegression.gradient(params, data: data, batch: [i], into: &g)
            perExample.append(g)
        }
        var mean = [Double](repeating: 0, count: dim)
        for gi in perExample { for j in 0..<dim { mean[j] += gi[j] } }
        for j in 0..<dim { mean[j] /= Double(n) }
        var variance = 0.0
        for gi in perExample { for j in 0..<dim { let d = gi[j] - mean[j]; variance += d * d } }
        variance /= Double(n)

        var rows = [Row]()
        for b in batchSizes {
            requireValid(b >= 1 && b <= n, "MinibatchGradientNoise: batch size must be in 1...\(n), got \(b)")
            var iterator = MinibatchIterator(count: n, batchSize: b)
            var drawn = 0, squares = 0.0
            while drawn < batches {
                iterator.shuffle(using: &generator)
                for k in 0..<iterator.batchCount where drawn < batches {
                    let batch = iterator.batch(k)
                    guard batch.count == b else { continue }   // skip a partial last batch
                    LinearRegression.gradient(params, data: data, batch: batch, into: &g)
                    for j in 0..<dim { let d = g[j] - mean[j]; squares += d * d }
                    drawn += 1
                }
            }
            let predicted = (variance / Double(b) * Double(n - b) / Double(n - 1)).squareRoot()
            rows.append(Row(batchSize: b, predicted: predicted, measured: (squares / Double(batches)).squareRoot()))
        }
        return MinibatchGradientNoise(parameters: params, totalVariance: variance, rows: rows)
    }
}
