import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: running-mean-adam
/// Adam written as running means with time-varying weights: v ← v + a₁(t)(g − v) with
/// a₁(t) = (1 − β₁)/(1 − β₁ᵗ), the same for s. No bias correction is applied. Starts at
/// (−5, −2) and returns every iterate.
func runningMeanAdam(steps: Int, eta: Double, objective: Objective2D) -> [Point2D] {
    let (b1, b2, eps) = (0.9, 0.999, 1e-6)
    var x = [-5.0, -2.0], v = [0.0, 0.0], s = [0.0, 0.0]
    var p1 = 1.0, p2 = 1.0
    var points = [Point2D(x[0], x[1])]
    for _ in 0..<steps {
        p1 *= b1; p2 *= b2
        let a1 = (1 - b1) / (1 - p1), a2 = (1 - b2) / (1 - p2)     // 1 at the first step
        let gradient = objective.gradient(Point2D(x[0], x[1]))
        for (i, g) in [gradient.x, gradient.y].enumerated() {
            v[i] += a1 * (g - v[i])
            s[i] += a2 * (g * g - s[i])
            x[i] -= eta * v[i] / (s[i].squareRoot() + eps)             // no correction
        }
        points.append(Point2D(x[0], x[1]))
    }
    return points
}
// end cell

/// The exercises of 11.10 (the book's four and three from the lecture decks) with worked
/// answers, computed where they are numeric.
extension AdamChapter {
    static func exercises(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) {
        nb.heading("Exercises")
        exerciseLearningRate(nb, ctx, data)
        exerciseNoCorrection(nb)
        exerciseDecay(nb, ctx)
        nb.paragraph("4. Construct a problem on which Adam fails to converge and Yogi converges.")
        nb.heading("Answer to exercise 4", level: 4)
        let spikes = spikeRuns()
        let period = RareSpikeProblem().period
        nb.paragraph("""
            See "Beyond the book: a problem where Adam's second moment misleads it" above: on a linear \
            online problem with one large gradient every thousand steps, by the rule stated there, \
            \(spikes.map { spikeVerdict($0.name, $0.run, period: period) }.joined(separator: "; ")). \
            Without the projection onto the interval Adam's x ends at \
            \(CFormat.format("%.1f", unprojectedAdam())) after \(spikeSteps) steps.
            """)
        func uncorrectedRatio(_ t: Int) -> Double {
            (1 - Foundation.pow(0.9, Double(t))) / (1 - Foundation.pow(0.999, Double(t))).squareRoot()
        }
        let peakStep = (1...10_000).max { uncorrectedRatio($0) < uncorrectedRatio($1) }!
        let peakRatio = (step: peakStep, value: uncorrectedRatio(peakStep))
        nb.paragraph("5. (Lecture) In Adam without bias correction, what happens at the first step?")
        nb.heading("Answer to exercise 5", level: 4)
        nb.paragraph("""
            See "Beyond the book: Adam without bias correction" above: both averages start at zero, v is \
            ten times and sqrt(s) about 32 times too small after the first step, so the step is \
            \(CFormat.format("%.2f", 0.1 / 0.001.squareRoot())) times longer than intended, and the excess \
            keeps growing for a dozen steps (to \(CFormat.format("%.2f", peakRatio.value)) at \
            t = \(peakRatio.step), as the table there shows) before it fades over thousands.
            """)
        nb.paragraph("""
            6. (Lecture) You want to stop training and continue later. What must you save besides the \
            weights, and what goes wrong if you do not?
            """)
        nb.heading("Answer to exercise 6", level: 4)
        nb.paragraph("""
            See "Beyond the book: saving and resuming a run" above: the optimizer's state (for Adam v, s \
            and t), the schedule and its position, and the random generator that orders the minibatches. \
            The table there shows each omission moving the weights away from those of the uninterrupted \
            run, while the complete checkpoint reproduces it bit for bit.
            """)
        exerciseExactDecay(nb)
    }

    // MARK: - 1

