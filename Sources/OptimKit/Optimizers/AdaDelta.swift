/// Adadelta (Zeiler 2012): RMSProp whose step size is itself a leaky average of the
/// squared *updates*, so the update carries the units of the parameters and no learning
/// rate is needed.
///
/// Update rule:
/// ```
/// s  ← ρ s + (1 − ρ) g²
/// g' ← sqrt(Δ + ε) / sqrt(s + ε) · g
/// w  ← w − η g'
/// Δ  ← ρ Δ + (1 − ρ) g'²
/// ```
/// The last line averages the squared rescaled gradient `g'` (the book's code and the
/// original paper); the book's displayed equation squares the parameters there instead,
/// which is a typo.
///
/// - `rho` ρ: default 0.9.
/// - `epsilon` ε: default 1e-5 (inside both roots).
/// - `learningRate` η: default 1, which is the book's algorithm exactly. PyTorch exposes
///   the same multiplier as `lr` (default 1.0); it scales the step but not `Δ`.
///
/// ```swift
/// let opt = AdaDelta(rho: 0.9)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [1.0], state: &s)   // s = 0.1, g' = sqrt(1e-5 / 0.10001)
/// ```
public struct AdaDelta: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Leaky average of squared gradients (`s`).
        public var meanSquareGradient: [Double]
        /// Leaky average of squared rescaled updates (`Δ`).
        public var meanSquareUpdate: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaDelta") }
    }
    public var rho: Double
    public var epsilon: Double

    public init(rho: Double = 0.9, epsilon: Double = 1e-5, learningRate: Double = 1) {
        self.rho = rho
        self.epsilon = epsilon
        self.learningRate = learningRate
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "AdaDelta")
        Hyperparameter.fraction.check("rho", rho, in: "AdaDelta")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "AdaDelta")
    }

    public func initialState(count: Int) -> State {
        State(meanSquareGradient: [Double](repeating: 0, count: count),
              meanSquareUpdate: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: adadelta-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.meanSquareGradient.count, state.meanSquareUpdate.count, who: "AdaDelta")
        let rho = self.rho, keep = 1 - rho, eps = epsilon, lr = learningRate
        for i in params.indices {
            let g = gradient[i].doubleValue
            let s = rho * state.meanSquareGradient[i] + keep * (g * g)
            state.meanSquareGradient[i] = s
            let rescaled = ((state.meanSquareUpdate[i] + eps).squareRoot() / (s + eps).squareRoot()) * g
            // With the default η = 1 this is exactly the book's `p -= g`.
            params[i] = Scalar(params[i].doubleValue - lr * rescaled)
            // The book's order: (1 - rho) * g * g, left to right.
            state.meanSquareUpdate[i] = rho * state.meanSquareUpdate[i] + keep * rescaled * rescaled
        }
    }
    // end cell
}
