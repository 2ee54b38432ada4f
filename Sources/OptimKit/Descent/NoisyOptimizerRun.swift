/// Any `Optimizer` on a 2-D objective whose gradient arrives with noise, the way section
/// 11.4 simulates a stochastic gradient:
///
///     g_t = ∇f(x_t) + ξ_t,   ξ_t ~ N(mean, sd²) per coordinate (x1's draw first),
///
/// then one optimizer update with g_t. The run goes through `train2D`, so it starts at
/// (−5, −2) by default, and its steps record the noisy gradient the optimizer saw.
/// With `SGD` and a constant rate this draws the same numbers in the same order as
/// `NoisyGradientDescent.run` with a constant schedule.
///
/// - `steps`: default 50. `start`: default (−5, −2). `noise`: default `.standard`, N(0, 1).
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let run = train2DNoisy(optimizer: Momentum(learningRate: 0.005, momentum: 0.9),
///                        objective: .ellipse(a: 0.1, b: 2), steps: 500, generator: &rng)
/// run.trace.summary
/// ```
public func train2DNoisy<O: Optimizer>(optimizer: O, objective: Objective2D, steps: Int = 50,
                                       start: Point2D = Point2D(-5, -2), noise: GradientNoise = .standard,
                                       generator: inout SeededGenerator) -> OptimizerRun2D<O> {
    var state = optimizer.initialState(count: 2)
    var rows: [OptimizerStep2D<O.State>] = []
    rows.reserveCapacity(steps)
    var params = [start.x, start.y]
    var gradient = [0.0, 0.0]
    let trace = train2D(steps: steps, start: start) { current in
        let point = current.point
        let exact = objective.gradient(point)
        let g = Point2D(exact.x + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation),
                        exact.y + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation))
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
