import OptimKit

/// Any `Optimizer` applied to a network: one optimizer value and one state per parameter
/// tensor (weights and bias of every layer), as torch keeps per-parameter state.
///
/// The same `SGD`, `Momentum`, `Adam`, … that drive the 2-D examples and the airfoil
/// regression update the network's `Float` tensors here; `step` is called once the
/// minibatch's gradients are ready and applies one update to every tensor, in layer order.
/// A schedule comes with the optimizer (`Scheduled`), so every tensor sees the same rate.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let net = LeNet.make(generator: &rng)
/// var adam = NetworkOptimizer(Adam(learningRate: 0.001), for: net)
/// // … forward, loss, backward …
/// adam.step(net)
/// ```
public struct NetworkOptimizer<O: Optimizer> {
    public private(set) var optimizer: O
    /// One state per parameter tensor, in the network's tensor order.
    public private(set) var states: [O.State]

    public init<Scalar: LayerScalar>(_ optimizer: O, for network: Sequential<Scalar>) {
        self.optimizer = optimizer
        var states: [O.State] = []
        network.updateParameters { _, values, _ in states.append(optimizer.initialState(count: values.count)) }
        self.states = states
    }

    /// One update of every parameter tensor from its accumulated gradient.
    public mutating func step<Scalar: LayerScalar>(_ network: Sequential<Scalar>) {
        if network.parameterTensorCount != states.count {
            misuse("NetworkOptimizer: built for \(states.count) parameter tensors, the network has \(network.parameterTensorCount)")
        }
        let optimizer = self.optimizer
        network.updateParameters { tensor, values, gradient in
            optimizer.update(&values, gradient: gradient, state: &states[tensor])
        }
    }

    /// The learning rate of the latest update (for a scheduled optimizer, the schedule's value).
    public var appliedLearningRate: Double {
        guard let first = states.first else { return optimizer.learningRate }
        return optimizer.appliedLearningRate(first)
    }
}
