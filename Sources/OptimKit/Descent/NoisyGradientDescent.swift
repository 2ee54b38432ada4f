/// The noise added to a gradient to imitate a stochastic gradient: every coordinate gets
/// an independent normal draw `N(mean, standardDeviation²)`.
///
/// - `mean`: default 0 (an unbiased stochastic gradient). `standardDeviation`: default 1.
///
/// The book meant `N(0, 1)` but its code called `normal(0.1)`, which sets the *mean* to 0.1
/// and leaves the standard deviation at 1; `GradientNoise(mean: 0.1)` reproduces that
/// (biased) variant for comparison.
///
/// ```swift
/// let intended = GradientNoise.standard          // N(0, 1)
/// let bookQuirk = GradientNoise(mean: 0.1)        // N(0.1, 1)
/// ```
public struct GradientNoise: Sendable, Equatable, Codable {
    public var mean: Double
    public var standardDeviation: Double

    public init(mean: Double = 0, standardDeviation: Double = 1) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// `N(0, 1)` per coordinate.
    public static let standard = GradientNoise()
}

/// Gradient descent on a 2-D objective with a noisy gradient and a learning-rate schedule
/// (section 11.4's simulated SGD):
///
///     g_t = ∇f(x_t) + ξ_t,   ξ_t ~ N(mean, sd²) per coordinate (x1's draw first),
///     x_{t+1} = x_t − η_t g_t,   η_t = schedule(t),  t = 0, 1, …, steps − 1.
///
/// The schedule is a pure function of the 0-based step index; put the base rate η₀ into it
/// (the book's `eta * lr()` with `eta = 0.1` is a schedule with initial rate 0.1). The run
/// is `DescentLoop` driving `Scheduled(SGD)`; it starts at `(-5, -2)` by default and its
/// `Trace2D.summary` is the book's `epoch N, x1 …, x2 …` line.
///
/// - `steps`: default 50. `start`: default (−5, −2). `noise`: default `.standard`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let trace = NoisyGradientDescent.run(.ellipse(a: 1, b: 2),
///                                      schedule: ConstantSchedule(learningRate: 0.1),
///                                      steps: 50, generator: &rng)
/// print(trace.summary)
/// ```
public enum NoisyGradientDescent {
    public static func run<S: LearningRateSchedule>(
        _ f: Objective2D, schedule: S, steps: Int = 50, start: Point2D = Point2D(-5, -2),
        noise: GradientNoise = .standard, generator: inout SeededGenerator
    ) -> Trace2D {
        // Plain SGD whose rate the schedule sets before every update, on a noisy gradient.
        let optimizer = Scheduled(SGD(learningRate: schedule(0)), schedule: schedule)
        var points = [start]
        var loop = DescentLoop(optimizer: optimizer, start: [start.x, start.y])
        loop.run(steps: steps, gradient: { x, g in
            let d = f.gradient(Point2D(x[0], x[1]))
            g[0] = d.x + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
            g[1] = d.y + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
        }, observe: { step in
            points.append(Point2D(step.after[0], step.after[1]))
        })
        return Trace2D(points: points)
    }
}
