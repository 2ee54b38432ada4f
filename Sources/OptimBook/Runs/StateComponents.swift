import OptimKit

/// One named per-coordinate vector of an optimizer's state, as shown in step tables.
///
/// ```swift
/// let adam = Adam(learningRate: 0.1)
/// var w = [1.0, 2.0]; var s = adam.initialState(count: 2)
/// adam.update(&w, gradient: [0.5, -1], state: &s)
/// adam.stateComponents(s).map(\.name)   // ["v", "s"]
/// ```
public struct StateComponent: Sendable, Equatable {
    /// Short name as in the book's formulas: `v` (momentum / first moment), `s` (squared
    /// gradients), `delta` (Adadelta's squared updates), `u` (AdaMax's infinity norm), ...
    public let name: String
    public let values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name; self.values = values
    }
}

/// An optimizer whose state can be shown: every per-coordinate vector of it under the book's
/// name, for step tables (`--trace`) and the internals figures. The algorithms core knows
/// nothing of display; this book-layer protocol names the state of each of its optimizers.
public protocol InspectableOptimizer: Optimizer {
    /// Every per-coordinate vector of the state with a short name (`v`, `s`, `delta`, ...),
    /// in the book's order. Empty for optimizers without per-coordinate state.
    func stateComponents(_ state: State) -> [StateComponent]
    /// The name of the one vector the book's hand-written 2-D trainers keep in their state
    /// slots (velocity for momentum, the squared-gradient accumulator for the adaptive
    /// methods), or nil for optimizers without state.
    var bookStateSlot: String? { get }
}

extension InspectableOptimizer {
    public var bookStateSlot: String? { nil }
    /// The book's state-slot value of coordinate `index` (0 without one).
    public func bookStateValue(_ state: State, index: Int) -> Double {
        guard let name = bookStateSlot, let c = stateComponents(state).first(where: { $0.name == name }) else { return 0 }
        return c.values[index]
    }
}

// The state vectors of each optimizer under the book's names.

extension SGD: InspectableOptimizer {
    public func stateComponents(_ state: State) -> [StateComponent] { [] }
}

extension Momentum: InspectableOptimizer {
    public var bookStateSlot: String? { "v" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "v", values: state.velocity)] }
}

extension Nesterov: InspectableOptimizer {
    public var bookStateSlot: String? { "v" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "v", values: state.velocity)] }
}

extension AdaGrad: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "s", values: state.sumOfSquares)] }
}

extension RMSProp: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "s", values: state.meanSquare)] }
}

extension AdaDelta: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "s", values: state.meanSquareGradient),
         StateComponent(name: "delta", values: state.meanSquareUpdate)]
    }
}

extension Adam: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension Yogi: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension AMSGrad: InspectableOptimizer {
    public var bookStateSlot: String? { "s_max" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment),
         StateComponent(name: "s_max", values: state.maxSecondMoment)]
    }
}

extension AdaMax: InspectableOptimizer {
    public var bookStateSlot: String? { "u" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "u", values: state.infinityNorm)]
    }
}

extension ClippedByNorm: InspectableOptimizer where Base: InspectableOptimizer {
    public var bookStateSlot: String? { base.bookStateSlot }
    public func stateComponents(_ state: State) -> [StateComponent] { base.stateComponents(state.base) }
}

extension LocalGain: InspectableOptimizer {
    public var bookStateSlot: String? { "gain" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "gain", values: state.gains)] }
}

extension MomentumVariant: InspectableOptimizer {
    public var bookStateSlot: String? { "v" }
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "v", values: state.velocity)] }
}

extension AdamW: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension AdamWithoutBiasCorrection: InspectableOptimizer {
    public var bookStateSlot: String? { "s" }
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension AddedWeightDecay: InspectableOptimizer where Base: InspectableOptimizer {
    public var bookStateSlot: String? { base.bookStateSlot }
    public func stateComponents(_ state: State) -> [StateComponent] { base.stateComponents(state) }
}

extension DecoupledWeightDecay: InspectableOptimizer where Base: InspectableOptimizer {
    public var bookStateSlot: String? { base.bookStateSlot }
    public func stateComponents(_ state: State) -> [StateComponent] { base.stateComponents(state) }
}
