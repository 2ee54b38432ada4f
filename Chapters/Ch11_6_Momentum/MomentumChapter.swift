import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: ill-conditioned
/// The book's ill-conditioned quadratic of this section, f(x) = 0.1 x1² + 2 x2², and its
/// hand-written gradient descent (gradient (0.2 x1, 4 x2), in the book's order of operations).
let narrowValley = Objective2D.ellipse(a: 0.1, b: 2)
func gd2D(eta: Double) -> Trace2D {
    train2D { s in State2D(x1: s.x1 - eta * 0.2 * s.x1, x2: s.x2 - eta * 4 * s.x2) }
}
// end cell

// cell: train-momentum
/// Momentum on the airfoil regression of Section 11.5 (`trainLinearRegression`, batches of 10,
/// two epochs), initial weights and order of the examples from the named random stream `stream`.
func trainMomentum(lr: Double, momentum: Double, stream: String,
                   data: AirfoilData, ctx: ChapterContext) -> TrainingRun {
    var rng = ctx.generator(stream: stream)
    return trainLinearRegression(optimizer: Momentum(learningRate: lr, momentum: momentum),
                                 data: data, batchSize: 10, epochs: 2, generator: &rng)
}
// end cell

/// 11.6 Momentum: leaky averages, the ill-conditioned 2-D example, momentum (and Nesterov's
/// variant) on it and on the airfoil data, and the linear-stability analysis on quadratics,
/// including the convergence region computed from the spectral radius.
enum MomentumChapter: Chapter {
    static let target = "Ch11_6_Momentum"
    static let title = "11.6 Momentum"
    static let summary = "Leaky averages of gradients, ill-conditioned problems, and the exact convergence region of momentum on quadratics."
    static let keyFigure: String? = "momentum-convergence-region.svg"

