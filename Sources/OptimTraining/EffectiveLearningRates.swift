import OptimKit
import OptimData
/// The learning rate an optimizer actually applies to each coordinate, step by step, on the
/// airfoil regression: `|Δwᵢ / gᵢ|`, the length of the step taken in coordinate i per unit
/// of gradient.
///
/// For SGD this is η at every step. For Adagrad it is `η / sqrt(sᵢ + ε)` and for RMSProp
/// the same with the leaky average, which is what the chapters plot; for momentum
/// methods the ratio also carries the velocity's memory. Coordinates with a zero gradient
/// in a step get NaN there.
///
/// The run is `trainLinearRegression`'s, draw for draw: the same initial weights and the same
/// shuffles from `generator`, the same batches and updates (a test checks that the final
/// parameters agree bit for bit), without the loss recordings or the clock.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let rates = EffectiveLearningRates.airfoil(optimizer: AdaGrad(learningRate: 0.1), data: data,
///                                            batchSize: 10, epochs: 2, generator: &rng)
/// rates.perUpdate[0]    // six rates after the first update: w₀ … w₄, b
/// ```
public struct EffectiveLearningRates: Sendable {
    /// One row per update, one entry per parameter (`[w…, b]`).
    public let perUpdate: [[Double]]
    /// Parameters after the last update.
    public let parameters: [Double]

    public static func airfoil<O: Optimizer>(optimizer: O, data: AirfoilData, batchSize: Int, epochs: Int,
                                             generator: inout SeededGenerator) -> EffectiveLearningRates {
        requireValid(batchSize > 0 && epochs >= 0, "EffectiveLearningRates: bad configuration")
        var params = LinearRegression.initialParameters(featureCount: data.featureCount, generator: &generator)
        var state = optimizer.initialState(count: params.count)
        var gradient = [Double](repeating: 0, count: params.count)
        var batches = MinibatchIterator(count: data.count, batchSize: batchSize)
        var rows: [[Double]] = []
        rows.reserveCapacity(epochs * batches.batchCount)
        for _ in 0..<epochs {
            batches.shuffle(using: &generator)
            for k in 0..<batches.batchCount {
                LinearRegression.gradient(params, data: data, batch: batches.batch(k), into: &gradient)
                let before = params
                optimizer.update(&params, gradient: gradient, state: &state)
                rows.append(params.indices.map { i in
                    gradient[i] == 0 ? .nan : abs((params[i] - before[i]) / gradient[i])
                })
            }
        }
        return EffectiveLearningRates(perUpdate: rows, parameters: params)
    }

    /// The same ratio for a recorded 2-D run: one row per step, `[|Δx₁/g₁|, |Δx₂/g₂|]`.
    public static func run2D<O: Optimizer>(_ run: OptimizerRun2D<O>) -> [[Double]] {
        run.steps.map { step in
            [step.gradient.x == 0 ? .nan : abs(step.update.x / step.gradient.x),
             step.gradient.y == 0 ? .nan : abs(step.update.y / step.gradient.y)]
        }
    }
}
