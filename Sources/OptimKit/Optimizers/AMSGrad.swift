/// AMSGrad (Reddi, Kale and Kumar 2018): Adam that divides by the largest second moment
/// seen so far, so the scale a coordinate is divided by never shrinks (in this bias-corrected
/// form the step can still grow slightly while 1 − β₂ᵗ approaches 1). This repairs the
/// examples on which Adam provably fails to converge.
///
/// Update rule, `t` from 1 (the bias-corrected form PyTorch uses with `amsgrad: true`):
/// ```
/// v ← β₁ v + (1 − β₁) g          s ← β₂ s + (1 − β₂) g²
/// m ← max(m, s)
/// w ← w − η (v / (1 − β₁ᵗ)) / (sqrt(m / (1 − β₂ᵗ)) + ε)
/// ```
///
/// - `learningRate` η: no default.
/// - `beta1` β₁: 0.9. `beta2` β₂: 0.999.
/// - `epsilon` ε: default 1e-6, matching this project's Adam (PyTorch: 1e-8).
/// - `epsilonPlacement`: default `.outsideRoot`.
///
/// ```swift
/// let opt = AMSGrad(learningRate: 0.01)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [4.0], state: &s)   // same first step as Adam
/// ```
public struct AMSGrad: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var step: Int
        public var firstMoment: [Double]
        public var secondMoment: [Double]
        /// Running maximum of the second moment, `m`.
        public var maxSecondMoment: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AMSGrad") }
    }
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-6, epsilonPlacement: EpsilonPlacement = .outsideRoot) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AMSGrad")
        Hyperparameter.fraction.check("beta1", beta1, in: "AMSGrad")
        Hyperparameter.fraction.check("beta2", beta2, in: "AMSGrad")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "AMSGrad")
    }

    public func initialState(count: Int) -> State {
        let zeros = [Double](repeating: 0, count: count)
        return State(step: 0, firstMoment: zeros, secondMoment: zeros, maxSecondMoment: zeros)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.secondMoment.count, state.maxSecondMoment.count,
                     who: "AMSGrad")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let s = moments.secondMoment(state.secondMoment[i], g)
            let m = max(state.maxSecondMoment[i], s)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            state.maxSecondMoment[i] = m
            params[i] = Scalar(params[i].doubleValue - moments.step(learningRate: lr, v, m, epsilon: eps, placement: placement))
        }
    }
}
