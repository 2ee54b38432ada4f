import OptimKit
import OptimKernels
import OptimData
/// The linear model the chapter trains on the airfoil data, `ŷ = x·w + b`, with the
/// squared loss `(ŷ − y)² / 2` averaged over a batch.
///
/// Parameters are one flat vector `[w₀, …, w₄, b]`; every optimizer in this package acts
/// coordinate-wise, so treating `w` and `b` together changes nothing.
///
/// Gradient of the batch loss `L = (1/B) Σ (ŷᵢ − yᵢ)² / 2`:
/// `∂L/∂w = (1/B) Σ (ŷᵢ − yᵢ) xᵢ`, `∂L/∂b = (1/B) Σ (ŷᵢ − yᵢ)`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let params = LinearRegression.initialParameters(featureCount: 5, generator: &rng)
/// let loss = LinearRegression.loss(params, data: data)   // mean over all rows
/// ```
public enum LinearRegression {
    /// `w ~ N(0, 0.01²)` drawn in order, then `b = 0`, as the book initialises.
    public static func initialParameters(featureCount: Int, standardDeviation: Double = 0.01,
                                         generator: inout SeededGenerator) -> [Double] {
        var params = [Double](repeating: 0, count: featureCount + 1)
        for j in 0..<featureCount {
            params[j] = generator.normal(mean: 0, standardDeviation: standardDeviation)
        }
        return params
    }

    /// The prediction for row `row`.
    @inline(__always)
    static func predict(_ params: [Double], _ data: AirfoilData, row: Int) -> Double {
        let d = data.featureCount
        let base = row * d
        var yHat = 0.0
        for j in 0..<d { yHat += data.features[base + j] * params[j] }
        return yHat + params[d]
    }

    /// Mean of `(ŷ − y)² / 2` over every example.
    public static func loss(_ params: [Double], data: AirfoilData) -> Double {
        requireValid(params.count == data.featureCount + 1,
                     "LinearRegression.loss: expected \(data.featureCount + 1) parameters (weights and bias), got \(params.count)")
        var total = 0.0
        for i in 0..<data.count {
            let r = predict(params, data, row: i) - data.targets[i]
            total += r * r / 2
        }
        return total / Double(data.count)
    }

    /// Writes the gradient of the mean batch loss into `gradient` (overwriting it) and
    /// returns the batch's summed squared residual, so callers can notice divergence.
    ///
    /// Plain indexed loops, no closures: closures that capture and mutate locals can cost
    /// a heap allocation per call when not inlined, and this runs once per update.
    @discardableResult
    public static func gradient(_ params: [Double], data: AirfoilData, batch: ArraySlice<Int>,
                                into gradient: inout [Double]) -> Double {
        let d = data.featureCount
        requireValid(params.count == d + 1 && gradient.count == d + 1,
                     "LinearRegression.gradient: expected \(d + 1) parameters and gradient entries, got \(params.count) and \(gradient.count)")
        for j in 0...d { gradient[j] = 0 }
        var squares = 0.0
        for i in batch {
            let r = predict(params, data, row: i) - data.targets[i]
            squares += r * r
            let base = i * d
            for j in 0..<d { gradient[j] += r * data.features[base + j] }
            gradient[d] += r
        }
        let n = Double(batch.count)
        for j in 0...d { gradient[j] /= n }
        return squares
    }

    /// The same for a batch given as an array of indices.
    @discardableResult
    public static func gradient(_ params: [Double], data: AirfoilData, batch: [Int],
                                into gradient: inout [Double]) -> Double {
        self.gradient(params, data: data, batch: batch[...], into: &gradient)
    }
}
