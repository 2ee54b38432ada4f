import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The nine optimizers the page compares, each built from a learning rate with every other
/// hyperparameter at the value the earlier pages use.
enum Candidate: String, CaseIterable, Sendable {
    case sgd = "SGD", momentum = "momentum", nesterov = "Nesterov", adagrad = "AdaGrad",
         rmsprop = "RMSProp", adadelta = "AdaDelta", adam = "Adam", yogi = "Yogi", amsgrad = "AMSGrad"

    func optimizer(rate: Double) -> any Optimizer {
        switch self {
        case .sgd: return SGD(learningRate: rate)
        case .momentum: return Momentum(learningRate: rate, momentum: 0.9)
        case .nesterov: return Nesterov(learningRate: rate, momentum: 0.9)
        case .adagrad: return AdaGrad(learningRate: rate)
        case .rmsprop: return RMSProp(learningRate: rate, gamma: 0.9)
        case .adadelta: return AdaDelta(rho: 0.9, learningRate: rate)
        case .adam: return Adam(learningRate: rate)
        case .yogi: return Yogi(learningRate: rate)
        case .amsgrad: return AMSGrad(learningRate: rate)
        }
    }

    /// How the figures draw this optimizer's mean line. Momentum and Nesterov, and Adam, Yogi and
    /// AMSGrad, often coincide: in each group the earlier one is wider and solid and the later ones
    /// thinner, dashed or dotted, with other markers, so a series drawn on top leaves the one
    /// beneath it visible.
    var figureStyle: (dash: String, marker: String, width: Double, markerSize: Double) {
        switch self {
        case .sgd: return ("-", "o", 1.5, 3)
        case .momentum: return ("-", "s", 3.2, 4.5)
        case .nesterov: return ("--", "o", 1.4, 2.5)
        case .adagrad: return ("-", "^", 1.5, 3.5)
        case .rmsprop: return ("-.", "v", 1.5, 3.5)
        case .adadelta: return ("--", "D", 1.5, 3)
        case .adam: return ("-", "s", 3.6, 4.5)
        case .yogi: return ("--", "D", 2.0, 3.5)
        case .amsgrad: return ("-.", "x", 1.3, 3.5)
        }
    }

    /// The same optimizer with its rate annealed by a cosine from `rate` to 0 over `updates`.
    func cosine(rate: Double, updates: Int) -> any Optimizer {
        Self.annealed(optimizer(rate: rate), rate: rate, updates: updates)
    }

    private static func annealed<O: Optimizer>(_ base: O, rate: Double, updates: Int) -> any Optimizer {
        Scheduled(base, schedule: CosineSchedule(maxUpdate: max(updates - 1, 1), baseLR: rate, finalLR: 0),
                  unit: .update)
    }
}

/// One of the page's three problems: how to train once with a given optimizer and seed, what
/// is measured, which direction is better and what counts as having learned.
struct StudyProblem {
    let name: String
    let metric: String
    let better: EvidenceSentence.Better
    let criterion: String
    let learned: @Sendable (Double) -> Bool
    /// Updates in one run (the length of a cosine schedule).
    let updates: Int
    let format: String
    /// When a run counts as diverged, in words.
    let divergence: String
    /// Trains once; a diverged run returns +infinity (loss) or NaN is never returned.
    let train: (_ optimizer: any Optimizer, _ generator: inout SeededGenerator) -> Double

    /// Final loss of linear regression on the airfoil data (minibatch 10, `epochs` epochs).
    static func airfoil(_ data: AirfoilData, epochs: Int) -> StudyProblem {
        StudyProblem(name: "airfoil regression", metric: "final loss", better: .lower,
                     criterion: "final loss below 0.25", learned: { $0 < 0.25 },
                     updates: epochs * (data.count / 10), format: "%.4f",
                     divergence: "a run whose loss ends above 10 (twenty times the starting loss) or overflows counts as diverged") { optimizer, rng in
            airfoilLoss(optimizer, data: data, epochs: epochs, generator: &rng)
        }
    }

    private static func airfoilLoss<O: Optimizer>(_ optimizer: O, data: AirfoilData, epochs: Int,
                                                  generator: inout SeededGenerator) -> Double {
        let run = trainLinearRegression(optimizer: optimizer, data: data, batchSize: 10, epochs: epochs,
                                        generator: &generator)
        // A loss above 10, twenty times the loss at the start, has left the problem: diverged.
        return run.diverged || !(run.finalLoss < 10) ? .infinity : run.finalLoss
    }

    /// Rosenbrock's valley from a start drawn near (−1.5, 2), with Gaussian noise of standard
    /// deviation `noise` added to every gradient coordinate (a stochastic gradient), `steps` steps.
    static func rosenbrock(steps: Int, noise: Double) -> StudyProblem {
        StudyProblem(name: "noisy Rosenbrock", metric: "final f", better: .lower,
                     criterion: "final f below 0.01", learned: { $0 < 0.01 },
                     updates: steps, format: "%.3g",
                     divergence: "a run that leaves the box |x| < 1000, |y| < 10⁶ counts as diverged") { optimizer, rng in
            rosenbrockValue(optimizer, steps: steps, noise: noise, generator: &rng)
        }
    }

