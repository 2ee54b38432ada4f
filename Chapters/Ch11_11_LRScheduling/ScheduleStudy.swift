import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: train-lenet-with-schedule
/// Trains a fresh LeNet with plain minibatch SGD (batches of 256) whose rate `schedule` sets,
/// advanced once per epoch or once per update. Run `index` of the experiment seeded with
/// `seed` draws its own initial weights and then its own minibatch order from one stream, so
/// two schedules given the same `seed` and `index` start from the same weights and see the
/// same minibatches: they differ only in their learning rates.
func trainLeNetWithSchedule<S: LearningRateSchedule>(
    _ schedule: S, unit: ScheduleUnit, train: ImageDataset, heldOut: ImageDataset, epochs: Int,
    seed: UInt64, index: Int, progress: ((Int, Int) -> Void)? = nil
) -> (trainer: LeNetTrainer, history: [EpochRecord]) {
    var rng = RepeatedRuns.generator(seed: seed, index: index)
    let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
    let history = trainer.train(on: train, test: heldOut, epochs: epochs, schedule: schedule,
                                unit: unit, generator: &rng, progress: progress)
    return (trainer, history)
}
// end cell

extension LRSchedulingChapter {
    /// One arm of the repeated-run study: a schedule, how it is advanced, and its name on the page.
    struct ScheduleArm {
        let name: String
        let unit: ScheduleUnit
        /// `schedule(t)`, for the page's text.
        let rate: (Int) -> Double
        /// Run `index` of this arm (see `trainLeNetWithSchedule`).
        let train: (_ setup: Setup, _ index: Int, _ progress: ((Int, Int) -> Void)?) -> (LeNetTrainer, [EpochRecord])

        init<S: LearningRateSchedule>(_ name: String, _ schedule: S, unit: ScheduleUnit = .epoch) {
            self.name = name
            self.unit = unit
            rate = { schedule($0) }
            train = { setup, index, progress in
                trainLeNetWithSchedule(schedule, unit: unit, train: setup.train, heldOut: setup.test,
                                       epochs: setup.epochs, seed: setup.runSeed, index: index, progress: progress)
            }
        }
    }

    /// A run "learned" when its final held-out accuracy reaches this (chance is about 0.1;
    /// a collapsed network scores the most frequent class's share, about 0.11).
    static let learnedAccuracy = 0.5
    static let learnedCriterion = "final held-out accuracy ≥ 0.5"

    /// Every arm trained `setup.seeds` times.
    struct ScheduleStudy {
        let arms: [ScheduleArm]
        /// `histories[arm][run]`.
        let histories: [[[EpochRecord]]]
        /// The trainer of run 0 of every arm (its network is inspected on the page).
        let firstTrainers: [LeNetTrainer]

        func index(_ name: String) -> Int {
            guard let i = arms.firstIndex(where: { $0.name == name }) else { misuse("ScheduleStudy: no arm '\(name)'") }
            return i
        }
        /// Run 0 of the arm, the one the page shows epoch by epoch.
        func first(_ name: String) -> [EpochRecord] { histories[index(name)][0] }
        func runs(_ name: String) -> [[EpochRecord]] { histories[index(name)] }
        /// Wall-clock seconds of every run together (volatile).
        var seconds: Double { histories.joined().joined().reduce(0) { $0 + $1.seconds } }

