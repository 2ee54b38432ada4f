/// Weight decay as an L2 penalty, wrapped around any optimizer: the penalty's gradient is
/// added to the loss gradient before the wrapped optimizer sees it.
///
/// Rule: with the penalty `(λ/2)‖w‖²` added to the loss,
/// ```
/// g ← g + λ w          then the base optimizer's step with this g
/// ```
/// This is what PyTorch's `weight_decay` argument of `SGD` and `Adam` does, and optax's
/// `add_decayed_weights` chained *before* the optimizer. Under plain SGD the step becomes
/// `w ← w − η(g + λw) = (1 − ηλ) w − η g`: every step shrinks the weights by the factor
/// `1 − ηλ`, which is `DecoupledWeightDecay` with the same λ. Under an adaptive method the
/// penalty's gradient is rescaled with the rest (divided by `sqrt(ŝ)` in Adam), so the two
/// differ; `AdamW` is the decoupled form.
///
/// - `weightDecay` λ: no default (must be finite and ≥ 0; 0 leaves the base unchanged).
/// - `base`: the optimizer that takes the step.
/// - `learningRate` reads and writes the base optimizer's rate, so schedules work.
///
/// The state is the base optimizer's. Each step allocates one array (the penalised
/// gradient), as the gradient is passed in read-only.
///
/// ```swift
/// let opt = AddedWeightDecay(weightDecay: 0.1, base: SGD(learningRate: 0.5))
/// var w = [2.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [1.0], state: &s)   // g + λw = 1.2; w = 2 − 0.5 · 1.2 = 1.4
/// ```
public struct AddedWeightDecay<Base: Optimizer>: Optimizer {
    public typealias State = Base.State

    public var weightDecay: Double {
        didSet { HyperparameterValidation.requireValid(Self.problems(weightDecay: weightDecay), "AddedWeightDecay") }
    }
    public var base: Base

    public init(weightDecay: Double, base: Base) {
        HyperparameterValidation.requireValid(Self.problems(weightDecay: weightDecay), "AddedWeightDecay")
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
            misuse("AddedWeightDecay: params (\(params.count)) and gradient (\(gradient.count)) differ in length")
        }
        let lambda = weightDecay
        var penalised = gradient
        for i in penalised.indices { penalised[i] = Scalar(gradient[i].doubleValue + lambda * params[i].doubleValue) }
        base.update(&params, gradient: penalised, state: &state)
    }
}
