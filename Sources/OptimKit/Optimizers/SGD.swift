/// Plain (minibatch) stochastic gradient descent.
///
/// Update rule: `w ← w − η g`.
///
/// - `learningRate` η: no default; the book uses 1 for full-batch descent on the airfoil
///   data, 0.005 for batch size 1, 0.4 for batch 100 and 0.05 for batch 10.
///
/// Stateless: `State` is an empty value so that SGD fits the same save/resume machinery.
///
/// ```swift
/// let sgd = SGD(learningRate: 0.1)
/// var w = [1.0]; var s = sgd.initialState(count: 1)
/// sgd.update(&w, gradient: [2.0], state: &s)   // w == [0.8]
/// ```
public struct SGD: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        /// Kept only to check the parameter count.
        public var count: Int
    }

    public var learningRate: Double {
        didSet { Hyperparameter.nonNegative.check("learningRate", learningRate, in: "SGD") }
    }

    public init(learningRate: Double) {
        self.learningRate = learningRate
        Hyperparameter.nonNegative.check("learningRate", learningRate, in: "SGD")
    }

    public func initialState(count: Int) -> State { State(count: count) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    // cell: sgd-update
    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        checkLengths(params, gradient, state.count, who: "SGD")
        // In the parameters' own precision: for Float tensors this is exactly `w -= Float(η) * g`.
        let lr = Scalar(learningRate)
        for i in params.indices {
            params[i] -= lr * gradient[i]
        }
    }
    // end cell
}
