/// Local-gain adaptive learning rates: each weight carries a gain that grows while its
/// gradient keeps the same sign and shrinks when the sign flips (the idea behind
/// Jacobs' delta-bar-delta and Rprop, in the form of the lecture notes).
///
/// Update rule, per coordinate, with gains starting at 1 and `g_prev` the previous gradient:
/// ```
/// gain ← gain + β          if g · g_prev > 0   (same direction: speed up, additively)
/// gain ← gain · (1 − β)    if g · g_prev < 0   (direction flipped: damp, multiplicatively)
/// (unchanged when g · g_prev = 0, e.g. on the first step)
/// w ← w − η · gain · g
/// ```
/// The asymmetry matters: a multiplicative cut bites harder the larger the gain, so a
/// coordinate that starts to oscillate is calmed quickly, while growth is only linear.
///
/// - `learningRate` η: no default.
/// - `beta` β: default 0.05 (gains + 0.05 when consistent, × 0.95 when not).
/// - `gainLimits`: default nil (unbounded); e.g. `0.1...10` keeps gains in a sane range.
///
/// ```swift
/// let opt = LocalGain(learningRate: 0.1, beta: 0.05)
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [2.0], state: &s)   // gain 1 (no history): w = 1 - 0.1·2 = 0.8
/// opt.update(&w, gradient: [1.0], state: &s)   // same sign: gain 1.05, w = 0.8 - 0.105 = 0.695
/// ```
public struct LocalGain: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Per-weight gains (start at 1).
        public var gains: [Double]
        /// The gradient of the previous step (zeros before the first).
        public var previousGradient: [Double]
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "LocalGain") }
    }
    public var beta: Double
    public var gainLimits: ClosedRange<Double>?

    public init(learningRate: Double, beta: Double = 0.05, gainLimits: ClosedRange<Double>? = nil) {
        self.learningRate = learningRate
        self.beta = beta
        self.gainLimits = gainLimits
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "LocalGain")
        Hyperparameter.fraction.check("beta", beta, in: "LocalGain")
    }

    public func initialState(count: Int) -> State {
        State(gains: [Double](repeating: 1, count: count), previousGradient: [Double](repeating: 0, count: count))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.gains.count, state.previousGradient.count, who: "LocalGain")
        for i in params.indices {
            let g = gradient[i].doubleValue
            let agreement = g * state.previousGradient[i]
            var gain = state.gains[i]
            if agreement > 0 {
                gain += beta
            } else if agreement < 0 {
                gain *= 1 - beta
            }
            if let limits = gainLimits { gain = min(max(gain, limits.lowerBound), limits.upperBound) }
            state.gains[i] = gain
            state.previousGradient[i] = g
            params[i] = Scalar(params[i].doubleValue - learningRate * gain * g)
        }
    }
}