    private static func rosenbrockValue<O: Optimizer>(_ optimizer: O, steps: Int, noise: Double,
                                                      generator: inout SeededGenerator) -> Double {
        let f = Objective2D.rosenbrock()
        let start = [-1.5 + generator.uniform(-0.25, 0.25), 2 + generator.uniform(-0.25, 0.25)]
        var loop = DescentLoop(optimizer: optimizer, start: start)
        for _ in 0..<steps {
            loop.step { p, g in
                let exact = f.gradient(Point2D(p[0], p[1]))
                g[0] = exact.x + noise * generator.normal()
                g[1] = exact.y + noise * generator.normal()
            }
            // Far outside the valley the run has diverged; stop before the numbers overflow.
            if !(abs(loop.params[0]) < 1e3 && abs(loop.params[1]) < 1e6) { return .infinity }
        }
        let value = f.value(Point2D(loop.params[0], loop.params[1]))
        return value.isFinite ? value : .infinity
    }

    /// Held-out accuracy of LeNet after `epochs` epochs of minibatches of `batchSize` on `train`.
    /// The seed draws the initial weights and the minibatch order.
    static func lenet(train: ImageDataset, heldOut: ImageDataset, epochs: Int, batchSize: Int) -> StudyProblem {
        let updates = epochs * ((train.count + batchSize - 1) / batchSize)
        return StudyProblem(name: "LeNet on digits", metric: "held-out accuracy", better: .higher,
                            criterion: "held-out accuracy at least 0.80", learned: { $0 >= 0.80 },
                            updates: updates, format: "%.3f",
                            divergence: "a run whose training loss overflows counts as diverged") { optimizer, rng in
            lenetAccuracy(optimizer, train: train, heldOut: heldOut, epochs: epochs, batchSize: batchSize,
                          generator: &rng)
        }
    }

    private static func lenetAccuracy<O: Optimizer>(_ optimizer: O, train: ImageDataset, heldOut: ImageDataset,
                                                    epochs: Int, batchSize: Int,
                                                    generator: inout SeededGenerator) -> Double {
        let trainer = LeNetTrainer(network: LeNet.make(generator: &generator), batchSize: batchSize)
        let history = trainer.train(on: train, test: heldOut, epochs: epochs, optimizer: optimizer,
                                    generator: &generator)
        guard let last = history.last, last.trainLoss.isFinite, history.count == epochs else { return .nan }
        return last.testAccuracy
    }
}

/// The results of sweeping every candidate over a log grid of rates, several seeds each.
struct RateSweep {
    let problem: StudyProblem
    let rates: [Double]
    /// Seeds per rate and the seed they derive from.
    let seeds: Int, seed: UInt64
    /// `summaries[c][r]`: candidate `c` (in `Candidate.allCases` order) at `rates[r]`.
    let summaries: [[RunSummary]]

    /// `make` builds the optimizer a grid point stands for (by default the candidate at that constant
    /// rate; the schedule comparison passes the cosine with that peak).
    static func run(_ problem: StudyProblem, rates: [Double], seeds: Int, seed: UInt64,
                    make: (Candidate, Double) -> any Optimizer = { $0.optimizer(rate: $1) },
                    progress: ((String) -> Void)? = nil) -> RateSweep {
        let summaries = Candidate.allCases.map { candidate in
            progress?(candidate.rawValue)
            return rates.map { rate in
                // The same seeds for every candidate and rate: the runs differ only in the update rule.
                RunSummary(RepeatedRuns.run(count: seeds, seed: seed) { _, rng in
                    problem.train(make(candidate, rate), &rng)
                })
            }
        }
        return RateSweep(problem: problem, rates: rates, seeds: seeds, seed: seed, summaries: summaries)
    }

    /// Index of the rate with the best mean for candidate `c` (fewest divergences first).
    func bestRateIndex(_ c: Int) -> Int {
        var best = 0
        for r in rates.indices.dropFirst() {
            if EvidenceSentence.verdictOfMeans(summaries[c][r], summaries[c][best], better: problem.better) {
                best = r
            }
        }
        return best
    }

    /// Whether candidate `c`'s best rate is the first or last of the grid (the optimum may lie beyond).
    func bestIsAtEdge(_ c: Int) -> Bool {
        let r = bestRateIndex(c)
        return r == 0 || r == rates.count - 1
    }

    /// A grid rate as the tables print it, flagged when it is `c`'s best and at the grid's edge.
    func rateLabel(_ c: Int) -> String {
        CFormat.format("%.0e", rates[bestRateIndex(c)]) + (bestIsAtEdge(c) ? " (edge)" : "")
    }

    /// Grid rates at which every seed of candidate `c` learned.
    func window(_ c: Int) -> Int {
        summaries[c].filter { $0.count(where: problem.learned) == $0.runs }.count
    }
}

extension EvidenceSentence {
    /// True when `a` is preferable to `b` by the plain ordering used to pick a best rate:
    /// fewer divergences, then the better mean (no significance involved: this only chooses).
    static func verdictOfMeans(_ a: RunSummary, _ b: RunSummary, better: Better) -> Bool {
        if a.nonFiniteCount != b.nonFiniteCount { return a.nonFiniteCount < b.nonFiniteCount }
        if !a.mean.isFinite { return false }
        if !b.mean.isFinite { return true }
        return better == .lower ? a.mean < b.mean : a.mean > b.mean
    }
}
