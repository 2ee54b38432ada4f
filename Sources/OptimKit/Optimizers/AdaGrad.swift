/// Adagrad: every coordinate gets its own step size, shrinking with the total squared
/// gradient it has seen (Duchi, Hazan and Singer 2011).
///
/// Update rule: `s ← s + g²`, then `w ← w − η / sqrt(s + ε) · g`.
///
/// Coordinates with large or frequent gradients slow down; rare features keep a large
/// step. Because `s` only grows, the effective rate decays like `1/sqrt(t)`.
///
/// - `learningRate` η: no default (the book's 2-D runs use 0.4 and 2; airfoil 0.1).
/// - `epsilon` ε: default 1e-6.
/// - `epsilonPlacement`: default `.insideRoot` as in the book; PyTorch uses
///   `.outsideRoot` with ε = 1e-10.
///
/// The arithmetic follows the book's 2-D code, `(η / sqrt(s + ε)) * g`, so its traces
/// are reproduced bit for bit.
///
/// ```swift
/// let opt = AdaGrad(learningRate: 0.4)
/// var w = [-5.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [-1.0], state: &s)   // s = 1, w ≈ -4.6000002
/// ```
public struct AdaGrad: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Running sum of squared gradients.
        public var sumOfSquares: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaGrad") }
    }
    public var epsilon: Double
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, epsilon: Double = 1e-6,
                epsilonPlacement: EpsilonPlacement = .insideRoot) {
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaGrad")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "AdaGrad")
    }

    public func initialState(count: Int) -> State {
        State(sumOfSquares: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: adagrad-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.sumOfSquares.count, who: "AdaGrad")
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        for i in params.indices {
            let g = gradient[i].doubleValue
            let s = state.sumOfSquares[i] + g * g
            state.sumOfSquares[i] = s
            params[i] = Scalar(params[i].doubleValue - lr / placement.denominator(s, eps) * g)
        }
    }
    // end cell
}
