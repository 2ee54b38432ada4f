/// The state the book's `train_2d` threads through a trainer: the point and two slots of
/// optimizer state (velocity, squared-gradient accumulators, ...).
public struct State2D: Sendable, Equatable {
    public var x1: Double
    public var x2: Double
    public var s1: Double
    public var s2: Double
    public init(x1: Double, x2: Double, s1: Double = 0, s2: Double = 0) {
        self.x1 = x1; self.x2 = x2; self.s1 = s1; self.s2 = s2
    }
    public var point: Point2D { Point2D(x1, x2) }
}

/// The path of a 2-D optimization run.
public struct Trace2D: Sendable {
    /// Every iterate, the start included.
    public let points: [Point2D]
    /// The optimizer state after each step (index 0 is the initial state).
    public let states: [State2D]

    public init(points: [Point2D], states: [State2D] = []) {
        self.points = points
        self.states = states
    }

    public var final: Point2D { points[points.count - 1] }
    public var steps: Int { points.count - 1 }

    /// True when some coordinate became NaN or infinite.
    public var diverged: Bool { points.contains { !$0.x.isFinite || !$0.y.isFinite } }
}

/// `train_2d` of the book: starts at `(-5, -2)` with zero state and applies `trainer` `steps` times.
///
/// ```swift
/// let f = Objective2D.ellipse(a: 1, b: 2)
/// let trace = train2D { s in
///     let g = f.gradient(s.point)
///     return State2D(x1: s.x1 - 0.1 * g.x, x2: s.x2 - 0.1 * g.y)
/// }
/// trace.summary   // "epoch 20, x1 -0.057646, x2 -0.000073"
/// ```
public func train2D(steps: Int = 20, start: Point2D = Point2D(-5, -2),
                    trainer: (State2D) -> State2D) -> Trace2D {
    var state = State2D(x1: start.x, x2: start.y)
    var points = [state.point]
    var states = [state]
    for _ in 0..<steps {
        state = trainer(state)
        points.append(state.point)
        states.append(state)
    }
    return Trace2D(points: points, states: states)
}
