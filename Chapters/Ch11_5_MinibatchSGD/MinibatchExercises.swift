import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: train-with-sampling
/// Minibatch SGD on the airfoil data whose epochs are drawn by `sampling`; returns the final
/// loss and the fraction of examples that an epoch never used.
func trainWithSampling(_ sampling: SamplingScheme, learningRate: Double, batchSize: Int, epochs: Int,
                       data: AirfoilData, generator: inout SeededGenerator) -> (loss: Double, unused: Double) {
    let sgd = SGD(learningRate: learningRate)
    var params = LinearRegression.initialParameters(featureCount: data.featureCount, generator: &generator)
    var state = sgd.initialState(count: params.count)
    var gradient = [Double](repeating: 0, count: params.count)
    var unused = 0
    for _ in 0..<epochs {
        let order = sampling.epochOrder(count: data.count, generator: &generator)
        var used = [Bool](repeating: false, count: data.count)
        var start = 0
        while start < order.count {
            let batch = order[start..<min(start + batchSize, order.count)]
            LinearRegression.gradient(params, data: data, batch: batch, into: &gradient)
            sgd.update(&params, gradient: gradient, state: &state)
            for i in batch { used[i] = true }
            start += batchSize
        }
        unused += used.filter { !$0 }.count
    }
    return (LinearRegression.loss(params, data: data), Double(unused) / Double(epochs * data.count))
}
// end cell

// cell: seeded-losses
/// Final losses of five runs of `trainLinearRegression` with `optimizer`, and their mean time
/// per epoch. Seed k draws the initial weights and the order of the examples from the stream
/// "airfoil-seed\(k)" whatever the setting, so every setting is run on the same five seeds.
func seededLosses<O: Optimizer>(optimizer: O, data: AirfoilData, batchSize: Int, epochs: Int,
                                seeds: Int = 5, ctx: ChapterContext) -> (losses: SeedSpread, secondsPerEpoch: Double) {
    var losses: [Double] = [], seconds = 0.0
    for k in 0..<seeds {
        var rng = ctx.generator(stream: "airfoil-seed\(k)")
        let run = trainLinearRegression(optimizer: optimizer, data: data, batchSize: batchSize, epochs: epochs,
                                        generator: &rng)
        losses.append(run.finalLoss)
        seconds += run.secondsPerEpoch
    }
    return (SeedSpread(losses), seconds / Double(seeds))
}
// end cell

/// The book's four exercises of 11.5 and one from lecture deck 002, each with a worked answer
/// computed here.
extension MinibatchSGDChapter {
    /// Seeds per setting: the default of `seededLosses`.
    static let exerciseSeeds = 5

    static func exercises(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) throws {
        nb.heading("Exercises")
        nb.paragraph("""
            The first four are the book's, in our words; the fifth comes from the lecture notes. \
            Every answer below was computed by this page's program; comparisons use \
            \(exerciseSeeds) seeds (different initial weights and example orders) and report the \
            mean ± standard deviation. Seed k is the random stream `airfoil-seed<k>` (k = 0 … \
            \(exerciseSeeds - 1)) for every setting, here and in the exercises of Section 11.6: a \
            setting that appears twice prints the same numbers, and two settings compared side by \
            side start from the same weights and see the examples in the same order, seed by seed. \
            The single runs of 11.5.4 and 11.5.5 use the other streams named in their cells.
            """)
        nb.code(cell: "seeded-losses")
        exerciseBatchAndRate(nb, ctx, data: data)
        exerciseDecay(nb, ctx, data: data)
        exerciseReplacement(nb, ctx, data: data)
        exerciseGenie(nb, ctx, data: data)
        exerciseClippingRule(nb)
    }

    static func exercise(_ nb: Notebook, _ number: Int, _ text: String) {
        nb.paragraph("\(number). " + text)
        nb.heading("Answer", level: 4)
    }

    // MARK: 1

