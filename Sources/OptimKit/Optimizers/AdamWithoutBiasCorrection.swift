/// Adam with its two bias corrections removed: the "Adam (almost)" that lecture slides
/// show before the full algorithm. It exists to show what the corrections are for.
///
/// Update rule:
/// ```
/// v ← β₁ v + (1 − β₁) g          s ← β₂ s + (1 − β₂) g²
/// w ← w − η v / (sqrt(s) + ε)
/// ```
/// Both averages start at zero, so in the first steps `v` is about `(1 − β₁ᵗ) g` and `s`
/// about `(1 − β₂ᵗ) g²`: for a steady gradient the step is `(1 − β₁ᵗ) / sqrt(1 − β₂ᵗ)` times
/// Adam's, about 3.2 at t = 1 and up to about 6.6 at t = 12 with the default β's,
/// falling back towards 1 only over thousands of steps.
///
/// - `learningRate` η: no default; finite and ≥ 0.
/// - `beta1` β₁: default 0.9. `beta2` β₂: default 0.999. Both in [0, 1).
/// - `epsilon` ε: default 1e-6 (as `Adam`); > 0. `epsilonPlacement`: default `.outsideRoot`.
///
/// Every hyperparameter is checked when set. The state is `Adam`'s (the step counter is
/// kept, though the update does not use it).
///
/// ```swift
/// let opt = AdamWithoutBiasCorrection(learningRate: 0.01)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [4.0], state: &s)   // v = 0.4, s = 0.016: w ≈ 1 − 0.0316
/// ```
public struct AdamWithoutBiasCorrection: Optimizer {
    public typealias State = Adam.State

    public var learningRate: Double { didSet { validate() } }
    public var beta1: Double { didSet { validate() } }
    public var beta2: Double { didSet { validate() } }
    public var epsilon: Double { didSet { validate() } }
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-6,
                epsilonPlacement: EpsilonPlacement = .outsideRoot) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        validate()
    }

    /// What is wrong with these settings (empty when they are valid).
    public static func problems(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) -> [String] {
        HyperparameterValidation.nonNegative(learningRate, "learningRate")
            + HyperparameterValidation.decayRate(beta1, "beta1")
            + HyperparameterValidation.decayRate(beta2, "beta2")
            + HyperparameterValidation.positive(epsilon, "epsilon")
    }

    private func validate() {
        HyperparameterValidation.requireValid(
            Self.problems(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon),
            "AdamWithoutBiasCorrection")
    }

    public func initialState(count: Int) -> State {
        State(step: 0, firstMoment: [Double](repeating: 0, count: count),
              secondMoment: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.secondMoment.count, who: "AdamWithoutBiasCorrection")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let s = moments.secondMoment(state.secondMoment[i], g)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            params[i] = Scalar(params[i].doubleValue - lr * v / placement.denominator(s, eps))
        }
    }
}
