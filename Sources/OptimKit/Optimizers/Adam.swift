/// Adam (Kingma and Ba 2014): momentum on the gradient plus RMSProp-style scaling, with
/// both leaky averages corrected for their start at zero.
///
/// Update rule, with the step counter `t` starting at 1:
/// ```
/// v ← β₁ v + (1 − β₁) g          s ← β₂ s + (1 − β₂) g²
/// v̂ = v / (1 − β₁ᵗ)              ŝ = s / (1 − β₂ᵗ)
/// w ← w − η v̂ / (sqrt(ŝ) + ε)
/// ```
///
/// - `learningRate` η: no default (the book's airfoil run uses 0.01; frameworks use 0.001).
/// - `beta1` β₁: default 0.9. `beta2` β₂: default 0.999.
/// - `epsilon` ε: default 1e-6 as in the book (PyTorch and Gluon use 1e-8).
/// - `epsilonPlacement`: default `.outsideRoot` (the book and the paper).
///
/// `State.step` counts completed updates, so saving the state saves `t` too.
///
/// ```swift
/// let adam = Adam(learningRate: 0.01)
/// var w = [1.0]; var s = adam.initialState(count: 1)
/// adam.update(&w, gradient: [4.0], state: &s)   // v̂ = 4, ŝ = 16, w ≈ 1 - 0.01
/// ```
public struct Adam: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Number of updates applied so far (the next update uses `t = step + 1`).
        public var step: Int
        /// First moment `v`.
        public var firstMoment: [Double]
        /// Second moment `s`.
        public var secondMoment: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Adam") }
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
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Adam")
        Hyperparameter.fraction.check("beta1", beta1, in: "Adam")
        Hyperparameter.fraction.check("beta2", beta2, in: "Adam")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "Adam")
    }

    public func initialState(count: Int) -> State {
        State(step: 0, firstMoment: [Double](repeating: 0, count: count),
              secondMoment: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: adam-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.secondMoment.count, who: "Adam")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let s = moments.secondMoment(state.secondMoment[i], g)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            params[i] = Scalar(params[i].doubleValue - moments.step(learningRate: lr, v, s, epsilon: eps, placement: placement))
        }
    }
    // end cell
}
