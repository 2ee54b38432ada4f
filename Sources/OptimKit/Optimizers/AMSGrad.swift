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

    public var learningRate: Double
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
    }

    public func initialState(count: Int) -> State {
        let zeros = [Double](repeating: 0, count: count)
        return State(step: 0, firstMoment: zeros, secondMoment: zeros, maxSecondMoment: zeros)
    }

    public func update(_ params: inout [Double], gradient: [Double], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, "AMSGrad")
        precondition(state.secondMoment.count == params.count && state.maxSecondMoment.count == params.count,
                     "AMSGrad: state arrays differ in length")
        state.step += 1
        let t = state.step
        let b1 = beta1, b2 = beta2, lr = learningRate, eps = epsilon, placement = epsilonPlacement
        let correction1 = 1 - integerPower(b1, t)
        let correction2 = 1 - integerPower(b2, t)
        for i in params.indices {
            let g = gradient[i]
            let v = b1 * state.firstMoment[i] + (1 - b1) * g
            let s = b2 * state.secondMoment[i] + (1 - b2) * (g * g)
            let m = max(state.maxSecondMoment[i], s)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            state.maxSecondMoment[i] = m
            params[i] -= lr * (v / correction1) / placement.denominator(m / correction2, eps)
        }
    }

    public func displayedState(_ state: State, index: Int) -> Double { state.maxSecondMoment[index] }
}