    static func exerciseLearningRate(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) {
        nb.paragraph("1. Change the learning rate. Observe the results and explain them.")
        nb.heading("Answer to exercise 1", level: 4)
        let rates = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
        let results = rates.map { eta in airfoilSpread(Adam(learningRate: eta), data, ctx, stream: airfoilStream("adam", eta)) }
        nb.paragraph("""
            Adam on the airfoil regression, batch 10, two epochs, \(seeds) seeds per rate (mean and \
            range of the loss over the seeds):
            """)
        nb.table(header: ["η", "after 20 updates", "after 0.4 epoch", "after 2 epochs"],
                 rows: zip(rates, results).map { eta, r in
                     ["\(eta, format: "%g")", NotebookText(r.first.summary(format: "%.3f")),
                      NotebookText(r.early.summary(format: "%.3f")), NotebookText(r.final.summary(format: "%.3f"))]
                 })
        nb.figure(BookFigures.plot(x: results.map(\.run.epochs), results.map(\.run.losses), xLabel: "epoch", yLabel: "loss",
                                   legend: rates.map { "eta = " + CFormat.format("%g", $0) }, xLimits: 0...2,
                                   // headroom above the curves for the six-line legend
                                   yLimits: 0.22...0.9, formats: ["-", "--", "-.", ":", "-", "--"]),
                  name: "exercise-learning-rate",
                  caption: "Adam with six learning rates on the airfoil data (batch 10, first seed of each).")
        let bestFinal = results.indices.min { results[$0].final.mean < results[$1].final.mean }!
        let tiedWithBest = results.indices.filter { $0 != bestFinal && verdict(results[$0].final, results[bestFinal].final) != .bBetter }
        let risesAfterBest = (bestFinal..<(rates.count - 1)).allSatisfy { results[$0].final.mean < results[$0 + 1].final.mean }
        let bestEarly = results.indices.min { results[$0].early.mean < results[$1].early.mean }!
        let book = rates.firstIndex(of: 0.01)!
        let bookRateVerdict: String
        if book == bestFinal || tiedWithBest.contains(book) {
            bookRateVerdict = "The book's 0.01 is \(book == bestFinal ? "that rate" : "among them"): by this rule none of the six ends lower."
        } else {
            bookRateVerdict = "The book's 0.01 ends above η = \(CFormat.format("%g", rates[bestFinal])) by this rule, so on this problem a different rate serves better."
        }
        nb.paragraph("""
            Adam moves each coordinate by about η per step while the gradient keeps its sign, so η is a \
            distance: the weights here need to travel distances of order 0.1 to 1, which η = 0.001 covers \
            only after hundreds of updates (its loss after 0.4 epoch is \
            \(results[0].early.summary(format: "%.3f"))). Larger rates get there sooner; the lowest mean \
            loss at 0.4 epoch belongs to η = \(CFormat.format("%g", rates[bestEarly])). Once there, the minibatch noise \
            keeps the normalised step v̂/sqrt(ŝ) from shrinking (exercise 3), so the weights keep jittering \
            by an amount that grows with η\(risesAfterBest ? ", and above η = \(CFormat.format("%g", rates[bestFinal])) the mean final loss rises with η" : ""): \
            η = 0.3 ends at \(results[5].final.summary(format: "%.3f")). The lowest mean final loss belongs \
            to η = \(CFormat.format("%g", rates[bestFinal])); by the page's rule (Welch's t test at the 95% \
            level, stated under "Adam without bias correction") it is \(tiedWithBest.isEmpty ? "better than each of the other five" : "indistinguishable in these runs from η = " + tiedWithBest.map { CFormat.format("%g", rates[$0]) }.joined(separator: ", ")). \
            \(bookRateVerdict)
            """)
    }

    // MARK: - 2

    static func exerciseNoCorrection(_ nb: Notebook) {
        nb.paragraph("2. Can the momentum and second-moment updates be rewritten so that they need no bias correction?")
        nb.heading("Answer to exercise 2", level: 4)
        nb.paragraph("""
            Yes. The corrected average v̂_t = v_t/(1 − β₁ᵗ) obeys a recursion of its own: substituting \
            v_t = β₁v_{t−1} + (1 − β₁)g_t and β₁(1 − β₁^(t−1)) = (1 − β₁ᵗ) − (1 − β₁) gives \
            v̂_t = v̂_{t−1} + a_t(g_t − v̂_{t−1}) with the weight a_t = (1 − β₁)/(1 − β₁ᵗ). So a running mean \
            whose weight starts at a_1 = 1 (the first gradient is taken whole, the natural estimate from \
            one sample) and falls to 1 − β₁ needs no correction at all; the same holds for ŝ with β₂. This \
            is Adam exactly, not an approximation. (Starting v and s at the first gradient and its square \
            and then using the fixed weight 1 − β is close, but not the same: it gives the first gradient \
            the weight β^(t−1) forever.) Written as a loop:
            """)
        nb.code(cell: "running-mean-adam")
        nb.paragraph("Compared with the library's `Adam` on the same problem, step by step:")
        nb.code(cell: "running-mean-adam-check")
        // cell: running-mean-adam-check
        let objective = Objective2D.ellipse(a: 0.1, b: 2)
        let adam = train2D(optimizer: Adam(learningRate: 0.3), objective: objective, steps: 1000).points
        let rewritten = runningMeanAdam(steps: 1000, eta: 0.3, objective: objective)
        let gap = zip(adam, rewritten).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
        nb.output("Adam (η = 0.3) on 0.1x1² + 2x2², 1000 steps: largest coordinate difference from the rewrite \(gap, format: "%.1e")")
        // end cell
        // Rule: "agree to rounding" when no coordinate differs by more than 1e-12 (the iterates are of order 1).
        nb.paragraph(gap <= 1e-12
                     ? "By the rule that two runs agree to rounding when no coordinate ever differs by more than 10⁻¹², the two runs agree to rounding."
                     : "The two runs differ by more than rounding (10⁻¹²), so the rewrite is not exact here.")
    }

