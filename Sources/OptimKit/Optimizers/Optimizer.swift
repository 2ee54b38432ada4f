/// A first-order optimizer in the style of optax and ensmallen: the hyperparameters are
/// the value's stored properties, and everything that changes while training lives in a
/// separate, typed `State` that the caller owns.
///
/// Keeping the two apart has three benefits. A run can be saved and resumed exactly
/// (`State` is `Codable`, and the hyperparameters are too). The same optimizer value can
/// drive many parameter vectors. And an update is a plain function of
/// `(params, gradient, state)`, which makes hand-computed tests easy.
///
/// Parameters are a flat `[Double]`. Every optimizer here acts coordinate by coordinate
/// (except `ClippedByNorm`, which looks at the global norm), so a model's weight matrix
/// and bias can be concatenated into one vector without changing any result.
///
/// `update` mutates its arrays in place and allocates nothing, so a training loop that
/// reuses its gradient buffer runs without touching the heap.
///
/// ```swift
/// let adam = Adam(learningRate: 0.01)
/// var w = [1.0, -2.0]
/// var state = adam.initialState(count: w.count)
/// adam.update(&w, gradient: [0.5, 0.25], state: &state)   // state.step is now 1
/// ```
public protocol Optimizer: Sendable, Codable, Equatable {
    /// Everything the optimizer remembers between steps (moments, accumulators, step count).
    associatedtype State: Codable & Sendable & Equatable

    /// The step size. Mutable so that a learning-rate schedule can set it before a step.
    var learningRate: Double { get set }

    /// Fresh state for a parameter vector of `count` entries (zeros, step 0).
    func initialState(count: Int) -> State

    /// One step: moves `params` against `gradient` (same length) and advances `state`.
    func update(_ params: inout [Double], gradient: [Double], state: inout State)

    /// The number the book's 2-D trainers keep in their state slot for coordinate `index`
    /// (velocity for momentum, the squared-gradient accumulator for the adaptive methods),
    /// or 0 for optimizers without state. Used only for display.
    func displayedState(_ state: State, index: Int) -> Double

    /// Every per-coordinate vector of the state with a short name (`v`, `s`, `delta`, ...),
    /// for step tables (`--trace`). Empty for optimizers without per-coordinate state.
    func stateComponents(_ state: State) -> [StateComponent]
}

extension Optimizer {
    public func displayedState(_ state: State, index: Int) -> Double { 0 }
    public func stateComponents(_ state: State) -> [StateComponent] { [] }
}

/// Where the small stabilising constant goes in an adaptive method's denominator.
///
/// The book puts it under the root for Adagrad, RMSProp and Adadelta,
/// `sqrt(s + eps)`, and outside for Adam and Yogi, `sqrt(s) + eps`. Frameworks are not
/// consistent either (PyTorch's Adagrad and RMSprop add it outside), so the choice is a
/// parameter whose default is the book's.
public enum EpsilonPlacement: String, Sendable, Codable, Equatable, CaseIterable {
    /// `sqrt(s + eps)`
    case insideRoot
    /// `sqrt(s) + eps`
    case outsideRoot

    @inline(__always)
    func denominator(_ s: Double, _ eps: Double) -> Double {
        switch self {
        case .insideRoot: return (s + eps).squareRoot()
        case .outsideRoot: return s.squareRoot() + eps
        }
    }
}

/// `base^exponent` for a non-negative integer exponent by binary powering.
///
/// Adam-style bias corrections need `beta^t`. The platform's `pow` may differ in the last
/// bit between C libraries; this uses only IEEE multiplications, so a run is bit-identical
/// on every system.
@inline(__always)
func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var factor = base
    var n = exponent
    while n > 0 {
        if n & 1 == 1 { result *= factor }
        n >>= 1
        if n > 0 { factor *= factor }
    }
    return result
}

@inline(__always)
func checkLengths(_ params: [Double], _ gradient: [Double], _ stateCount: Int, _ who: StaticString) {
    precondition(params.count == gradient.count && params.count == stateCount,
                 "\(who): params (\(params.count)), gradient (\(gradient.count)) and state (\(stateCount)) differ in length")
}
