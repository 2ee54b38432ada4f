import Foundation

/// The two baselines for a finite sum f = (1/n) Σ fᵢ, with their cost counted in term
/// gradients so they can be compared with each other and with `SVRG`:
///
/// - gradient descent, `x ← x − η ∇f(x)`: n term gradients per step;
/// - SGD, `x ← x − η_t ∇f_{i_t}(x)` with i_t uniform over {0, …, n−1} (with replacement):
///   one term gradient per step.
///
/// Both record a checkpoint at the start and after every pass (n term gradients).
///
/// - `learningRate` η or `schedule` η_t (t = 0-based update count): no default.
///   `start` x₀: no default (length d). `passes`: no default (≥ 0).
///
/// ```swift
/// let gd = FiniteSumDescent.gradientDescent(problem, learningRate: 1 / L, start: x0, passes: 40)
/// var rng = SeededGenerator(seed: 3)
/// let sgd = FiniteSumDescent.sgd(problem, schedule: InverseTimeSchedule(initialLR: 0.07, decayRate: 0.003),
///                                start: x0, passes: 40, generator: &rng)
/// ```
public enum FiniteSumDescent {
    public static func gradientDescent<F: FiniteSumObjective>(_ f: F, learningRate eta: Double, start: [Double],
                                                              passes: Int) -> FiniteSumTrace {
        var x = start
        var trace = FiniteSumTrace()
        trace.record(0, x)
        for pass in 0..<max(passes, 0) {
            let g = f.gradient(x)
            for j in x.indices { x[j] -= eta * g[j] }
            trace.record((pass + 1) * f.termCount, x)
        }
        return trace
    }

    public static func sgd<F: FiniteSumObjective, S: LearningRateSchedule>(
        _ f: F, schedule: S, start: [Double], passes: Int, generator: inout SeededGenerator
    ) -> FiniteSumTrace {
        var x = start
        var trace = FiniteSumTrace()
        trace.record(0, x)
        let n = f.termCount
        var t = 0
        for pass in 0..<max(passes, 0) {
            for _ in 0..<n {
                let i = generator.integer(below: n)
                let g = f.termGradient(i, at: x)
                let eta = schedule(t)
                for j in x.indices { x[j] -= eta * g[j] }
                t += 1
            }
            trace.record((pass + 1) * n, x)
        }
        return trace
    }
}
