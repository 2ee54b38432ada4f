import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: noisy-momentum-run
/// One run of the noise experiment: 2000 steps of momentum on f(x) = 0.1 x1² + 2 x2² from
/// (−5, −2), with N(0, 1) noise added to each coordinate of the gradient, drawn from the random
/// stream "noise-<label>-seed<k>".
func noisyMomentumRun(label: String, eta: Double, beta: Double, seed k: Int,
                      ctx: ChapterContext) -> OptimizerRun2D<Momentum> {
    var rng = ctx.generator(stream: "noise-\(label)-seed\(k)")
    return train2DNoisy(optimizer: Momentum(learningRate: eta, momentum: beta), objective: narrowValley,
                        steps: 2000, noise: .standard, generator: &rng)
}
// end cell

/// Beyond the book, from the lecture decks: momentum rolling over the rim of a shallow well,
/// what averaging does (and does not do) to gradient noise, and the two places the
/// learning rate can sit in the update.
extension MomentumChapter {
    static let wells = Objective1D.quarticWells()   // shallow well at −2, rim at −1, deep well at 3

    // MARK: - A shallow well

    static func shallowWell(_ nb: Notebook) {
        nb.heading("Beyond the book: rolling over the rim of a shallow well", level: 3)
        nb.paragraph("""
            The lecture notes credit momentum with a second talent besides damping oscillations: \
            it can carry the iterate out of a shallow local minimum that would trap plain gradient \
            descent. A one-dimensional landscape makes the claim testable. Take the quartic with \
            slope f'(x) = 0.1(x + 2)(x + 1)(x − 3):
            """)
        nb.formula(#"f(x) = 0.1\left(\tfrac{x^4}{4} - \tfrac{7}{2}x^2 - 6x\right)"#,
                   plain: "f(x) = 0.1 (x⁴/4 − 7x²/2 − 6x)")
        nb.paragraph("""
            It has a shallow well at x = −2 (f = \(CFormat.format("%g", wells.value(-2)))), whose rim at \
            x = −1 is only \(CFormat.format("%.3g", wells.value(-1) - wells.value(-2))) higher, and a deep one at \
            x = 3 (f = \(CFormat.format("%g", wells.value(3)))). Start at x = −4, on the far side of the \
            shallow well, and take 100 steps:
            """)
        nb.code(cell: "shallow-well")
        // cell: shallow-well
        let f = Objective1D.quarticWells()          // wells at −2 (shallow) and 3 (deep)
        let gd = train1D(optimizer: SGD(learningRate: 0.1), objective: f, start: -4, steps: 100)
        let heavy = train1D(optimizer: Momentum(learningRate: 0.1, momentum: 0.9), objective: f, start: -4, steps: 100)
        nb.output("gradient descent, η = 0.1:      x after 100 steps \(gd.last!, format: "%.4f")")
        nb.output("momentum, η = 0.1, β = 0.9:     x after 100 steps \(heavy.last!, format: "%.4f")")
        // end cell
        let equal = train1D(optimizer: SGD(learningRate: 1), objective: f, start: -4, steps: 100)
        let xs = stride(from: -4.5, through: 4.5, by: 0.01).map { $0 }
        var ax = Axes(xLabel: "x", yLabel: "f(x)")
        ax.plot(xs, xs.map(f.value), "-", color: .tabBlue)
        ax.plot(Array(gd.prefix(40)), gd.prefix(40).map(f.value), "-o", label: "gradient descent, η = 0.1", color: .tabOrange)
        ax.plot(Array(heavy.prefix(40)), heavy.prefix(40).map(f.value), "-o", label: "momentum, η = 0.1, β = 0.9", color: .tabGreen)
        ax.legend = .upperRight
        nb.figure(Figure(width: 600, height: 320, ax), name: "shallow-well",
                  caption: "The first 40 steps from x = −4 on a landscape with a shallow and a deep well: gradient descent stops in the shallow one, momentum rolls over its rim.")
        let peak = heavy.max()!
        nb.paragraph("""
            Gradient descent settles at the bottom of the shallow well. The heavy ball arrives there \
            with speed it gathered on the steep slope from −4, rolls over the rim, overshoots the \
            deep well up to x = \(CFormat.format("%.2f", peak)) and then settles at x = 3. Is that just \
            the larger effective step η/(1 − β) = 1? Plain gradient descent with η = 1 ends at \
            x = \(CFormat.format("%.4f", equal.last!)) after 100 steps: its first step jumps over \
            the rim by luck, but at the deep minimum f'' = \(CFormat.format("%g", f.secondDerivative!(3))), so \
            ηf'' = 2 sits exactly on gradient descent's stability limit and the iterate never \
            settles; momentum, stable up to ηλ = 2 + 2β, does. A grid of settings, 100 steps each:
            """)
        var rows: [[NotebookText]] = []
        let betas = [0.0, 0.5, 0.8, 0.9]
        for eta in [0.05, 0.1, 0.2] {
            var row: [NotebookText] = ["\(shortNumber(eta))"]
            for beta in betas {
                let end = train1D(optimizer: Momentum(learningRate: eta, momentum: beta), objective: f, start: -4, steps: 100).last!
                row.append("\(end, format: "%.3f") (\(end > -1 ? "deep" : "shallow"))")
            }
            rows.append(row)
        }
        nb.table(header: ["η"] + betas.map { "β = \(shortNumber($0))" }, rows: rows)
        let inside = train1D(optimizer: Momentum(learningRate: 0.1, momentum: 0.9), objective: f, start: -2.5, steps: 100)
        nb.paragraph("""
            Small β never escapes here, β = 0.9 always does, β = 0.8 only with a large enough η. \
            The escape needs speed gathered before the well: the same heavy ball started at rest \
            inside the well, at x = −2.5, stays there (x = \(CFormat.format("%.4f", inside.last!)) after \
            100 steps). And the mechanism has no preference for good minima: a ball that rolls out of \
            a poor well can roll out of a good one just as well. Momentum makes the outcome depend \
            on the path, which in high dimensions mostly means it passes flat regions and shallow \
            dents faster; it is no method for finding global minima.
            """)
    }