    // MARK: - 3

    static func exerciseDecay(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("3. Why does the learning rate η need to be reduced as we converge?")
        nb.heading("Answer to exercise 3", level: 4)
        let steps = 5000, window = 500
        let schedules: [(String, (Int) -> Double)] = [
            ("constant 0.1", { _ in 0.1 }),
            ("constant 0.01", { _ in 0.01 }),
            ("cosine from 0.1 to 0", { t in 0.05 * (1 + cos(Double.pi * Double(t) / Double(steps))) }),
        ]
        var rows: [[NotebookText]] = []
        var meanArrivals: [Double] = []
        var spreads: [(arrival: SpreadOverSeeds, distance: SpreadOverSeeds, ratio: SpreadOverSeeds)] = []
        for (name, rate) in schedules {
            var distances: [Double] = [], ratios: [Double] = [], arrivals: [Double] = []
            for seed in 0..<seeds {
                var rng = ctx.generator(stream: "exercise-decay-seed-\(seed)")
                var optimizer = Adam(learningRate: rate(1))
                var state = optimizer.initialState(count: 2)
                var x = [-5.0, -2.0]
                var squares = 0.0, normalised = 0.0
                var arrival = steps
                for t in 1...steps {
                    // The stochastic gradient of 11.4: x1² + 2x2² plus standard normal noise.
                    let g = [2 * x[0] + rng.normal(), 4 * x[1] + rng.normal()]
                    optimizer.learningRate = rate(t)
                    optimizer.update(&x, gradient: g, state: &state)
                    if arrival == steps && x[0] * x[0] + x[1] * x[1] < 0.25 { arrival = t }
                    if t > steps - window {
                        squares += x[0] * x[0] + x[1] * x[1]
                        let c1 = 1 - Foundation.pow(0.9, Double(t)), c2 = 1 - Foundation.pow(0.999, Double(t))
                        for i in 0..<2 {
                            normalised += abs(state.firstMoment[i] / c1) / (state.secondMoment[i] / c2).squareRoot()
                        }
                    }
                }
                distances.append((squares / Double(window)).squareRoot())
                arrivals.append(Double(arrival))
                ratios.append(normalised / Double(2 * window))
            }
            meanArrivals.append(SpreadOverSeeds(arrivals).mean)
            spreads.append((SpreadOverSeeds(arrivals), SpreadOverSeeds(distances), SpreadOverSeeds(ratios)))
            rows.append([NotebookText(name), NotebookText(SpreadOverSeeds(arrivals).summary(format: "%.0f")),
                         NotebookText(SpreadOverSeeds(distances).summary(format: "%.4f")),
                         NotebookText(SpreadOverSeeds(ratios).summary(format: "%.3f"))])
        }
        nb.paragraph("""
            Because Adam's step does not shrink by itself. Its size per coordinate is η|v̂|/sqrt(ŝ), and \
            near a minimum the stochastic gradients are mostly noise: v̂ averages the noise only over \
            about ten steps and ŝ measures its size, so their ratio stays at a fixed fraction instead of \
            going to zero, and the iterate keeps wandering at a distance set by η. On the noisy quadratic \
            of Section 11.4 (x₁² + 2x₂² plus standard normal gradient noise, from (−5, −2), \(steps) \
            steps, \(seeds) seeds), the first step at which the distance to the minimum drops below 0.5, \
            the root-mean-square distance over the last \(window) steps and the mean size of v̂/sqrt(ŝ) \
            there:
            """)
        let arrivalRatio = meanArrivals[1] / meanArrivals[0]
        nb.table(header: ["η", "first step within 0.5", "RMS distance, last \(window) steps", "mean |v̂|/sqrt(ŝ)"], rows: rows)
        // The page's rule (EvidenceSentence, lower is better) on the three measured columns.
        let (fast, slow, cosine) = (spreads[0], spreads[1], spreads[2])
        let ratiosAlike = verdict(fast.ratio, slow.ratio) == .indistinguishable
        let smallCloser = verdict(slow.distance, fast.distance) == .aBetter
        let smallSlower = verdict(slow.arrival, fast.arrival) == .bBetter
        let cosineFast = verdict(cosine.arrival, fast.arrival) != .bBetter
        let cosineClosest = verdict(cosine.distance, slow.distance) == .aBetter && verdict(cosine.distance, fast.distance) == .aBetter
        nb.paragraph("""
            By the page's rule (Welch's t test at the 95% level, stated under "Adam without bias correction"): \
            \(ratiosAlike ? "the normalised step |v̂|/sqrt(ŝ) is indistinguishable at η = 0.1 and η = 0.01, so only η decides how far from the minimum Adam keeps wandering" : "the normalised step differs between η = 0.1 and η = 0.01, so η is not the only thing that sets how far Adam wanders"); \
            \(smallCloser ? "the smaller constant η sits closer" : "the smaller constant η does not sit measurably closer") \
            \(smallSlower ? "but takes \(CFormat.format("%.0f", arrivalRatio)) times as many steps to arrive" : "and does not take measurably longer to arrive"); \
            \(cosineFast && cosineClosest ? "and the schedule that lowers η gets both the fast arrival and the smallest final distance." : "and the schedule does not get both the fast arrival and the smallest final distance here.") \
            Plain SGD has the same need for a different reason (its \
            step η·g shrinks with the mean gradient but not with the noise, Section 11.4); for Adam the \
            normalisation removes even the shrinking mean.
            """)
    }

