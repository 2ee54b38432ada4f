/// Gradient descent with (heavy-ball) momentum, in the book's form.
///
/// Update rule: `v ← β v + g`, then `w ← w − η v`.
///
/// The velocity `v` is a leaky sum of past gradients; in the long run it weights them
/// by `1 / (1 − β)` in total, so the effective step is about `η / (1 − β)`.
/// PyTorch's `SGD(momentum:)` uses the same form. The lecture notes' variant
/// `v ← β v + η g; w ← w − v` is identical while η is constant, but scales the stored
/// velocity differently when a schedule changes η.
///
/// - `learningRate` η: no default (the book's 2-D runs use 0.6; airfoil 0.02, 0.01, 0.005).
/// - `momentum` β: default 0.9 (the book also tries 0.5 and 0.25).
///
/// ```swift
/// let opt = Momentum(learningRate: 0.6, momentum: 0.5)
/// var w = [-5.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [-1.0], state: &s)   // v = -1, w = -4.4
/// ```
public struct Momentum: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var velocity: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Momentum") }
    }
    public var momentum: Double

    public init(learningRate: Double, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Momentum")
        Hyperparameter.fraction.check("momentum", momentum, in: "Momentum")
    }

    public func initialState(count: Int) -> State {
        State(velocity: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: momentum-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.velocity.count, who: "Momentum")
        let lr = learningRate, beta = momentum
        for i in params.indices {
            // Same operation order as the book: beta * v + g, then w - eta * v.
            let v = beta * state.velocity[i] + gradient[i].doubleValue
            state.velocity[i] = v
            params[i] = Scalar(params[i].doubleValue - lr * v)
        }
    }
    // end cell
}
