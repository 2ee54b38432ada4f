import Foundation

/// Stochastic variance-reduced gradient (Johnson and Zhang, 2013) for a finite sum
/// f = (1/n) Σ fᵢ.
///
/// SGD's step ∇f_i(x) is unbiased but noisy, and the noise does not vanish at the optimum
/// (the single terms are not minimized there), so a constant step leaves SGD jittering and a
/// decaying one makes it slow. SVRG keeps a snapshot x̃ with its full gradient μ̃ = ∇f(x̃) and
/// steps along
///
///     v = ∇fᵢ(x) − ∇fᵢ(x̃) + μ̃,
///
/// which is still unbiased (E_i v = ∇f(x)) but whose variance shrinks to zero as x and x̃
/// approach x*. A constant step then converges linearly, like gradient descent, while most
/// steps still cost two term gradients instead of n.
///
/// One *epoch*: take x̃ = x, compute μ̃ (n term gradients), then `innerSteps` updates
/// x ← x − η v with i uniform over {0, …, n−1} (two term gradients each). Checkpoints are
/// recorded at the start and whenever another n term gradients have been spent (a pass),
/// so the trace reads in passes like the baselines' (with n odd, a checkpoint can fall one
/// term gradient late).
///
/// - `learningRate` η: no default (positive; the analysis asks for η of order 1/L_max, with
///   L_max the largest smoothness constant of a term). `innerSteps` m: default 2n when nil.
///
/// ```swift
/// let svrg = SVRG(learningRate: 0.25 / problem.largestTermSmoothness)
/// var rng = SeededGenerator(seed: 5)
/// let trace = svrg.run(problem, start: x0, passes: 40, generator: &rng)
/// ```
public struct SVRG: Sendable, Equatable, Codable {
    public var learningRate: Double
    public var innerSteps: Int?

    public init(learningRate: Double, innerSteps: Int? = nil) {
        guard learningRate > 0, learningRate.isFinite, (innerSteps ?? 1) >= 1 else {
            let message = "SVRG: need a positive finite learning rate and innerSteps ≥ 1 (got \(learningRate), \(String(describing: innerSteps)))"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            fatalError(message)
        }
        self.learningRate = learningRate
        self.innerSteps = innerSteps
    }

    /// Runs until `passes · n` term gradients have been spent (an epoch in progress is cut
    /// off there, so every method gets exactly the same budget).
    public func run<F: FiniteSumObjective>(_ f: F, start: [Double], passes: Int,
                                            generator: inout SeededGenerator) -> FiniteSumTrace {
        let n = f.termCount
        let m = innerSteps ?? 2 * n
        let budget = passes * n
        var x = start
        var trace = FiniteSumTrace()
        trace.record(0, x)
        var spent = 0
        var nextCheckpoint = n
        func checkpoint() {
            while spent >= nextCheckpoint {
                trace.record(nextCheckpoint, x)
                nextCheckpoint += n
            }
        }
        var snapshot = x
        var snapshotGradient: [Double] = []
        var inner = m
        while spent < budget {
            // A new snapshot when the epoch is over, if a full gradient still fits the budget;
            // otherwise the remaining budget goes to inner steps on the last snapshot.
            if inner >= m, spent + n <= budget {
                snapshot = x
                snapshotGradient = f.gradient(snapshot)
                spent += n
                inner = 0
                checkpoint()
                continue
            }
            guard !snapshotGradient.isEmpty, spent + 2 <= budget else { break }
            let i = generator.integer(below: n)
            let g = f.termGradient(i, at: x)
            let gSnapshot = f.termGradient(i, at: snapshot)
            for j in x.indices { x[j] -= learningRate * (g[j] - gSnapshot[j] + snapshotGradient[j]) }
            spent += 2
            inner += 1
            checkpoint()
        }
        return trace
    }
}
