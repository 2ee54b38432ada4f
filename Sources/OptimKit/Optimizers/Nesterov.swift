/// Nesterov accelerated gradient, in the "look-ahead" form that needs only the gradient
/// at the current point (Sutskever et al. 2013, as in PyTorch's `nesterov: true`).
///
/// Update rule: `v ← β v + g`, then `w ← w − η (g + β v)`.
///
/// Plain momentum steps along `v`; Nesterov steps along the gradient plus the velocity
/// it is about to have, which is what evaluating the gradient at the look-ahead point
/// `w − η β v` amounts to after a change of variables. On a quadratic this damps the
/// oscillation of heavy-ball momentum.
///
/// - `learningRate` η: no default.
/// - `momentum` β: default 0.9.
///
/// ```swift
/// let opt = Nesterov(learningRate: 0.1, momentum: 0.9)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [1.0], state: &s)   // v = 1, w = 1 - 0.1 * 1.9 = 0.81
/// ```
public struct Nesterov: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var velocity: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Nesterov") }
    }
    public var momentum: Double

    public init(learningRate: Double, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Nesterov")
        Hyperparameter.fraction.check("momentum", momentum, in: "Nesterov")
    }

    public func initialState(count: Int) -> State {
        State(velocity: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.velocity.count, who: "Nesterov")
        let lr = learningRate, beta = momentum
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = beta * state.velocity[i] + g
            state.velocity[i] = v
            params[i] = Scalar(params[i].doubleValue - lr * (g + beta * v))
        }
    }
}
