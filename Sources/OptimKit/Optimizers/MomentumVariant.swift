/// Heavy-ball momentum in the three conventions found in textbooks, slides and libraries.
///
/// | convention | velocity update | parameter update | used by |
/// |---|---|---|---|
/// | `.rateOutside` | `v ← β v + g` | `w ← w − η v` | the book, PyTorch `SGD(momentum:)` |
/// | `.rateInside` | `v ← β v + η g` | `w ← w − v` | Sutskever et al. (2013), many slides |
/// | `.leakyAverage` | `v ← β v + (1 − β) g` | `w ← w − η v` | Adam's first moment; PyTorch with `dampening = β` |
///
/// While η is constant the three produce the same iterates, `.leakyAverage` with η standing
/// for η/(1 − β) of the other two: each velocity is a fixed multiple of the book's
/// (η·v for `.rateInside`, (1 − β)·v for `.leakyAverage`). They part ways when a schedule
/// changes η during the run. With the rate outside, a new η rescales the whole step at once,
/// including everything the velocity remembers; with the rate inside, the remembered part
/// keeps the old rates and fades only as β^t. (`.leakyAverage` stays an exact multiple of
/// `.rateOutside` under any schedule of η, but not under a schedule of β.)
///
/// `Momentum` is the book's form and the one the chapters use; this type exists to compare.
///
/// - `learningRate` η: no default. `momentum` β: default 0.9, must lie in [0, 1).
/// - `convention`: default `.rateOutside` (identical steps to `Momentum`).
///
/// ```swift
/// let inside = MomentumVariant(learningRate: 0.1, momentum: 0.9, convention: .rateInside)
/// var w = [1.0]; var s = inside.initialState(count: 1)
/// inside.update(&w, gradient: [2.0], state: &s)   // v = 0.2, w = 0.8
/// ```
public struct MomentumVariant: Optimizer {
    /// Where the learning rate enters and how the new gradient is weighted.
    public enum Convention: String, Sendable, Codable, Equatable, CaseIterable {
        /// `v ← β v + g`, `w ← w − η v`.
        case rateOutside
        /// `v ← β v + η g`, `w ← w − v`.
        case rateInside
        /// `v ← β v + (1 − β) g`, `w ← w − η v`.
        case leakyAverage
    }

    public struct State: Codable, Sendable, Equatable {
        public var velocity: [Double]
    }

    public var learningRate: Double
    public var momentum: Double
    public var convention: Convention

    public init(learningRate: Double, momentum: Double = 0.9, convention: Convention = .rateOutside) {
        requireValid(learningRate.isFinite, "MomentumVariant: learning rate must be finite")
        requireValid(momentum >= 0 && momentum < 1, "MomentumVariant: momentum must be in [0, 1), got \(momentum)")
        self.learningRate = learningRate
        self.momentum = momentum
        self.convention = convention
    }

    public func initialState(count: Int) -> State {
        State(velocity: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.velocity.count, who: "MomentumVariant")
        let lr = learningRate, beta = momentum
        switch convention {
        case .rateOutside:
            for i in params.indices {
                let v = beta * state.velocity[i] + gradient[i].doubleValue
                state.velocity[i] = v
                params[i] = Scalar(params[i].doubleValue - lr * v)
            }
        case .rateInside:
            for i in params.indices {
                let v = beta * state.velocity[i] + lr * gradient[i].doubleValue
                state.velocity[i] = v
                params[i] = Scalar(params[i].doubleValue - v)
            }
        case .leakyAverage:
            let weight = 1 - beta
            for i in params.indices {
                let v = beta * state.velocity[i] + weight * gradient[i].doubleValue
                state.velocity[i] = v
                params[i] = Scalar(params[i].doubleValue - lr * v)
            }
        }
    }
}
