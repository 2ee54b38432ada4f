/// A first-order optimizer in the style of optax and ensmallen: the hyperparameters are
/// the value's stored properties, and everything that changes while training lives in a
/// separate, typed `State` that the caller owns.
///
/// Keeping the two apart has three benefits. A run can be saved and resumed exactly
/// (`State` is `Codable`, and the hyperparameters are too). The same optimizer value can
/// drive many parameter tensors, each with its own state, as torch's parameter groups do:
/// the 2-D examples, the airfoil regression (`[Double]`) and LeNet's `Float` tensors all go
/// through this one `update`. And an update is a plain function of
/// `(params, gradient, state)`, which makes hand-computed tests easy.
///
/// Parameters are `[Double]` or `[Float]` (`OptimizerScalar`). The state is kept in `Double`
/// whatever the parameters are; plain SGD computes in the parameters' own precision, so a
/// `Float` network trained with `SGD` gets exactly `w -= Float(η) * g`. Every optimizer here
/// acts coordinate by coordinate (except `ClippedByNorm`, which looks at the global norm),
/// so a model's weight matrix and bias can be concatenated into one vector without changing
/// any result.
///
/// `update` mutates its arrays in place and allocates nothing, so a training loop that
/// reuses its gradient buffer runs without touching the heap. Hyperparameters are checked
/// where they are set (initialisers, and `learningRate` on every change); a length mismatch
/// between parameters, gradient and state stops the program with a message in every build
/// configuration.
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

    /// The step size. Mutable so that a learning-rate schedule can set it before a step;
    /// it must stay finite and non-negative.
    var learningRate: Double { get set }

    /// Fresh state for a parameter tensor of `count` entries (zeros, step 0).
    func initialState(count: Int) -> State

    /// One step: moves `params` against `gradient` (same length) and advances `state`.
    ///
    /// Every optimizer that is not itself generic (the wrappers cannot name their inner
    /// type) marks its `update` `@_specialize(where Scalar == Float)` (and `Double`). Code in other modules (`NetworkOptimizer`, the trainers) reaches `update`
    /// through the protocol with the scalar type unknown to the compiler; without the
    /// attribute the loop ran unspecialised, one witness call per element and operation,
    /// and the plain SGD step of a LeNet minibatch cost about as much CPU as a pooling layer.
    /// The specialised copy performs the same IEEE operations in the same order.
    func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State)

    /// The rate the latest update that led to `state` used: `learningRate` itself, except for
    /// wrappers that set it per update (`Scheduled`), which answer from the state.
    func appliedLearningRate(_ state: State) -> Double
}

extension Optimizer {
    public func appliedLearningRate(_ state: State) -> Double { learningRate }
}

/// The number types an optimizer can update: `Double` (the book's examples and the airfoil
/// regression) and `Float` (the network's tensors).
public protocol OptimizerScalar: BinaryFloatingPoint, Sendable {
    /// The value widened to `Double` (exact for `Float` and `Double`).
    var doubleValue: Double { get }
    /// The nearest value to `value` (identity for `Double`).
    init(_ value: Double)
}

extension Float: OptimizerScalar {
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Double: OptimizerScalar {
    @inlinable public var doubleValue: Double { self }
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

/// Stops on a length mismatch between parameters, gradient and state, naming all three.
@inline(__always)
func checkLengths<Scalar>(_ params: [Scalar], _ gradient: [Scalar], _ stateCounts: Int..., who: String) {
    for count in stateCounts where count != params.count || params.count != gradient.count {
        misuse("\(who): params (\(params.count)), gradient (\(gradient.count)) and state (\(stateCounts.map(String.init).joined(separator: ", "))) differ in length")
    }
    if params.count != gradient.count {
        misuse("\(who): params (\(params.count)) and gradient (\(gradient.count)) differ in length")
    }
}