    // MARK: - Noise

    /// The noise experiment's settings: (label, η, β).
    static let noiseRuns: [(label: String, eta: Double, beta: Double)] = [
        ("SGD, η = 0.05", 0.05, 0),
        ("momentum, η = 0.005, β = 0.9", 0.005, 0.9),
        ("momentum, η = 0.05, β = 0.9", 0.05, 0.9),
        ("SGD, η = 0.5", 0.5, 0),
    ]

    /// What one noisy run did: first step with f below 0.5, mean f over the second half, and
    /// the RMS error of its direction of travel against the exact gradient over the second half.
    struct NoisyRunSummary {
        let stepsToHalf: Int?
        let meanLateLoss: Double
        let directionError: Double
    }

    static func summarize(_ run: OptimizerRun2D<Momentum>, effectiveRate: Double) -> NoisyRunSummary {
        let values = run.trace.points.map(f.value)
        let half = run.steps.count / 2
        let late = values[(half + 1)...]
        var sum = 0.0
        for v in late { sum += v }
        var squares = 0.0
        for step in run.steps[half...] {
            let exact = f.gradient(step.point)
            let e = (-1 / effectiveRate) * step.update - exact
            squares += (e * e).sum()
        }
        return NoisyRunSummary(stepsToHalf: values.firstIndex { $0 < 0.5 },
                               meanLateLoss: sum / Double(late.count),
                               directionError: (squares / Double(run.steps.count - half)).squareRoot())
    }