        /// Final held-out accuracy of every run of the arm.
        func heldOut(_ name: String) -> RunSummary { RunSummary(runs(name).map { $0.last?.testAccuracy ?? .nan }) }
        /// Final training loss of every run (non-finite when the run diverged).
        func trainLoss(_ name: String) -> RunSummary { RunSummary(runs(name).map { $0.last?.trainLoss ?? .nan }) }
        /// Train accuracy minus held-out accuracy at the end, over the runs that learned (nil if none did).
        func gap(_ name: String) -> RunSummary? {
            let learned = runs(name).compactMap { $0.last }.filter { $0.testAccuracy >= learnedAccuracy }
            return learned.isEmpty ? nil : RunSummary(learned.map { $0.trainAccuracy - $0.testAccuracy })
        }
        /// How much the on-the-fly train accuracy rose from the second-last to the last epoch, over
        /// the runs that learned (nil if none did or there is one epoch): the order of how far the
        /// last epoch's train accuracy, averaged while the weights still change, lags behind the
        /// weights it ends with.
        func trainAccuracyRise(_ name: String) -> RunSummary? {
            let learned = runs(name).filter { $0.count >= 2 && $0[$0.count - 1].testAccuracy >= learnedAccuracy }
            return learned.isEmpty ? nil
                : RunSummary(learned.map { $0[$0.count - 1].trainAccuracy - $0[$0.count - 2].trainAccuracy })
        }
        func learned(_ name: String) -> Int { heldOut(name).count { $0 >= learnedAccuracy } }
        /// Final held-out accuracy of the runs that learned (nil if none did).
        func heldOutOfLearned(_ name: String) -> RunSummary? {
            let values = heldOut(name).finiteValues.filter { $0 >= learnedAccuracy }
            return values.isEmpty ? nil : RunSummary(values)
        }

        static func run(_ arms: [ScheduleArm], _ setup: Setup) -> ScheduleStudy {
            var histories: [[[EpochRecord]]] = [], trainers: [LeNetTrainer] = []
            for arm in arms {
                let bar = setup.showProgress ? ProgressBar.onTerminal(label: "\(arm.name), \(setup.seeds) seeds") : nil
                var runs: [[EpochRecord]] = []
                for index in 0..<setup.seeds {
                    let (trainer, history) = arm.train(setup, index) { done, total in
                        bar?.update(index * total + done, of: setup.seeds * total)
                    }
                    if index == 0 { trainers.append(trainer) }
                    runs.append(history)
                }
                bar?.finish()
                histories.append(runs)
            }
            return ScheduleStudy(arms: arms, histories: histories, firstTrainers: trainers)
        }
    }

    /// The arms of the page: the book's five schedules (advanced per epoch), warmup advanced per
    /// update, and a constant rate that learns.
    static func studyArms(_ setup: Setup) -> [ScheduleArm] {
        let perEpoch = setup.cosineWarmup
        let updates = setup.updatesPerEpoch
        let perUpdate = CosineSchedule(maxUpdate: setup.epochs * updates, baseLR: baseRate, finalLR: 0.01,
                                       warmupSteps: perEpoch.warmupSteps * updates)
        return [
            ScheduleArm("constant 0.5", ConstantSchedule(learningRate: baseRate)),
            ScheduleArm("square root", SquareRootSchedule(learningRate: 1.0)),
            ScheduleArm("multi-factor", setup.multiFactor),
            ScheduleArm("cosine", setup.cosine),
            ScheduleArm("cosine + warmup", perEpoch),
            ScheduleArm("warmup per update", perUpdate, unit: .update),
            ScheduleArm("constant \(CFormat.format("%g", learningBaselineRate))", ConstantSchedule(learningRate: learningBaselineRate)),
        ]
    }

    /// The constant rate that serves as the baseline that learns.
    static let learningBaselineRate = 0.1
    static var baselineName: String { "constant \(CFormat.format("%g", learningBaselineRate))" }

    /// The measurements of the issue that asked for this study (the earlier version of this page,
    /// 8,000 training digits, 12 epochs, one run per `--seed 1`, `2`, `3`): runs that learned.
    static let earlierSeedCounts: [(String, Int)] = [
        ("constant 0.5", 0), ("square root", 1), ("multi-factor", 0), ("cosine", 1), ("cosine + warmup", 3),
    ]

    // MARK: - The page's section

