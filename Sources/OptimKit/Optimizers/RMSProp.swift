/// RMSProp (Tieleman and Hinton 2012): Adagrad with a leaky average of squared gradients
/// instead of a sum, so the per-coordinate step size stops shrinking forever.
///
/// Update rule: `s ← γ s + (1 − γ) g²`, then `w ← w − η / sqrt(s + ε) · g`.
///
/// - `learningRate` η: no default (the book's 2-D run uses 0.4; airfoil 0.01).
/// - `gamma` γ: default 0.9 (averages over roughly `1 / (1 − γ) = 10` steps; PyTorch
///   calls it `alpha` and defaults to 0.99, Gluon calls it `gamma1`).
/// - `epsilon` ε: default 1e-6.
/// - `epsilonPlacement`: default `.insideRoot` (the book); PyTorch adds ε outside.
///
/// ```swift
/// let opt = RMSProp(learningRate: 0.4, gamma: 0.9)
/// var w = [-5.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [-1.0], state: &s)   // s = 0.1, w ≈ -3.7351
/// ```
public struct RMSProp: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Leaky average of squared gradients.
        public var meanSquare: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "RMSProp") }
    }
    public var gamma: Double
    public var epsilon: Double
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, gamma: Double = 0.9, epsilon: Double = 1e-6,
                epsilonPlacement: EpsilonPlacement = .insideRoot) {
        self.learningRate = learningRate
        self.gamma = gamma
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "RMSProp")
        Hyperparameter.closedFraction.check("gamma", gamma, in: "RMSProp")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "RMSProp")
    }

    public func initialState(count: Int) -> State {
        State(meanSquare: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: rmsprop-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.meanSquare.count, who: "RMSProp")
        let lr = learningRate, gamma = self.gamma, eps = epsilon, placement = epsilonPlacement
        let keep = 1 - gamma
        for i in params.indices {
            let g = gradient[i].doubleValue
            // The book's order: gamma * s + (1 - gamma) * g**2.
            let s = gamma * state.meanSquare[i] + keep * (g * g)
            state.meanSquare[i] = s
            params[i] = Scalar(params[i].doubleValue - lr / placement.denominator(s, eps) * g)
        }
    }
    // end cell
}
