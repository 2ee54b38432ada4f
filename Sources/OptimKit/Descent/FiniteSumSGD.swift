/// Single-example SGD on the scalar finite sum
///
///     f(x) = (1/n) Σ_i ½ (x − a_i)²,   ∇f_i(x) = x − a_i,   minimizer x* = mean(a),
///
/// with the examples of each epoch chosen by a `SamplingScheme`: `x ← x − η_t (x − a_{i_t})`,
/// where `t` counts updates over all epochs (0-based) and `η_t = schedule(t)`.
///
/// The problem is small enough that its optimum is known exactly, which makes it a clean
/// test bed for comparing sampling with and without replacement (11.4, exercise 3).
///
/// - `targets` a_1 … a_n: no default (non-empty).
///
/// ```swift
/// let problem = FiniteSumSGD(targets: [1, 2, 3, 6])
/// var rng = SeededGenerator(seed: 7)
/// let xs = problem.run(start: 10, epochs: 5, schedule: InverseTimeSchedule(initialLR: 0.2, decayRate: 0.25),
///                      sampling: .withoutReplacement, generator: &rng)
/// // xs[k] is the iterate after k epochs (xs[0] = 10); problem.minimizer == 3
/// ```
public struct FiniteSumSGD: Sendable, Equatable {
    public var targets: [Double]

    public init(targets: [Double]) {
        requireValid(!targets.isEmpty, "FiniteSumSGD: a finite sum needs at least one term, got no targets")
        self.targets = targets
    }

    /// `mean(a)`, summed in index order.
    public var minimizer: Double {
        var sum = 0.0
        for a in targets { sum += a }
        return sum / Double(targets.count)
    }

    /// `f(x) = (1/n) Σ ½ (x − a_i)²`.
    public func value(_ x: Double) -> Double {
        var sum = 0.0
        for a in targets { sum += 0.5 * (x - a) * (x - a) }
        return sum / Double(targets.count)
    }

    /// `f'(x) = x − mean(a)`.
    public func derivative(_ x: Double) -> Double { x - minimizer }

    /// The gradient of the single term `i`: `x − a_i`.
    public func termGradient(_ i: Int, at x: Double) -> Double { x - targets[i] }

    /// The iterate after each epoch, the start included (`epochs + 1` values).
    public func run<S: LearningRateSchedule>(start: Double, epochs: Int, schedule: S,
                                            sampling: SamplingScheme,
                                            generator: inout SeededGenerator) -> [Double] {
        var loop = DescentLoop(optimizer: Scheduled(SGD(learningRate: schedule(0)), schedule: schedule), start: [start])
        var iterates = [start]
        for _ in 0..<epochs {
            for i in sampling.epochOrder(count: targets.count, generator: &generator) {
                loop.step { x, g in g[0] = termGradient(i, at: x[0]) }
            }
            iterates.append(loop.params[0])
        }
        return iterates
    }
}
