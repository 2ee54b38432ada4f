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

// The state vectors of each optimizer under the book's names.

extension Momentum {
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "v", values: state.velocity)] }
}

extension Nesterov {
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "v", values: state.velocity)] }
}

extension AdaGrad {
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "s", values: state.sumOfSquares)] }
}

extension RMSProp {
    public func stateComponents(_ state: State) -> [StateComponent] { [StateComponent(name: "s", values: state.meanSquare)] }
}

extension AdaDelta {
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "s", values: state.meanSquareGradient),
         StateComponent(name: "delta", values: state.meanSquareUpdate)]
    }
}

extension Adam {
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension Yogi {
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment)]
    }
}

extension AMSGrad {
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "s", values: state.secondMoment),
         StateComponent(name: "s_max", values: state.maxSecondMoment)]
    }
}

extension AdaMax {
    public func stateComponents(_ state: State) -> [StateComponent] {
        [StateComponent(name: "v", values: state.firstMoment), StateComponent(name: "u", values: state.infinityNorm)]
    }
}

extension ClippedByNorm {
    public func stateComponents(_ state: State) -> [StateComponent] { base.stateComponents(state.base) }
}