    static func repeatedRuns(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        nb.heading("11.11.4 Repeated runs")
        nb.paragraph("""
            Every run above is run 0 of \(setup.seeds): each schedule was trained \(setup.seeds) times, run i \
            of every schedule starting from the same initial weights and seeing the same minibatches \
            (independent random streams derived from the chapter's seed and i alone; the split of the \
            digits is the same for all). Added to the book's five is \(baselineName), a constant rate small \
            enough to learn, so that decay can be compared with a constant rate that works, and "warmup per \
            update": the same cosine with warmup, advanced after every minibatch instead of every epoch. \
            A run counts as learned when its final \(setup.testName) accuracy is at least \
            \(CFormat.format("%g", learnedAccuracy)) (guessing scores about 0.1, a collapsed network the \
            share of the most frequent digit). The gap is the final train accuracy minus the final \
            \(setup.testName) accuracy, over the runs that learned; the train accuracy is measured on \
            the fly during the last epoch, while the weights still change, so it lags behind and the \
            gap can be negative.
            """)
        let names = study.arms.map(\.name)
        nb.table(header: ["schedule", "learned", "\(setup.testName) acc mean ± sd", "median", "range",
                          "train loss mean ± sd", "gap mean ± sd"],
                 rows: names.map { name in
                     let acc = study.heldOut(name)
                     return [NotebookText(name), NotebookText(acc.countText { $0 >= learnedAccuracy }),
                             NotebookText(acc.meanAndDeviation("%.3f")), NotebookText(acc.medianText("%.3f")),
                             NotebookText(acc.range("%.3f")), NotebookText(study.trainLoss(name).meanAndDeviation("%.3f")),
                             NotebookText(study.gap(name)?.meanAndDeviation("%.3f") ?? "–")]
                 })
        let epochs = (1...setup.epochs).map(Double.init)
        let series = names.map { name in
            (label: name, points: CurveSummary(study.runs(name).map { $0.map(\.testAccuracy) }).summaries)
        }
        var figure = BookFigures.seedBands(x: epochs, series: series, xLabel: "epoch",
                                           yLabel: "\(setup.testName) accuracy", yLimits: 0...1,
                                           legend: .outsideRight, width: 680, height: 340)
        figure.panels[0].yTicks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        nb.figure(figure, name: "lenet-seed-bands",
                  caption: "\(setup.testName.prefix(1).uppercased() + setup.testName.dropFirst()) accuracy after each epoch over all runs: mean (solid, dots) and the lowest and highest run (dotted) for every schedule.")

        nb.paragraph("Comparisons on this page follow one rule: \(EvidenceSentence.rule)")
        let learnedLines = names.map { name in
            EvidenceSentence.learned(name, study.heldOut(name), criterion: "\(setup.testName) accuracy ≥ \(CFormat.format("%g", learnedAccuracy))") { $0 >= learnedAccuracy }
        }
        for line in learnedLines { nb.output(NotebookText(line)) }
        for line in verdicts(study, setup) { nb.paragraph(line) }
        agreement(nb, setup, study)
    }