    // MARK: - 7

    static func exerciseExactDecay(_ nb: Notebook) {
        nb.paragraph("""
            7. With exact gradients, where do Adam with an L2 penalty and AdamW end up on \
            f(w) = ½‖w − c‖², c = (2, 2), with λ = 0.5 and η = 0.01?
            """)
        nb.heading("Answer to exercise 7", level: 4)
        let noiseFree = [0.0, 0.0]
        let start = SeededGenerator(seed: 0)   // unused draws: the noise is zero
        let penalty = decayRun(AddedWeightDecay(weightDecay: decayLambda, base: Adam(learningRate: decayRate)),
                               generator: start, noise: noiseFree)
        let decoupled = decayRun(AdamW(learningRate: decayRate, weightDecay: decayLambda), generator: start, noise: noiseFree)
        nb.output("Adam + L2 penalty: mean w over the second half (\(penalty.mean[0], format: "%.4f"), \(penalty.mean[1], format: "%.4f"))")
        nb.output("AdamW:             mean w over the second half (\(decoupled.mean[0], format: "%.4f"), \(decoupled.mean[1], format: "%.4f"))")
        let penalised = 2 / (1 + decayLambda)
        // Rule: "lands on" a point when both coordinates are within 0.01 of it; "closer to c" by distance.
        let penaltyLands = penalty.mean.allSatisfy { abs($0 - penalised) < 0.01 }
        let decoupledNearC = decoupled.mean.allSatisfy { abs($0 - 2) < abs($0 - penalised) }
        nb.paragraph("""
            By the rule that a run lands on a point when both coordinates are within 0.01 of it: \
            \(penaltyLands ? "the penalty still lands on the penalised minimum c/(1 + λ) = \(CFormat.format("%.4f", penalised)): it is a property of the loss." : "the penalty does not land on the penalised minimum c/(1 + λ) = \(CFormat.format("%.4f", penalised)) here.") \
            \(decoupledNearC ? "AdamW decays less and ends closer to c = 2 than to the penalised minimum." : "AdamW does not end closer to c = 2 than to the penalised minimum.") \
            Without noise the normalised step v̂/sqrt(ŝ) is close to ±1 however small the \
            gradient is, so the decay λw, about 1 here, is balanced only where the gradient has almost \
            vanished, close to c. Compare the noisy experiment above, where the decay balanced \
            E[g]/sqrt(E[g²]) and pulled the noisy coordinate in far more: how \
            strongly AdamW regularises depends on the noise in the gradients, not only on λ.
            """)
    }
}
