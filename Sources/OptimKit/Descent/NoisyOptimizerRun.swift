/// Any `Optimizer` on a 2-D objective whose gradient arrives with noise, the way section
/// 11.4 simulates a stochastic gradient:
///
///     g_t = ∇f(x_t) + ξ_t,   ξ_t ~ N(mean, sd²) per coordinate (x1's draw first),
///
/// then one optimizer update with g_t. The run is a `DescentLoop`; it starts at
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
    var points = [start]
    var rows: [OptimizerStep2D<O.State>] = []
    rows.reserveCapacity(steps)
    var loop = DescentLoop(optimizer: optimizer, start: [start.x, start.y])
    loop.run(steps: steps, gradient: { x, g in
        let exact = objective.gradient(Point2D(x[0], x[1]))
        g[0] = exact.x + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
        g[1] = exact.y + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
    }, observe: { step in
        let point = Point2D(step.before[0], step.before[1])
        let next = Point2D(step.after[0], step.after[1])
        points.append(next)
        rows.append(OptimizerStep2D(step: step.number, point: point,
                                    gradient: Point2D(step.gradient[0], step.gradient[1]),
                                    update: next - point, state: step.state))
    })
    return OptimizerRun2D(optimizer: optimizer, trace: Trace2D(points: points), steps: rows)
}
