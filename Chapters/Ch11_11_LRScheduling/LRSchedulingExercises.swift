import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The exercises of 11.11 with worked answers: LeNet runs where the question is about LeNet
/// (a constant-rate sweep, warmup lengths), the noisy quadratic of 11.4 for the decay
/// exponent, the literature for ImageNet, and Langevin dynamics for the last one.
extension LRSchedulingChapter {
    /// Run 0 of `schedule` (the initial weights and minibatch order of run 0 of every schedule
    /// above), printing nothing.
    static func quietRun<S: LearningRateSchedule>(_ setup: Setup, label: String, schedule: S,
                                                  unit: ScheduleUnit = .epoch) -> [EpochRecord] {
        let bar = setup.showProgress ? ProgressBar.onTerminal(label: label) : nil
        let history = trainLeNetWithSchedule(schedule, unit: unit, train: setup.train, heldOut: setup.test,
                                             epochs: setup.epochs, seed: setup.runSeed, index: 0) { done, total in
            bar?.update(done, of: total)
        }.history
        bar?.finish()
        return history
    }

    static func exercises(_ nb: Notebook, _ setup: Setup, _ ctx: ChapterContext, study: ScheduleStudy) {
        let constant = study.first("constant 0.5")
        nb.heading("Exercises")
        exerciseConstantRates(nb, setup, study)
        exerciseExponent(nb, ctx, squareRootLearned: study.learned("square root"), seeds: setup.seeds)
        nb.paragraph("""
            3. Apply the cosine schedule to a large vision problem such as ImageNet. How does it compare \
            with other schedules?
            """)
        nb.heading("Answer to exercise 3", level: 4)
        nb.paragraph("""
            Training on ImageNet is out of reach of a book that runs on a laptop CPU, so this answer \
            reports what others measured. He et al. (their "Bag of Tricks" paper on image classification, \
            2019) replaced the step decay of their ResNet-50 training (the \
            rate cut by 10 at fixed epochs) by a cosine decay over the whole run, with the rest of the \
            recipe unchanged, and gained 0.75 points of top-1 accuracy on ImageNet for ResNet-50-D, 0.69 \
            for Inception-V3 and 0.93 for MobileNet. Their table gives no spread over repeated runs, so how \
            much of each gain would survive other seeds cannot be read from it; the cosine's practical \
            appeal is also that it has no milestones to tune. On the small problem of \
            this page, 11.11.4 compares the cosine with the other schedules over \(setup.seeds) seeds: \
            \(EvidenceSentence.compare("cosine", study.heldOut("cosine"), baselineName, study.heldOut(baselineName), metric: "final \(setup.testName) accuracy", better: .higher, format: "%.3f"))
            """)
        exerciseWarmup(nb, setup, constant: constant)
        exerciseLangevin(nb, ctx)
    }

    // MARK: - 1

