import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.12 Choosing an optimizer (beyond the book): the lecture decks' practical advice put to
/// the test on three problems, with every run repeated over seeds and every comparative
/// sentence chosen by a stated rule.
enum ChoosingAnOptimizerChapter: Chapter {
    static let target = "Ch11_12_ChoosingAnOptimizer"
    static let title = "11.12 Choosing an Optimizer"
    static let summary = "Nine optimizers on three problems over several seeds: learning-rate sensitivity, constant rate against cosine, and the tuning budget, with every verdict computed by a stated rule."
    static let keyFigure: String? = "airfoil-sensitivity.svg"
    static let options: [OptionSpec] = [
        OptionSpec(flag: "--full", help: "10 seeds (5 for LeNet), a finer rate grid and twice the LeNet data"),
    ]

    /// The size of every experiment, from the flags.
    struct Plan {
        let seeds: Int
        let airfoilEpochs: Int
        let rosenbrockSteps: Int
        let gridRates: [Double]
        let lenetRates: [Double]
        let lenetSeeds: Int
        let lenetTrain: Int, lenetHeldOut: Int, lenetEpochs: Int, lenetBatch: Int
        let budgetTrials: Int
        let description: String

        static func make(_ ctx: ChapterContext) -> Plan {
            if ctx.reduced {
                return Plan(seeds: 3, airfoilEpochs: 1, rosenbrockSteps: 300, gridRates: decades(-3, 0, perDecade: 1),
                            lenetRates: [0.01, 0.1], lenetSeeds: 2, lenetTrain: 256, lenetHeldOut: 128,
                            lenetEpochs: 1, lenetBatch: 64, budgetTrials: 4,
                            description: "the reduced test configuration")
            }
            if ctx.isSet("--full") {
                return Plan(seeds: 10, airfoilEpochs: 2, rosenbrockSteps: 2000, gridRates: decades(-5, 0, perDecade: 4),
                            lenetRates: decades(-3, 0, perDecade: 1), lenetSeeds: 5, lenetTrain: 2000, lenetHeldOut: 1000,
                            lenetEpochs: 2, lenetBatch: 32, budgetTrials: 32,
                            description: "the --full configuration")
            }
            return Plan(seeds: 5, airfoilEpochs: 2, rosenbrockSteps: 2000, gridRates: decades(-5, 0, perDecade: 2),
                        lenetRates: decades(-3, 0, perDecade: 1), lenetSeeds: 3, lenetTrain: 1000, lenetHeldOut: 500,
                        lenetEpochs: 2, lenetBatch: 32, budgetTrials: 16,
                        description: "the default configuration")
        }

        /// 10^from … 10^to with `perDecade` points per decade (exact powers of ten at the decades).
        static func decades(_ from: Int, _ to: Int, perDecade: Int) -> [Double] {
            (0...((to - from) * perDecade)).map { k in
                let exponent = Double(from) + Double(k) / Double(perDecade)
                return k % perDecade == 0 ? pow(10, exponent.rounded()) : pow(10, exponent)
            }
        }
    }

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        let started = Date()
        let plan = Plan.make(ctx)
        introduction(nb, plan)
        let data = try AirfoilData.load()
        let digits = try MNISTDigits.loadShipped()
        var splitRNG = ctx.generator(stream: "digits-split")
        let (trainDigits, heldOutDigits) = digits.split(trainCount: 8000, generator: &splitRNG)

        let airfoil = StudyProblem.airfoil(data, epochs: plan.airfoilEpochs)
        let rosenbrock = StudyProblem.rosenbrock(steps: plan.rosenbrockSteps, noise: 1)
        let lenet = StudyProblem.lenet(train: trainDigits.prefix(plan.lenetTrain), heldOut: heldOutDigits.prefix(plan.lenetHeldOut),
                                       epochs: plan.lenetEpochs, batchSize: plan.lenetBatch)

