/// Runs any `Optimizer` on a function of one variable: `steps` updates from `start`, each
/// with the exact derivative, returning every iterate (the start included).
///
/// The one-entry parameter vector and the optimizer's typed state are threaded through the
/// loop exactly as in `train2D(optimizer:objective:)`, so a wrapped optimizer such as
/// `ClippedByNorm` behaves as it would in a model.
///
/// - `steps`: default 10 (as the book's `gd`). `start`: default 10.
///
/// ```swift
/// let xs = train1D(optimizer: SGD(learningRate: 0.2), objective: .square)
/// xs.last   // 0.06046617599999997, the book's gd(0.2)
/// ```
public func train1D<O: Optimizer>(optimizer: O, objective: Objective1D, start: Double = 10,
                                  steps: Int = 10) -> [Double] {
    requireValid(steps >= 0, "train1D: steps must not be negative")
    var params = [start]
    var gradient = [0.0]
    var state = optimizer.initialState(count: 1)
    var iterates = [start]
    iterates.reserveCapacity(steps + 1)
    for _ in 0..<steps {
        gradient[0] = objective.derivative(params[0])
        optimizer.update(&params, gradient: gradient, state: &state)
        iterates.append(params[0])
    }
    return iterates
}
