/// AdaMax (Kingma and Ba 2014, section 7): Adam with the root-mean-square scale replaced
/// by an exponentially weighted infinity norm, which needs no bias correction and no
/// square root.
///
/// Update rule, `t` from 1:
/// ```
/// v ← β₁ v + (1 − β₁) g
/// u ← max(β₂ u, |g| + ε)
/// w ← w − (η / (1 − β₁ᵗ)) · v / u
/// ```
///
/// - `learningRate` η: default 0.002 (the paper's suggestion).
/// - `beta1` β₁: 0.9. `beta2` β₂: 0.999.
/// - `epsilon` ε: default 1e-8, added to `|g|` as PyTorch does so that `u` is never zero
///   (the paper has no ε; pass 0 to get it exactly, at the risk of 0/0 for a coordinate
///   whose gradient has always been zero).
///
/// ```swift
/// let opt = AdaMax(learningRate: 0.002)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [-3.0], state: &s)   // v = -0.3, u ≈ 3, w ≈ 1.002
/// ```
public struct AdaMax: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var step: Int
        public var firstMoment: [Double]
        /// Exponentially weighted infinity norm `u`.
        public var infinityNorm: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaMax") }
    }
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    public init(learningRate: Double = 0.002, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaMax")
        Hyperparameter.fraction.check("beta1", beta1, in: "AdaMax")
        Hyperparameter.fraction.check("beta2", beta2, in: "AdaMax")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "AdaMax")
    }

    public func initialState(count: Int) -> State {
        let zeros = [Double](repeating: 0, count: count)
        return State(step: 0, firstMoment: zeros, infinityNorm: zeros)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.infinityNorm.count, who: "AdaMax")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let b2 = beta2, eps = epsilon
        let stepSize = learningRate / moments.firstCorrection
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let u = max(b2 * state.infinityNorm[i], abs(g) + eps)
            state.firstMoment[i] = v
            state.infinityNorm[i] = u
            params[i] = Scalar(params[i].doubleValue - stepSize * v / u)
        }
    }
}