        nb.heading("Learning-rate sensitivity")
        nb.paragraph("""
            For each problem every optimizer is run at every rate of a logarithmic grid, \(plan.seeds) seeds per \
            rate (\(plan.lenetSeeds) for LeNet), the same seeds for every optimizer and rate. A seed fixes the \
            starting point and the sampling (minibatch order, or the gradient noise), so two optimizers at one \
            seed see the same luck. The tables give the mean of the measured value at each rate; "div" marks a \
            rate at which at least one seed diverged. The figures draw the mean as a line with dots and the \
            smallest and largest seed as dotted lines of the same colour; diverged runs are left out of them.
            """)
        let airfoilSweep = sensitivity(nb, airfoil, rates: plan.gridRates, seeds: plan.seeds,
                                       seed: ctx.seed ^ 0xA1F0, file: "airfoil-sensitivity", yScale: .log,
                                       yLimits: 0.2...2, about: "linear regression on the airfoil data, minibatches of 10, \(plan.airfoilEpochs) epochs")
        let rosenbrockSweep = sensitivity(nb, rosenbrock, rates: plan.gridRates, seeds: plan.seeds,
                                          seed: ctx.seed ^ 0x2D, file: "rosenbrock-sensitivity", yScale: .log,
                                          yLimits: 1e-4...1e2, about: "Rosenbrock's function f = (1 − x)² + 100 (y − x²)² from a start drawn near (−1.5, 2), every gradient coordinate perturbed by Gaussian noise of standard deviation 1, \(plan.rosenbrockSteps) steps")
        let lenetSweep = sensitivity(nb, lenet, rates: plan.lenetRates, seeds: plan.lenetSeeds,
                                     seed: ctx.seed ^ 0x1E7, file: "lenet-sensitivity", yScale: .linear,
                                     yLimits: 0...1.5, about: "LeNet trained on \(plan.lenetTrain) shipped MNIST digits in minibatches of \(plan.lenetBatch) for \(plan.lenetEpochs) epochs, accuracy on \(plan.lenetHeldOut) held-out digits")
        let sweeps = [airfoilSweep, rosenbrockSweep, lenetSweep]

