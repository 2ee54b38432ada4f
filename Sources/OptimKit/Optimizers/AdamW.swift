/// AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay. The weights shrink
/// by the factor `1 − ηλ` every step, outside Adam's per-coordinate rescaling, instead of
/// adding an L2 penalty's gradient `λw` to g (which Adam would divide by `sqrt(ŝ)` like the
/// rest of the gradient).
///
/// Update rule, with the step counter `t` starting at 1:
/// ```
/// v ← β₁ v + (1 − β₁) g          s ← β₂ s + (1 − β₂) g²
/// v̂ = v / (1 − β₁ᵗ)              ŝ = s / (1 − β₂ᵗ)
/// w ← (1 − ηλ) w − η v̂ / (sqrt(ŝ) + ε)
/// ```
/// The order is PyTorch's: decay first, then the Adam step, both with the gradient taken at
/// the old weights. With λ = 0 every step is bit-identical to `Adam`'s.
///
/// - `learningRate` η: no default (PyTorch: 0.001); must be finite and ≥ 0.
/// - `weightDecay` λ: default 0.01 (PyTorch's `AdamW`; optax's `adamw` uses 1e-4); ≥ 0.
///   It is multiplied by η, as in PyTorch and optax; the paper's λ corresponds to ηλ.
/// - `beta1` β₁: default 0.9. `beta2` β₂: default 0.999. Both in [0, 1).
/// - `epsilon` ε: default 1e-6, the book's value for `Adam` (PyTorch and optax: 1e-8); > 0.
/// - `epsilonPlacement`: default `.outsideRoot`, as in Adam.
///
/// Every hyperparameter is checked when set; a bad value stops with a message naming it.
/// The state is `Adam`'s (`step`, `firstMoment`, `secondMoment`), so saving it saves `t`.
///
/// ```swift
/// let adamw = AdamW(learningRate: 0.01, weightDecay: 0.1)
/// var w = [1.0]; var s = adamw.initialState(count: 1)
/// adamw.update(&w, gradient: [4.0], state: &s)
/// // w = 1 · (1 − 0.001) − 0.01 · 4 / (4 + 1e-6) ≈ 0.989
/// ```
public struct AdamW: Optimizer {
    public typealias State = Adam.State

    public var learningRate: Double { didSet { validate() } }
    public var weightDecay: Double { didSet { validate() } }
    public var beta1: Double { didSet { validate() } }
    public var beta2: Double { didSet { validate() } }
    public var epsilon: Double { didSet { validate() } }
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, weightDecay: Double = 0.01, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-6, epsilonPlacement: EpsilonPlacement = .outsideRoot) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        validate()
    }

    /// What is wrong with these settings (empty when they are valid).
    public static func problems(learningRate: Double, weightDecay: Double, beta1: Double, beta2: Double,
                                epsilon: Double) -> [String] {
        HyperparameterValidation.nonNegative(learningRate, "learningRate")
            + HyperparameterValidation.nonNegative(weightDecay, "weightDecay")
            + HyperparameterValidation.decayRate(beta1, "beta1")
            + HyperparameterValidation.decayRate(beta2, "beta2")
            + HyperparameterValidation.positive(epsilon, "epsilon")
    }

    private func validate() {
        HyperparameterValidation.requireValid(
            Self.problems(learningRate: learningRate, weightDecay: weightDecay, beta1: beta1, beta2: beta2,
                          epsilon: epsilon), "AdamW")
    }

    public func initialState(count: Int) -> State {
        State(step: 0, firstMoment: [Double](repeating: 0, count: count),
              secondMoment: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.secondMoment.count, who: "AdamW")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        let decay = 1 - lr * weightDecay
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let s = moments.secondMoment(state.secondMoment[i], g)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            var w = params[i].doubleValue
            w *= decay
            w -= moments.step(learningRate: lr, v, s, epsilon: eps, placement: placement)
            params[i] = Scalar(w)
        }
    }
}
