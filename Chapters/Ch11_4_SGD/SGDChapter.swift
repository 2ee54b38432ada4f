import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.4 Stochastic Gradient Descent: noisy gradients on x1² + 2x2², learning-rate schedules,
/// the convex convergence bound, and sampling with or without replacement.
enum SGDChapter: Chapter {
    static let target = "Ch11_4_SGD"
    static let title = "11.4 Stochastic Gradient Descent"
    static let summary = "Noisy gradients, learning-rate schedules that tame the noise, the convex convergence bound, and sampling with or without replacement."
    static let keyFigure: String? = "sgd-constant.svg"
    static let keyFigureIsAnimated = true

    /// The objective of every 2-D experiment here: x1² + 2 x2².
    static let objective = Objective2D.ellipse(a: 1, b: 2)
    /// The base rate η that multiplies every schedule (the book's `eta = 0.1`).
    static let baseRate = 0.1
    /// Contour levels of the objective on the book's window: doubling from 0.25, so that the
    /// basin where the noisy paths end is drawn (evenly spaced levels would start at 10).
    static let contourLevels = ContourLevels.geometric(from: 0.25, to: 32)
    /// The stationary spread (standard deviation) of each coordinate under the constant rate:
    /// x ← (1 − cη)x − ηξ settles at η / √(1 − (1 − cη)²), c = 2 and 4.
    static var stationarySpread: Point2D {
        Point2D(baseRate / (1 - (1 - 2 * baseRate) * (1 - 2 * baseRate)).squareRoot(),
                baseRate / (1 - (1 - 4 * baseRate) * (1 - 4 * baseRate)).squareRoot())
    }

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Gradient descent as in the previous section touches every training example before it \
            moves once. Stochastic gradient descent (SGD) moves after looking at a single example, \
            accepting a noisy direction in exchange for a step that costs almost nothing. This section \
            simulates that noise on a small quadratic, shows why the learning rate then has to shrink \
            over time and how fast, proves a convergence bound for convex objectives, and looks at the \
            difference between drawing training examples with and without replacement.
            """)
        let runs = bookRuns(ctx)
        updates(nb, ctx, constant: runs[0])
        dynamicLearningRate(nb, ctx, exponential: runs[1], polynomial: runs[2])
        convergence(nb, ctx, runs: runs)
        finiteSamples(nb, ctx)
        summaryAndExercises(nb)
        exercises(nb, ctx)
    }

    // MARK: - The three runs of the book

    /// One of the book's three noisy runs: a named schedule, its step count and the trace.
    struct ScheduleRun {
        let name: String
        let schedule: any LearningRateSchedule
        let steps: Int
        let trace: Trace2D
        /// η_t for every step that was taken.
        var rates: [Double] { (0..<steps).map { schedule($0) } }
    }

    /// The three schedules of the section, with the book's counter semantics: the counter
    /// starts at 1 and is incremented before it is read, so update t (0-based) uses counter t + 2.
    static func schedules() -> [(name: String, schedule: any LearningRateSchedule, steps: Int)] {
        // cell: sgd-schedules
        let baseRate = 0.1
        let constant = ConstantSchedule(learningRate: baseRate)
        let exponential = ExponentialSchedule(initialLR: baseRate, decayRate: 0.1).shifted(by: 2)
        let polynomial = PolynomialSchedule(initialLR: baseRate, beta: 0.1, alpha: 0.5).shifted(by: 2)
        // end cell
        return [("constant", constant, 50), ("exponential", exponential, 1000), ("polynomial", polynomial, 50)]
    }

    /// The constant, exponential and polynomial runs with N(0, 1) gradient noise, each from its
    /// own named random stream.
    static func bookRuns(_ ctx: ChapterContext) -> [ScheduleRun] {
        schedules().map { s in
            var rng = ctx.generator(stream: "sgd-\(s.name)")
            let trace = NoisyGradientDescent.run(objective, schedule: s.schedule, steps: s.steps, generator: &rng)
            return ScheduleRun(name: s.name, schedule: s.schedule, steps: s.steps, trace: trace)
        }
    }

    /// Mean and standard deviation of the final (x1, x2) of a noisy run with N(0, 1) noise,
    /// computed exactly: every coordinate is linear in the noise, x ← (1 − c η_t) x − η_t ξ_t.
    static func finalMoments(rates: [Double], start: Point2D = Point2D(-5, -2)) -> (mean: Point2D, sd: Point2D) {
        var mean = start
        var variance = Point2D(0, 0)
        let curvature = Point2D(2, 4)
        for eta in rates {
            let factor = 1 - eta * curvature
            mean = factor * mean
            variance = factor * factor * variance + Point2D(repeating: eta * eta)
        }
        return (mean, variance.squareRoot())
    }

    // MARK: - 11.4.1

    static func updates(_ nb: Notebook, _ ctx: ChapterContext, constant: ScheduleRun) {
        nb.heading("11.4.1 Stochastic gradient updates")
        nb.paragraph("""
            A training objective is almost always an average: with n examples and a loss f_i(x) for \
            example i at parameters x,
            """)
        nb.formula(#"f(\mathbf{x}) = \frac{1}{n} \sum_{i=1}^{n} f_i(\mathbf{x}), \qquad \nabla f(\mathbf{x}) = \frac{1}{n} \sum_{i=1}^{n} \nabla f_i(\mathbf{x})"#,
                   plain: "f(x) = (1/n) Σᵢ fᵢ(x),    ∇f(x) = (1/n) Σᵢ ∇fᵢ(x)")
        nb.paragraph("""
            One full gradient therefore costs O(n) work, and n can be millions. SGD instead draws one \
            index i uniformly from {1, …, n} and steps along that example's gradient alone, at O(1) \
            cost per update:
            """)
        nb.formula(#"\mathbf{x} \leftarrow \mathbf{x} - \eta \nabla f_i(\mathbf{x})"#,
                   plain: "x ← x − η ∇fᵢ(x)")
        nb.paragraph("""
            The single-example gradient is a noisy but *unbiased* stand-in for the full one: averaging \
            it over the random index gives back exactly ∇f(x).
            """)
        nb.formula(#"\mathbb{E}_i\, \nabla f_i(\mathbf{x}) = \frac{1}{n} \sum_{i=1}^{n} \nabla f_i(\mathbf{x}) = \nabla f(\mathbf{x})"#,
                   plain: "E_i ∇fᵢ(x) = (1/n) Σᵢ ∇fᵢ(x) = ∇f(x)")
        nb.paragraph("""
            To watch this noise at work without a data set, we take the quadratic f(x) = x₁² + 2x₂² of \
            Section 11.3 (gradient (2x₁, 4x₂)) and add an independent standard normal number to each \
            coordinate of the gradient before every step. The update is η_t·(gradient + noise) with \
            η_t = 0.1 · lr(t); for now lr(t) = 1.
            """)
        nb.paragraph("""
            **Which noise.** The book's text asks for zero-mean noise, but its code called \
            `np.random.normal(0.1)`, whose first argument is the *mean*: the printed runs added \
            N(0.1, 1) noise, a stochastic gradient biased by 0.1 in each coordinate. This project uses \
            the intended N(0, 1) noise, drawn with `SeededGenerator.normal()` from a separate named \
            random stream per run (`sgd-constant`, `sgd-exponential`, `sgd-polynomial`). The numbers \
            below are therefore our own seeded results, not the book's: its figures came from its own \
            random generator (and the biased noise) and cannot be reproduced. We quote the book's \
            lines for comparison only.
            """)
        nb.code(cell: "sgd-constant")
        // cell: sgd-constant
        let f = Objective2D.ellipse(a: 1, b: 2)          // x1^2 + 2 x2^2
        var rng = ctx.generator(stream: "sgd-constant")
        let trace = NoisyGradientDescent.run(f, schedule: ConstantSchedule(learningRate: 0.1),
                                             steps: 50, noise: .standard, generator: &rng)
        // inside: g = f.gradient(x) + (rng.normal(), rng.normal()); x -= eta_t * g
        nb.output(NotebookText(trace.summary))
        // end cell
        // The section's later comparisons use the same run, made from the same stream by `bookRuns`.
        if trace.points != constant.trace.points { misuse("the constant-rate run shown differs from bookRuns' run") }
        nb.paragraph("(The book's run, with its own random numbers and N(0.1, 1) noise, printed `epoch 50, x1 -0.522513, x2 0.085780`.)")
        nb.figure(BookFigures.trace2D(f, points: trace.points, levels: contourLevels), name: "sgd-constant",
                  caption: "50 steps of noisy-gradient descent with the constant rate η = 0.1 on x₁² + 2x₂², from (−5, −2).")
        let stationary = stationarySpread
        nb.paragraph("""
            Compared with the smooth path of plain gradient descent, this one wanders. The first few \
            steps are dominated by the large true gradient, but near the minimum the noise term η·ξ is \
            as large as the gradient term and the iterate keeps jittering. More steps do not help: \
            with a constant η each coordinate obeys x ← (1 − cη)x − ηξ (c = 2 or 4), whose spread \
            settles at the standard deviation η / √(1 − (1 − cη)²), here \
            \(CFormat.format("%.3f", stationary.x)) for x₁ and \(CFormat.format("%.3f", stationary.y)) for x₂, \
            however long we run. A smaller constant η shrinks this floor but slows the approach from \
            far away. The way out of the dilemma is to make η depend on time: large at first, small later. \
            That is why the update multiplies η by a schedule lr(t) at all.
            """)
        quirk(nb, ctx)
    }

    /// Averages of the final constant-rate iterate under the intended and the book's noise.
    static func quirk(_ nb: Notebook, _ ctx: ChapterContext) {
        let repeats = 1000
        var rows: [[NotebookText]] = []
        for (label, noise, stream) in [("N(0, 1)  (intended, used here)", GradientNoise.standard, "quirk-mean-0"),
                                       ("N(0.1, 1)  (the book's code)", GradientNoise(mean: 0.1), "quirk-mean-0.1")] {
            var rng = ctx.generator(stream: stream)
            var total = Point2D(0, 0)
            for _ in 0..<repeats {
                total += NoisyGradientDescent.run(objective, schedule: ConstantSchedule(learningRate: baseRate),
                                                  steps: 50, noise: noise, generator: &rng).final
            }
            let mean = total / Double(repeats)
            rows.append([NotebookText(label), "\(mean.x, format: "%+.4f")", "\(mean.y, format: "%+.4f")"])
        }
        nb.paragraph("""
            What did the book's slip change? A gradient biased by b per coordinate moves the point \
            where the expected step vanishes from (0, 0) to (−b/2, −b/4) = (−0.05, −0.025) for b = 0.1. \
            Averaging the final point of \(repeats) constant-rate runs of 50 steps shows exactly that \
            shift (the standard error of each average is about \
            \(CFormat.format("%.3f", stationarySpread.x / Double(repeats).squareRoot())) for x1 and \
            \(CFormat.format("%.3f", stationarySpread.y / Double(repeats).squareRoot())) for x2):
            """)
        nb.table(header: ["gradient noise", "mean x1 after 50 steps", "mean x2 after 50 steps"], rows: rows)
        nb.paragraph("""
            The bias is small beside the spread of a single run, which is why the book's pictures look \
            right, but it is a systematic error that no schedule removes.
            """)
    }

    // MARK: - 11.4.2

    static func dynamicLearningRate(_ nb: Notebook, _ ctx: ChapterContext,
                                    exponential: ScheduleRun, polynomial: ScheduleRun) {
        nb.heading("11.4.2 Dynamic learning rate")
        nb.paragraph("""
            Once η depends on t, the question is how quickly it should fall. Decay too fast and the \
            steps become negligible before the iterate has arrived; decay too slowly and we keep \
            paying for noise long after the approach is done. Three simple families are common:
            """)
        nb.formula(#"""
            \begin{aligned}
            \eta(t) &= \eta_i \quad \text{if } t_i \le t < t_{i+1} && \text{piecewise constant} \\
            \eta(t) &= \eta_0 \, e^{-\lambda t} && \text{exponential} \\
            \eta(t) &= \eta_0 \, (\beta t + 1)^{-\alpha} && \text{polynomial}
            \end{aligned}
            """#,
                   plain: """
            η(t) = ηᵢ  for tᵢ ≤ t < tᵢ₊₁     piecewise constant
            η(t) = η₀ · e^(−λt)              exponential
            η(t) = η₀ · (βt + 1)^(−α)        polynomial
            """)
        nb.paragraph("""
            Piecewise-constant schedules, lowered by hand or whenever progress stalls, are a staple of \
            deep-network training. Exponential decay is far more aggressive. Polynomial decay with \
            α = 1/2 is the classical choice for convex problems, for reasons the next subsection makes \
            precise. Section 11.11 returns to schedules in depth.
            """)
        nb.paragraph("""
            In the book the schedule is a function with a global counter `ctr` that starts at 1 and is \
            incremented *before* each use, so the first update already reads ctr = 2. Here a schedule \
            is a pure function of the 0-based update index t, and the counter becomes a shift by two: \
            update t uses lr(t + 2). With the base rate 0.1 folded in:
            """)
        nb.formula(#"\eta_t^{\text{exp}} = 0.1\, e^{-0.1\,(t+2)}, \qquad \eta_t^{\text{poly}} = 0.1\, \bigl(1 + 0.1\,(t+2)\bigr)^{-1/2}, \qquad t = 0, 1, 2, \ldots"#,
                   plain: "η_t(exp) = 0.1 · e^(−0.1 (t+2)),    η_t(poly) = 0.1 · (1 + 0.1 (t+2))^(−1/2),    t = 0, 1, 2, …")
        nb.code(cell: "sgd-schedules")
        let all = schedules()
        let firstRates: [[NotebookText]] = all.map { s in
            [NotebookText(s.name)] + [0, 1, 2, 10, 49].map { t in "\(s.schedule(t), format: "%.5f")" }
        }
        nb.table(header: ["schedule", "η_0", "η_1", "η_2", "η_10", "η_49"], rows: firstRates)
        let horizon = 100
        let t = (0..<horizon).map(Double.init)
        // Headroom above the constant rate keeps the legend clear of all three curves.
        var rateAxes = BookFigures.plotAxes(x: [t], all.map { s in (0..<horizon).map { s.schedule($0) } },
                                            xLabel: "update t", yLabel: "learning rate η_t",
                                            legend: all.map(\.name), yLimits: -0.005...0.14)
        rateAxes.legend = .upperRight
        nb.figure(Figure(width: 420, height: 260, rateAxes),
                  name: "learning-rates",
                  caption: "The three learning rates of this section over the first 100 updates (base rate 0.1 included).")
        // ExponentialSchedule computes e^(−0.1) once and raises it to the power t + 2, so its values
        // can differ from exp(−0.1 (t + 2)) in the last bit; the runs are stochastic anyway.

        nb.heading("Exponential decay", level: 3)
        nb.paragraph("With the exponential schedule and 1000 updates:")
        nb.output(NotebookText(exponential.trace.summary))
        nb.paragraph("(The book printed `epoch 1000, x1 -0.862200, x2 -0.019736` from its own random numbers.)")
        nb.figure(BookFigures.trace2D(objective, points: exponential.trace.points, levels: contourLevels), name: "sgd-exponential",
                  caption: "1000 noisy steps with η_t = 0.1·e^(−0.1(t+2)): the path freezes long before the minimum.")
        let expRates = exponential.rates
        let expMoments = finalMoments(rates: expRates)
        let expSum = expRates.reduce(0, +)
        nb.paragraph("""
            The path is calm, but it stops short: x₁ freezes far from 0 and stays there for the \
            remaining hundreds of updates. The reason is arithmetic. The rates form a geometric series \
            whose total is only Σ η_t = \(CFormat.format("%.4f", expSum)), and the mean of a coordinate \
            with curvature c shrinks by the product of the factors (1 − c η_t), roughly e^(−c Σ η_t), \
            which is about \(CFormat.format("%.2f", Foundation.exp(-2 * expSum))) for x₁. Since every \
            coordinate is a linear function of the noise, the distribution of the final point can be \
            computed exactly: x₁ ends with mean \(CFormat.format("%.4f", expMoments.mean.x)) and \
            standard deviation \(CFormat.format("%.4f", expMoments.sd.x)), x₂ with mean \
            \(CFormat.format("%.4f", expMoments.mean.y)) and standard deviation \
            \(CFormat.format("%.4f", expMoments.sd.y)). Our run is one draw from this distribution (the \
            book's, with its biased noise, from one shifted by a few hundredths). No number of extra \
            steps moves x₁ away from there.
            """)

        nb.heading("Polynomial decay", level: 3)
        nb.paragraph("The polynomial schedule decays like 1/√t. After only 50 updates:")
        nb.output(NotebookText(polynomial.trace.summary))
        nb.paragraph("(The book printed `epoch 50, x1 -0.024847, x2 0.090820` from its own random numbers.)")
        nb.figure(BookFigures.trace2D(objective, points: polynomial.trace.points, levels: contourLevels), name: "sgd-polynomial",
                  caption: "50 noisy steps with η_t = 0.1·(1 + 0.1(t+2))^(−1/2): the iterate reaches the minimum and the jitter shrinks.")
        let polyMoments = finalMoments(rates: polynomial.rates)
        let polySum = polynomial.rates.reduce(0, +)
        nb.paragraph("""
            Now the rates still add up to Σ η_t = \(CFormat.format("%.4f", polySum)) after 50 steps, and \
            the sum keeps growing without bound as t increases, so the start is forgotten (the mean of \
            the final x₁ is \(CFormat.format("%.1e", polyMoments.mean.x))), while each individual step \
            keeps getting smaller, so the noise is averaged down: the final standard deviations are \
            \(CFormat.format("%.3f", polyMoments.sd.x)) for x₁ and \(CFormat.format("%.3f", polyMoments.sd.y)) \
            for x₂, and they keep falling as the run goes on. Other shapes exist (warm-up followed by \
            decay, cycles between small and large rates), but for those we have no convex guarantee; \
            the next subsection explains what the polynomial rate buys.
            """)
        distanceExperiment(nb, ctx)
    }

    /// Exercise 1: root-mean-square distance to the optimum against the update count, 1000
    /// updates for every schedule, averaged over independent runs.
    static func distanceExperiment(_ nb: Notebook, _ ctx: ChapterContext) {
        let repeats = 200, steps = 1000
        let curves = distanceCurves(ctx, repeats: repeats, steps: steps)
        nb.heading("Beyond the book: distance to the optimum (exercise 1)", level: 3)
        nb.paragraph("""
            Exercise 1 asks for the distance to the optimum (0, 0) as a function of the iteration \
            count. To see the trend rather than one run's luck, we run every schedule for \(steps) \
            updates \(repeats) times (stream `distance-<schedule>`) and plot the root-mean-square \
            distance ‖x_t‖ over the runs, on a log scale:
            """)
        let t = (0...steps).map(Double.init)
        nb.figure(BookFigures.plot(x: t, curves.map(\.rms), xLabel: "update t",
                                   yLabel: "RMS distance to (0, 0)", legend: curves.map(\.name),
                                   yScale: .log, width: 420, height: 280),
                  name: "distance-to-optimum",
                  caption: "Root-mean-square distance to the optimum over \(repeats) runs per schedule, \(steps) updates each.")
        let checkpoints = [10, 50, 100, 1000]
        nb.table(header: ["schedule"] + checkpoints.map { "t = \($0)" },
                 rows: curves.map { c in [NotebookText(c.name)] + checkpoints.map { "\(c.rms[$0], format: "%.4f")" } })
        let last = steps
        nb.paragraph("""
            The three curves tell the story of this subsection. The constant rate gets close quickly \
            and then stays on a plateau near \(CFormat.format("%.2f", curves[0].rms[last])), which matches \
            the noise floor computed above, \
            √(\(CFormat.format("%.3f", stationarySpread.x))² + \(CFormat.format("%.3f", stationarySpread.y))²) ≈ \
            \(CFormat.format("%.3f", (stationarySpread * stationarySpread).sum().squareRoot())), up to the sampling error of \
            an average over \(repeats) runs. The exponential rate flattens out almost \
            as early, but at about \(CFormat.format("%.2f", curves[1].rms[last])), once the rate has died \
            out. The polynomial rate is slower at first (its steps are below 0.1 from the start) but \
            never stops improving: at t = \(last) it is \
            \(CFormat.format("%.1f", curves[0].rms[last] / curves[2].rms[last])) times closer than the \
            constant rate.
            """)
    }

    /// RMS distance to (0, 0) after every update (index 0 = start) for each schedule.
    static func distanceCurves(_ ctx: ChapterContext, repeats: Int, steps: Int) -> [(name: String, rms: [Double])] {
        schedules().map { s in
            var rng = ctx.generator(stream: "distance-\(s.name)")
            var sumSquares = [Double](repeating: 0, count: steps + 1)
            for _ in 0..<repeats {
                let trace = NoisyGradientDescent.run(objective, schedule: s.schedule, steps: steps, generator: &rng)
                for (k, p) in trace.points.enumerated() { sumSquares[k] += (p * p).sum() }
            }
            return (s.name, sumSquares.map { ($0 / Double(repeats)).squareRoot() })
        }
    }

    // MARK: - 11.4.3

    static func convergence(_ nb: Notebook, _ ctx: ChapterContext, runs: [ScheduleRun]) {
        nb.heading("11.4.3 Convergence analysis for convex objectives")
        nb.paragraph("""
            This part is optional; it gives the simplest of the classical proofs (in the style of \
            Nesterov and Vial) and shows where the 1/√t rate comes from. Sharper results exist for \
            better-behaved objectives: for strongly convex losses, rates that decay like 1/t give much \
            faster convergence, but deep-learning losses are not of that kind.
            """)
        nb.paragraph("""
            **Setting and assumptions.** Parameters w are updated with the gradient of the loss at a \
            freshly drawn example x_t, w_{t+1} = w_t − η_t ∂_w l(x_t, w_t), where (i) the examples are \
            drawn independently from a distribution P, (ii) l(x, w) is convex in w for every x, (iii) \
            the expected risk R(w) = E_{x∼P}[l(x, w)] has a minimizer w* with value R*, and (iv) the \
            stochastic gradients are bounded in mean square, E‖∂_w l(x_t, w_t)‖² ≤ L². (The book asks \
            for a Lipschitz constant L, which bounds every gradient; the proof only needs the mean-square \
            bound.) Write g_t = ∂_w l(x_t, w_t) for the stochastic gradient of step t and expand the squared \
            distance to w* after one step:
            """)
        nb.formula(#"\|\mathbf{w}_{t+1} - \mathbf{w}^*\|^2 = \|(\mathbf{w}_t - \mathbf{w}^*) - \eta_t \mathbf{g}_t\|^2 = \|\mathbf{w}_t - \mathbf{w}^*\|^2 - 2\eta_t\, \mathbf{g}_t^\top (\mathbf{w}_t - \mathbf{w}^*) + \eta_t^2 \|\mathbf{g}_t\|^2"#,
                   plain: "‖w_{t+1} − w*‖² = ‖(w_t − w*) − η_t g_t‖² = ‖w_t − w*‖² − 2η_t g_tᵀ(w_t − w*) + η_t² ‖g_t‖²")
        nb.paragraph("""
            Convexity bounds the inner product: the tangent plane at w_t lies below the loss, so \
            l(x_t, w*) ≥ l(x_t, w_t) + g_tᵀ(w* − w_t). Substituting gives the progress of \
            one step:
            """)
        nb.formula(#"\|\mathbf{w}_t - \mathbf{w}^*\|^2 - \|\mathbf{w}_{t+1} - \mathbf{w}^*\|^2 \ge 2\eta_t \bigl(l(\mathbf{x}_t, \mathbf{w}_t) - l(\mathbf{x}_t, \mathbf{w}^*)\bigr) - \eta_t^2 \|\mathbf{g}_t\|^2"#,
                   plain: "‖w_t − w*‖² − ‖w_{t+1} − w*‖² ≥ 2η_t (l(x_t, w_t) − l(x_t, w*)) − η_t² ‖g_t‖²")
        nb.paragraph("""
            A single step may well move away from w*; only on average do we gain, and only while the \
            excess loss outweighs a term of order η_t L². Since the excess loss must eventually go to \
            zero, so must η_t. Taking expectations (x_t is independent of w_t, so the expected loss at \
            w_t is E[R(w_t)]) and summing over t = 0, …, T − 1, the left side telescopes; dropping the \
            nonnegative final distance leaves
            """)
        nb.formula(#"\|\mathbf{w}_0 - \mathbf{w}^*\|^2 \ge 2 \sum_{t=0}^{T-1} \eta_t \bigl(\mathbb{E}[R(\mathbf{w}_t)] - R^*\bigr) - L^2 \sum_{t=0}^{T-1} \eta_t^2"#,
                   plain: "‖w_0 − w*‖² ≥ 2 Σ_{t<T} η_t (E[R(w_t)] − R*) − L² Σ_{t<T} η_t²")
        nb.paragraph("""
            Finally let w̄ = Σ η_t w_t / Σ η_t be the rate-weighted average of the iterates. R is convex, \
            so by Jensen's inequality R(w̄) ≤ Σ η_t R(w_t) / Σ η_t (the book writes this step with \
            E[w̄] in place of E[R(w̄)]). With r² = ‖w_0 − w*‖² this yields the bound
            """)
        nb.formula(#"\mathbb{E}[R(\bar{\mathbf{w}})] - R^* \le \frac{r^2 + L^2 \sum_{t=0}^{T-1} \eta_t^2}{2 \sum_{t=0}^{T-1} \eta_t}, \qquad \bar{\mathbf{w}} = \frac{\sum_{t=0}^{T-1} \eta_t \mathbf{w}_t}{\sum_{t=0}^{T-1} \eta_t}"#,
                   plain: "E[R(w̄)] − R* ≤ (r² + L² Σ η_t²) / (2 Σ η_t),    w̄ = Σ η_t w_t / Σ η_t")
        nb.paragraph("""
            The bound is about the averaged iterate w̄, a smoothed version of the path, not about the \
            last one. It converges to 0 exactly when Σ η_t grows without bound while Σ η_t² grows \
            more slowly than Σ η_t. Two choices follow:
            """)
        nb.paragraph("""
            - *Known horizon T*: the constant η = r / (L√T) makes both terms of the numerator equal to \
            r², and the bound becomes exactly rL/√T: error O(1/√T).
            - *Unknown horizon*: η_t ∝ 1/√(t + 1) works for every T at once, at the price of a \
            logarithmic factor, O(log T / √T), because Σ η_t² then grows like log T.
            """)
        nb.paragraph("""
            For exponential decay Σ η_t stays bounded, so the right side never approaches 0: the \
            analysis predicts the stall we saw. (The book's remark that exponential decay gives \
            O(log T / T) for strongly convex losses does not match the standard result, which uses \
            η_t ∝ 1/t.)
            """)
        boundNumbers(nb, ctx, runs: runs)
        varianceReduction(nb, ctx)
    }

    /// Evaluates the bound for the three runs of 11.4.2 and compares it with what they achieve.
    static func boundNumbers(_ nb: Notebook, _ ctx: ChapterContext, runs: [ScheduleRun]) {
        let start = Point2D(-5, -2)
        let r2 = (start * start).sum()
        let g2 = 4 * start.x * start.x + 16 * start.y * start.y + 2
        nb.paragraph("""
            **Evaluating the bound (beyond the book).** Our toy problem fits the assumptions: \
            f(x) = x₁² + 2x₂² is convex with minimum 0 at the origin, and adding N(0, 1) noise to the \
            gradient is the same as drawing a random example (exercise 2 below), with R(w) − R* = f(w). Here \
            r² = ‖(−5, −2)‖² = \(CFormat.format("%g", r2)). For the mean-square gradient bound, \
            E‖g_t‖² = 4E[x₁²] + 16E[x₂²] + 2, and with η_t ≤ 0.1 the second moments obey \
            E[x₁²] ← (1 − 2η_t)² E[x₁²] + η_t² and E[x₂²] ← (1 − 4η_t)² E[x₂²] + η_t², which never \
            rise above their starting values 25 and 4. So L² = 4·25 + 16·4 + 2 = \(CFormat.format("%g", g2)) \
            is valid along every run. The table compares the bound with f(w̄) for our printed run and \
            with its average over 1000 runs of each schedule (stream `bound-<schedule>`):
            """)
        var rows: [[NotebookText]] = []
        for run in runs {
            let rates = run.rates
            let bound = ConvexSGDBound.value(distanceSquared: r2, gradientBoundSquared: g2, rates: rates)
            let ours = objective.value(ConvexSGDBound.weightedAverage(run.trace.points, rates: rates))
            let average = averageOfWeightedAverage(ctx, run: run, repeats: 1000)
            rows.append([NotebookText(run.name), "\(run.steps)", "\(rates.reduce(0, +), format: "%.4f")",
                         "\(rates.map { $0 * $0 }.reduce(0, +), format: "%.4f")", "\(bound, format: "%.3f")",
                         "\(ours, format: "%.4f")", "\(average, format: "%.4f")"])
        }
        nb.table(header: ["schedule", "T", "Σ η_t", "Σ η_t²", "bound", "f(w̄), our run", "mean f(w̄), 1000 runs"],
                 rows: rows)
        let best = ConvexSGDBound.bestConstantRate(distance: r2.squareRoot(), gradientBound: g2.squareRoot(), steps: 50)
        let bestBound = ConvexSGDBound.value(distanceSquared: r2, gradientBoundSquared: g2,
                                             rates: Array(repeating: best, count: 50))
        nb.paragraph("""
            The bound holds in every row, with a lot of room: it is a worst case over all convex \
            problems with these r and L, and it ignores the strong curvature that makes our quadratic \
            easy. It is no ranking of the schedules either: it puts the polynomial schedule ahead of \
            the constant one, the reverse of the measured f(w̄). What it does get right is that the \
            exponential schedule has the weakest guarantee even with twenty times as many steps, \
            because its Σ η_t is capped. For T = 50 the \
            best constant rate is η = r/(L√T) = \(CFormat.format("%.4f", best)), with bound \
            rL/√T = \(CFormat.format("%.3f", bestBound)), slightly below the \
            \(CFormat.format("%.3f", ConvexSGDBound.value(distanceSquared: r2, gradientBoundSquared: g2, rates: Array(repeating: baseRate, count: 50)))) \
            of η = 0.1.
            """)
    }

    /// Mean of f(w̄) over `repeats` independent runs of `run`'s schedule and length.
    static func averageOfWeightedAverage(_ ctx: ChapterContext, run: ScheduleRun, repeats: Int) -> Double {
        var rng = ctx.generator(stream: "bound-\(run.name)")
        let rates = run.rates
        var total = 0.0
        for _ in 0..<repeats {
            let trace = NoisyGradientDescent.run(objective, schedule: run.schedule, steps: run.steps, generator: &rng)
            total += objective.value(ConvexSGDBound.weightedAverage(trace.points, rates: rates))
        }
        return total / Double(repeats)
    }

    // MARK: - 11.4.4

    /// The chance that a given example is drawn at least once, and exactly once, in N draws
    /// with replacement from N examples.
    static func replacementProbabilities(_ n: Int) -> (atLeastOnce: Double, exactlyOnce: Double) {
        let miss = 1 - 1 / Double(n)
        return (1 - Foundation.pow(miss, Double(n)), Foundation.pow(miss, Double(n - 1)))
    }

    /// Simulated fractions of examples drawn at least once and exactly once, over `trials` epochs
    /// of `n` draws with replacement.
    static func simulateReplacement(_ ctx: ChapterContext, n: Int, trials: Int) -> (atLeastOnce: Double, exactlyOnce: Double) {
        var rng = ctx.generator(stream: "with-replacement")
        var seen = 0, once = 0
        for _ in 0..<trials {
            var counts = [Int](repeating: 0, count: n)
            for i in SamplingScheme.withReplacement.epochOrder(count: n, generator: &rng) { counts[i] += 1 }
            seen += counts.filter { $0 >= 1 }.count
            once += counts.filter { $0 == 1 }.count
        }
        let total = Double(n * trials)
        return (Double(seen) / total, Double(once) / total)
    }

    static func finiteSamples(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("11.4.4 Stochastic gradients and finite samples")
        nb.paragraph("""
            The analysis assumed fresh examples drawn from a distribution. With a finite training set \
            (x_i, y_i), i = 1, …, n, the natural distribution is the empirical one, which puts mass 1/n \
            on every example:
            """)
        nb.formula(#"p(x, y) = \frac{1}{n} \sum_{i=1}^{n} \delta_{x_i}(x)\, \delta_{y_i}(y)"#,
                   plain: "p(x, y) = (1/n) Σᵢ δ_{xᵢ}(x) δ_{yᵢ}(y)")
        nb.paragraph("""
            Sampling from it means drawing *with* replacement. The toy runs above never had examples \
            at all, only noise added to the gradient; exercise 2 shows why that is legitimate. On \
            x₁² + 2x₂², the gradient of l(x, w) = (x₁ − w₁)² + 2(x₂ − w₂)² with respect to w is \
            (2w₁, 4w₂) − (2x₁, 4x₂), so drawing x₁ ∼ N(0, 1/4) and x₂ ∼ N(0, 1/16) gives exactly the true \
            gradient plus N(0, 1) noise in each coordinate, and E_x[l(x, w)] = w₁² + 2w₂² + 3/8 has the \
            same minimizer. The argument carries over to any ½(w − μ)ᵀQ(w − μ) with Q ⪰ 0: examples x with \
            mean μ and covariance Σ, and the loss ½(w − x)ᵀQ(w − x), give the true gradient Q(w − μ) \
            plus zero-mean noise of covariance QΣQ.
            """)
        nb.paragraph("""
            Real training loops, including all of this book's, do something else: each epoch visits \
            every example exactly once, in a fresh random order (sampling *without* replacement). \
            Drawing with replacement wastes data. If an epoch is N draws from N examples, a particular \
            example is missed with probability (1 − 1/N)^N, so
            """)
        nb.formula(#"P(\text{example } i \text{ drawn at least once}) = 1 - \left(1 - \tfrac{1}{N}\right)^{N} \approx 1 - e^{-1}, \qquad P(\text{exactly once}) = \binom{N}{1} \tfrac{1}{N} \left(1 - \tfrac{1}{N}\right)^{N-1} = \left(1 - \tfrac{1}{N}\right)^{N-1} \approx e^{-1}"#,
                   plain: "P(i drawn at least once) = 1 − (1 − 1/N)^N ≈ 1 − e⁻¹,    P(exactly once) = C(N,1) (1/N) (1 − 1/N)^(N−1) = (1 − 1/N)^(N−1) ≈ e⁻¹")
        let n = 1000, trials = 200
        let exact = replacementProbabilities(n)
        let simulated = simulateReplacement(ctx, n: n, trials: trials)
        let bookExpression = Double(n - 1) / Double(n) * Foundation.pow(1 - 1 / Double(n), Double(n))
        nb.paragraph("For N = \(n), computed, and measured over \(trials) simulated epochs (stream `with-replacement`):")
        nb.output("P(drawn at least once) = 1 - (1 - 1/N)^N     = \(exact.atLeastOnce, format: "%.6f")   (1 - 1/e = \(1 - Foundation.exp(-1.0), format: "%.6f"))")
        nb.output("P(drawn exactly once)  = (1 - 1/N)^(N-1)     = \(exact.exactlyOnce, format: "%.6f")   (1/e     = \(Foundation.exp(-1.0), format: "%.6f"))")
        nb.output("simulated: at least once \(simulated.atLeastOnce, format: "%.6f"), exactly once \(simulated.exactlyOnce, format: "%.6f")")
        nb.paragraph("""
            So a pass with replacement sees only about 63% of the data, only about 37% of it exactly \
            once, and the rest twice or more. (The book simplifies the exactly-once probability to \
            (N − 1)/N · (1 − 1/N)^N = \(CFormat.format("%.6f", bookExpression)); the factor should be \
            N/(N − 1), which gives the value above. Both round to 0.37.) The repeated and missing \
            examples add variance that a permutation avoids, which is why the data iterators of this \
            book shuffle once per epoch and then walk through the whole set.
            """)
        replacementExperiment(nb, ctx)
    }

    /// Exercise 3 on a small least-squares problem: distance to the optimum per epoch with and
    /// without replacement, root-mean-square over several runs.
    struct ReplacementComparison {
        let minimizer: Double
        /// RMS distance after each epoch (index 0 = start), per scheme.
        let rms: [(scheme: SamplingScheme, distances: [Double])]
    }

    static let finiteSumTerms = 50
    static let finiteSumEpochs = 20
    static let finiteSumRepeats = 200
    /// η_t = 0.2 / (1 + t/n): the rate falls like 1/epoch.
    static let finiteSumSchedule = InverseTimeSchedule(initialLR: 0.2, decayRate: 1 / Double(finiteSumTerms))

    static func compareSampling(_ ctx: ChapterContext) -> ReplacementComparison {
        var dataRNG = ctx.generator(stream: "finite-sum-data")
        let problem = FiniteSumSGD(targets: dataRNG.normals(finiteSumTerms))
        let xStar = problem.minimizer
        let results = SamplingScheme.allCases.map { scheme -> (scheme: SamplingScheme, distances: [Double]) in
            var rng = ctx.generator(stream: "finite-sum-\(scheme == .withReplacement ? "with" : "without")")
            var sumSquares = [Double](repeating: 0, count: finiteSumEpochs + 1)
            for _ in 0..<finiteSumRepeats {
                let xs = problem.run(start: 5, epochs: finiteSumEpochs, schedule: finiteSumSchedule,
                                     sampling: scheme, generator: &rng)
                for (k, x) in xs.enumerated() { sumSquares[k] += (x - xStar) * (x - xStar) }
            }
            return (scheme, sumSquares.map { ($0 / Double(finiteSumRepeats)).squareRoot() })
        }
        return ReplacementComparison(minimizer: xStar, rms: results)
    }

    static func replacementExperiment(_ nb: Notebook, _ ctx: ChapterContext) {
        let comparison = compareSampling(ctx)
        nb.heading("Beyond the book: with or without replacement (exercise 3)", level: 3)
        nb.paragraph("""
            Does it matter for convergence? Take n = \(finiteSumTerms) numbers a_i drawn from N(0, 1) \
            (stream `finite-sum-data`) and the finite sum f(x) = (1/n) Σ ½(x − a_i)², whose minimizer is \
            their mean, here x* = \(CFormat.format("%.6f", comparison.minimizer)). Single-example SGD \
            steps x ← x − η_t (x − a_i), starting at x = 5, with η_t = 0.2 / (1 + t/n) (t counts \
            updates, so the rate falls like 1/epoch), for \(finiteSumEpochs) epochs of n updates. One \
            variant draws every index with replacement, the other visits a fresh permutation each \
            epoch. Root-mean-square distance |x − x*| at the end of each epoch, over \
            \(finiteSumRepeats) runs of each:
            """)
        let epochs = (0...finiteSumEpochs).map(Double.init)
        nb.figure(BookFigures.plot(x: epochs, comparison.rms.map(\.distances), xLabel: "epoch",
                                   yLabel: "RMS distance to x*", legend: comparison.rms.map(\.scheme.rawValue),
                                   yScale: .log, width: 420, height: 280),
                  name: "sampling-with-without-replacement",
                  caption: "SGD on a 50-term least-squares sum: distance to the optimum after each epoch, with and without replacement (RMS over \(finiteSumRepeats) runs).")
        let shown = [1, 2, 5, 10, 20]
        nb.table(header: ["sampling"] + shown.map { "epoch \($0)" },
                 rows: comparison.rms.map { r in [NotebookText(r.scheme.rawValue)] + shown.map { "\(r.distances[$0], format: "%.4f")" } })
        nb.paragraph("""
            Both variants get close within an epoch, but from then on reshuffling pulls ahead and the \
            gap widens: after epoch \(finiteSumEpochs) its error is \
            \(CFormat.format("%.0f", comparison.rms[0].distances[finiteSumEpochs] / comparison.rms[1].distances[finiteSumEpochs])) \
            times smaller. With replacement, an \
            epoch is a random sample of the data in which some terms are over-represented and others \
            missing, and the iterate is pulled towards the mean of that sample rather than of the data \
            set; this error shrinks only in proportion to one over the square root of the number of \
            draws. A permutation \
            uses every term exactly once per epoch, so this sampling error cancels at the end of each \
            pass, and what remains is a small bias from the order within the epoch (the terms seen last \
            carry slightly more weight), which falls together with the learning rate.
            """)
    }

    // MARK: - Summary

    static func summaryAndExercises(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - A stochastic gradient from one example is unbiased and costs O(1) instead of O(n), but \
            its noise keeps a constant-rate iterate jittering around the minimum.
            - The learning rate must decrease, but not too fast: exponential decay freezes the iterate \
            where it happens to be, while η_t ∝ 1/√t keeps making progress.
            - For convex problems the rate-weighted average iterate comes within \
            (r² + L² Σ η_t²)/(2 Σ η_t) of the optimum in expectation, which is O(1/√T) for the best \
            constant rate; for nonconvex deep networks no such guarantee is available.
            - Per step gradient descent converges faster (O(1/T) against O(1/√T) on convex \
            problems), per unit of computation SGD usually wins when n is large and modest accuracy \
            suffices; variance reduction (SVRG) removes SGD's noise floor on finite sums and \
            converges linearly.
            - Drawing examples with replacement sees only about 63% of them per epoch; sampling \
            without replacement (reshuffling each epoch) uses the data better and converges faster.
            """)
    }
}