    /// The comparative sentences of the section, each chosen by the rule from the measured values.
    static func verdicts(_ study: ScheduleStudy, _ setup: Setup) -> [String] {
        let book = ["constant 0.5", "square root", "multi-factor", "cosine", "cosine + warmup"]
        let metric = "final \(setup.testName) accuracy"
        var sentences: [String] = []
        let ranking = EvidenceRanking(study.arms.map { ($0.name, study.heldOut($0.name)) }, better: .higher)
        sentences.append("Ranking. " + ranking.sentence(metric: metric, format: "%.3f").sentenceCased)
        // Decay against a constant rate that learns: the best decaying schedule by mean.
        let decays = book.dropFirst() + ["warmup per update"]
        let bestDecay = EvidenceRanking(decays.map { ($0, study.heldOut($0)) }, better: .higher).leader
        sentences.append("Decay against a constant rate. "
            + EvidenceSentence.compare(bestDecay, study.heldOut(bestDecay), baselineName, study.heldOut(baselineName),
                                       metric: metric, better: .higher, format: "%.3f").sentenceCased + " "
            + EvidenceSentence.compare(bestDecay, study.trainLoss(bestDecay), baselineName, study.trainLoss(baselineName),
                                       metric: "final train loss", better: .lower, format: "%.3f").sentenceCased
            + { () -> String in
                // A collapsed run drags a mean far down; among the runs that learned the two compare like this.
                guard let a = study.heldOutOfLearned(bestDecay), let b = study.heldOutOfLearned(baselineName),
                      a.runs >= 2, b.runs >= 2, a.runs < setup.seeds || b.runs < setup.seeds else { return "" }
                return " Only the runs that learned: " + EvidenceSentence.compare(bestDecay, a, baselineName, b, metric: metric,
                                                                                  better: .higher, format: "%.3f").sentenceCased
            }())
        if let decayGap = study.gap(bestDecay), let constantGap = study.gap(baselineName),
           decayGap.runs >= 2, constantGap.runs >= 2 {
            sentences.append("Overfitting. "
                + EvidenceSentence.compare(bestDecay, decayGap, baselineName, constantGap,
                                           metric: "gap between train and \(setup.testName) accuracy (runs that learned)",
                                           better: .lower, format: "%.3f").sentenceCased
                + { () -> String in
                    // The on-the-fly train accuracy lags; a difference of gaps within that lag says little.
                    guard let riseA = study.trainAccuracyRise(bestDecay), let riseB = study.trainAccuracyRise(baselineName) else { return "" }
                    let difference = abs(decayGap.mean - constantGap.mean), lag = max(riseA.mean, riseB.mean)
                    return difference < lag
                        ? " The two mean gaps differ by \(CFormat.format("%.3f", difference)), less than the larger of the rises of the on-the-fly train accuracy over the last epoch (\(CFormat.format("%.3f", riseA.mean)) for \(bestDecay), \(CFormat.format("%.3f", riseB.mean)) for \(baselineName)), so this difference is within the lag of that measurement."
                        : ""
                }())
        } else {
            sentences.append("Overfitting. Fewer than two runs learned for \(bestDecay) or \(baselineName), so their train–\(setup.testName) gaps cannot be compared.")
        }
        sentences.append("Warmup per epoch or per update. "
            + EvidenceSentence.compare("warmup per update", study.heldOut("warmup per update"),
                                       "cosine + warmup", study.heldOut("cosine + warmup"),
                                       metric: metric, better: .higher, format: "%.3f").sentenceCased)
        return sentences
    }

    /// How the counts compare with the earlier measurement of seeds 1–3.
    static func agreement(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        let rows = earlierSeedCounts.map { name, earlier in
            [NotebookText(name), NotebookText("\(earlier) of 3"), NotebookText("\(study.learned(name)) of \(setup.seeds)")]
        }
        nb.paragraph("""
            Before this study the page showed one seed. Re-running that earlier page with `--seed 1`, `2` \
            and `3` (8,000 training digits, 12 epochs, one run each) gave the counts in the middle column; \
            the right column is this page's:
            """)
        nb.table(header: ["schedule", "learned, seeds 1–3 (earlier page)", "learned here"], rows: rows)
        let share = { (k: Int, n: Int) in Double(k) / Double(n) }
        let agreeing = earlierSeedCounts.filter { name, earlier in
            // "In kind": on the same side of one half, or both strictly between none and all.
            let ours = share(study.learned(name), setup.seeds), theirs = share(earlier, 3)
            return (ours > 0.5) == (theirs > 0.5) || (ours > 0 && ours < 1 && theirs > 0 && theirs < 1)
        }.map(\.0)
        let differing = earlierSeedCounts.map(\.0).filter { !agreeing.contains($0) }
        nb.paragraph("""
            Counting a schedule as agreeing in kind when both shares of learned runs are on the same side \
            of one half, or both strictly between none and all: \(agreeing.count) of \
            \(earlierSeedCounts.count) schedules agree\(differing.isEmpty ? "." : "; \(EvidenceRanking.list(differing)) \(differing.count == 1 ? "does" : "do") not.")
            """)
        nb.paragraph(chanceSentence(setup, study))
    }