    static func exerciseConstantRates(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        nb.paragraph("1. Train with a fixed rate and vary it. What is the best model you can get this way?")
        nb.heading("Answer to exercise 1", level: 4)
        // 0.1 and 0.5 were trained in 11.11.4; their run 0 is reused rather than trained again.
        let runs = [0.05, learningBaselineRate, 0.2, baseRate].map { rate in
            rate == baseRate ? (rate, study.first("constant 0.5"))
                : rate == learningBaselineRate ? (rate, study.first(baselineName))
                : (rate, quietRun(setup, label: "constant \(CFormat.format("%g", rate))",
                                  schedule: ConstantSchedule(learningRate: rate)))
        }
        nb.paragraph("""
            The same network, initial weights and minibatch order as run 0 of every schedule above, \
            \(setup.epochs) epochs at one constant rate each (the rows for \(CFormat.format("%g", learningBaselineRate)) \
            and 0.5 are run 0 of the constant runs of 11.11.4, so only two rates are trained here):
            """)
        nb.table(header: ["rate", "train loss", "train acc", "\(setup.testName) acc", "best \(setup.testName) acc (epoch)"],
                 rows: runs.map { rate, history in
                     guard let last = history.last else { return ["\(rate, format: "%g")", "", "", "", ""] }
                     let best = history.max { $0.testAccuracy < $1.testAccuracy }!
                     return ["\(rate, format: "%g")", "\(last.trainLoss, format: "%.3f")", "\(last.trainAccuracy, format: "%.3f")",
                             "\(last.testAccuracy, format: "%.3f")", "\(best.testAccuracy, format: "%.3f") (\(best.epoch))"]
                 })
        let epochs = runs[0].1.map { Double($0.epoch) }
        var accuracy = BookFigures.plotAxes(x: [epochs], runs.map { $0.1.map(\.testAccuracy) }, xLabel: "epoch",
                                            yLabel: "\(setup.testName) accuracy",
                                            legend: runs.map { "lr = " + CFormat.format("%g", $0.0) },
                                            xLimits: 0...Double(setup.epochs), yLimits: 0...1.5)
        // The legend goes in the empty band above accuracy 1, where it hides no curve.
        accuracy.legend = .upperLeft
        accuracy.yTicks = [0, 0.25, 0.5, 0.75, 1]
        nb.figure(Figure(width: 350, height: 250, accuracy),
                  name: "exercise-constant-rates",
                  caption: "LeNet at \(runs.count) constant rates: \(setup.testName) accuracy after each epoch (run 0).")
        let learned = runs.filter { !collapsed($0.1) }
        let failed = runs.filter { collapsed($0.1) }.map { CFormat.format("%g", $0.0) }
        if let best = learned.max(by: { ($0.1.last?.testAccuracy ?? 0) < ($1.1.last?.testAccuracy ?? 0) }),
           let last = best.1.last {
            let smallest = runs[0].1
            let stillFalling = smallest.count >= 2 && smallest[smallest.count - 1].trainLoss < smallest[smallest.count - 2].trainLoss
            let lowestLoss = learned.min { ($0.1.last?.trainLoss ?? .infinity) < ($1.1.last?.trainLoss ?? .infinity) }!
            nb.paragraph("""
                In run 0 the best constant rate by \(setup.testName) accuracy is \(CFormat.format("%g", best.0)), \
                ending at \(CFormat.format("%.3f", last.testAccuracy)) (train loss \
                \(CFormat.format("%.3f", last.trainLoss)))\(failed.isEmpty ? "" : "; rate " + failed.joined(separator: ", ") + " collapsed like the baseline"). \
                The lowest training loss belongs to rate \(CFormat.format("%g", lowestLoss.0)) \
                (\(CFormat.format("%.3f", lowestLoss.1.last?.trainLoss ?? 0))). \
                \(stillFalling ? "The smallest rate, \(CFormat.format("%g", runs[0].0)), is still lowering its training loss in the last epoch: safe, but slow. " : "")\
                A fixed rate is a compromise between arriving quickly and surviving the first epochs, and \
                between arriving and settling, which is what schedules avoid by starting large and ending \
                small. This ranking rests on one run per rate; over \(setup.seeds) runs, 11.11.4 measured \
                \(study.heldOut(baselineName).meanAndDeviation("%.3f")) for the rate \(CFormat.format("%g", learningBaselineRate)) \
                (learned in \(study.learned(baselineName)) of \(setup.seeds)) and \(study.heldOut("constant 0.5").meanAndDeviation("%.3f")) \
                for 0.5 (learned in \(study.learned("constant 0.5")) of \(setup.seeds)).
                """)
        } else {
            nb.paragraph("In run 0 none of the constant rates learned; see 11.11.1 for why.")
        }
    }

    // MARK: - 2

