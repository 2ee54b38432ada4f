/// Runs any `Optimizer` on a 2-D objective through the book's `train_2d` loop.
///
/// The point `(x1, x2)` is the optimizer's two-entry parameter vector; the optimizer's
/// own typed state is threaded alongside, and the `State2D` slots `s1`, `s2` show
/// `displayedState` (velocity, squared-gradient accumulator, ...) so the trace carries
/// the same numbers as the book's hand-written trainers.
///
/// ```swift
/// let f = Objective2D.ellipse(a: 0.1, b: 2)
/// let trace = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
/// trace.summary   // "epoch 20, x1 0.007188, x2 0.002553"
/// ```
public func train2D<O: Optimizer>(optimizer: O, objective: Objective2D, steps: Int = 20,
                                  start: Point2D = Point2D(-5, -2)) -> Trace2D {
    train2DDetailed(optimizer: optimizer, objective: objective, steps: steps, start: start).trace
}

/// One row of a step table: where the optimizer stood, what it saw and what it did.
public struct OptimizerStep2D<State: Sendable & Equatable>: Sendable, Equatable {
    /// 1-based step number.
    public let step: Int
    /// The point before the step.
    public let point: Point2D
    /// The gradient at `point`.
    public let gradient: Point2D
    /// The change applied, `next − point`.
    public let update: Point2D
    /// The optimizer state after the step.
    public let state: State
}

/// A 2-D run with every step's gradient, update and optimizer state.
public struct OptimizerRun2D<O: Optimizer>: Sendable {
    public let optimizer: O
    public let trace: Trace2D
    public let steps: [OptimizerStep2D<O.State>]
    public var finalState: O.State? { steps.last?.state }
}

/// Like `train2D(optimizer:objective:steps:start:)`, also recording a table of steps.
public func train2DDetailed<O: Optimizer>(optimizer: O, objective: Objective2D, steps: Int = 20,
                                          start: Point2D = Point2D(-5, -2)) -> OptimizerRun2D<O> {
    var state = optimizer.initialState(count: 2)
    var rows: [OptimizerStep2D<O.State>] = []
    rows.reserveCapacity(steps)
    var params = [start.x, start.y]
    var gradient = [0.0, 0.0]
    let trace = train2D(steps: steps, start: start) { current in
        let point = current.point
        let g = objective.gradient(point)
        params[0] = current.x1
        params[1] = current.x2
        gradient[0] = g.x
        gradient[1] = g.y
        optimizer.update(&params, gradient: gradient, state: &state)
        let next = Point2D(params[0], params[1])
        rows.append(OptimizerStep2D(step: rows.count + 1, point: point, gradient: g,
                                    update: next - point, state: state))
        return State2D(x1: next.x, x2: next.y,
                       s1: optimizer.displayedState(state, index: 0),
                       s2: optimizer.displayedState(state, index: 1))
    }
    return OptimizerRun2D(optimizer: optimizer, trace: trace, steps: rows)
}
