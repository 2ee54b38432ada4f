import Foundation

/// A linear classifier s = W x + b with the softmax (cross-entropy) or multiclass SVM
/// (hinge) loss and an L2 penalty, as in the lecture notes' recap:
/// ```
/// softmax:  Lᵢ = −log( exp(s_yᵢ) / Σⱼ exp(sⱼ) )
/// SVM:      Lᵢ = Σ_{j ≠ yᵢ} max(0, sⱼ − s_yᵢ + 1)
/// L = (1/N) Σᵢ Lᵢ + λ Σ W²     (the bias is not penalised)
/// ```
/// Parameters are one flat vector, row by row: for class c, its `dimension` weights then its
/// bias, so any `Optimizer` can train it. The analytic gradient is checked against central
/// differences in the tests.
///
/// - `loss`: default `.softmax`. `regularization` λ: default 0.001.
///
/// ```swift
/// let model = LinearClassifier(classes: 3, dimension: 2)
/// var w = [Double](repeating: 0, count: model.parameterCount)
/// model.loss(w, on: data)        // log 3 ≈ 1.0986 for all-zero weights
/// let g = model.gradient(w, on: data)
/// ```
public struct LinearClassifier: Sendable, Equatable {
    public enum Loss: String, Sendable, Equatable, CaseIterable {
        case softmax
        case svm
    }

    public let classes: Int
    public let dimension: Int
    public var loss: Loss
    public var regularization: Double

    public init(classes: Int, dimension: Int, loss: Loss = .softmax, regularization: Double = 0.001) {
        self.classes = classes; self.dimension = dimension; self.loss = loss; self.regularization = regularization
    }

    public var parameterCount: Int { classes * (dimension + 1) }

    /// Class scores of one example.
    public func scores(_ params: [Double], _ x: [Double]) -> [Double] {
        let stride = dimension + 1
        return (0..<classes).map { c in
            var s = params[c * stride + dimension]
            for j in 0..<dimension { s += params[c * stride + j] * x[j] }
            return s
        }
    }

    /// The full loss, data term averaged over the examples plus the penalty.
    public func loss(_ params: [Double], on data: LabeledPoints) -> Double {
        lossAndGradient(params, on: data, wantGradient: false).loss
    }

    /// ∇L with respect to the flat parameter vector.
    public func gradient(_ params: [Double], on data: LabeledPoints) -> [Double] {
        lossAndGradient(params, on: data, wantGradient: true).gradient
    }

    /// Fraction of examples whose highest score is their label (ties go to the lower class).
    public func accuracy(_ params: [Double], on data: LabeledPoints) -> Double {
        guard data.count > 0 else { return 0 }
        var right = 0
        for (x, y) in zip(data.features, data.labels) {
            let s = scores(params, x)
            var best = 0
            for c in 1..<classes where s[c] > s[best] { best = c }
            if best == y { right += 1 }
        }
        return Double(right) / Double(data.count)
    }

    public func lossAndGradient(_ params: [Double], on data: LabeledPoints,
                                wantGradient: Bool = true) -> (loss: Double, gradient: [Double]) {
        requireValid(params.count == parameterCount, "LinearClassifier: expected \(parameterCount) parameters, got \(params.count)")
        let stride = dimension + 1
        var total = 0.0
        var grad = [Double](repeating: 0, count: wantGradient ? parameterCount : 0)
        var dScores = [Double](repeating: 0, count: classes)
        for (x, y) in zip(data.features, data.labels) {
            let s = scores(params, x)
            switch loss {
            case .softmax:
                // Shift by the largest score so exp never overflows; LayerMath keeps the bits
                // the same on every platform.
                let top = s.max() ?? 0
                let e = s.map { LayerMath.exp($0 - top) }
                let z = e.reduce(0, +)
                total += LayerMath.log(z) - (s[y] - top)
                for c in 0..<classes { dScores[c] = e[c] / z - (c == y ? 1 : 0) }
            case .svm:
                var violated = 0
                for c in 0..<classes {
                    dScores[c] = 0
                    guard c != y else { continue }
                    let margin = s[c] - s[y] + 1
                    if margin > 0 { total += margin; dScores[c] = 1; violated += 1 }
                }
                dScores[y] = -Double(violated)
            }
            guard wantGradient else { continue }
            for c in 0..<classes where dScores[c] != 0 {
                for j in 0..<dimension { grad[c * stride + j] += dScores[c] * x[j] }
                grad[c * stride + dimension] += dScores[c]
            }
        }
        let n = Double(max(data.count, 1))
        var penalty = 0.0
        for c in 0..<classes {
            for j in 0..<dimension {
                let w = params[c * stride + j]
                penalty += w * w
                if wantGradient { grad[c * stride + j] = grad[c * stride + j] / n + 2 * regularization * w }
            }
            if wantGradient { grad[c * stride + dimension] /= n }
        }
        return (total / n + regularization * penalty, grad)
    }

    /// Full-batch training from `start` with any optimizer; returns the final parameters and
    /// the loss before each step and after the last (steps + 1 values).
    public func descend<O: Optimizer>(_ optimizer: O, from start: [Double], steps: Int,
                                      on data: LabeledPoints) -> (params: [Double], losses: [Double]) {
        var loop = DescentLoop(optimizer: optimizer, start: start)
        var losses: [Double] = []
        loop.run(steps: steps) { w, g in
            let (l, gradient) = lossAndGradient(w, on: data)
            losses.append(l)
            g = gradient
        }
        losses.append(loss(loop.params, on: data))
        return (loop.params, losses)
    }
}