    /// Fisher's exact test (two-sided) on every schedule's 2×2 table of learned and not learned,
    /// the earlier 3 runs against this page's, and what it allows the page to conclude.
    static func chanceSentence(_ setup: Setup, _ study: ScheduleStudy) -> String {
        let level = 0.05
        let tests = earlierSeedCounts.map { name, earlier in
            (name, FisherExact(successesA: earlier, of: 3, successesB: study.learned(name), of: setup.seeds))
        }
        let significant = tests.filter { $0.1.isSignificant(level: level) }.map(\.0)
        let pValues = tests.map { "\($0.0) p = \(CFormat.format("%.3f", $0.1.pValue))" }.joined(separator: ", ")
        let percent = CFormat.format("%g", 100 * level)
        let protocols = "here \(setup.train.count) training digits, so \(setup.updatesPerEpoch) updates per epoch instead of 32, and \(setup.epochs) epochs instead of 12, so every rescaled schedule changes too (the multi-factor milestones are epochs \(setup.multiFactor.steps.map(String.init).joined(separator: " and ")) here, 5 and 9 there)"
        let opening = "Could the differences be chance? Fisher's exact test (two-sided) on each schedule's 2×2 table, learned or not in the earlier 3 runs against these \(setup.seeds), gives \(pValues). "
        if significant.isEmpty {
            return opening + """
                No difference is significant at the \(percent)% level: with 3 and \(setup.seeds) runs a side, \
                even the largest gaps in the table can arise by chance when both measurements share one \
                rate, so the earlier 3-seed counts are consistent with the rates these runs show. The \
                protocols also differ: \(protocols); that may shift the rates, but these counts cannot \
                show it. In both measurements a run at rate 0.5 from a random start may collapse or learn.
                """
        }
        let consistent = tests.map(\.0).filter { !significant.contains($0) }
        return opening + """
            The difference is significant at the \(percent)% level for \(EvidenceRanking.list(significant))\
            \(consistent.isEmpty ? "" : "; for \(EvidenceRanking.list(consistent)) the earlier counts are consistent with these runs' rates"). \
            The protocols differ: \(protocols); that is a possible cause of the significant \
            difference\(significant.count == 1 ? "" : "s"), not one this page tests.
            """
    }

    /// A mean gap between train and held-out accuracy this large, even after adding the last
    /// epoch's rise of the on-the-fly train accuracy, would count as visible overfitting.
    static let visibleOverfittingGap = 0.05

    /// The Summary's point on overfitting: whether either schedule overfits visibly, and whether
    /// the difference between their gaps exceeds what the lagging train accuracy can account for.
    static func overfittingLine(_ setup: Setup, _ study: ScheduleStudy, _ bestDecay: String) -> String {
        let book = "The book says decay can reduce overfitting"
        guard let decayGap = study.gap(bestDecay), let constantGap = study.gap(baselineName),
              decayGap.runs >= 2, constantGap.runs >= 2,
              let decayRise = study.trainAccuracyRise(bestDecay), let constantRise = study.trainAccuracyRise(baselineName)
        else {
            return "\(book); too few runs learned here to compare the gaps between train and \(setup.testName) accuracy."
        }
        let f = { (x: Double) in CFormat.format("%.3f", x) }
        let worst = max(decayGap.mean + max(0, decayRise.mean), constantGap.mean + max(0, constantRise.mean))
        let visible = worst >= visibleOverfittingGap
        let difference = abs(decayGap.mean - constantGap.mean)
        let lag = max(decayRise.mean, constantRise.mean)
        let measured = "the mean gap between train and \(setup.testName) accuracy (runs that learned) is \(f(decayGap.mean)) for \(bestDecay) and \(f(constantGap.mean)) for the constant rate \(CFormat.format("%g", learningBaselineRate)), and adding the rise of the on-the-fly train accuracy over the last epoch (\(f(decayRise.mean)) for \(bestDecay), \(f(constantRise.mean)) for the constant rate) \(visible ? "brings the larger to \(f(worst))" : "leaves both below \(CFormat.format("%g", visibleOverfittingGap))")"
        let opening = visible ? "\(book); here at least one schedule may overfit visibly: \(measured)."
                              : "\(book); neither schedule overfits visibly here: \(measured)."
        if difference < lag {
            return opening + " The gaps differ by \(f(difference)), less than the larger of those rises: the train accuracy, measured while the weights still change during the last epoch, lags by about as much, so the comparison of the gaps cannot tell whether decay reduced overfitting here."
        }
        let verdict = EvidenceSentence.compare(bestDecay, decayGap, baselineName, constantGap,
                                               metric: "gap between train and \(setup.testName) accuracy", better: .lower, format: "%.3f")
        return opening + " The gaps differ by \(f(difference)), more than the larger of those rises; by the rule: \(verdict.sentenceCased)"
    }