    static func exerciseBatchAndRate(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 1, """
            Change the batch size and the learning rate. How fast does the loss fall, and how long \
            does an epoch take?
            """)
        nb.paragraph("""
            Each batch size from the section with three learning rates around its value, two \
            epochs each (so every run sees 3000 examples), \(exerciseSeeds) seeds per setting:
            """)
        let grid: [(batch: Int, rates: [Double])] = [(1, [0.0025, 0.005, 0.01]), (10, [0.025, 0.05, 0.1]),
                                                     (100, [0.2, 0.4, 0.8]), (1500, [0.5, 0.9, 1])]
        var rows: [[NotebookText]] = []
        var best: [(batch: Int, rate: Double, loss: SeedSpread)] = []
        var spreads: [String: SeedSpread] = [:]
        for (batch, rates) in grid {
            var bestHere: (rate: Double, loss: SeedSpread)? = nil
            for rate in rates {
                let r = seededLosses(optimizer: SGD(learningRate: rate), data: data,
                                     batchSize: batch, epochs: 2, ctx: ctx)
                if bestHere == nil || r.losses.mean < bestHere!.loss.mean { bestHere = (rate, r.losses) }
                spreads["\(batch) \(rate)"] = r.losses
                rows.append(["\(batch)", "\(shortNumber(rate))", "\((1500 + batch - 1) / batch * 2)",
                             "\(r.losses.short("%.4f"))", "\(volatile: readableDuration(r.secondsPerEpoch))"])
            }
            best.append((batch, bestHere!.rate, bestHere!.loss))
        }
        nb.table(header: ["batch", "learning rate", "updates", "loss after 2 epochs", "time per epoch"], rows: rows)
        let ranked = best.sorted { $0.loss.mean < $1.loss.mean }
        let leader = ranked[0]
        // "As good as the best": mean within the larger of the two standard deviations.
        let tied = ranked.filter { abs($0.loss.mean - leader.loss.mean) <= max($0.loss.standardDeviation, leader.loss.standardDeviation) }
        let behind = ranked.filter { r in !tied.contains { $0.batch == r.batch } }
        nb.paragraph("""
            Per batch size the best of the three rates was \(best.map { "\(shortNumber($0.rate)) (batch \($0.batch))" }.joined(separator: ", ")). \
            With those rates, after the same 3000 examples, batch sizes \(tied.map { "\($0.batch)" }.joined(separator: ", ")) \
            end within one standard deviation of the best (\(tied.map { $0.loss.short("%.4f") }.joined(separator: ", "))), \
            \(behind.isEmpty ? "and none falls behind." : "while " + behind.map { "batch \($0.batch) is behind at \($0.loss.short("%.4f"))" }.joined(separator: ", ") + ".") \
            Two effects show. Larger batches allow larger rates (the noise of a batch mean \
            shrinks like 1/√b), but no batch size escapes the curvature limit η < 2/λ ≈ \
            \(CFormat.format("%.2f", 2 / largestCurvature(data))) of the full-batch loss, so the \
            biggest batches make too few updates in two epochs: full-batch descent has taken two \
            steps. Below that, the rate that is too large for a batch size shows as a higher mean \
            and a wider spread (the noise floor grows with η/b). Time per epoch falls with the \
            batch size as long as the fixed cost of an update dominates (the last column; it is \
            machine-dependent and masked in the goldens).
            """)
        // Batch 1 at rate η against batch 10 at 10η, seed by seed (both see the examples in the same order).
        let pairGaps = zip(grid[0].rates, grid[1].rates).map { small, large in
            let a = spreads["1 \(small)"]!, b = spreads["10 \(large)"]!
            let gap = zip(a.values, b.values).map { abs($0 - $1) }.max()!
            return "\(CFormat.format("%.1e", gap)) for η = \(shortNumber(small))"
        }
        nb.paragraph("""
            Because all settings share their seeds, batch 1 at rate η and batch 10 at rate 10η end \
            close together, seed by seed (largest difference of the final losses over the \
            \(exerciseSeeds) seeds: \(pairGaps.joined(separator: ", "))): with the examples in the \
            same order, ten single-example steps of size η move the weights nearly as far as one \
            step of 10η along the mean of the same ten gradients, and the smaller η, the closer. \
            (The same near-coincidence shows in exercise 3, whose runs use these seeds too.)
            """)
    }

    // MARK: 2

    static func exerciseDecay(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 2, """
            Divide the learning rate of minibatch SGD by 10 after every epoch (the book asks for \
            Gluon's `set_learning_rate`). What happens?
            """)
        nb.paragraph("""
            Here a schedule does it: `StepDecaySchedule(initialLR: 0.05, gamma: 0.1, stepSize: 1)`, \
            evaluated at the start of every epoch, gives 0.05, 0.005, 0.0005, … We compare it with \
            the constant rate on batches of 10, for two and for four epochs:
            """)
        nb.code(cell: "step-decay")
        // cell: step-decay
        let decay = StepDecaySchedule(initialLR: 0.05, gamma: 0.1, stepSize: 1)
        // 150 updates of 10 examples make one epoch of the 1500.
        let optimizers: [(name: String, optimizer: any Optimizer)] = [
            ("constant 0.05", SGD(learningRate: 0.05)),
            ("÷10 per epoch", Scheduled(SGD(learningRate: 0.05), schedule: decay, unit: .epoch, updatesPerEpoch: 150)),
        ]
        var results: [String: SeedSpread] = [:]
        // The same seeds for two and four epochs: the longer runs continue the shorter ones.
        for epochs in [2, 4] {
            for (name, optimizer) in optimizers {
                results["\(name) \(epochs)"] = seededLosses(optimizer: optimizer, data: data,
                                                            batchSize: 10, epochs: epochs, ctx: ctx).losses
            }
        }
        // end cell
        var rows: [[NotebookText]] = []
        for epochs in [2, 4] {
            for (name, _) in optimizers {
                rows.append([NotebookText(name), "\(epochs)", "\(results["\(name) \(epochs)"]!.text("%.4f"))"])
            }
        }
        nb.table(header: ["rate", "epochs", "final loss over all examples"], rows: rows)
        let c4 = results["constant 0.05 4"]!, d4 = results["÷10 per epoch 4"]!, d2 = results["÷10 per epoch 2"]!
        nb.paragraph("""
            Dividing by ten every epoch \(d4.mean < c4.mean ? "lowers" : "does not lower") the final loss \
            (\(d4.short("%.4f")) against \(c4.short("%.4f")) after four epochs) and \
            \(d4.standardDeviation < c4.standardDeviation ? "narrows" : "does not narrow") its spread over \
            seeds: with a constant rate the weights keep jittering around the minimum with \
            the noise of each batch, and the decay damps that jitter. But it is drastic: by the \
            third epoch the rate is 0.0005 and the weights barely move, so the last epochs add \
            almost nothing (the decayed runs' mean moves from \(d2.short("%.4f")) after two epochs to \
            \(d4.short("%.4f")) after four): they are frozen about where the second epoch left them. \
            Gentler decays (Section 11.11) keep learning longer.
            """)
    }

    // MARK: 3

    static func exerciseReplacement(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 3, """
            Compare minibatch SGD as implemented (every example once per epoch, in a random order) \
            with a version that draws the examples of an epoch with replacement. What happens?
            """)
        nb.paragraph("""
            `SamplingScheme` (Section 11.4) produces an epoch's order either way: a permutation, or \
            1500 independent uniform draws. The loop below cuts that order into batches; everything \
            else is the training loop of this section.
            """)
        nb.code(cell: "train-with-sampling")
        var rows: [[NotebookText]] = []
        var means: [String: SeedSpread] = [:]
        for (batch, rate) in [(1, 0.005), (10, 0.05)] {
            for scheme in SamplingScheme.allCases {
                var losses: [Double] = [], unused: [Double] = []
                for k in 0..<exerciseSeeds {
                    var rng = ctx.generator(stream: "airfoil-seed\(k)")
                    let r = trainWithSampling(scheme, learningRate: rate, batchSize: batch, epochs: 2, data: data, generator: &rng)
                    losses.append(r.loss); unused.append(r.unused)
                }
                means["\(batch) \(scheme.rawValue)"] = SeedSpread(losses)
                rows.append(["\(batch)", "\(shortNumber(rate))", NotebookText(scheme.rawValue),
                             "\(SeedSpread(losses).text("%.4f"))", "\(SeedSpread(unused).mean * 100, format: "%.1f")%"])
            }
        }
        nb.table(header: ["batch", "learning rate", "sampling", "loss after 2 epochs", "examples unused per epoch"], rows: rows)
        let with1 = means["1 with replacement"]!, without1 = means["1 without replacement"]!
        let with10 = means["10 with replacement"]!, without10 = means["10 without replacement"]!
        // Indistinguishable: the means differ by less than the larger standard deviation.
        func tie(_ a: SeedSpread, _ b: SeedSpread) -> Bool { abs(a.mean - b.mean) < max(a.standardDeviation, b.standardDeviation) }
        nb.paragraph("""
            With replacement about (1 − 1/1500)^1500 ≈ \(CFormat.format("%.3f", powInt(1 - 1.0 / 1500, 1500))) of \
            the examples go unused in an epoch while others are used twice or more; without \
            replacement none is skipped. On this problem the final losses of the two schemes \
            \(tie(with1, without1) && tie(with10, without10) ? "differ by less than their spread over seeds" : "differ by more than their spread over seeds in at least one row") \
            (batch 1: \(with1.short("%.4f")) with, \(without1.short("%.4f")) without; batch 10: \
            \(with10.short("%.4f")) with, \(without10.short("%.4f")) without): after two epochs at a \
            constant learning rate the noise floor of SGD dominates the outcome, not the sampling. The difference shows where the noise matters less, near convergence \
            with a decaying rate: random reshuffling then converges faster (Section 11.4's experiment \
            with a finite sum, where the distance to the optimum shrinks much faster without \
            replacement).
            """)
    }

    // MARK: 4

    static func exerciseGenie(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 4, """
            An evil genie duplicates every example of the data set without telling you, so it is \
            twice as large. How do gradient descent, SGD and minibatch SGD change?
            """)
        let doubled = data.repeated(2)
        var a = ctx.generator(stream: "ex4-gd"), b = ctx.generator(stream: "ex4-gd")
        let gdOnce = trainLinearRegression(optimizer: SGD(learningRate: 0.9), data: data, batchSize: data.count,
                                           epochs: 10, generator: &a)
        let gdTwice = trainLinearRegression(optimizer: SGD(learningRate: 0.9), data: doubled, batchSize: doubled.count,
                                            epochs: 10, generator: &b)
        let gap = zip(gdOnce.parameters, gdTwice.parameters).map { abs($0 - $1) }.max()!
        nb.paragraph("""
            Gradient descent does not notice. The full gradient is a mean over the examples, and the \
            mean over a set with every example twice is the same mean, so the iterates are the same \
            (ten updates with η = 0.9 from the same weights end \(CFormat.format("%.1e", gap)) apart, \
            rounding in the longer sums); only each epoch costs twice the arithmetic.
            """)
        nb.paragraph("""
            SGD and minibatch SGD draw each batch from the same distribution as before (every \
            example is equally likely), so a single update is statistically unchanged. What changes \
            is the bookkeeping: an epoch now holds 3000 examples, twice the updates, so "two epochs" \
            means twice as much training, and within an epoch an example can now come up twice, \
            like sampling with a little replacement. Batches of 10, η = 0.05:
            """)
        var rows: [[NotebookText]] = []
        var spreads: [SeedSpread] = []
        for (label, set, epochs) in [("original, 2 epochs", data, 2), ("duplicated, 1 epoch", doubled, 1),
                                     ("duplicated, 2 epochs", doubled, 2)] {
            let r = seededLosses(optimizer: SGD(learningRate: 0.05), data: set, batchSize: 10,
                                 epochs: epochs, ctx: ctx)
            spreads.append(r.losses)
            rows.append([NotebookText(label), "\(set.count * epochs / 10)", "\(r.losses.text("%.4f"))"])
        }
        let sameWork = abs(spreads[0].mean - spreads[1].mean) < max(spreads[0].standardDeviation, spreads[1].standardDeviation)
        nb.table(header: ["data", "updates", "loss (over the original 1500)"], rows: rows)
        nb.paragraph("""
            One epoch of the duplicated set does the work of two epochs of the original and ends \
            \(sameWork ? "at the same loss within the spread over seeds" : "at a loss that differs by more than the spread over seeds") \
            (\(spreads[1].short("%.4f")) against \(spreads[0].short("%.4f"))); the loss is the same function as before, \
            since a mean over duplicated examples equals the mean over the originals. Anyone who \
            counts progress in epochs, for a schedule or an early stop, is fooled by a factor of two; \
            anyone who counts updates or examples is not.
            """)
    }

    // MARK: 5

    static func exerciseClippingRule(_ nb: Notebook) {
        exercise(nb, 5, """
            The lecture notes clip an exploding gradient with g ← sign(g)·u whenever ‖g‖ > u. \
            Compare this rule with rescaling, g ← g·u/‖g‖, on the gradient g = (30, 1) with u = 5.
            """)
        let g = SIMD2(30.0, 1.0), u = 5.0
        let norm = (g * g).sum().squareRoot()
        let rescaled = g * (u / norm)
        let signed = SIMD2(u * (g.x < 0 ? -1 : 1), u * (g.y < 0 ? -1 : 1))
        func angle(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            let c = (a * b).sum() / ((a * a).sum().squareRoot() * (b * b).sum().squareRoot())
            return acos(min(1, max(-1, c))) * 180 / Double.pi
        }
        nb.output("rescaled: (\(rescaled.x, format: "%.4f"), \(rescaled.y, format: "%.4f")), length \((rescaled * rescaled).sum().squareRoot(), format: "%.4f"), angle to g \(angle(rescaled, g), format: "%.2f")°")
        nb.output("sign(g)·u: (\(signed.x, format: "%.4f"), \(signed.y, format: "%.4f")), length \((signed * signed).sum().squareRoot(), format: "%.4f"), angle to g \(angle(signed, g), format: "%.2f")°")
        nb.paragraph("""
            Rescaling keeps the direction and brings the length down to exactly u, the projection \
            onto the ball of radius u. The sign rule keeps only the signs: its result has length \
            u√2 here (u√d in d dimensions, more than u), points \(CFormat.format("%.0f", angle(signed, g)))° away \
            from the gradient, and even multiplies the small second component by \
            \(CFormat.format("%g", u / g.y)). In one dimension, as in the cliff experiment above, the two \
            rules coincide. In many dimensions the sign rule is a different method (close to \
            signSGD, which keeps only the sign of every component); the usual clipping, and \
            OptimKit's `ClippedByNorm`, rescale. Clipping each component to [−u, u] separately \
            (PyTorch's `clip_grad_value_`) is a third variant, which changes the direction only when \
            some component is larger than u.
            """)
    }

    static func powInt(_ base: Double, _ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= base }
        return result
    }
}