    static func noiseAveraging(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Beyond the book: what averaging does to noise", level: 3)
        nb.paragraph("""
            The other promise of momentum is variance reduction: the velocity is an average of many \
            recent minibatch gradients, so it should be less noisy than any one of them. Section \
            11.4's simulation tests it: the gradient of 0.1x₁² + 2x₂² plus independent N(0, 1) \
            noise in each coordinate, 2000 steps from (−5, −2), 20 seeds per setting. For each run \
            we record when f first drops below 0.5, the mean of f over the last 1000 steps (the \
            noise floor), and how far the direction of travel is from the exact gradient: the RMS of \
            Δx/(−η_eff) − ∇f(x) over the last 1000 steps, where η_eff = η/(1 − β) is the effective \
            step (for plain SGD this is just the noise, of RMS √2).
            """)
        nb.code(cell: "noisy-momentum-run")
        let seeds = 20
        var rows: [[NotebookText]] = []
        var summaries: [[NoisyRunSummary]] = []
        var firstRuns: [OptimizerRun2D<Momentum>] = []
        for (label, eta, beta) in noiseRuns {
            var all: [NoisyRunSummary] = []
            for k in 0..<seeds {
                let run = noisyMomentumRun(label: label, eta: eta, beta: beta, seed: k, ctx: ctx)
                if k == 0 { firstRuns.append(run) }
                all.append(summarize(run, effectiveRate: eta / (1 - beta)))
            }
            summaries.append(all)
            let reached = all.compactMap(\.stepsToHalf).map(Double.init)
            let finite = all.filter { $0.meanLateLoss.isFinite }
            rows.append([NotebookText(label), "\(eta / (1 - beta), format: "%g")",
                         reached.isEmpty ? "never" : "\(SeedSpread(reached).short("%.0f"))",
                         finite.isEmpty ? "diverged" : "\(SeedSpread(finite.map(\.meanLateLoss)).short("%.3g"))",
                         finite.isEmpty ? "–" : "\(SeedSpread(finite.map(\.directionError)).mean, format: "%.2f")"])
        }
        nb.table(header: ["run", "η_eff", "steps until f < 0.5", "mean f, steps 1001–2000", "RMS direction error"], rows: rows)
        let floor = summaries.map { s in SeedSpread(s.map(\.meanLateLoss)).mean }
        let direction = summaries.map { s in SeedSpread(s.map(\.directionError)).mean }
        let reach = summaries.map { s in SeedSpread(s.compactMap(\.stepsToHalf).map(Double.init)).mean }
        nb.paragraph("""
            The first two rows take the same effective step. Momentum's direction of travel is \
            \(CFormat.format("%.1f", direction[0] / direction[1])) times closer to the exact gradient \
            (the average of about 1/(1 − β) = 10 noisy gradients; for pure noise the factor would be \
            √((1 + β)/(1 − β)) = \(CFormat.format("%.1f", ((1 + 0.9) / (1 - 0.9)).squareRoot())), and the \
            velocity's lag behind the moving iterate adds some error back). Yet the noise floor is \
            \(abs(floor[0] - floor[1]) < 0.15 * floor[0] ? "almost the same" : (floor[1] < floor[0] ? "lower" : "higher")) \
            (\(CFormat.format("%.3g", floor[1])) against \(CFormat.format("%.3g", floor[0]))), and so is the time \
            to get there (\(CFormat.format("%.0f", reach[1])) against \(CFormat.format("%.0f", reach[0])) steps). \
            The reason is that the velocity's errors are correlated from step to step: each noisy \
            gradient still enters the position with total weight η/(1 − β), only spread over \
            several steps, so the wandering of the iterate adds up to about the same. For one \
            curvature λ and noise of variance σ² the stationary variances can be computed exactly \
            (from the 2 × 2 recursion of Section 11.6.3 with a noise term); written with the \
            effective step η_eff = η/(1 − β) they are
            """)
        nb.formula(#"\operatorname{Var}_{\text{SGD}} = \frac{\eta_{\text{eff}}\, \sigma^2}{\lambda\,(2 - \eta_{\text{eff}}\lambda)}, \qquad \operatorname{Var}_{\text{momentum}} = \frac{\eta_{\text{eff}}\, \sigma^2}{\lambda\,\bigl(2 - \eta_{\text{eff}}\lambda\,\tfrac{1-\beta}{1+\beta}\bigr)}"#,
                   plain: "Var_SGD = η_eff σ² / (λ (2 − η_eff λ)),   Var_momentum = η_eff σ² / (λ (2 − η_eff λ (1 − β)/(1 + β)))")
        func predicted(_ etaEff: Double, _ beta: Double) -> Double {
            [0.2, 4.0].map { lambda in 0.5 * lambda * etaEff / (lambda * (2 - etaEff * lambda * (1 - beta) / (1 + beta))) }.reduce(0, +)
        }
        nb.paragraph("""
            For this quadratic (σ = 1 per coordinate, f = Σ ½λ·Var) they predict mean floors of \
            \(CFormat.format("%.4f", predicted(0.05, 0))) for SGD and \(CFormat.format("%.4f", predicted(0.05, 0.9))) \
            for momentum, close to the measured values. When η_eff λ is small the two agree: \
            averaging in time then buys what a smaller step would buy, and no more. Momentum's \
            floor is lower only when η_eff λ approaches plain SGD's limit of 2, where SGD's \
            variance blows up and momentum's does not. Otherwise only a larger batch (Section 11.5) \
            or a decaying rate lowers the floor.
            """)
        nb.paragraph("""
            Where momentum does pay is in the last two rows. With η = 0.05 and β = 0.9 the \
            effective step is ten times larger: f drops below 0.5 after \
            \(CFormat.format("%.0f", reach[2])) steps instead of \(CFormat.format("%.0f", reach[0])), \
            at the price of a floor \(CFormat.format("%.0f", floor[2] / floor[0])) times higher. Plain SGD \
            cannot take that effective step at all: η = 0.5 puts ηλ = 2 along x₂, on the edge of \
            stability, and the noise then piles up, growing with the number of steps (mean f \
            \(CFormat.format("%.3g", floor[3]))). Momentum's wider stable range (Section 11.6.3) lets a \
            noisy run move fast early; a schedule must then bring the rate down. The figure shows the \
            first 300 steps of one seed of the two equal-step runs: the heavy ball's path is visibly \
            smoother, and just as spread out around the optimum.
            """)
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.contour(x: -5.5...1, y: -2.2...1, step: 0.05, levels: .values([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]),
                   color: .tabBlue) { a, b in f.value(Point2D(a, b)) }
        for (k, run) in firstRuns.prefix(2).enumerated() {
            let points = run.trace.points.prefix(301)
            ax.plot(points.map(\.x), points.map(\.y), "-", label: noiseRuns[k].label,
                    color: k == 0 ? .tabOrange : .tabGreen, lineWidth: 1.2)
        }
        ax.xLimits = -5.5...1
        ax.yLimits = -2.2...1
        ax.legend = .lowerRight
        nb.figure(Figure(width: 600, height: 320, ax), name: "noisy-momentum",
                  caption: "300 noisy steps from (−5, −2) with the same effective step 0.05: SGD (η = 0.05) and momentum (η = 0.005, β = 0.9), over contours f = 0.05 … 10.")
    }

