/// Runs any `Optimizer` on a 2-D objective: the point `(x1, x2)` is the optimizer's
/// two-entry parameter vector, driven by `DescentLoop` from `start` for `steps` updates.
///
/// The returned trace holds the path; the optimizer's typed state after each step is in
/// `train2DDetailed`'s rows (hand-written `train2D(trainer:)` runs keep the book's `State2D`
/// slots instead).
///
/// ```swift
/// let f = Objective2D.ellipse(a: 0.1, b: 2)
/// let trace = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
/// trace.final   // (0.007188…, 0.002553…): the book's "epoch 20, x1 0.007188, x2 0.002553"
/// ```
public func train2D<O: Optimizer>(optimizer: O, objective: Objective2D, steps: Int = 20,
                                  start: Point2D = Point2D(-5, -2)) -> Trace2D {
    var points = [start]
    points.reserveCapacity(steps + 1)
    var loop = DescentLoop(optimizer: optimizer, start: [start.x, start.y])
    loop.run(steps: steps, gradient: objective.gradientWriter) { step in
        points.append(Point2D(step.after[0], step.after[1]))
    }
    return Trace2D(points: points)
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

/// Like `train2D(optimizer:objective:steps:start:)`, also recording a table of steps: the
/// same `DescentLoop` with one more observer.
public func train2DDetailed<O: Optimizer>(optimizer: O, objective: Objective2D, steps: Int = 20,
                                          start: Point2D = Point2D(-5, -2)) -> OptimizerRun2D<O> {
    var points = [start]
    var rows: [OptimizerStep2D<O.State>] = []
    points.reserveCapacity(steps + 1)
    rows.reserveCapacity(steps)
    var loop = DescentLoop(optimizer: optimizer, start: [start.x, start.y])
    loop.run(steps: steps, gradient: objective.gradientWriter) { step in
        let point = Point2D(step.before[0], step.before[1])
        let next = Point2D(step.after[0], step.after[1])
        points.append(next)
        rows.append(OptimizerStep2D(step: step.number, point: point,
                                    gradient: Point2D(step.gradient[0], step.gradient[1]),
                                    update: next - point, state: step.state))
    }
    return OptimizerRun2D(optimizer: optimizer, trace: Trace2D(points: points), steps: rows)
}

extension Objective2D {
    /// The gradient in the form `DescentLoop` asks for: `g ← ∇f(x)` for a two-entry `x`.
    public var gradientWriter: (_ at: [Double], _ into: inout [Double]) -> Void {
        { x, g in
            let d = self.gradient(Point2D(x[0], x[1]))
            g[0] = d.x
            g[1] = d.y
        }
    }
}
