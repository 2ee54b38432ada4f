/// Yogi (Zaheer et al. 2018): Adam with an additive second-moment update whose size does
/// not depend on how far `g²` is from `s`, so `s` cannot forget large past gradients
/// abruptly.
///
/// Update rule, `t` from 1:
/// ```
/// v ← β₁ v + (1 − β₁) g
/// s ← s + (1 − β₂) sign(g² − s) g²
/// w ← w − η (v / (1 − β₁ᵗ)) / (sqrt(s / (1 − β₂ᵗ)) + ε)
/// ```
/// (Adam's update can be written `s ← s + (1 − β₂)(g² − s)`; Yogi replaces the
/// difference by its sign times `g²`.)
///
/// - `learningRate` η: no default (book: 0.01).
/// - `beta1` β₁: 0.9. `beta2` β₂: 0.999.
/// - `epsilon` ε: default 1e-3 (the book and the paper).
/// - `epsilonPlacement`: default `.outsideRoot`.
///
/// The paper also suggests initialising `s` from a large first batch; like the book, this
/// starts from zero.
///
/// ```swift
/// let yogi = Yogi(learningRate: 0.01)
/// var w = [1.0]; var s = yogi.initialState(count: 1)
/// yogi.update(&w, gradient: [2.0], state: &s)   // s = 0.001 * 4
/// ```
public struct Yogi: Optimizer {
    public typealias State = Adam.State

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Yogi") }
    }
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-3, epsilonPlacement: EpsilonPlacement = .outsideRoot) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "Yogi")
        Hyperparameter.fraction.check("beta1", beta1, in: "Yogi")
        Hyperparameter.fraction.check("beta2", beta2, in: "Yogi")
        Hyperparameter.nonNegative.check("epsilon", epsilon, in: "Yogi")
    }

    public func initialState(count: Int) -> State {
        State(step: 0, firstMoment: [Double](repeating: 0, count: count),
              secondMoment: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.firstMoment.count, state.secondMoment.count, who: "Yogi")
        state.step += 1
        let moments = MomentEstimates(beta1: beta1, beta2: beta2, step: state.step)
        let lr = learningRate, eps = epsilon, placement = epsilonPlacement
        for i in params.indices {
            let g = gradient[i].doubleValue
            let v = moments.firstMoment(state.firstMoment[i], g)
            let s = moments.yogiSecondMoment(state.secondMoment[i], g)
            state.firstMoment[i] = v
            state.secondMoment[i] = s
            params[i] = Scalar(params[i].doubleValue - moments.step(learningRate: lr, v, s, epsilon: eps, placement: placement))
        }
    }
}