    static func exerciseExponent(_ nb: Notebook, _ ctx: ChapterContext, squareRootLearned: Int, seeds: Int) {
        nb.paragraph("""
            2. Change the exponent of the decay (use `PolynomialSchedule(initialLR:beta:alpha:)`). How does \
            convergence change?
            """)
        nb.heading("Answer to exercise 2", level: 4)
        nb.paragraph("""
            The question is about how fast the rate goes to zero, and it is clearest on a problem whose \
            optimum is known. Take the stochastic gradient of Section 11.4, the gradient of x₁² + 2x₂² \
            plus standard normal noise, from (−5, −2), and the schedule η_t = 0.1 (1 + 0.1t)^(−α) \
            (`PolynomialSchedule(initialLR: 0.1, beta: 0.1, alpha: α)`; α = 0.5 is the polynomial schedule \
            of 11.4). The root-mean-square distance to the minimum over steps 901–1000 and 9901–10000, \
            mean and range over 5 seeds:
            """)
        let alphas = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0]
        let seedsCount = 5, steps = 10_000
        var rows: [[NotebookText]] = []
        var late: [Double] = []
        for alpha in alphas {
            let schedule = PolynomialSchedule(initialLR: 0.1, beta: 0.1, alpha: alpha)
            var early: [Double] = [], final: [Double] = []
            for seed in 0..<seedsCount {
                var rng = ctx.generator(stream: "exercise-exponent-seed-\(seed)")
                var x = (-5.0, -2.0)
                var windowA = 0.0, windowB = 0.0
                for t in 0..<steps {
                    let eta = schedule(t)
                    x.0 -= eta * (2 * x.0 + rng.normal())
                    x.1 -= eta * (4 * x.1 + rng.normal())
                    let d2 = x.0 * x.0 + x.1 * x.1
                    if (900..<1000).contains(t) { windowA += d2 }
                    if t >= steps - 100 { windowB += d2 }
                }
                early.append((windowA / 100).squareRoot())
                final.append((windowB / 100).squareRoot())
            }
            late.append(SpreadOverSeeds(final).mean)
            rows.append(["\(alpha, format: "%g")", NotebookText(SpreadOverSeeds(early).summary(format: "%.4f")),
                         NotebookText(SpreadOverSeeds(final).summary(format: "%.4f"))])
        }
        nb.table(header: ["α", "steps 901–1000", "steps 9901–10000"], rows: rows)
        let best = alphas[late.indices.min { late[$0] < late[$1] }!]
        nb.paragraph("""
            The classical conditions for stochastic approximation (Robbins and Monro) explain the pattern: \
            the rates must add up to infinity, so that the iterate can travel any distance, while their \
            squares add up to something finite, so that the noise they inject averages out. For \
            η_t ∝ t^(−α) that means 1/2 < α ≤ 1. With α = 0 the rate never falls and the iterate keeps \
            jittering at a distance set by η; with small α the jitter shrinks, but slowly. With α > 1 the \
            sum of the rates is finite, so the iterate can only travel a bounded distance and stalls \
            before the minimum when it starts far enough away, as α = 2 does here. In this experiment the \
            smallest final distance belongs to α = \(CFormat.format("%g", best)). For deep networks the \
            book and common practice prefer slower decays than the convex theory suggests (or \
            piecewise-constant drops), since reaching a good region matters more than averaging noise \
            exactly; on LeNet the square-root schedule (α = 1/2) of 11.11.2 is one such choice\
            \(squareRootLearned * 2 < seeds ? ", though from its starting rate 1.0 it learned in only" : "; from its starting rate 1.0 it learned in") \
            \(squareRootLearned) of \(seeds) runs here (11.11.4).
            """)
    }

    // MARK: - 4

    static func exerciseWarmup(_ nb: Notebook, _ setup: Setup, constant: [EpochRecord]) {
        nb.paragraph("4. How long should warmup last?")
        nb.heading("Answer to exercise 4", level: 4)
        let updatesPerEpoch = (setup.train.count + 255) / 256
        var lengths: [Int] = []
        // A short and a long warmup (two runs keep the page within its time budget).
        for w in [8, 3 * updatesPerEpoch].sorted() where !lengths.contains(w) { lengths.append(w) }
        nb.paragraph("""
            Long enough to get the network through its fragile first steps, and no longer, since every \
            warmup step is a step at a reduced rate. The constant rate 0.5 of 11.11.1 \
            \(collapsed(constant) ? "collapses without warmup in this seed, so it is a natural test" : "is near the edge of what this network tolerates, so it is a natural test"): \
            the same run with a linear warmup from 0 to 0.5 \
            over the first w updates (advanced per update; \(updatesPerEpoch) updates make one epoch here), \
            then 0.5 to the end:
            """)
        let runs = lengths.map { w in
            (w, quietRun(setup, label: "warmup \(w)",
                         schedule: Warmup(steps: w, schedule: ConstantSchedule(learningRate: baseRate)), unit: .update))
        }
        nb.table(header: ["warmup updates", "train loss after epoch 1", "final train loss", "final \(setup.testName) acc", "collapsed"],
                 rows: runs.map { w, history in
                     guard let first = history.first, let last = history.last else { return ["\(w)", "", "", "", ""] }
                     return ["\(w)", "\(first.trainLoss, format: "%.3f")", "\(last.trainLoss, format: "%.3f")",
                             "\(last.testAccuracy, format: "%.3f")", NotebookText(collapsed(history) ? "yes" : "no")]
                 })
        let survivors = runs.filter { !collapsed($0.1) }
        let bestWarmup = survivors.max { ($0.1.last?.testAccuracy ?? 0) < ($1.1.last?.testAccuracy ?? 0) }
        let outcome: String
        if survivors.isEmpty {
            outcome = "None of these warmups saved the run in this seed."
        } else {
            outcome = "Warmups of " + survivors.map { "\($0.0)" }.joined(separator: ", ") + " updates "
                + (collapsed(constant) ? "got the run past the collapse in this seed" : "did not collapse in this seed")
                + (survivors.count < runs.count ? ", the others did not." : ", the shortest included.")
                + (bestWarmup.map { " The best final \(setup.testName) accuracy came with w = \($0.0)." } ?? "")
        }
        nb.paragraph("""
            \(outcome) One seed cannot fix a length; what it shows is the trade behind the choice: too \
            short and the full rate hits the random network, too long and the run spends more of its \
            budget at reduced rates. \
            Published recipes \
            give orders of magnitude rather than rules: Goyal et al. (2017) warmed up over 5 epochs when \
            training ResNet-50 on ImageNet with very large batches; for Adam, Ma and Yarats (2021) argue \
            that about 2/(1 − β₂) updates (2000 for β₂ = 0.999) suffice, the time its second-moment \
            average needs to settle; many Transformer recipes use a few thousand updates, a few percent \
            of the run. A practical test is the one above: the shortest warmup after which the first \
            epochs no longer show a spike in the loss.
            """)
    }

    // MARK: - 5

    static func exerciseLangevin(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            5. Can optimization and sampling be connected? Start from stochastic gradient Langevin dynamics \
            (Welling and Teh, 2011).
            """)
        nb.heading("Answer to exercise 5", level: 4)
        nb.paragraph("""
            Yes. Langevin dynamics adds Gaussian noise of a precise size to gradient descent on U(w) = \
            −log p(w): w ← w − (η/2)∇U(w) + sqrt(η) ξ with ξ standard normal. For small η its iterates are \
            samples from p, not a point estimate; Welling and Teh showed that a minibatch gradient may \
            stand in for ∇U when η decreases, which gives stochastic gradient Langevin dynamics (SGLD). \
            Remove the injected noise and it is gradient descent, which finds the mode of p; lower the \
            temperature (scale the noise down) and the samples concentrate at the minimum. Optimization is \
            the zero-temperature limit of sampling, and a learning-rate schedule plays the part of an \
            annealing schedule. Two runs on U(w) = ½(w₁² + 4w₂²), i.e. a Gaussian with variances 1 and \
            1/4, with η = 0.01 for 200000 steps from w = 0:
            """)
        let curvature = [1.0, 4.0], eta = 0.01, steps = 200_000
        var rng = ctx.generator(stream: "exercise-langevin")
        var w = [0.0, 0.0], v = [0.0, 0.0]
        var langevin = [0.0, 0.0], sgd = [0.0, 0.0]
        for _ in 0..<steps {
            for i in 0..<2 {
                w[i] += -(eta / 2) * curvature[i] * w[i] + eta.squareRoot() * rng.normal()
                // Plain SGD with a unit-variance noisy gradient: its stationary spread is set by η.
                v[i] -= eta * (curvature[i] * v[i] + rng.normal())
                langevin[i] += w[i] * w[i]
                sgd[i] += v[i] * v[i]
            }
        }
        func predictedLangevin(_ a: Double) -> Double { 1 / (a * (1 - eta * a / 4)) }
        func predictedSGD(_ a: Double) -> Double { eta / (a * (2 - eta * a)) }
        nb.table(header: ["coordinate", "Langevin variance", "target 1/a (exact for this η)", "SGD variance", "η/(a(2 − ηa))"],
                 rows: (0..<2).map { i in
                     ["w\(i + 1) (a = \(CFormat.format("%g", curvature[i])))",
                      "\(langevin[i] / Double(steps), format: "%.4f")",
                      "\(1 / curvature[i], format: "%.4f") (\(predictedLangevin(curvature[i]), format: "%.4f"))",
                      "\(sgd[i] / Double(steps), format: "%.5f")", "\(predictedSGD(curvature[i]), format: "%.5f")"]
                 })
        nb.paragraph("""
            The Langevin iterates have the target's variances (up to the small discretisation bias, given \
            in brackets, and the sampling error of correlated draws): the algorithm samples the \
            distribution. Plain SGD with noisy gradients also settles into a stationary cloud, but its \
            width is set by η and the gradient noise, not by p; that cloud is the jitter that the \
            schedules of this section shrink. Seen this way, lowering the learning rate is cooling: it \
            turns a sampler into an optimizer.
            """)
    }
}