        let schedules = scheduleComparison(nb, [airfoilSweep, rosenbrockSweep], seeds: plan.seeds, seed: ctx.seed ^ 0xC05)
        let budget = tuningBudget(nb, airfoil, trials: plan.budgetTrials, seeds: plan.seeds, seed: ctx.seed ^ 0xB0D)
        verdicts(nb, sweeps, schedules: schedules, budget: budget)
        cost(nb, plan, seconds: Date().timeIntervalSince(started))
        exercises(nb, airfoilSweep, rosenbrockSweep)
    }

    // MARK: - Introduction

    static func introduction(_ nb: Notebook, _ plan: Plan) {
        nb.paragraph("""
            The pages before this one each introduced an optimizer and raced it on one or two examples. \
            This page asks the practical question a reader is left with: which one should I use? The lecture \
            decks offer three pieces of advice. Adam is a sensible default and often works with a constant \
            learning rate. SGD with momentum can do better than Adam, but only after more tuning of its rate \
            and its schedule. And Adam tolerates a wide range of hyperparameters. Each of these is a claim \
            about many runs, not one, so here each is measured over several seeds and decided by a rule that \
            is fixed before looking at the numbers.
            """)
        nb.heading("The rule")
        nb.paragraph("""
            Every measurement is repeated with independent random streams, one per seed, derived from the \
            chapter's seed and the seed index alone (so adding seeds never changes the earlier ones, and \
            every number is the same from run to run). A set of repeated runs is summarised by its mean, its \
            standard deviation (sd), its median and its range from the smallest to the largest run. \
            Comparative words on this page come from the numbers by this rule: \(EvidenceSentence.rule) \
            An optimizer "learned" in a run when the run met the problem's criterion, and we report how \
            many runs of how many did. The runs below use \(plan.description).
            """)
    }

    // MARK: - Sensitivity

    static func sensitivity(_ nb: Notebook, _ problem: StudyProblem, rates: [Double], seeds: Int, seed: UInt64,
                            file: String, yScale: AxisScale, yLimits: ClosedRange<Double>, about: String) -> RateSweep {
        nb.heading(problem.name.prefix(1).uppercased() + problem.name.dropFirst(), level: 3)
        nb.paragraph("The problem: \(about). Measured: the \(problem.metric); learned means \(problem.criterion). Here \(problem.divergence).")
        let sweep = RateSweep.run(problem, rates: rates, seeds: seeds, seed: seed)
        nb.table(header: ["optimizer"] + rates.map { CFormat.format("%.0e", $0) },
                 rows: Candidate.allCases.indices.map { c in
                     [NotebookText(Candidate.allCases[c].rawValue)] + sweep.summaries[c].map { s in
                         s.nonFiniteCount > 0 ? "div" : NotebookText(CFormat.format(problem.format, s.mean))
                     }
                 })
        nb.paragraph("At each optimizer's best rate (the best mean, fewest divergences first):")
        nb.table(header: ["optimizer", "best rate", "mean ± sd", "median", "min–max", "learned", "good rates"],
                 rows: Candidate.allCases.indices.map { c in
                     let r = sweep.bestRateIndex(c)
                     let s = sweep.summaries[c][r]
                     let f = problem.format
                     return [NotebookText(Candidate.allCases[c].rawValue), NotebookText(CFormat.format("%.0e", rates[r])),
                             NotebookText(EvidenceSentence.describe(s, format: f)),
                             NotebookText(CFormat.format(f, s.median)),
                             NotebookText("\(CFormat.format(f, s.minimum))–\(CFormat.format(f, s.maximum))"),
                             NotebookText("\(s.count(where: problem.learned)) of \(s.runs)"),
                             NotebookText("\(sweep.window(c)) of \(rates.count)")]
                 })
        nb.paragraph("""
            "Good rates" counts the grid rates at which every seed learned: the width of the window in \
            which the optimizer needs no further tuning.
            """)
        let figure = BookFigures.seedBands(
            x: rates, series: Candidate.allCases.indices.map { (Candidate.allCases[$0].rawValue, sweep.summaries[$0]) },
            xLabel: "learning rate", yLabel: problem.metric, xScale: .log, yScale: yScale, yLimits: yLimits,
            width: 560, height: 340)
        nb.figure(figure, name: file,
                  caption: "\(problem.name): \(problem.metric) against the learning rate, mean over seeds (solid) with the smallest and largest seed (dotted)")
        return sweep
    }

    // MARK: - Schedules

    struct ScheduleResult {
        let problem: StudyProblem
        let verdicts: [EvidenceSentence.Verdict]
    }

    /// Each optimizer at its best constant rate against the same optimizer with that rate annealed by
    /// a cosine to zero over the run.
    static func scheduleComparison(_ nb: Notebook, _ sweeps: [RateSweep], seeds: Int, seed: UInt64) -> [ScheduleResult] {
        nb.heading("A constant rate or a cosine schedule")
        nb.paragraph("""
            The advice says Adam is often fine with a constant rate, while SGD benefits from a schedule. \
            Here each optimizer keeps the best constant rate found above and is run again, on fresh seeds, \
            twice: once with that rate held constant and once with it annealed by a cosine from that rate to \
            zero over the run (`Scheduled(base, schedule: CosineSchedule(…), unit: .update)`). The verdict \
            column applies the rule to the two.
            """)
        var results: [ScheduleResult] = []
        for sweep in sweeps {
            let problem = sweep.problem
            nb.heading(problem.name.prefix(1).uppercased() + problem.name.dropFirst(), level: 3)
            var verdicts: [EvidenceSentence.Verdict] = []
            var rows: [[NotebookText]] = []
            for (c, candidate) in Candidate.allCases.enumerated() {
                let rate = sweep.rates[sweep.bestRateIndex(c)]
                let constant = RunSummary(RepeatedRuns.run(count: seeds, seed: seed) { _, rng in
                    problem.train(candidate.optimizer(rate: rate), &rng) })
                let cosine = RunSummary(RepeatedRuns.run(count: seeds, seed: seed) { _, rng in
                    problem.train(candidate.cosine(rate: rate, updates: problem.updates), &rng) })
                let verdict = EvidenceSentence.verdict(cosine, constant, better: problem.better)
                verdicts.append(verdict)
                let word: String
                switch verdict {
                case .aBetter: word = "cosine better"
                case .bBetter: word = "constant better"
                case .indistinguishable: word = "indistinguishable"
                }
                rows.append([NotebookText(candidate.rawValue), NotebookText(CFormat.format("%.0e", rate)),
                             NotebookText(EvidenceSentence.describe(constant, format: problem.format)),
                             NotebookText(EvidenceSentence.describe(cosine, format: problem.format)), NotebookText(word)])
            }
            nb.table(header: ["optimizer", "rate", "constant", "cosine", "verdict"], rows: rows)
            results.append(ScheduleResult(problem: problem, verdicts: verdicts))
        }
        return results
    }

    // MARK: - Tuning budget

    struct BudgetResult {
        let budgets: [Int]
        /// `bestAt[c][b]`: best final loss found with `budgets[b]` trials, over seeds.
        let bestAt: [[RunSummary]]
    }

    /// Random search over the log rate in [1e-5, 1] (uniform in the exponent), the best final loss
    /// after each number of trials, repeated over seeds (Schmidt, Schneider and Hennig, 2021).
    static func tuningBudget(_ nb: Notebook, _ problem: StudyProblem, trials: Int, seeds: Int, seed: UInt64) -> BudgetResult {
        nb.heading("The tuning budget")
        nb.paragraph("""
            The sweeps above spend the same grid on every optimizer. In practice one tries a few rates at \
            random and keeps the best, so what matters is how good the best result is after one, two, four… \
            trials. Following Schmidt, Schneider and Hennig (2021), each optimizer gets \(trials) trials on \
            the \(problem.name), each at a rate drawn uniformly in its exponent between 10⁻⁵ and 1; the \
            best \(problem.metric) after b trials is recorded, and the whole search is repeated over \(seeds) \
            seeds.
            """)
        var budgets: [Int] = []
        var b = 1
        while b <= trials { budgets.append(b); b *= 2 }
        let bestAt: [[RunSummary]] = Candidate.allCases.map { candidate in
            let curves: [[Double]] = RepeatedRuns.run(count: seeds, seed: seed) { _, rng in
                var best = Double.infinity
                var curve: [Double] = []
                for _ in 0..<trials {
                    let rate = pow(10, rng.uniform(-5, 0))
                    let value = problem.train(candidate.optimizer(rate: rate), &rng)
                    if value.isFinite && value < best { best = value }
                    curve.append(best)
                }
                return budgets.map { curve[$0 - 1] }
            }
            return CurveSummary(curves).summaries
        }
        nb.table(header: ["optimizer"] + budgets.map { "\($0) trial\($0 == 1 ? "" : "s")" },
                 rows: Candidate.allCases.indices.map { c in
                     [NotebookText(Candidate.allCases[c].rawValue)] + bestAt[c].map { s in
                         NotebookText(s.nonFiniteCount == s.runs ? "none" : CFormat.format(problem.format, s.mean)
                                      + (s.nonFiniteCount > 0 ? " (\(s.runs - s.nonFiniteCount) of \(s.runs))" : ""))
                     }
                 })
        nb.paragraph("""
            Each entry is the mean over seeds of the best \(problem.metric) found; a search in which every \
            trial diverged found nothing ("none"), and such searches are left out of the mean, with the \
            number of searches that found a finite loss in brackets.
            """)
        let figure = BookFigures.seedBands(
            x: budgets.map(Double.init),
            series: Candidate.allCases.indices.map { (Candidate.allCases[$0].rawValue, bestAt[$0]) },
            xLabel: "trials of random search", yLabel: "best \(problem.metric)", xScale: .log, yScale: .log,
            yLimits: 0.23...0.6, width: 560, height: 340)
        nb.figure(figure, name: "airfoil-tuning-budget",
                  caption: "Best \(problem.metric) found against the number of random-search trials, mean over seeds (solid) with the luckiest and unluckiest search (dotted)")
        return BudgetResult(budgets: budgets, bestAt: bestAt)
    }

    // MARK: - Verdicts

    static func verdicts(_ nb: Notebook, _ sweeps: [RateSweep], schedules: [ScheduleResult], budget: BudgetResult) {
        nb.heading("What the numbers say about the advice")
        let adam = Candidate.allCases.firstIndex(of: .adam)!
        let momentum = Candidate.allCases.firstIndex(of: .momentum)!
        nb.heading("Adam as a default", level: 3)
        var lines: [String] = []
        for sweep in sweeps {
            let p = sweep.problem
            // The rate nearest to Adam's customary default of 0.001.
            let r = sweep.rates.indices.min { abs(log10(sweep.rates[$0]) + 3) < abs(log10(sweep.rates[$1]) + 3) }!
            let atDefault = sweep.summaries[adam][r]
            let bestAdam = sweep.summaries[adam][sweep.bestRateIndex(adam)]
            let others = Candidate.allCases.indices.filter { $0 != adam }
            let rival = others.reduce(others[0]) { best, c in
                EvidenceSentence.verdictOfMeans(sweep.summaries[c][sweep.bestRateIndex(c)],
                                                sweep.summaries[best][sweep.bestRateIndex(best)], better: p.better) ? c : best
            }
            lines.append("- \(p.name): " + EvidenceSentence.learned("Adam at rate \(CFormat.format("%g", sweep.rates[r]))", atDefault,
                                                                      criterion: p.criterion, p.learned)
                         + " Each at its best rate: " + EvidenceSentence.compare("Adam", bestAdam, Candidate.allCases[rival].rawValue,
                                                       sweep.summaries[rival][sweep.bestRateIndex(rival)],
                                                       metric: p.metric, better: p.better, format: p.format))
        }
        nb.paragraph(lines.joined(separator: "\n"))

        nb.heading("Momentum against Adam, and how much tuning each needs", level: 3)
        lines = []
        for sweep in sweeps {
            let p = sweep.problem
            let compare = EvidenceSentence.compare("momentum", sweep.summaries[momentum][sweep.bestRateIndex(momentum)],
                                                   "Adam", sweep.summaries[adam][sweep.bestRateIndex(adam)],
                                                   metric: p.metric, better: p.better, format: p.format)
            let wm = sweep.window(momentum), wa = sweep.window(adam)
            let windows = wm == wa ? "Both learned in every seed at \(wa) of the \(sweep.rates.count) grid rates."
                : "Momentum learned in every seed at \(wm) of the \(sweep.rates.count) grid rates, Adam at \(wa): \(wm < wa ? "momentum has the narrower window" : "Adam has the narrower window")."
            lines.append("- \(p.name): best rate against best rate, \(compare) \(windows)")
        }
        nb.paragraph(lines.joined(separator: "\n"))

        nb.heading("Robustness to the learning rate", level: 3)
        lines = []
        for sweep in sweeps {
            let widths = Candidate.allCases.indices.map { sweep.window($0) }
            let wa = widths[adam]
            let wider = Candidate.allCases.indices.filter { widths[$0] > wa }.map { Candidate.allCases[$0].rawValue }
            let widest = widths.max()!
            let text = wider.isEmpty
                ? "Adam's window of \(wa) rate\(wa == 1 ? "" : "s") is the widest (tied or alone) of the nine."
                : "Adam's window of \(wa) rate\(wa == 1 ? "" : "s") is narrower than that of \(wider.joined(separator: ", ")) (widest: \(widest))."
            lines.append("- \(sweep.problem.name): \(text)")
        }
        nb.paragraph(lines.joined(separator: "\n"))

        nb.heading("Schedules", level: 3)
        lines = []
        for result in schedules {
            let helped = Candidate.allCases.indices.filter { result.verdicts[$0] == .aBetter }.map { Candidate.allCases[$0].rawValue }
            let hurt = Candidate.allCases.indices.filter { result.verdicts[$0] == .bBetter }.map { Candidate.allCases[$0].rawValue }
            lines.append("- \(result.problem.name): the cosine schedule was better for \(helped.count) of 9 optimizers"
                         + (helped.isEmpty ? "" : " (\(helped.joined(separator: ", ")))")
                         + ", worse for \(hurt.count)" + (hurt.isEmpty ? "" : " (\(hurt.joined(separator: ", ")))")
                         + ", indistinguishable for the rest. For Adam: \(describe(result.verdicts[adam])); for momentum: \(describe(result.verdicts[momentum])).")
        }
        nb.paragraph(lines.joined(separator: "\n"))

        nb.heading("Tuning budget", level: 3)
        let first = 0, last = budget.budgets.count - 1
        lines = []
        for b in [first, last] {
            lines.append("- with \(budget.budgets[b]) trial\(budget.budgets[b] == 1 ? "" : "s"): " + EvidenceSentence.compare(
                "Adam", budget.bestAt[adam][b], "momentum", budget.bestAt[momentum][b],
                metric: "best final loss", better: .lower, format: "%.4f"))
        }
        nb.paragraph(lines.joined(separator: "\n"))
        nb.paragraph("""
            Where a sentence above says "indistinguishable", the advice is neither confirmed nor refuted by \
            these runs; where it names a winner the advice did not predict, the advice does not hold on that \
            problem at this budget. Each best rate was picked on the very seeds that then measure it, which \
            flatters every optimizer a little and by the same mechanism; the schedule comparison reruns \
            on fresh seeds and is free of that bias. These are three small problems and a handful of \
            seeds: the verdicts are about them, not about deep learning at large.
            """)
    }

    static func describe(_ verdict: EvidenceSentence.Verdict) -> String {
        switch verdict {
        case .aBetter: return "cosine better"
        case .bBetter: return "constant better"
        case .indistinguishable: return "indistinguishable"
        }
    }

    // MARK: - Cost, exercises

    static func cost(_ nb: Notebook, _ plan: Plan, seconds: Double) {
        nb.heading("What this page costs")
        nb.output("all experiments of this run: \(volatile: seconds, format: "%.1f") s")
        nb.paragraph("""
            Measured once with `time .build/release/Ch11_12_ChoosingAnOptimizer --output /tmp/x` on the \
            two-core development machine while other builds shared it: the default run used \
            \(measuredDefault), and `--full` used \(measuredFull). Almost all of it is the LeNet sweep; \
            the airfoil and Rosenbrock experiments take a few seconds. Processor time is summed over threads; \
            on a shared machine the wall-clock time is the larger and the less repeatable of the two.
            """)
    }

    /// Times measured once for the page (see `cost`); typed in, not computed by the run.
    static let measuredDefault = "48 s of processor time (102 s wall-clock, load average about 10)"
    static let measuredFull = "148 s of processor time (8 min 16 s wall-clock, with the whole test suite running beside it)"

    static func exercises(_ nb: Notebook, _ airfoil: RateSweep, _ rosenbrock: RateSweep) {
        nb.heading("Exercises")
        let adam = Candidate.allCases.firstIndex(of: .adam)!
        let sgd = Candidate.allCases.firstIndex(of: .sgd)!
        let bestSGD = airfoil.summaries[sgd][airfoil.bestRateIndex(sgd)]
        let bestAdam = airfoil.summaries[adam][airfoil.bestRateIndex(adam)]
        let se = (bestSGD.standardError * bestSGD.standardError + bestAdam.standardError * bestAdam.standardError).squareRoot()
        let items: [(question: String, answer: String)] = [
            ("1. Why does the rule compare the gap with the standard error of the gap rather than with the standard deviation of one run?",
             """
             The mean of n runs varies far less than a single run, by a factor sqrt(n); the question \
             is whether the two means could have swapped places with other seeds, and that depends on how \
             much the means wander, which is the standard error. With only a few seeds the threshold is \
             wide, and an honest page says "indistinguishable" often.
             """),
            ("2. Compute the gap and the threshold for SGD against Adam on the airfoil problem at their best rates.",
             """
             The gap of the means is \(CFormat.format("%.5f", abs(bestSGD.mean - bestAdam.mean))) and \
             two standard errors of the gap are \(CFormat.format("%.5f", 2 * se)), so the rule says: \
             \(EvidenceSentence.compare("SGD", bestSGD, "Adam", bestAdam, metric: "final loss", better: .lower))
             """),
            ("3. The \"good rates\" column counts grid points. Why is that a fair measure of robustness only when every optimizer gets the same grid?",
             """
             The window is measured in grid steps, so it is a width in decades only when all \
             optimizers share the grid; a finer grid for one of them would inflate its count. The page uses \
             one grid per problem for all nine.
             """),
            ("4. Run the page with `--seed 7`. Which verdicts change?",
             """
             Those whose gap lay close to the threshold; a verdict that flips with the seed was never \
             strong evidence, which is why the rule asks for two standard errors.
             """),
        ]
        for item in items {
            nb.paragraph(item.question)
            nb.heading("Answer", level: 4)
            nb.paragraph(item.answer)
        }
    }
}
