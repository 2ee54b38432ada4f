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
/// goes through `train2D`, so it starts at `(-5, -2)` by default and its `Trace2D.summary`
/// is the book's `epoch N, x1 …, x2 …` line.
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
        var step = 0
        return train2D(steps: steps, start: start) { s in
            let g = f.gradient(s.point)
            let g1 = g.x + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
            let g2 = g.y + generator.normal(mean: noise.mean, standardDeviation: noise.standardDeviation)
            let eta = schedule(step)
            step += 1
            return State2D(x1: s.x1 - eta * g1, x2: s.x2 - eta * g2)
        }
    }
}
