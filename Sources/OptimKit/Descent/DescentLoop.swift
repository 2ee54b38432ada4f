/// What the driver loop tells its observers after each update.
///
/// The arrays are the loop's own buffers, lent for the call: read them, or copy them if
/// they must outlive it (`Array(step.after)`); keeping them only costs a copy on the next
/// update.
public struct DescentStep<State> {
    /// 1-based number of the update.
    public let number: Int
    /// The parameters before the update.
    public let before: [Double]
    /// The gradient the optimizer was given (at `before`).
    public let gradient: [Double]
    /// The parameters after the update.
    public let after: [Double]
    /// The optimizer state after the update.
    public let state: State
}

/// The one loop that drives an optimizer over a parameter vector: ask for the gradient at the
/// current parameters, let the optimizer update them, tell the observers. Traces, step tables,
/// races, the airfoil regression and the chapters' toy problems are all this loop with a
/// different gradient and different observers; a schedule is an optimizer wrapper
/// (`Scheduled`), not a feature of the loop.
///
/// The loop owns its buffers, so once started it allocates nothing per update (unless an
/// observer keeps the arrays it is lent).
///
/// ```swift
/// let f = Objective2D.ellipse(a: 0.1, b: 2)
/// var loop = DescentLoop(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), start: [-5, -2])
/// loop.run(steps: 20) { x, g in
///     let d = f.gradient(Point2D(x[0], x[1])); g[0] = d.x; g[1] = d.y
/// }
/// loop.params   // [0.007188…, 0.002553…]
/// ```
public struct DescentLoop<O: Optimizer> {
    public private(set) var optimizer: O
    public private(set) var state: O.State
    public private(set) var params: [Double]
    /// Updates applied so far.
    public private(set) var completedSteps = 0
    private var gradient: [Double]
    private var previous: [Double]

    /// Starts at `start` with the optimizer's fresh state.
    public init(optimizer: O, start: [Double]) {
        self.init(optimizer: optimizer, start: start, state: optimizer.initialState(count: start.count))
    }

    /// Resumes from a saved state (it must belong to a vector of `start.count` entries).
    public init(optimizer: O, start: [Double], state: O.State) {
        self.optimizer = optimizer
        self.state = state
        params = start
        gradient = [Double](repeating: 0, count: start.count)
        previous = start
    }

    /// One update. `gradient(x, g)` writes the gradient at `x` into `g` (same length, which it
    /// must not change); `observe`, when given, sees the step.
    public mutating func step(gradient computeGradient: (_ at: [Double], _ into: inout [Double]) -> Void,
                              observe: ((DescentStep<O.State>) -> Void)? = nil) {
        computeGradient(params, &gradient)
        if gradient.count != params.count {
            misuse("DescentLoop: the gradient closure changed the gradient's length from \(params.count) to \(gradient.count)")
        }
        if observe != nil {
            for i in params.indices { previous[i] = params[i] }
        }
        optimizer.update(&params, gradient: gradient, state: &state)
        completedSteps += 1
        observe?(DescentStep(number: completedSteps, before: previous, gradient: gradient, after: params, state: state))
    }

    /// `steps` updates in a row.
    public mutating func run(steps: Int, gradient computeGradient: (_ at: [Double], _ into: inout [Double]) -> Void,
                             observe: ((DescentStep<O.State>) -> Void)? = nil) {
        if steps < 0 { misuse("DescentLoop: steps must not be negative, got \(steps)") }
        for _ in 0..<steps { step(gradient: computeGradient, observe: observe) }
    }
}