    /// The book's ill-conditioned objective, f(x) = 0.1 x1² + 2 x2² (the cell `ill-conditioned`).
    static var f: Objective2D { narrowValley }

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Section 11.4 showed how delicate the learning rate becomes once gradients are noisy: \
            lower it too quickly and progress stalls, keep it too high and the noise keeps kicking \
            the iterate away from the optimum. This section introduces a different lever. Instead \
            of stepping along the latest gradient, we step along a running average of the gradients \
            seen so far, which smooths the direction of travel and, less obviously, also helps on \
            badly conditioned problems where there is no noise at all.
            """)
        leakyAverages(nb)
        illConditioned(nb)
        momentumMethod(nb)
        nesterov(nb)
        effectiveSampleWeight(nb)
        shallowWell(nb)
        noiseAveraging(nb, ctx)
        let data = try AirfoilData.load()
        practicalExperiments(nb, ctx, data: data)
        conventions(nb)
        theory(nb)
        try internals(nb, ctx)
        closingSummary(nb)
        try exercises(nb, ctx, data: data)
    }

    // MARK: - 11.6.1 Basics

    static func leakyAverages(_ nb: Notebook) {
        nb.heading("11.6.1 Basics")
        nb.heading("Leaky averages", level: 3)
        nb.paragraph("""
            Minibatch SGD already averages: its step uses the mean of the gradients of the batch, \
            all taken at the current weights w_{t−1},
            """)
        nb.formula(#"\boldsymbol{g}_{t,t-1} = \nabla_{\boldsymbol{w}} \frac{1}{|\mathcal{B}_t|} \sum_{i \in \mathcal{B}_t} f(\boldsymbol{x}_i, \boldsymbol{w}_{t-1}) = \frac{1}{|\mathcal{B}_t|} \sum_{i \in \mathcal{B}_t} \boldsymbol{g}_{i,t-1}"#,
                   plain: "g_{t,t−1} = ∇_w (1/|𝓑_t|) Σ_{i∈𝓑_t} f(x_i, w_{t−1}) = (1/|𝓑_t|) Σ_{i∈𝓑_t} g_{i,t−1}")
        nb.paragraph("""
            (the first index says which batch, the second at which weights). To reduce the variance \
            further without paying for larger batches, we can also average over time (how much that \
            really buys is tested below, in "what averaging does to noise"). A leaky \
            average keeps a running vector v and folds each new gradient into it, with a factor \
            β ∈ (0, 1) that decides how quickly old gradients fade:
            """)
        nb.formula(#"\boldsymbol{v}_t = \beta \boldsymbol{v}_{t-1} + \boldsymbol{g}_{t,t-1}"#,
                   plain: "v_t = β v_{t−1} + g_{t,t−1}")
        nb.paragraph("Unrolling the recursion (with v_0 = 0) shows the weights explicitly:")
        nb.formula(#"\boldsymbol{v}_t = \beta^2 \boldsymbol{v}_{t-2} + \beta \boldsymbol{g}_{t-1,t-2} + \boldsymbol{g}_{t,t-1} = \dots = \sum_{\tau=0}^{t-1} \beta^{\tau} \boldsymbol{g}_{t-\tau,t-\tau-1}"#,
                   plain: "v_t = β² v_{t−2} + β g_{t−1,t−2} + g_{t,t−1} = … = Σ_{τ=0}^{t−1} β^τ g_{t−τ,t−τ−1}")
        nb.paragraph("""
            A gradient from τ steps ago counts with weight β^τ. With β close to 1 the average \
            reaches far back; with β near 0 it is little more than the current gradient. The vector \
            v is called the momentum (or velocity), after a heavy ball rolling downhill, whose speed \
            integrates the forces it felt along the way. Stepping along v instead of g is the \
            heavy-ball method of Polyak (1964); it and its relatives are known as accelerated \
            gradient methods. Nesterov (2018) treats them in depth for convex problems, Sutskever \
            et al. (2013) made the case for them in deep learning, and Goh's interactive Distill \
            article (2017) animates them.
            """)
        nb.paragraph("""
            Averaging is not the only benefit. On ill-conditioned problems, where the objective \
            is steep in some directions and nearly flat in others (a long, narrow valley), momentum \
            speeds up the flat directions and calms the steep ones. That effect exists even without \
            any noise, and it is where we start.
            """)
    }

    static func illConditioned(_ nb: Notebook) {
        nb.heading("An ill-conditioned problem", level: 3)
        nb.paragraph("""
            Section 11.3 used f(x) = x₁² + 2x₂². Squeezing the first coordinate by a factor of ten \
            gives a much less pleasant function with the same minimizer (0, 0):
            """)
        nb.formula(#"f(\boldsymbol{x}) = 0.1 x_1^2 + 2 x_2^2"#, plain: "f(x) = 0.1 x₁² + 2 x₂²")
        nb.paragraph("""
            Its curvature is 0.2 along x₁ and 4 along x₂, a condition number of 20. Plain gradient \
            descent with learning rate 0.4, for 20 steps from (−5, −2):
            """)
        nb.code(cell: "ill-conditioned")
        nb.code(cell: "gd-eta-0.4")
        // cell: gd-eta-0.4
        let slow = gd2D(eta: 0.4)
        nb.output(NotebookText(slow.summary))
        // end cell
        nb.figure(BookFigures.trace2D(f, points: slow.points), name: "gd-eta-0.4",
                  caption: "Gradient descent with η = 0.4 on 0.1x₁² + 2x₂²: x₂ settles at once, x₁ crawls.")
        let g = { (v: Double) in CFormat.format("%g", v) }
        nb.paragraph("""
            Along x₂ each step multiplies the coordinate by 1 − 0.4 · 4 = \(g(1 - 0.4 * 4)), so it flips \
            sign and shrinks quickly. Along x₁ the factor is 1 − 0.4 · 0.2 = \(g(1 - 0.4 * 0.2)), and after \
            20 steps x₁ still holds 0.92²⁰ ≈ \(CFormat.format("%.0f", 100 * powInt(0.92, 20)))% of its \
            starting value (−5 · 0.92²⁰ = \(CFormat.format("%f", -5 * powInt(0.92, 20))), the printed x₁). \
            The obvious fix, a larger step, fails: with η = 0.6 the x₁ factor improves to \
            \(g(1 - 0.6 * 0.2)), but the x₂ factor becomes 1 − 2.4 = \(g(1 - 0.6 * 4)), and that \
            coordinate oscillates with growing amplitude:
            """)
        nb.code(cell: "gd-eta-0.6")
        // cell: gd-eta-0.6
        let wild = gd2D(eta: 0.6)
        nb.output(NotebookText(wild.summary))
        // end cell
        nb.figure(BookFigures.trace2D(f, points: wild.points), name: "gd-eta-0.6",
                  caption: "Gradient descent with η = 0.6: faster along x₁, but x₂ diverges.")
        nb.paragraph("""
            One learning rate must serve both directions, and the steep one caps it (ηλ < 2 for \
            curvature λ) long before the flat one is served well.
            """)
    }

    static func momentumMethod(_ nb: Notebook) {
        nb.heading("The momentum method", level: 3)
        nb.paragraph("""
            Look at the trace for η = 0.6 again. Along x₁ successive gradients agree, and adding \
            them up would lengthen the steps; along x₂ they alternate in sign, and adding them up \
            would cancel most of the oscillation. Replacing the gradient by the leaky average v_t \
            does exactly that:
            """)
        nb.formula(#"\boldsymbol{v}_t \leftarrow \beta \boldsymbol{v}_{t-1} + \boldsymbol{g}_{t,t-1}, \qquad \boldsymbol{x}_t \leftarrow \boldsymbol{x}_{t-1} - \eta_t \boldsymbol{v}_t"#,
                   plain: "v_t ← β v_{t−1} + g_{t,t−1},   x_t ← x_{t−1} − η_t v_t")
        nb.paragraph("""
            With β = 0 this is gradient descent again. OptimKit's `Momentum` optimizer implements the \
            rule, and `train2D(optimizer:objective:)` runs any optimizer through the same 20-step \
            loop, showing the velocity in the two state slots. With the learning rate that just \
            diverged, η = 0.6, and β = 0.5:
            """)
        nb.code(cell: "momentum-beta-0.5")
        // cell: momentum-beta-0.5
        let half = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: narrowValley)
        nb.output(NotebookText(half.summary))
        // end cell
        nb.figure(BookFigures.trace2D(f, points: half.points), name: "momentum-beta-0.5",
                  caption: "Momentum with η = 0.6, β = 0.5 converges where gradient descent with η = 0.6 diverged.")
        nb.paragraph("""
            Both coordinates end within \(CFormat.format("%g", (max(abs(half.final.x), abs(half.final.y)) * 1000).rounded(.up) / 1000)) \
            of the optimum. Halving the momentum to β = 0.25 gives a run that converges much more \
            slowly (the book says it barely converges at all; Section 11.6.3 computes its rate), \
            but that is still far better than no momentum at this η, which diverged:
            """)
        nb.code(cell: "momentum-beta-0.25")
        // cell: momentum-beta-0.25
        let quarter = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.25), objective: narrowValley)
        nb.output(NotebookText(quarter.summary))
        // end cell
        nb.figure(BookFigures.trace2D(f, points: quarter.points), name: "momentum-beta-0.25",
                  caption: "Momentum with η = 0.6, β = 0.25: convergent, but x₂ still oscillates after 20 steps.")
        nb.paragraph("""
            Section 11.6.3 below explains both numbers exactly: each direction of a quadratic \
            evolves by a 2 × 2 linear map, and the size of its largest eigenvalue is the factor by \
            which the error shrinks per step. Momentum works just as well with stochastic gradients: \
            we simply use the minibatch gradient g_t in place of g_{t,t−1}, starting from v_0 = 0.
            """)
    }

    static func nesterov(_ nb: Notebook) {
        nb.heading("Beyond the book: Nesterov's variant", level: 3)
        nb.paragraph("""
            Heavy-ball momentum takes the gradient where the iterate is and then adds the old \
            velocity. Nesterov's accelerated gradient reverses the order: first move along the old \
            velocity, then take the gradient at that look-ahead point, so the correction reacts to \
            where the step is about to land. The lecture notes write it as \
            Δw_t = βΔw_{t−1} + η∇L(w_t − βΔw_{t−1}), w_{t+1} = w_t − Δw_t. A change of variables \
            (Sutskever et al., 2013) turns this into a form that needs only the gradient at the \
            current point, which is how PyTorch and OptimKit's `Nesterov` implement it:
            """)
        nb.formula(#"\boldsymbol{v}_t \leftarrow \beta \boldsymbol{v}_{t-1} + \boldsymbol{g}_t, \qquad \boldsymbol{x}_t \leftarrow \boldsymbol{x}_{t-1} - \eta\,(\boldsymbol{g}_t + \beta \boldsymbol{v}_t)"#,
                   plain: "v_t ← β v_{t−1} + g_t,   x_t ← x_{t−1} − η (g_t + β v_t)")
        nb.paragraph("With the same η = 0.6 and β = 0.5 as the momentum run above:")
        nb.code(cell: "nesterov-eta-0.6")
        // cell: nesterov-eta-0.6
        let same = train2D(optimizer: Nesterov(learningRate: 0.6, momentum: 0.5), objective: narrowValley)
        nb.output(NotebookText(same.summary))
        // end cell
        let heavy = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
        nb.paragraph("""
            Nesterov diverges here along x₂. This is not a bug but a real difference, which the \
            analysis at the end of the section makes precise: the look-ahead effectively multiplies \
            the gradient's weight by 1 + β, so for β = 0.5 Nesterov is stable only while \
            ηλ < (2 + 2β)/(1 + 2β) = 1.5, whereas heavy ball tolerates ηλ < 2 + 2β = 3. With \
            λ = 4 along x₂, η = 0.6 gives ηλ = 2.4: inside heavy ball's range, outside Nesterov's. \
            The figure follows |x₂| step by step on a logarithmic scale for gradient descent, \
            momentum and Nesterov, all with η = 0.6.
            """)
        let plainGD = gd2D(eta: 0.6)
        var steep = Axes(xLabel: "step", yLabel: "|x2|")
        steep.yScale = .log
        steep.grid = true
        let steps = (0...20).map(Double.init)
        steep.plot(steps, plainGD.points.map { abs($0.y) }, "-o", label: "gradient descent")
        steep.plot(steps, heavy.points.map { abs($0.y) }, "-o", label: "momentum, β = 0.5")
        steep.plot(steps, same.points.map { abs($0.y) }, "-o", label: "Nesterov, β = 0.5")
        steep.legend = .upperLeft
        nb.figure(Figure(width: 600, height: 300, steep), name: "steep-direction-eta-0.6",
                  caption: "|x₂| per step with η = 0.6 on 0.1x₁² + 2x₂²: momentum contracts, gradient descent and Nesterov grow.")
        nb.paragraph("""
            Halving the learning rate to η = 0.3 (ηλ = 1.2 along x₂, stable for both methods), the two \
            can be compared fairly:
            """)
        nb.code(cell: "race-eta-0.3")
        // cell: race-eta-0.3
        let heavySlow = train2D(optimizer: Momentum(learningRate: 0.3, momentum: 0.5), objective: narrowValley)
        let nesterovSlow = train2D(optimizer: Nesterov(learningRate: 0.3, momentum: 0.5), objective: narrowValley)
        nb.output(NotebookText(heavySlow.summary))
        nb.output(NotebookText(nesterovSlow.summary))
        // end cell
        let radii = [(heavySlow, MomentumStability.Method.heavyBall), (nesterovSlow, .nesterov)].map { _, method in
            (MomentumStability.spectralRadius(method, beta: 0.5, learningRate: 0.3, curvature: 0.2),
             MomentumStability.spectralRadius(method, beta: 0.5, learningRate: 0.3, curvature: 4))
        }
        nb.paragraph("""
            Along the steep x₂ the look-ahead pays off: Nesterov damps the oscillation much faster \
            (per-step contraction factor \(CFormat.format("%.3f", radii[1].1)) against \
            \(CFormat.format("%.3f", radii[0].1)) for heavy ball). Along the flat x₁ the two are \
            close, with heavy ball slightly ahead (\(CFormat.format("%.3f", radii[0].0)) against \
            \(CFormat.format("%.3f", radii[1].0)) for Nesterov), and that slow direction decides the \
            final distance. These factors are the spectral radii \
            computed in Section 11.6.3.
            """)
        nb.figure(BookFigures.trace2D(f, traces: [("momentum η=0.3, β=0.5", heavySlow.points),
                                                  ("Nesterov η=0.3, β=0.5", nesterovSlow.points)]),
                  name: "race-eta-0.3", caption: "Heavy-ball momentum and Nesterov with η = 0.3, β = 0.5 on 0.1x₁² + 2x₂².")
    }

    static func effectiveSampleWeight(_ nb: Notebook) {
        nb.heading("Effective sample weight", level: 3)
        nb.paragraph("""
            Since v_t = Σ_{τ<t} β^τ g_{t−τ,t−τ−1}, a gradient that stays constant is counted with \
            total weight
            """)
        nb.formula(#"\sum_{\tau=0}^{\infty} \beta^{\tau} = \frac{1}{1-\beta}"#, plain: "Σ_{τ≥0} β^τ = 1/(1 − β)")
        nb.paragraph("""
            in the long run. Momentum therefore does two things at once: it effectively enlarges the \
            step from η to η/(1 − β), and it steps along a smoothed direction that is usually better \
            behaved than any single gradient. For β = 0.9 the average spans about ten recent \
            gradients. The figure shows the weights β^τ (labelled gamma, as in the book) against the \
            age τ of a gradient, for four values:
            """)
        let gammas = [0.95, 0.9, 0.6, 0.0]
        var ax = Axes(xLabel: "time", yLabel: "weight γ^τ")
        let ts = (0..<40).map(Double.init)
        for gamma in gammas {
            ax.plot(ts, (0..<40).map { powInt(gamma, $0) }, label: "gamma = \(CFormat.format("%.2f", gamma))")
        }
        nb.figure(Figure(ax), name: "leaky-average-weights",
                  caption: "Weight β^τ of a gradient τ steps old, for β = 0.95, 0.9, 0.6 and 0 (plain gradient).")
    }

    // MARK: - 11.6.2 Practical experiments

    static func practicalExperiments(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        nb.heading("11.6.2 Practical experiments")
        nb.paragraph("""
            Now momentum inside a real training loop: the linear regression on the airfoil data from \
            Section 11.5, with minibatches of 10 for two epochs.
            """)
        nb.heading("Implementation from scratch", level: 3)
        nb.paragraph("""
            Momentum must remember one velocity per parameter, a vector of the same shape as the \
            gradient. In OptimKit that vector is the optimizer's `State`, created as zeros by \
            `initialState(count:)` and owned by the training loop; the update is
            """)
        nb.code(cell: "momentum-update")
        nb.code(cell: "train-momentum")
        var runs: [TrainingRun] = []
        nb.paragraph("A moderate momentum, β = 0.5, with learning rate 0.02 (effective step η/(1 − β) = 0.04):")
        nb.code(cell: "momentum-run-0.02-0.5")
        // cell: momentum-run-0.02-0.5
        let moderate = trainMomentum(lr: 0.02, momentum: 0.5, stream: "momentum-0.02-0.5", data: data, ctx: ctx)
        nb.output(moderate.summary)
        // end cell
        afterMomentumRun(nb, moderate, lr: 0.02, beta: 0.5, runs: &runs)
        nb.paragraph("""
            With β = 0.9 the velocity averages about 1/(1 − 0.9) = 10 gradients, and the effective \
            step grows by the same factor. The book lowers the learning rate "slightly", to 0.01, \
            to keep that in check; the effective step is then 0.01/(1 − 0.9) = 0.1, two and a half \
            times the 0.04 of the first run, so this run is the most aggressive of the three:
            """)
        nb.code(cell: "momentum-run-0.01-0.9")
        // cell: momentum-run-0.01-0.9
        let aggressive = trainMomentum(lr: 0.01, momentum: 0.9, stream: "momentum-0.01-0.9", data: data, ctx: ctx)
        nb.output(aggressive.summary)
        // end cell
        afterMomentumRun(nb, aggressive, lr: 0.01, beta: 0.9, runs: &runs)
        nb.paragraph("Halving the rate to 0.005 brings the effective step down to 0.05, close to the first run's:")
        nb.code(cell: "momentum-run-0.005-0.9")
        // cell: momentum-run-0.005-0.9
        let calm = trainMomentum(lr: 0.005, momentum: 0.9, stream: "momentum-0.005-0.9", data: data, ctx: ctx)
        nb.output(calm.summary)
        // end cell
        afterMomentumRun(nb, calm, lr: 0.005, beta: 0.9, runs: &runs)
        // Roughness: the mean absolute change of the recorded loss between recordings.
        let roughness = runs.map { r in zip(r.losses, r.losses.dropFirst()).map { abs($1 - $0) }.reduce(0, +) / Double(max(r.losses.count - 1, 1)) }
        nb.paragraph("""
            Compared with the η = 0.01 run, the η = 0.005 run ends \
            \(calm.reportedLoss < aggressive.reportedLoss ? "lower" : "no lower") (\(CFormat.format("%.3f", calm.reportedLoss)) \
            against \(CFormat.format("%.3f", aggressive.reportedLoss))) and its curve is \
            \(roughness[2] < roughness[1] ? "smoother, as the book expects" : "not smoother, although the book expects it to be") (the recorded loss changes by \
            \(CFormat.format("%.4f", roughness[2])) between recordings on average, against \
            \(CFormat.format("%.4f", roughness[1]))). A single seed can mislead here, since the final \
            loss of one run varies by a few thousandths with the initial weights and the order of \
            the examples; exercise 1 repeats these settings over several seeds.
            """)
        nb.heading("Concise implementation", level: 3)
        nb.paragraph("""
            Frameworks usually build momentum into their SGD optimizer, switched on by a `momentum` \
            hyperparameter. `OptimizerChoice.named` follows that convention: "sgd" with a \
            momentum key yields the same `Momentum` value as above, which the same loop trains \
            (with its own random stream):
            """)
        nb.code(cell: "concise-momentum")
        do {
            // cell: concise-momentum
            let choice = try OptimizerChoice.named("sgd", ["learning_rate": 0.005, "momentum": 0.9])
            var rng = ctx.generator(stream: "concise")
            let run = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
            nb.output(run.summary)
            // end cell
            nb.figure(lossFigure(run), name: "loss-concise",
                      caption: "The concise run: \"sgd\" with learning rate 0.005 and momentum 0.9, chosen by name.")
        } catch {
            nb.output("error: \(String(describing: error))")
        }
        nb.paragraph("""
            The trajectory resembles the from-scratch run with the same settings; the two differ only \
            in their random stream.
            """)
    }

    /// The loss figure after each from-scratch run.
    static func afterMomentumRun(_ nb: Notebook, _ run: TrainingRun, lr: Double, beta: Double, runs: inout [TrainingRun]) {
        runs.append(run)
        nb.figure(lossFigure(run), name: "loss-momentum-\(shortNumber(lr))-\(shortNumber(beta))",
                  caption: "Airfoil loss with momentum, learning rate \(shortNumber(lr)), β = \(shortNumber(beta)), batch size 10.")
    }

    // MARK: - 11.6.3 Theory

    static func theory(_ nb: Notebook) {
        nb.heading("11.6.3 Theoretical analysis")
        nb.paragraph("""
            The two-dimensional example may look contrived, but it is the general case in disguise, \
            at least for convex quadratic objectives.
            """)
        nb.heading("Quadratic convex functions", level: 3)
        nb.paragraph("Take a general quadratic")
        nb.formula(#"h(\boldsymbol{x}) = \tfrac{1}{2} \boldsymbol{x}^\top \boldsymbol{Q} \boldsymbol{x} + \boldsymbol{x}^\top \boldsymbol{c} + b"#,
                   plain: "h(x) = ½ xᵀQx + xᵀc + b")
        nb.paragraph("""
            with Q symmetric positive definite (all eigenvalues positive). Its gradient Qx + c \
            vanishes at x* = −Q⁻¹c, where h takes the value b − ½ cᵀQ⁻¹c, so completing the square \
            gives
            """)
        nb.formula(#"h(\boldsymbol{x}) = \tfrac{1}{2} (\boldsymbol{x} + \boldsymbol{Q}^{-1}\boldsymbol{c})^\top \boldsymbol{Q} (\boldsymbol{x} + \boldsymbol{Q}^{-1}\boldsymbol{c}) + b - \tfrac{1}{2} \boldsymbol{c}^\top \boldsymbol{Q}^{-1} \boldsymbol{c}"#,
                   plain: "h(x) = ½ (x + Q⁻¹c)ᵀ Q (x + Q⁻¹c) + b − ½ cᵀQ⁻¹c")
        nb.paragraph("""
            and the gradient ∇h(x) = Q(x − x*) is the displacement from the minimizer multiplied by \
            Q; momentum, a sum of past gradients, is a combination of such terms. (The book writes \
            the shift as x − Q⁻¹c; with the +xᵀc convention the minimizer is −Q⁻¹c, as here.) Now \
            diagonalize Q = OᵀΛO with O orthogonal and Λ diagonal with the positive eigenvalues λᵢ, \
            and change variables to z = O(x − x*):
            """)
        nb.formula(#"h(\boldsymbol{z}) = \tfrac{1}{2} \boldsymbol{z}^\top \boldsymbol{\Lambda} \boldsymbol{z} + b', \qquad b' = b - \tfrac{1}{2} \boldsymbol{c}^\top \boldsymbol{Q}^{-1} \boldsymbol{c}"#,
                   plain: "h(z) = ½ zᵀΛz + b',   b' = b − ½ cᵀQ⁻¹c")
        nb.paragraph("""
            A rotation changes neither lengths nor angles, so gradient steps in x are gradient steps \
            in z. There, gradient descent with learning rate η reads (the book's formula omits η)
            """)
        nb.formula(#"\boldsymbol{z}_t = \boldsymbol{z}_{t-1} - \eta \boldsymbol{\Lambda} \boldsymbol{z}_{t-1} = (\boldsymbol{I} - \eta \boldsymbol{\Lambda}) \boldsymbol{z}_{t-1}"#,
                   plain: "z_t = z_{t−1} − ηΛ z_{t−1} = (I − ηΛ) z_{t−1}")
        nb.paragraph("""
            Λ is diagonal, so every coordinate of z, i.e. every eigendirection of Q, evolves on its \
            own: nothing mixes. The same holds with momentum, where the velocity is expressed in the \
            same basis:
            """)
        nb.formula(#"\boldsymbol{v}_t = \beta \boldsymbol{v}_{t-1} + \boldsymbol{\Lambda} \boldsymbol{z}_{t-1}, \qquad \boldsymbol{z}_t = \boldsymbol{z}_{t-1} - \eta(\beta \boldsymbol{v}_{t-1} + \boldsymbol{\Lambda} \boldsymbol{z}_{t-1}) = (\boldsymbol{I} - \eta \boldsymbol{\Lambda}) \boldsymbol{z}_{t-1} - \eta \beta \boldsymbol{v}_{t-1}"#,
                   plain: "v_t = β v_{t−1} + Λ z_{t−1},   z_t = z_{t−1} − η(β v_{t−1} + Λ z_{t−1}) = (I − ηΛ) z_{t−1} − ηβ v_{t−1}")
        nb.paragraph("""
            So on a convex quadratic, gradient descent with or without momentum splits into \
            independent one-dimensional problems along the eigenvectors of Q. Our f = 0.1x₁² + 2x₂² \
            is already diagonal, with eigenvalues λ = 0.2 and λ = 4.
            """)

        nb.heading("Scalar functions", level: 3)
        nb.paragraph("It is therefore enough to study f(x) = (λ/2)x². Gradient descent gives")
        nb.formula(#"x_{t+1} = x_t - \eta \lambda x_t = (1 - \eta \lambda) x_t, \qquad x_t = (1 - \eta\lambda)^t x_0"#,
                   plain: "x_{t+1} = x_t − ηλ x_t = (1 − ηλ) x_t,   x_t = (1 − ηλ)^t x_0")
        nb.paragraph("""
            The error shrinks geometrically whenever |1 − ηλ| < 1, i.e. 0 < ηλ < 2. Raising η speeds \
            things up until ηλ = 1, where one step suffices; beyond that the iterate overshoots and \
            alternates in sign while still converging, and only past ηλ = 2 does it diverge. (The \
            book says things diverge beyond ηλ = 1; between 1 and 2 they merely oscillate, as the \
            λ = 19 curve below shows.) With η = 0.1 and four curvatures:
            """)
        var ax = Axes(xLabel: "time", yLabel: "(1 − ηλ)^t")
        let ts = (0..<20).map(Double.init)
        for lambda in [0.1, 1, 10, 19] {
            let factor = 1 - 0.1 * lambda
            ax.plot(ts, (0..<20).map { powInt(factor, $0) }, label: "lambda = \(CFormat.format("%.2f", lambda))")
        }
        nb.figure(Figure(width: 600, height: 400, ax), name: "gd-scalar-rates",
                  caption: "(1 − ηλ)^t for η = 0.1 and λ = 0.1, 1, 10, 19: slow and faster decay, convergence in one step, and an alternating case.")
        nb.paragraph("""
            For λ = 10 the factor is exactly 0, so the curve drops to 0 after one step; for λ = 19 it \
            is −0.9, so the iterate flips sign every step while shrinking slowly.
            """)
        nb.paragraph("""
            With momentum the state has two numbers, velocity and position. From v_{t+1} = βv_t + λx_t \
            and x_{t+1} = x_t − ηv_{t+1} = x_t − ηβv_t − ηλx_t:
            """)
        nb.formula(#"\begin{pmatrix} v_{t+1} \\ x_{t+1} \end{pmatrix} = \begin{pmatrix} \beta & \lambda \\ -\eta\beta & 1 - \eta\lambda \end{pmatrix} \begin{pmatrix} v_t \\ x_t \end{pmatrix} = \boldsymbol{R}(\beta, \eta, \lambda) \begin{pmatrix} v_t \\ x_t \end{pmatrix}"#,
                   plain: "[v_{t+1}; x_{t+1}] = [[β, λ], [−ηβ, 1 − ηλ]] [v_t; x_t] = R(β, η, λ) [v_t; x_t]")
        nb.paragraph("""
            (this is the book's matrix; the test suite checks that iterating R reproduces the \
            `Momentum` optimizer step for step). After t steps the state is Rᵗ(v₀, x₀), so the \
            error dies out for every start exactly when both eigenvalues of R lie inside the unit \
            circle: the spectral radius ρ(R) < 1, and ρ is the asymptotic contraction factor per step. \
            The eigenvalues solve μ² − Tμ + D = 0 with trace T = 1 + β − ηλ and determinant \
            D = β(1 − ηλ) + ηβλ = β; only the product ηλ enters. For a real quadratic the roots lie \
            inside the unit circle if and only if |D| < 1, 1 − T + D > 0 and 1 + T + D > 0 (the \
            Schur–Cohn, or Jury, conditions). Here they read β < 1, ηλ > 0, and 2 + 2β − ηλ > 0:
            """)
        nb.formula(#"0 < \eta\lambda < 2 + 2\beta \quad\text{(momentum)} \qquad\text{versus}\qquad 0 < \eta\lambda < 2 \quad\text{(gradient descent)}"#,
                   plain: "0 < ηλ < 2 + 2β (momentum)   versus   0 < ηλ < 2 (gradient descent)")
        nb.paragraph("""
            This is the range the book quotes (citing Flammarion and Bach, 2015). Momentum widens the \
            stable range of learning rates, up to twice as wide as β approaches 1. The book \
            concludes that large values of β are generally desirable; the speed of convergence, \
            next, says otherwise. For Nesterov's \
            update the same computation gives the matrix [[β, λ], [−ηβ², 1 − ηλ(1 + β)]], with \
            T = 1 + β − ηλ(1 + β) and D = β(1 − ηλ), and the conditions become \
            0 < ηλ < (2 + 2β)/(1 + 2β): a narrower range than plain gradient descent, which is why \
            Nesterov diverged above at η = 0.6.
            """)
        stabilityCheck(nb)
    }

    /// Beyond the book: the convergence region from the spectral radius, checked against the
    /// closed form.
    static func stabilityCheck(_ nb: Notebook) {
        nb.heading("Beyond the book: checking the region numerically", level: 3)
        nb.paragraph("""
            The algebra is short, but it is easy to drop a sign, so we check it without using it. \
            `Eigen2x2` computes the eigenvalues of a 2 × 2 matrix in closed form, and \
            `MomentumStability` builds R and evaluates ρ(R). First, for several β, bisection on ηλ \
            (between 1, which is stable, and 8, which is not) locates the edge of the stable range \
            from ρ alone:
            """)
        nb.code(cell: "stability-edges")
        // cell: stability-edges
        var rows: [[NotebookText]] = []
        var worst = 0.0
        for beta in [0.0, 0.25, 0.5, 0.75, 0.9, 0.99] {
            let heavy = MomentumStability.stabilityLimit(.heavyBall, beta: beta)   // bisection on rho(R) < 1
            let nest = MomentumStability.stabilityLimit(.nesterov, beta: beta)
            worst = max(worst, abs(heavy - (2 + 2 * beta)), abs(nest - MomentumStability.predictedLimit(.nesterov, beta: beta)))
            rows.append(["\(beta, format: "%.2f")", "\(heavy, format: "%.12f")", "\(2 + 2 * beta, format: "%.12f")",
                         "\(nest, format: "%.12f")", "\((2 + 2 * beta) / (1 + 2 * beta), format: "%.12f")"])
        }
        nb.table(header: ["β", "momentum: edge from ρ", "2 + 2β", "Nesterov: edge from ρ", "(2 + 2β)/(1 + 2β)"], rows: rows)
        nb.output("largest |edge from rho - closed form|: \(worst, format: "%.1e")")
        // end cell
        nb.paragraph("""
            Second, a whole grid: ηλ from 0 to 4.5 in steps of 0.01 and β from 0 to 0.99 in steps \
            of 0.01, asking at each point whether ρ(R) < 1 and whether 0 < ηλ < 2 + 2β. (Points on \
            the boundary itself, where ρ = 1 exactly and rounding decides, are skipped.)
            """)
        let xs = (0...450).map { Double($0) / 100 }
        let betas = (0...99).map { Double($0) / 100 }
        for method in MomentumStability.Method.allCases {
            let check = MomentumStability.gridCheck(method, etaLambdas: xs, betas: betas)
            let claim = method == .heavyBall ? "0 < eta*lambda < 2 + 2*beta" : "0 < eta*lambda < (2 + 2*beta)/(1 + 2*beta)"
            nb.output("\(method.rawValue): \(check.points) grid points, \(check.stablePoints) with rho < 1, \(check.disagreements) disagreements with \(claim)")
        }
        nb.paragraph("""
            The spectral radius and the closed form agree everywhere, for both methods. The figure \
            shades the grid cells where ρ(R) < 1 for heavy-ball momentum and overlays the line \
            ηλ = 2 + 2β; the dashed curve is Nesterov's edge (2 + 2β)/(1 + 2β), and the bottom row \
            (β = 0) is plain gradient descent, stable for 0 < ηλ < 2. The two markers are the steep \
            direction of the 2-D example (ηλ = 0.6 · 4 = 2.4) at β = 0.5 and β = 0.25.
            """)
        var ax = Axes(xLabel: "ηλ", yLabel: "β")
        ax.fillRegion(x: 0...4.5, y: 0...1, step: 0.01, color: .tabBlue, opacity: 0.3) { x, beta in
            MomentumStability.spectralRadius(.heavyBall, beta: beta, etaLambda: x) < 1
        }
        let boundaryBetas = (0...100).map { Double($0) / 100 }
        ax.plot(boundaryBetas.map { 2 + 2 * $0 }, boundaryBetas, "-", label: "ηλ = 2 + 2β", color: .tabRed)
        ax.plot(boundaryBetas.map { (2 + 2 * $0) / (1 + 2 * $0) }, boundaryBetas, "--", label: "Nesterov: ηλ = (2 + 2β)/(1 + 2β)", color: .tabGreen)
        ax.scatter([2.4, 2.4], [0.5, 0.25], label: "2-D example, x₂ direction", color: .black)
        ax.xLimits = 0...4.5
        ax.yLimits = 0...1
        ax.legend = .upperLeft
        nb.figure(Figure(width: 600, height: 350, ax), name: "momentum-convergence-region",
                  caption: "Where heavy-ball momentum converges on a quadratic: the shaded cells have spectral radius ρ(R) < 1.")
        nb.paragraph("""
            Inside the region, ρ is the speed. The next figure plots ρ against ηλ for three values \
            of β. Without momentum ρ = |1 − ηλ|, a V reaching 0 at ηλ = 1. With momentum, ρ cannot \
            fall below √β (the eigenvalues multiply to β), but it stays at √β over a wide range of ηλ \
            where the eigenvalues are complex: the iteration spirals inward at a rate that no longer \
            depends on the curvature. That flat floor is why momentum helps ill-conditioned \
            problems: one learning rate can serve many curvatures at nearly the same rate. It also \
            explains the 2-D runs: for η = 0.6 and β = 0.5 both directions (λ = 0.2 and λ = 4) sit on \
            that floor, with ρ = \(CFormat.format("%.3f", MomentumStability.spectralRadius(.heavyBall, beta: 0.5, learningRate: 0.6, curvature: 0.2))) \
            and \(CFormat.format("%.3f", MomentumStability.spectralRadius(.heavyBall, beta: 0.5, learningRate: 0.6, curvature: 4))) \
            (√0.5 ≈ 0.707), while for β = 0.25 the steep direction has real eigenvalues and \
            ρ = \(CFormat.format("%.3f", MomentumStability.spectralRadius(.heavyBall, beta: 0.25, learningRate: 0.6, curvature: 4))), \
            so its error shrinks much more slowly, hence the lingering oscillation in x₂.
            """)
        let rho9 = MomentumStability.spectralRadius(.heavyBall, beta: 0.9, etaLambda: 1)
        let rho5 = MomentumStability.spectralRadius(.heavyBall, beta: 0.5, etaLambda: 1)
        nb.paragraph("""
            The same floor is why "larger β is better" does not hold in general. With β = 0.9 no \
            curvature converges faster than ρ = √0.9 ≈ \(CFormat.format("%.3f", 0.9.squareRoot())) per step; at \
            ηλ = 1, where plain gradient descent converges in a single step, momentum with β = 0.9 has \
            ρ = \(CFormat.format("%.3f", rho9)) and needs about \(CFormat.format("%.0f", (log(0.001) / log(rho9)).rounded(.up))) \
            steps to shrink the error a thousandfold (β = 0.5: ρ = \(CFormat.format("%.3f", rho5))). A large β \
            buys a wide stable range and a uniform rate across curvatures, which is what an \
            ill-conditioned problem needs; on a well-conditioned one it only slows things down. \
            For a quadratic whose curvatures lie in [μ, L] the best choice balances the two \
            (exercise 2): β = ((√κ − 1)/(√κ + 1))² with κ = L/μ, close to 1 only when κ is large.
            """)
        var rhoAxes = Axes(xLabel: "ηλ", yLabel: "spectral radius ρ(R)")
        let grid = (0...440).map { Double($0) / 100 }
        for beta in [0.0, 0.5, 0.9] {
            rhoAxes.plot(grid, grid.map { MomentumStability.spectralRadius(.heavyBall, beta: beta, etaLambda: $0) },
                         label: "β = \(CFormat.format("%.1f", beta))")
        }
        rhoAxes.axhline(1, format: "--", color: .gray)
        rhoAxes.yLimits = 0...1.5
        rhoAxes.xLimits = 0...4.4
        rhoAxes.grid = true
        nb.figure(Figure(width: 600, height: 300, rhoAxes), name: "momentum-spectral-radius",
                  caption: "Spectral radius of R against ηλ for β = 0, 0.5 and 0.9; below the dashed line the iteration converges.")
    }

    static func closingSummary(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - Momentum steps along a leaky average of past gradients instead of the latest one; this \
            speeds up convergence, especially on ill-conditioned problems.
            - The average counts about 1/(1 − β) gradients, so the effective step is η/(1 − β).
            - With noisy gradients the velocity points much closer to the true gradient than any \
            single gradient, yet at an equal effective step the noise floor stays about the same; \
            what momentum adds is a wider stable range, so a noisy run can take larger steps early.
            - A heavy ball that arrives with speed can roll over the rim of a shallow well; started \
            at rest inside it, it stays. It has no preference for good minima.
            - Where η sits matters only under a schedule: with the rate outside the velocity (the \
            book, PyTorch) a new rate acts at once, with the rate inside it acts over about \
            1/(1 − β) steps.
            - On convex quadratics the dynamics split along the eigenvectors of the Hessian; each \
            direction is governed by a 2 × 2 matrix R, and momentum converges exactly when \
            0 < ηλ < 2 + 2β, a wider range than gradient descent's 0 < ηλ < 2 (verified numerically \
            above). Nesterov's variant damps oscillations faster but tolerates only \
            ηλ < (2 + 2β)/(1 + 2β).
            - The cost is one extra vector of state, the velocity.
            """)
    }

    // MARK: - Helpers

    /// The book's training plot: loss against epoch on [0, 2] × [0.22, 0.35].
    static func lossFigure(_ run: TrainingRun) -> Figure {
        BookFigures.lossCurves([run])
    }

    /// `base^n` by repeated multiplication (bit-identical on every platform).
    static func powInt(_ base: Double, _ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= base }
        return result
    }

    static func shortNumber(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(x)
    }
}
