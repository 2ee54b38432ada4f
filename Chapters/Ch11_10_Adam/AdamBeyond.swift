import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book, from the lecture decks: Adam without its bias correction (run, not only
/// argued), weight decay as an L2 penalty against decoupled decay (AdamW), and saving an
/// optimizer's and a schedule's state mid-run to resume exactly.
extension AdamChapter {
    /// Seeds per setting in the multi-seed comparisons of this page.
    static let seeds = 5

    /// A number measured once per seed, and the first seed's run for figures.
    struct AirfoilSpread {
        /// Loss after 200 examples (20 updates), after 600 (0.4 epoch), and at the end.
        let first: SpreadOverSeeds
        let early: SpreadOverSeeds
        let final: SpreadOverSeeds
        let run: TrainingRun
    }

    /// `seeds` airfoil runs (batch 10) of `optimizer`, each from its own named stream.
    static func airfoilSpread<O: Optimizer>(_ optimizer: O, _ data: AirfoilData, _ ctx: ChapterContext,
                                            stream: String, epochs: Int = 2) -> AirfoilSpread {
        var first: [Double] = [], early: [Double] = [], final: [Double] = []
        var kept: TrainingRun?
        for k in 0..<seeds {
            var rng = ctx.generator(stream: "\(stream)-seed-\(k)")
            let run = trainLinearRegression(optimizer: optimizer, data: data, batchSize: 10, epochs: epochs, generator: &rng)
            first.append(run.losses[0]); early.append(run.losses[2]); final.append(run.reportedLoss)
            if kept == nil { kept = run }
        }
        return AirfoilSpread(first: SpreadOverSeeds(first), early: SpreadOverSeeds(early),
                             final: SpreadOverSeeds(final), run: kept!)
    }

    /// The stream of `seeds` airfoil runs of `method` at rate `eta`: every table of the page that
    /// reports the same method at the same rate reports the same five runs.
    static func airfoilStream(_ method: String, _ eta: Double) -> String {
        "airfoil-\(method)-\(CFormat.format("%g", eta))"
    }

    /// The page's rule for multi-seed comparisons of losses: `EvidenceSentence`'s (Welch's t
    /// test at the 95% level, `EvidenceSentence.rule`), lower is better.
    static func verdict(_ a: SpreadOverSeeds, _ b: SpreadOverSeeds) -> EvidenceSentence.Verdict {
        EvidenceSentence.verdict(RunSummary(a.values), RunSummary(b.values), better: .lower)
    }

    /// "A below B", "A above B" or "A and B indistinguishable in these runs" by the page's rule.
    static func compare(_ a: (String, SpreadOverSeeds), _ b: (String, SpreadOverSeeds)) -> String {
        switch verdict(a.1, b.1) {
        case .aBetter: return "\(a.0) below \(b.0)"
        case .bBetter: return "\(a.0) above \(b.0)"
        case .indistinguishable: return "\(a.0) and \(b.0) indistinguishable in these runs"
        }
    }

    // MARK: - Bias correction

    static func withoutBiasCorrection(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) {
        nb.heading("Beyond the book: Adam without bias correction", level: 3)
        nb.paragraph("""
            Lecture slides often show Adam first without the corrections (2) and ask what happens at the \
            first step. `AdamWithoutBiasCorrection` is that algorithm: the same two leaky averages, and the \
            step η v/(sqrt(s) + ε). For a steady gradient g the averages are v_t = (1 − β₁ᵗ)g and \
            s_t = (1 − β₂ᵗ)g², so the uncorrected step is (1 − β₁ᵗ)/sqrt(1 − β₂ᵗ) times Adam's η:
            """)
        func ratio(_ t: Int) -> Double { (1 - Foundation.pow(0.9, Double(t))) / (1 - Foundation.pow(0.999, Double(t))).squareRoot() }
        let peak = (1...10_000).max { ratio($0) < ratio($1) }!
        nb.table(header: ["t", "1 − 0.9ᵗ", "sqrt(1 − 0.999ᵗ)", "uncorrected step / Adam's"],
                 rows: [1, 2, 5, peak, 50, 100, 1000, 3000].map { t in
                     ["\(t)", "\(1 - Foundation.pow(0.9, Double(t)), format: "%.4f")",
                      "\((1 - Foundation.pow(0.999, Double(t))).squareRoot(), format: "%.4f")", "\(ratio(t), format: "%.3f")"]
                 })
        let ts = (1...10_000).map(Double.init)
        nb.figure(BookFigures.plot(x: ts, [ts.map { ratio(Int($0)) }], xLabel: "step t", yLabel: "step / Adam's step",
                                   xScale: .log),
                  name: "bias-correction-ratio",
                  caption: "How much longer the uncorrected steps are than Adam's for a steady gradient (β₁ = 0.9, β₂ = 0.999).")
        nb.paragraph("""
            So the answer to the slides' question: at the first step v is ten times too small and sqrt(s) \
            about 32 times too small, and the step comes out \(CFormat.format("%.2f", ratio(1))) times too \
            long. The two errors then shrink at different speeds, the first moment's within a few dozen \
            steps and the second moment's over thousands, so the excess grows to \
            \(CFormat.format("%.2f", ratio(peak))) at t = \(peak) and is still \
            \(CFormat.format("%.2f", ratio(1000))) at t = 1000. Without correction the early steps are \
            several times longer than the η we chose. On the airfoil regression (batch 10, two epochs, \
            \(seeds) seeds each; mean and range over the seeds), at the book's η = 0.01 and at a ten times \
            larger η = 0.1. The five seeds are random streams of their own, not the single runs above; \
            every table on this page that reports Adam at the same η (here, under AMSGrad and AdaMax, \
            and in exercise 1) reports these same five runs:
            """)
        let rates = [0.01, 0.1]
        let corrected = rates.map { airfoilSpread(Adam(learningRate: $0), data, ctx, stream: airfoilStream("adam", $0)) }
        let uncorrected = rates.map { airfoilSpread(AdamWithoutBiasCorrection(learningRate: $0), data, ctx, stream: airfoilStream("adam-uncorrected", $0)) }
        var rows: [[NotebookText]] = []
        for k in rates.indices {
            for (name, r) in [("Adam", corrected[k]), ("without bias correction", uncorrected[k])] {
                rows.append(["\(rates[k], format: "%g")", NotebookText(name), NotebookText(r.first.summary(format: "%.3f")),
                             NotebookText(r.early.summary(format: "%.3f")), NotebookText(r.final.summary(format: "%.3f"))])
            }
        }
        nb.table(header: ["η", "optimizer", "loss after 20 updates", "after 0.4 epoch", "after 2 epochs"], rows: rows)
        nb.figure(BookFigures.plot(x: (corrected + uncorrected).map(\.run.epochs), (corrected + uncorrected).map(\.run.losses),
                                   xLabel: "epoch", yLabel: "loss",
                                   legend: ["Adam, eta = 0.01", "Adam, eta = 0.1", "uncorrected, eta = 0.01", "uncorrected, eta = 0.1"],
                                   xLimits: 0...2, yLimits: 0.22...0.6, formats: ["-", "--", "-.", ":"]),
                  name: "airfoil-bias-correction",
                  caption: "Adam with and without bias correction (batch 10, first seed) on the airfoil data.")
        func verdicts(_ k: Int) -> String {
            "after 20 updates, \(compare(("the uncorrected run", uncorrected[k].first), ("Adam", corrected[k].first))); " +
            "after 0.4 epoch, \(compare(("the uncorrected run", uncorrected[k].early), ("Adam", corrected[k].early))); " +
            "after two epochs, \(compare(("the uncorrected run", uncorrected[k].final), ("Adam", corrected[k].final)))"
        }
        let helpsEarly = verdict(uncorrected[0].first, corrected[0].first) == .aBetter
        let hurtsAtEnd = verdict(uncorrected[0].final, corrected[0].final) == .bBetter
        let hurtsLargeFirst = verdict(uncorrected[1].first, corrected[1].first) == .bBetter
        var story: [String] = []
        if helpsEarly {
            story.append("At the book's small rate the longer early steps help at first: they act like a larger learning rate.")
        }
        if hurtsAtEnd {
            story.append("""
                They also cost something at the end: after the 300 updates of two epochs the uncorrected step is \
                still \(CFormat.format("%.2f", ratio(300))) times Adam's, and a larger effective rate means a \
                higher noise floor (exercise 1 shows the same for Adam with a larger η).
                """)
        }
        if hurtsLargeFirst {
            story.append("At the larger rate the early excess hurts: steps several times longer than an η that is already large overshoot, and the uncorrected runs start behind.")
        }
        nb.paragraph("""
            The page's rule for comparing runs over seeds: \(EvidenceSentence.rule) By that rule, at \
            η = 0.01: \(verdicts(0)). At η = 0.1: \(verdicts(1)). \(story.joined(separator: " ")) \
            Either way the effective rate of the first few hundred updates is not the η that was chosen, \
            which is the reason for the correction: with it η keeps the meaning of a per-coordinate step \
            size from the first update on.
            """)
    }

    // MARK: - Weight decay

    /// The noisy quadratic of the weight-decay experiment: f(w) = ½‖w − c‖², gradient
    /// (w − c) + σ ⊙ ξ with ξ standard normal per coordinate.
    static let decayTarget = [2.0, 2.0]
    static let decayNoise = [2.0, 0.2]
    static let decayLambda = 0.5
    static let decayRate = 0.01
    static let decaySteps = 20_000

    /// Mean of w over the second half of a run of `optimizer` on the noisy quadratic, and the
    /// whole path (for the SGD comparison).
    static func decayRun<O: Optimizer>(_ optimizer: O, generator: SeededGenerator, noise: [Double] = decayNoise)
        -> (mean: [Double], path: [[Double]]) {
        var rng = generator
        var w = [0.0, 0.0]
        var state = optimizer.initialState(count: 2)
        var gradient = [0.0, 0.0]
        var sum = [0.0, 0.0]
        var path: [[Double]] = []
        path.reserveCapacity(decaySteps)
        for t in 1...decaySteps {
            for i in 0..<2 { gradient[i] = (w[i] - decayTarget[i]) + noise[i] * rng.normal() }
            optimizer.update(&w, gradient: gradient, state: &state)
            path.append(w)
            if t > decaySteps / 2 { for i in 0..<2 { sum[i] += w[i] } }
        }
        return (sum.map { $0 / Double(decaySteps - decaySteps / 2) }, path)
    }

    /// Where AdamW settles on one coordinate of the noisy quadratic: the root of
    /// (w − c)/sqrt((w − c)² + σ²) + λw = 0, the decay balancing the mean normalised gradient.
    static func predictedAdamW(target c: Double, noise sigma: Double, lambda: Double) -> Double {
        var (low, high) = (0.0, c)
        for _ in 0..<200 {
            let w = (low + high) / 2
            let balance = (w - c) / ((w - c) * (w - c) + sigma * sigma).squareRoot() + lambda * w
            if balance > 0 { high = w } else { low = w }
        }
        return (low + high) / 2
    }

    static func weightDecay(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Beyond the book: weight decay, as a penalty or decoupled (AdamW)", level: 3)
        nb.paragraph("""
            PyTorch's optimizers take a `weight_decay` argument, and both PyTorch and optax offer AdamW. \
            Behind them are two different ideas. An L2 penalty (λ/2)‖w‖² added to the loss adds λw to the \
            gradient, and the optimizer treats that term like the rest of the gradient; \
            `AddedWeightDecay(weightDecay: λ, base:)` wraps any optimizer this way (PyTorch's \
            `weight_decay`, optax's `add_decayed_weights` chained before the optimizer). Decoupled decay \
            (Loshchilov and Hutter) instead shrinks the weights directly, w ← (1 − ηλ)w, and lets the \
            optimizer step with the plain gradient; `DecoupledWeightDecay(weightDecay: λ, base:)` wraps any \
            optimizer this way, and `AdamW` is the decoupled form of Adam written out as one type.
            """)
        nb.paragraph("""
            The rate scaling matters for comparing them. Under plain SGD the penalty gives \
            w ← w − η(g + λw) = (1 − ηλ)w − ηg: each step multiplies the weights by 1 − ηλ, exactly the \
            decoupled rule with the same λ, because our decoupled decay (like PyTorch's and optax's) is \
            multiplied by the learning rate. The AdamW paper writes the decay without η (only a schedule \
            multiplier scales it), so its λ is our ηλ. Under Adam the two part ways: the penalty's λw is \
            divided by sqrt(ŝ) along with the gradient, so per step the coordinates with large gradients \
            are decayed less, while the decoupled decay shrinks every coordinate by the same factor.
            """)
        nb.paragraph("""
            An experiment makes this concrete. Take f(w) = ½‖w − c‖² with c = (2, 2) and noisy gradients \
            (w − c) + σ ⊙ ξ, with ξ standard normal and σ = (2, 0.2): both coordinates want to be at 2, the \
            first one's gradient is ten times noisier. With λ = \(CFormat.format("%g", decayLambda)), the \
            penalised loss f + (λ/2)‖w‖² has its minimum at c/(1 + λ) = \
            \(CFormat.format("%.3f", 2 / (1 + decayLambda))) in both coordinates. Each optimizer runs \
            \(decaySteps) steps with η = \(CFormat.format("%g", decayRate)) from w = 0; the table gives the \
            mean of w over the second half of the run, averaged over \(seeds) seeds (range over the seeds \
            in brackets):
            """)
        let methods: [(String, (SeededGenerator) -> (mean: [Double], path: [[Double]]))] = [
            ("SGD + L2 penalty", { decayRun(AddedWeightDecay(weightDecay: decayLambda, base: SGD(learningRate: decayRate)), generator: $0) }),
            ("SGD + decoupled decay", { decayRun(DecoupledWeightDecay(weightDecay: decayLambda, base: SGD(learningRate: decayRate)), generator: $0) }),
            ("Adam + L2 penalty", { decayRun(AddedWeightDecay(weightDecay: decayLambda, base: Adam(learningRate: decayRate)), generator: $0) }),
            ("AdamW (decoupled)", { decayRun(AdamW(learningRate: decayRate, weightDecay: decayLambda), generator: $0) }),
        ]
        var means: [[SpreadOverSeeds]] = []
        var sgdGap = 0.0
        for (k, (_, run)) in methods.enumerated() {
            var perSeed: [[Double]] = []
            for seed in 0..<seeds {
                let result = run(ctx.generator(stream: "weight-decay-seed-\(seed)"))
                perSeed.append(result.mean)
                if k == 1 && seed == 0 {
                    let l2 = methods[0].1(ctx.generator(stream: "weight-decay-seed-0")).path
                    sgdGap = zip(l2, result.path).map { max(abs($0[0] - $1[0]), abs($0[1] - $1[1])) }.max() ?? 0
                }
            }
            means.append([SpreadOverSeeds(perSeed.map { $0[0] }), SpreadOverSeeds(perSeed.map { $0[1] })])
        }
        let predicted = zip(decayTarget, decayNoise).map { predictedAdamW(target: $0, noise: $1, lambda: decayLambda) }
        nb.table(header: ["optimizer", "mean w₁ (σ = 2)", "mean w₂ (σ = 0.2)"],
                 rows: zip(methods, means).map { method, m in
                     [NotebookText(method.0), NotebookText(m[0].summary(format: "%.3f")), NotebookText(m[1].summary(format: "%.3f"))]
                 })
        nb.output("SGD, penalty against decoupled, same noise: largest difference of w over the run \(sgdGap, format: "%.1e")")
        nb.output("AdamW balance point (w − c)/sqrt((w − c)² + σ²) = −λw: w₁ = \(predicted[0], format: "%.3f"), w₂ = \(predicted[1], format: "%.3f")")
        // Rule: a method "settles at the penalised minimum" when both coordinates' means over the seeds
        // are within 0.05 of c/(1 + λ); paths "differ only by rounding" when they never differ by 1e-12.
        let penalised = 2 / (1 + decayLambda)
        let settles = means.map { m in m.allSatisfy { abs($0.mean - penalised) < 0.05 } }
        let sgdSame = sgdGap < 1e-12
        nb.paragraph("""
            The page's rules here: a method settles at the penalised minimum when the mean of both \
            coordinates over the seeds is within 0.05 of \(CFormat.format("%.3f", penalised)); two paths \
            differ only by rounding when they never differ by more than 10⁻¹². \
            \(sgdSame ? "Under SGD the two forms are the same algorithm: their paths differ only by rounding" : "Under SGD the two forms' paths differ by more than rounding"), \
            \(settles[0] && settles[1] ? "and both settle at the penalised minimum." : "and they do not both settle at the penalised minimum.") \
            \(settles[2] ? "Adam with the penalty settles there too, since the penalty changes the loss and Adam still finds where its gradient vanishes on average." : "Adam with the penalty does not settle there in these runs.") \
            \(settles[3] ? "AdamW settles there as well, so this run shows no difference between the two forms under Adam." : "AdamW does not:") \
            near its resting point Adam's normalised step v̂/sqrt(ŝ) is about E[g]/sqrt(E[g²]), and the \
            decay balances that, not the gradient. The balance point depends on the noise: the noisy first \
            coordinate (σ = 2) is pulled in to about \(CFormat.format("%.2f", means[3][0].mean)), the quiet \
            second one (σ = 0.2) only to \(CFormat.format("%.2f", means[3][1].mean)), as the balance \
            equation predicts. In effect AdamW applies a penalty of about λ · sqrt(E[g²]) per coordinate, \
            stronger where gradients are large. The penalty inside Adam ends where SGD with the penalty \
            ends; Adam's division by sqrt(ŝ) only changes how fast each coordinate gets there, and the \
            coordinates with large gradients get there last. Loshchilov and Hutter's case for AdamW was \
            that the penalty inside Adam decays exactly those weights too little.
            """)
    }

    // MARK: - Checkpoints

    static func checkpoint(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) throws {
        nb.heading("Beyond the book: saving and resuming a run", level: 3)
        nb.paragraph("""
            A long training run is saved now and then so that it can continue after an interruption. \
            Saving the weights is not enough: Adam's v, s and step counter t, the schedule's position and \
            the state of the random generator that orders the minibatches all shape the next step. Every \
            optimizer state and every schedule in OptimKit is `Codable`, and `TrainingCheckpoint` bundles \
            them with the weights for the airfoil regression. Here Adam runs four epochs under a cosine \
            schedule that falls from 0.01 to 0 over the 600 updates, once straight through and once \
            stopped after two epochs, written to JSON, read back into fresh values and continued; the \
            same block also resumes the checkpoint three more times, each with one piece of it replaced, \
            for the table that follows:
            """)
        nb.code(cell: "adam-checkpoint")
        // cell: adam-checkpoint
        let airfoil = try AirfoilData.load()
        let cosine = CosineSchedule(maxUpdate: 600, baseLR: 0.01, finalLR: 0)
        let begin = TrainingCheckpoint.start(optimizer: Adam(learningRate: 0.01), schedule: cosine, unit: .update,
                                             data: airfoil, generator: ctx.generator(stream: "checkpoint"))
        var straight = begin                         // four epochs without a break
        straight.train(data: airfoil, batchSize: 10, epochs: 4)
        var half = begin                             // two epochs, then saved
        half.train(data: airfoil, batchSize: 10, epochs: 2)
        let saved = try half.json()    // weights, Adam's v, s and t, schedule and position, generator
        let fields = try JSONSerialization.jsonObject(with: saved) as? [String: Any] ?? [:]
        nb.output("checkpoint fields: \(fields.keys.sorted().joined(separator: ", "))")
        // … later, in a new process:
        var exact = try TrainingCheckpoint<Adam, CosineSchedule>(json: saved)
        exact.train(data: airfoil, batchSize: 10, epochs: 2)
        // The same checkpoint resumed with one piece of it replaced:
        var freshState = try TrainingCheckpoint<Adam, CosineSchedule>(json: saved)
        freshState.state = freshState.optimizer.initialState(count: freshState.parameters.count)
        var restartedSchedule = try TrainingCheckpoint<Adam, CosineSchedule>(json: saved)
        restartedSchedule.updates = 0
        var newGenerator = try TrainingCheckpoint<Adam, CosineSchedule>(json: saved)
        newGenerator.generator = ctx.generator(stream: "checkpoint")
        freshState.train(data: airfoil, batchSize: 10, epochs: 2)
        restartedSchedule.train(data: airfoil, batchSize: 10, epochs: 2)
        newGenerator.train(data: airfoil, batchSize: 10, epochs: 2)
        // end cell
        let reference = straight.parameters
        func gap(_ run: TrainingCheckpoint<Adam, CosineSchedule>) -> Double {
            zip(run.parameters, reference).map { abs($0 - $1) }.max() ?? 0
        }
        let rows: [(String, TrainingCheckpoint<Adam, CosineSchedule>)] = [
            ("straight through, no interruption", straight),
            ("resumed from the JSON checkpoint", exact),
            ("resumed with a fresh Adam state (v = s = 0, t = 0)", freshState),
            ("resumed with the schedule restarted at update 0", restartedSchedule),
            ("resumed with a generator re-created from the seed", newGenerator),
        ]
        nb.table(header: ["run", "final loss", "largest |w − w_straight|"],
                 rows: rows.map { name, run in
                     [NotebookText(name), "\(LinearRegression.loss(run.parameters, data: data), format: "%.6f")",
                      "\(gap(run), format: "%.2e")"]
                 })
        let identical = exact == straight
        nb.paragraph("""
            \(identical ? "The resumed run ends bit for bit where the uninterrupted one does: every weight, Adam's moments and step counter, the schedule's position and the generator are equal (the test suite checks the same)." : "The resumed run does not end where the uninterrupted one does, which would be a bug.") \
            Each shortcut leaves a trace. A fresh Adam state restarts the bias correction, so the first \
            resumed step is a sign step of the full scheduled size in every coordinate, whatever the \
            gradient's size. A restarted schedule jumps back to the top rate of 0.01 when it should be \
            halfway down. A new generator changes the minibatch order. On this small convex problem the \
            final losses differ from the uninterrupted run's by at most \
            \(CFormat.format("%.1e", rows.map { abs(LinearRegression.loss($0.1.parameters, data: data) - LinearRegression.loss(straight.parameters, data: data)) }.max() ?? 0)), \
            but the weights end up to \
            \(CFormat.format("%.2f", rows.map { gap($0.1) }.max() ?? 0)) away from the uninterrupted run's, and \
            nothing guarantees that such a jolt is as harmless on a harder problem. The lecture's advice \
            stands: save the optimizer's and the schedule's state with the model.
            """)
    }
}