    /// The Summary's points, each comparative one chosen by the rule from the study's numbers.
    static func summaryLines(_ setup: Setup, _ study: ScheduleStudy) -> [String] {
        let n = setup.seeds
        let decays = ["square root", "multi-factor", "cosine", "cosine + warmup", "warmup per update"]
        let bestDecay = EvidenceRanking(decays.map { ($0, study.heldOut($0)) }, better: .higher).leader
        let acc = "final \(setup.testName) accuracy"
        var lines: [String] = []
        switch EvidenceSentence.verdict(study.heldOut(bestDecay), study.heldOut(baselineName), better: .higher) {
        case .aBetter:
            lines.append("Lowering the rate during training paid off here: the best decaying schedule, \(bestDecay), reached a higher \(acc) than the constant rate \(CFormat.format("%g", learningBaselineRate)) by the page's rule.")
        case .bBetter:
            lines.append("No decaying schedule beat the constant rate \(CFormat.format("%g", learningBaselineRate)) here: it reached a higher \(acc) than the best of them, \(bestDecay), by the page's rule.")
        case .indistinguishable:
            lines.append("Lowering the rate did not beat a constant rate that learns in these runs: the best decaying schedule, \(bestDecay), and the constant rate \(CFormat.format("%g", learningBaselineRate)) are indistinguishable on \(acc) by the page's rule.")
        }
        lines.append(overfittingLine(setup, study, bestDecay))
        let multi = study.learned("multi-factor")
        lines.append("The book's piecewise-constant schedule (0.5, halved twice) learned in \(multi) of \(n) runs"
            + (multi < n ? ": a piecewise-constant schedule is only as safe as its first piece, and its first piece is the rate 0.5 that learned in \(study.learned("constant 0.5")) of \(n) runs as a constant." : "."))
        let warm = study.learned("cosine + warmup"), perUpdate = study.learned("warmup per update")
        // The baseline of a warmup is the same cosine without it.
        let againstCosine = ["cosine + warmup", "warmup per update"].map { name in
            EvidenceSentence.compare(name, study.heldOut(name), "cosine", study.heldOut("cosine"),
                                     metric: acc, better: .higher, format: "%.3f").sentenceCased
        }
        lines.append("Warmup is meant to protect the first, most fragile steps from a random start: the cosine with warmup learned in \(warm) of \(n) runs stepped per epoch and \(perUpdate) of \(n) stepped per update, against \(study.learned("cosine")) of \(n) for the same cosine without warmup. By the rule: "
            + againstCosine.joined(separator: " "))
        lines.append("Whether a schedule advances per update or per epoch changes its clock by the number of minibatches per epoch; the book's runs advanced per update, its plots per epoch, and a warmup from rate 0 stepped per epoch loses its whole first epoch.")
        lines.append("Cosine schedules are popular in computer vision; one run of one seed says little about any schedule at rate 0.5 on this network, where a single draw decides between collapse and success.")
        return lines
    }
}
