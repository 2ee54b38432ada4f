/// Decoupled weight decay, wrapped around any optimizer: the weights shrink by a fixed
/// fraction of themselves, outside the optimizer's own rescaling of the gradient.
///
/// Rule (Loshchilov and Hutter's decoupling, in PyTorch's and optax's scaling, where the
/// decay is multiplied by the learning rate η):
/// ```
/// w ← (1 − ηλ) w       then the base optimizer's step with the unchanged gradient g
/// ```
/// Both parts use the gradient computed at the weights before the step, so this is
/// `w ← w − ηλw − (base step)`. For plain SGD it is the same as an L2 penalty
/// (`AddedWeightDecay`) with the same λ, up to rounding: `(1 − ηλ)w − ηg = w − η(g + λw)`.
/// For adaptive methods the two differ; `DecoupledWeightDecay(Adam)` is AdamW (also
/// available as the single type `AdamW`). The AdamW paper writes the decay without the
/// factor η (only a schedule multiplier scales it), so its λ corresponds to ηλ here.
///
/// - `weightDecay` λ: no default (must be finite and ≥ 0; 0 leaves the base unchanged).
/// - `base`: the optimizer that takes the step.
/// - `learningRate` reads and writes the base optimizer's rate; the decay uses it too, so
///   a schedule lowers both together.
///
/// The state is the base optimizer's. The decay works in place and allocates nothing.
///
/// ```swift
/// let opt = DecoupledWeightDecay(weightDecay: 0.1, base: SGD(learningRate: 0.5))
/// var w = [2.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [1.0], state: &s)   // w = 2 · (1 − 0.05) − 0.5 · 1 = 1.4
/// ```
public struct DecoupledWeightDecay<Base: Optimizer>: Optimizer {
    public typealias State = Base.State

    public var weightDecay: Double {
        didSet { HyperparameterValidation.requireValid(Self.problems(weightDecay: weightDecay), "DecoupledWeightDecay") }
    }
    public var base: Base

    public init(weightDecay: Double, base: Base) {
        HyperparameterValidation.requireValid(Self.problems(weightDecay: weightDecay), "DecoupledWeightDecay")
        self.weightDecay = weightDecay
        self.base = base
    }

    /// What is wrong with these settings (empty when they are valid).
    public static func problems(weightDecay: Double) -> [String] {
        HyperparameterValidation.nonNegative(weightDecay, "weightDecay")
    }

    public var learningRate: Double {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    public func initialState(count: Int) -> State { base.initialState(count: count) }

    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        if params.count != gradient.count {
            misuse("DecoupledWeightDecay: params (\(params.count)) and gradient (\(gradient.count)) differ in length")
        }
        let factor = 1 - base.learningRate * weightDecay
        for i in params.indices { params[i] = Scalar(params[i].doubleValue * factor) }
        base.update(&params, gradient: gradient, state: &state)
    }
}