    // MARK: - Conventions

    static func conventions(_ nb: Notebook) {
        nb.heading("Beyond the book: where the learning rate goes", level: 3)
        nb.paragraph("""
            Momentum is written in three ways in the literature and in libraries, and the lecture \
            decks use two of them: the book's and PyTorch's v ← βv + g with the step ηv; the \
            learning rate inside the velocity, v ← βv + ηg with the step v (Sutskever et al., 2013, \
            and one of the decks); and a leaky average, v ← βv + (1 − β)g with the step ηv (the other \
            deck, Adam's first moment, PyTorch with `dampening = β`). OptimKit's `MomentumVariant` \
            implements all three. While η is constant they are the same method: the velocities are \
            fixed multiples of each other (ηv and (1 − β)v), so the iterates agree, the leaky \
            average with η/(1 − β) in place of η. They part when η changes during the run. On our \
            quadratic with β = 0.9, first at a constant η = 0.1, then with η = 0.1 for ten steps and \
            0.01 after (`StepDecaySchedule(initialLR: 0.1, gamma: 0.1, stepSize: 10)`):
            """)
        nb.code(cell: "momentum-conventions")
        // cell: momentum-conventions
        /// 40 steps of momentum with β = 0.9 in the given convention from (−5, −2), η from `schedule`
        /// (times 1/(1 − β) for the leaky average, so that all three take the same steps).
        func conventionPath(_ convention: MomentumVariant.Convention, _ schedule: any LearningRateSchedule) -> [Point2D] {
            var opt = MomentumVariant(learningRate: 0.1, momentum: 0.9, convention: convention)
            var x = [-5.0, -2.0]
            var state = opt.initialState(count: 2)
            var points = [Point2D(-5, -2)]
            for t in 0..<40 {
                opt.learningRate = schedule(t) * (convention == .leakyAverage ? 1 / (1 - 0.9) : 1)
                let g = narrowValley.gradient(Point2D(x[0], x[1]))
                opt.update(&x, gradient: [g.x, g.y], state: &state)
                points.append(Point2D(x[0], x[1]))
            }
            return points
        }
        // end cell
        let constant = ConstantSchedule(learningRate: 0.1)
        let decay = StepDecaySchedule(initialLR: 0.1, gamma: 0.1, stepSize: 10)
        func gap(_ a: [Point2D], _ b: [Point2D], _ range: ClosedRange<Int>) -> Double {
            range.map { k in max(abs(a[k].x - b[k].x), abs(a[k].y - b[k].y)) }.max()!
        }
        let all = MomentumVariant.Convention.allCases
        let constantRuns = all.map { conventionPath($0, constant) }
        let decayRuns = all.map { conventionPath($0, decay) }
        nb.output("constant η: largest gap to the rate-outside path over 40 steps: rate inside \(gap(constantRuns[0], constantRuns[1], 0...40), format: "%.1e"), leaky average \(gap(constantRuns[0], constantRuns[2], 0...40), format: "%.1e")")
        nb.output("step decay: same gap over steps 0-10: \(gap(decayRuns[0], decayRuns[1], 0...10), format: "%.1e"); over steps 11-40: rate inside \(gap(decayRuns[0], decayRuns[1], 11...40), format: "%.3f"), leaky average \(gap(decayRuns[0], decayRuns[2], 11...40), format: "%.1e")")
        let outside = decayRuns[0], inside = decayRuns[1]
        let travelled = { (p: [Point2D]) in abs(p[40].x - p[10].x) }
        nb.paragraph("""
            At a constant rate the three paths agree to rounding. Under the schedule they agree \
            until the rate drops, and then the learning rate's position matters. With the rate \
            outside, the new η multiplies the whole step at once, the velocity's memory included, \
            so the iterate slows down tenfold immediately. With the rate inside, the velocity \
            still holds gradients scaled by the old η, and that memory fades only as β^t: the \
            iterate coasts on. Between steps 10 and 40 it moves \
            \(CFormat.format("%.2f", travelled(inside))) along x₁, against \
            \(CFormat.format("%.2f", travelled(outside))) with the rate outside. The leaky average \
            keeps matching the rate-outside form to rounding (its velocity is (1 − β) times the \
            book's whatever η does); it would differ only if β itself were scheduled.
            """)
        var ax = Axes(xLabel: "step", yLabel: "x1")
        ax.grid = true
        let steps = (0...40).map(Double.init)
        ax.plot(steps, outside.map(\.x), "-o", label: "rate outside: v ← βv + g, x ← x − ηv", color: .tabOrange)
        ax.plot(steps, inside.map(\.x), "-s", label: "rate inside: v ← βv + ηg, x ← x − v", color: .tabGreen)
        ax.axvline(10, format: "--", color: .gray)
        ax.legend = .lowerRight
        nb.figure(Figure(width: 600, height: 300, ax), name: "momentum-conventions",
                  caption: "x₁ under a step decay of η from 0.1 to 0.01 at step 10 (dashed), β = 0.9: the two conventions agree until the rate changes.")
        nb.paragraph("""
            Neither is wrong, but a schedule written for one convention is a different schedule in \
            the other: a sudden drop of η acts at once in PyTorch and with a delay of about \
            1/(1 − β) steps in the rate-inside form. When porting hyperparameters between code \
            bases, check which form each uses.
            """)
    }
}
