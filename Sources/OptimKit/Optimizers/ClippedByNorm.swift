/// Gradient clipping by global norm, wrapped around any optimizer.
///
/// Rule: with `n = ‖g‖₂` over the whole parameter vector,
/// `g ← g · min(1, c / n)`, then the wrapped optimizer takes its step with that gradient.
///
/// Clipping keeps the direction and only caps the length, which protects against the
/// occasional exploding gradient (recurrent networks, bad minibatches) without changing
/// well-behaved steps at all: when `n ≤ c` the base optimizer sees the gradient
/// unchanged, bit for bit. This is optax's `clip_by_global_norm` chained before the
/// optimizer, or PyTorch's `clip_grad_norm_` called before `step()`.
///
/// A norm that is not a finite number is propagated the way the references do it: the
/// gradient is scaled by `c / n` whenever `n ≤ c` does not hold, so a NaN anywhere makes
/// every coordinate NaN, and an infinite norm turns the finite coordinates into zeros and
/// the infinite ones into NaN (torch's `clip_grad_norm_`, optax's `clip_by_global_norm`).
/// The step never goes ahead on the finite coordinates as if nothing had happened.
///
/// - `maxNorm` c: no default (must be positive).
/// - `base`: the optimizer that takes the step.
/// - `learningRate` reads and writes the base optimizer's rate, so schedules work.
///
/// The state is the base optimizer's plus two diagnostics: the norm of the last
/// gradient and how many steps were clipped. A clipped step allocates one scaled copy of
/// the gradient; unclipped steps allocate nothing.
///
/// ```swift
/// let opt = ClippedByNorm(maxNorm: 1, base: SGD(learningRate: 0.1))
/// var w = [0.0, 0.0]; var s = opt.initialState(count: 2)
/// opt.update(&w, gradient: [3, 4], state: &s)   // g scaled to [0.6, 0.8]; w = [-0.06, -0.08]
/// ```
public struct ClippedByNorm<Base: Optimizer>: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var base: Base.State
        /// Global norm of the most recent (unclipped) gradient.
        public var lastNorm: Double
        /// How many updates had their gradient scaled down.
        public var clippedSteps: Int
    }

    public var maxNorm: Double
    public var base: Base

    public init(maxNorm: Double, base: Base) {
        Hyperparameter.positive.check("maxNorm", maxNorm, in: "ClippedByNorm")
        self.maxNorm = maxNorm
        self.base = base
    }

    public var learningRate: Double {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    public func appliedLearningRate(_ state: State) -> Double { base.appliedLearningRate(state.base) }

    public func initialState(count: Int) -> State {
        State(base: base.initialState(count: count), lastNorm: 0, clippedSteps: 0)
    }

    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        var sumOfSquares = 0.0
        for g in gradient { sumOfSquares += g.doubleValue * g.doubleValue }
        let norm = sumOfSquares.squareRoot()
        state.lastNorm = norm
        if !(norm <= maxNorm) {   // also NaN: scaling by c / NaN spreads the NaN to every coordinate
            let scale = maxNorm / norm
            let clipped = gradient.map { Scalar($0.doubleValue * scale) }
            state.clippedSteps += 1
            base.update(&params, gradient: clipped, state: &state.base)
        } else {
            base.update(&params, gradient: gradient, state: &state.base)
        }
    }
}
