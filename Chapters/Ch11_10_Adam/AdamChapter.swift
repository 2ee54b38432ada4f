import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.10 Adam and Yogi: the algorithm with bias correction, the airfoil runs (Adam from
/// scratch and by name, Yogi, and beyond the book AMSGrad and AdaMax), and exercise 4: a
/// problem with rare large gradients on which Adam settles at the worst point and Yogi does not.
enum AdamChapter: Chapter {
    static let target = "Ch11_10_Adam"
    static let title = "11.10 Adam"
    static let summary = "Momentum and RMSProp combined with bias correction, and Yogi's gentler second-moment update."
    static let keyFigure: String? = "rare-spikes.svg"

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            The previous sections each contributed one idea. Stochastic gradients (11.4) are cheap and \
            tolerate redundant data; minibatches (11.5) make them efficient on vector hardware; momentum \
            (11.6) smooths the direction with a leaky average of past gradients; Adagrad (11.7) scales \
            every coordinate by its gradient history; RMSProp (11.8) made that scale a leaky average so \
            it no longer dictates the schedule. Adam (Kingma and Ba, 2014) puts momentum and RMSProp's \
            scaling together, adds a correction for their start at zero, and has become the default \
            choice of many practitioners. It is not beyond reproach: Reddi, Kale and Kumar (2018) built \
            problems on which it fails to converge, and Yogi (Zaheer et al., 2018) is one of the \
            proposed repairs. We end the section with a problem of that kind.
            """)
        algorithm(nb)
        let data = try AirfoilData.load()
        let adamRuns = try implementation(nb, ctx, data)
        withoutBiasCorrection(nb, ctx, data)
        let yogiRun = yogi(nb, ctx, data)
        relatives(nb, ctx, data, adam: adamRuns.scratch, yogi: yogiRun)
        rareSpikes(nb, ctx)
        weightDecay(nb, ctx)
        try checkpoint(nb, ctx, data)
        try races(nb, ctx)
        summary(nb)
        exercises(nb, ctx, data)
    }

    // MARK: - 11.10.1

    static func algorithm(_ nb: Notebook) {
        nb.heading("11.10.1 The algorithm")
        nb.paragraph("""
            Adam keeps two leaky averages per coordinate, one of the gradient (the momentum, or first \
            moment) and one of its square (the second moment, as in RMSProp):
            """)
        nb.formula(#"\mathbf{v}_t = (1-\beta_1)\,\mathbf{g}_t + \beta_1 \mathbf{v}_{t-1}, \qquad \mathbf{s}_t = (1-\beta_2)\,\mathbf{g}_t \odot \mathbf{g}_t + \beta_2 \mathbf{s}_{t-1}"#,
                   plain: "v_t = (1 − β₁) g_t + β₁ v_{t−1},   s_t = (1 − β₂) g_t² + β₂ s_{t−1}")
        nb.paragraph("""
            The usual β₁ = 0.9 and β₂ = 0.999 make the second moment a much slower average (about 1000 \
            steps) than the momentum (about 10). Both start at zero, which biases them towards zero for \
            a while: after t steps the weights (1 − β)β^τ, τ = 0 … t − 1, add up to only 1 − β^t, not 1. \
            Dividing by that sum removes the bias:
            """)
        nb.formula(#"\hat{\mathbf{v}}_t = \frac{\mathbf{v}_t}{1-\beta_1^t}, \qquad \hat{\mathbf{s}}_t = \frac{\mathbf{s}_t}{1-\beta_2^t}"#,
                   plain: "v̂_t = v_t / (1 − β₁ᵗ),   ŝ_t = s_t / (1 − β₂ᵗ)")
        var rows: [[NotebookText]] = []
        for t in [1, 10, 100, 1000, 5000] {
            let td = Double(t)
            rows.append(["\(t)", "\(1 - Foundation.pow(0.9, td), format: "%.6f")", "\(1 - Foundation.pow(0.999, td), format: "%.6f")"])
        }
        nb.table(header: ["t", "1 − 0.9ᵗ", "1 − 0.999ᵗ"], rows: rows)
        nb.paragraph("""
            The first-moment correction is irrelevant after a few dozen steps; the second-moment one \
            matters for thousands. Without it (but with v̂ still corrected) s_t would be a thousand times \
            too small at the first step and Adam's first steps would be about sqrt(1000) ≈ 32 times too \
            long; dropping both corrections, as some lecture slides do before introducing them, makes the \
            early steps several times too long, which we run below. The step itself rescales the \
            momentum the way RMSProp rescaled the gradient:
            """)
        nb.formula(#"\mathbf{g}'_t = \frac{\eta\, \hat{\mathbf{v}}_t}{\sqrt{\hat{\mathbf{s}}_t} + \epsilon}, \qquad \mathbf{x}_t \leftarrow \mathbf{x}_{t-1} - \mathbf{g}'_t"#,
                   plain: "g′_t = η v̂_t / (sqrt(ŝ_t) + ε),   x_t ← x_{t−1} − g′_t")
        nb.paragraph("""
            Two differences from RMSProp: the numerator is the (corrected) momentum rather than the \
            current gradient, and ε is added *outside* the root. The placement decides two things. First, \
            where ε starts to matter: outside the root it only competes with sqrt(ŝ), so it changes the \
            step only for gradients of about ε = 10⁻⁶ or smaller; inside it competes with ŝ, i.e. with \
            gradients of about sqrt(ε) = 10⁻³. Second, the cap on the step of a coordinate that has seen \
            almost no gradient (ŝ ≈ 0): η|v̂|/ε = 10⁶ · η|v̂| outside the root against \
            η|v̂|/sqrt(ε) = 10³ · η|v̂| inside. The inside placement is therefore the tighter, more \
            cautious bound (Section 11.8 makes the same point for RMSProp); the outside placement keeps \
            Adam's step independent of the gradient's scale down to much smaller gradients, which is what \
            the paper chose. For the gradients of order 1 in this chapter's problems either choice gives \
            practically the same steps. At the first step v̂ = g and ŝ = g², so every coordinate moves by \
            almost exactly η: Adam's first move is a sign step whatever the scale of the gradient, and η \
            directly controls how far each coordinate travels per step from then on.
            """)
        nb.paragraph("""
            Defaults differ between sources. The book uses ε = 10⁻⁶ outside the root; the paper, PyTorch's \
            `Adam` and optax's `adam` use ε = 10⁻⁸, also outside the root, with η = 0.001 (optax has an \
            additional `eps_root`, zero by default, for a constant inside the root). Our `Adam` type \
            defaults to the book's ε and to `epsilonPlacement: .outsideRoot`; passing `epsilon: 1e-8` \
            reproduces the framework defaults and `.insideRoot` gives the RMSProp-style variant. \
            Exercise 2 asks whether the bias correction could be avoided altogether; its answer at the \
            end of the page rewrites the two averages so that they need no correction and reproduce \
            Adam's steps.
            """)
    }

    // MARK: - 11.10.2

    struct AdamRuns { let scratch: TrainingRun; let concise: TrainingRun }

    static func implementation(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) throws -> AdamRuns {
        nb.heading("11.10.2 Implementation")
        nb.paragraph("""
            The state holds v, s and the step counter t (the book kept t in its hyperparameter \
            dictionary; here it lives in `Adam.State`, so saving the state saves t as well). The next \
            two blocks are excerpts of the library source, shown as compiled into OptimKit rather than \
            code to paste; the runs follow them. `Adam.update` (it works on `[Double]` and `[Float]` \
            parameters alike):
            """)
        nb.code(cell: "adam-update")
        nb.paragraph("""
            The arithmetic of the moments sits in `MomentEstimates`, an OptimKit-internal helper that \
            Adam, Yogi, AMSGrad and AdaMax share. Its bias corrections compute βᵗ with multiplications \
            only (binary powering in `integerPower`) rather than the C library's `pow`, so runs are \
            bit-identical on every platform. The excerpt is the body of that internal struct, so it \
            cannot be pasted on its own; `Adam` is the public way to use it:
            """)
        nb.code(cell: "adam-moments")
        nb.paragraph("On the airfoil regression with η = 0.01, batch 10, two epochs:")
        nb.code(cell: "adam-airfoil")
        // cell: adam-airfoil
        var scratchRNG = ctx.generator(stream: "airfoil-adam-scratch")
        let scratch = trainLinearRegression(optimizer: Adam(learningRate: 0.01), data: data,
                                            batchSize: 10, epochs: 2, generator: &scratchRNG)
        nb.output(scratch.summary)
        // end cell
        var insideRNG = ctx.generator(stream: "airfoil-adam-scratch")
        let inside = trainLinearRegression(optimizer: Adam(learningRate: 0.01, epsilonPlacement: .insideRoot), data: data,
                                           batchSize: 10, epochs: 2, generator: &insideRNG)
        let placementGap = zip(inside.parameters, scratch.parameters).map { abs($0 - $1) }.max() ?? 0
        nb.paragraph("""
            The same run with ε inside the root (same initial weights, same minibatches) ends with its \
            weights at most \(CFormat.format("%.1e", placementGap)) away and its loss changed by \
            \(CFormat.format("%.1e", abs(inside.finalLoss - scratch.finalLoss))). \
            \(placementGap < 1e-4 && abs(inside.finalLoss - scratch.finalLoss) < 1e-6
               ? "By the rule that a change is negligible when no weight moves by 10⁻⁴ and the loss by 10⁻⁶, for gradients of this size the placement of ε does not matter."
               : "That is more than the page's threshold for negligible (10⁻⁴ in the weights, 10⁻⁶ in the loss): the placement of ε matters here.")
            """)
        nb.paragraph("By name, as `trainer(\"adam\", {\"learning_rate\": 0.01})`:")
        nb.code(cell: "adam-by-name")
        // cell: adam-by-name
        let airfoil = try AirfoilData.load()
        var conciseRNG = ctx.generator(stream: "airfoil-adam-concise")
        let choice = try OptimizerChoice.named("adam", ["learning_rate": 0.01])
        let concise = trainLinearRegression(choice: choice, data: airfoil, batchSize: 10, epochs: 2,
                                            generator: &conciseRNG)
        nb.output(concise.summary)
        // end cell
        // The five seeded runs at the same rate that the tables below report.
        let fiveSeeds = airfoilSpread(Adam(learningRate: 0.01), data, ctx, stream: airfoilStream("adam", 0.01)).final
        let (low, high) = (fiveSeeds.values.min() ?? 0, fiveSeeds.values.max() ?? 0)
        func placed(_ name: String, _ run: TrainingRun) -> (inside: Bool, text: String) {
            let inside = run.reportedLoss >= low && run.reportedLoss <= high
            return (inside, "\(name)'s \(CFormat.format("%.4f", run.reportedLoss)) lies \(inside ? "inside" : "outside") that range")
        }
        let placements = [placed("the first run", scratch), placed("this run", concise)]
        nb.paragraph("""
            This run draws its initial weights and minibatches from a stream of its own, so it is a \
            second sample rather than a replay of the first: the two losses differ by \
            \(CFormat.format("%.4f", abs(concise.reportedLoss - scratch.reportedLoss))). The five seeded \
            Adam runs at η = 0.01 in the tables below end with losses from \(CFormat.format("%.4f", low)) \
            to \(CFormat.format("%.4f", high)); \(placements.map(\.text).joined(separator: " and ")). \
            \(placements.allSatisfy(\.inside)
               ? "Both single runs fall within the spread of the five seeds."
               : "So the range of five seeds does not cover every single run: a single run can end farther from the others than five seeds suggest, and one run per method is weak evidence.")
            """)
        nb.figure(BookFigures.lossCurves([scratch, concise], labels: ["from scratch", "by name"]),
                  name: "airfoil-adam",
                  caption: "Adam (η = 0.01, batch 10) on the airfoil data.")
        return AdamRuns(scratch: scratch, concise: concise)
    }

    // MARK: - 11.10.3 Yogi

    static func yogi(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) -> TrainingRun {
        nb.heading("11.10.3 Yogi")
        nb.paragraph("""
            Adam's second-moment update can be rewritten as a correction towards the newest square:
            """)
        nb.formula(#"\mathbf{s}_t \leftarrow \mathbf{s}_{t-1} + (1-\beta_2)\left(\mathbf{g}_t^2 - \mathbf{s}_{t-1}\right)"#,
                   plain: "s_t ← s_{t−1} + (1 − β₂)(g_t² − s_{t−1})")
        nb.paragraph("""
            The size of the correction is proportional to the gap between g_t² and s_{t−1}. When the \
            squared gradients vary a lot, for instance when a coordinate sees mostly small gradients and \
            now and then a huge one, s jumps up after each large gradient and then decays back \
            multiplicatively, by the factor β₂ per step, while the small gradients arrive: the large \
            values are forgotten at a rate set by how large they were. Yogi keeps only the direction of \
            the correction and sizes it by g_t² alone:
            """)
        nb.formula(#"\mathbf{s}_t \leftarrow \mathbf{s}_{t-1} + (1-\beta_2)\, \mathbf{g}_t^2 \odot \operatorname{sgn}\!\left(\mathbf{g}_t^2 - \mathbf{s}_{t-1}\right)"#,
                   plain: "s_t ← s_{t−1} + (1 − β₂) g_t² · sgn(g_t² − s_{t−1})")
        nb.paragraph("""
            When s is too large compared with the current squares (g_t² < s_{t−1}), Adam lowers it by \
            (1 − β₂)(s_{t−1} − g_t²), a cut proportional to how far s overshoots, while Yogi lowers it by \
            (1 − β₂)g_t², which does not grow with the overshoot; Yogi's cut is the smaller one when \
            s_{t−1} > 2g_t², that is when s overshoots the current square by more than the square \
            itself, as it does after a rare large gradient. When s is too \
            small, Yogi raises it by (1 − β₂)g_t², more than Adam's (1 − β₂)(g_t² − s_{t−1}). Everything \
            else is Adam's, including the bias correction; the book and the paper use ε = 10⁻³ (outside \
            the root), and so do our `Yogi` type and optax's `yogi`. Optax differs in where it starts: its \
            `scale_by_yogi` sets both v and s to 10⁻⁶ (`initial_accumulator_value`) rather than 0, and \
            still divides by 1 − βᵗ. PyTorch has no built-in Yogi. \
            The paper also suggests initialising s from a larger first batch; like the book we start at \
            zero. `Yogi.update` is `Adam.update` with one call changed: it computes s with \
            `MomentEstimates.yogiSecondMoment` instead of `secondMoment` (another excerpt of the \
            library's internal struct, not code to paste):
            """)
        nb.code(cell: "yogi-second-moment")
        nb.paragraph("Yogi with η = 0.01 on the airfoil data, batch 10, two epochs:")
        nb.code(cell: "yogi-airfoil")
        // cell: yogi-airfoil
        var yogiRNG = ctx.generator(stream: "airfoil-yogi")
        let yogiRun = trainLinearRegression(optimizer: Yogi(learningRate: 0.01), data: data,
                                            batchSize: 10, epochs: 2, generator: &yogiRNG)
        nb.output(yogiRun.summary)
        // end cell
        nb.figure(BookFigures.lossCurves([yogiRun]),
                  name: "airfoil-yogi",
                  caption: "Yogi (η = 0.01, batch 10) on the airfoil data.")
        return yogiRun
    }

    // MARK: - Beyond: AMSGrad and AdaMax

    static func relatives(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData,
                          adam: TrainingRun, yogi: TrainingRun) {
        nb.heading("Beyond the book: AMSGrad and AdaMax", level: 3)
        nb.paragraph("""
            Two more relatives are worth knowing. AMSGrad (Reddi et al., 2018) divides by the largest \
            second moment seen so far, m_t = max(m_{t−1}, s_t), so the scale a coordinate is divided by can \
            never shrink again; this is the repair that comes with the convergence counterexamples. (In the \
            bias-corrected form PyTorch uses, and our `AMSGrad` follows, m_t is divided by 1 − β₂ᵗ, so \
            during the first few thousand steps the step can still grow a little as that factor approaches \
            1.) AdaMax \
            (Kingma and Ba, section 7 of the Adam paper) replaces the root mean square by an exponentially \
            weighted maximum, u_t = max(β₂u_{t−1}, |g_t|), which needs neither a root nor a second-moment \
            bias correction. PyTorch offers them as `Adam(amsgrad=True)` and `Adamax` (η = 0.002, \
            ε = 10⁻⁸); optax as `amsgrad` and `adamax`. On the airfoil data, with the same η = 0.01 as \
            Adam and Yogi so that the curves are comparable (each run has its own random stream):
            """)
        nb.code(cell: "amsgrad-adamax-airfoil")
        // cell: amsgrad-adamax-airfoil
        var amsRNG = ctx.generator(stream: "airfoil-amsgrad")
        let ams = trainLinearRegression(optimizer: AMSGrad(learningRate: 0.01), data: data,
                                        batchSize: 10, epochs: 2, generator: &amsRNG)
        nb.output("AMSGrad " + ams.summary)
        var maxRNG = ctx.generator(stream: "airfoil-adamax")
        let adamax = trainLinearRegression(optimizer: AdaMax(learningRate: 0.01), data: data,
                                           batchSize: 10, epochs: 2, generator: &maxRNG)
        nb.output("AdaMax " + adamax.summary)
        // end cell
        nb.figure(BookFigures.lossCurves([adam, yogi, ams, adamax], labels: ["Adam", "Yogi", "AMSGrad", "AdaMax"]),
                  name: "airfoil-family",
                  caption: "Adam, Yogi, AMSGrad and AdaMax (all η = 0.01, batch 10) on the airfoil data.")
        nb.paragraph("""
            One run per method is one draw of the minibatch order. Over \(seeds) seeds each (mean and range \
            of the loss over the seeds; the Adam row is the same five runs as Adam's η = 0.01 row in the \
            bias-correction table above), with AdaMax also at its recommended η = 0.002:
            """)
        let family: [(String, AirfoilSpread)] = [
            ("Adam", airfoilSpread(Adam(learningRate: 0.01), data, ctx, stream: airfoilStream("adam", 0.01))),
            ("Yogi", airfoilSpread(Yogi(learningRate: 0.01), data, ctx, stream: airfoilStream("yogi", 0.01))),
            ("AMSGrad", airfoilSpread(AMSGrad(learningRate: 0.01), data, ctx, stream: airfoilStream("amsgrad", 0.01))),
            ("AdaMax", airfoilSpread(AdaMax(learningRate: 0.01), data, ctx, stream: airfoilStream("adamax", 0.01))),
            ("AdaMax, η = 0.002", airfoilSpread(AdaMax(learningRate: 0.002), data, ctx, stream: airfoilStream("adamax", 0.002))),
        ]
        nb.table(header: ["method", "after 0.4 epoch", "after 2 epochs"],
                 rows: family.map { name, r in
                     [NotebookText(name), NotebookText(r.early.summary(format: "%.3f")), NotebookText(r.final.summary(format: "%.3f"))]
                 })
        let firstThree = family.prefix(3).map(\.1)
        let threeOverlap = firstThree.indices.allSatisfy { i in
            firstThree.indices.allSatisfy { j in verdict(firstThree[i].early, firstThree[j].early) == .indistinguishable
                && verdict(firstThree[i].final, firstThree[j].final) == .indistinguishable }
        }
        let adamaxSpread = family[3].1, adamaxSmall = family[4].1
        let adamaxSlower = firstThree.allSatisfy { verdict(adamaxSpread.early, $0.early) == .bBetter }
        let smallSlower = verdict(adamaxSmall.early, adamaxSpread.early) == .bBetter
        nb.paragraph("""
            By the page's rule (Welch's t test at the 95% level, stated under \"Adam without bias correction\"): \
            \(threeOverlap ? "Adam, Yogi and AMSGrad cannot be told apart on this small, well-behaved regression, neither early nor at the end." : "some of Adam, Yogi and AMSGrad differ beyond the seed-to-seed spread; the table says where.") \
            \(adamaxSlower ? "AdaMax at the same η is slower to start than all three: its scale u is a slowly decaying maximum of past |g| rather than a root mean square, so the large gradients of the first steps keep its denominator high after the gradients have shrunk." : "AdaMax at the same η does not start clearly slower than all three.") \
            \(smallSlower ? "At its recommended η = 0.002 it is slower still." : "Its recommended η = 0.002 is not clearly slower here.") \
            The next problem is built to separate them.
            """)
    }

    // MARK: - Beyond: exercise 4

    /// The online problem of the exercise-4 experiment: on step t the loss is C·x when
    /// t ≡ 1 (mod period) and −x otherwise, with x confined to [−1, 1].
    struct RareSpikeProblem: Sendable {
        var spike: Double = 1100
        var period: Int = 1000

        /// The gradient at step t (1-based).
        func gradient(step t: Int) -> Double { t % period == 1 ? spike : -1 }
        /// Mean gradient over a period, the slope of the average loss F(x).
        var meanSlope: Double { (spike - Double(period - 1)) / Double(period) }
    }

    /// One run on the spike problem: x after every step and the effective step size
    /// η / (sqrt(ŝ) + ε) the optimizer applied at that step.
    struct SpikeRun: Sendable {
        var positions: [Double] = []
        var effectiveSteps: [Double] = []
    }

    /// Runs `optimizer` projected onto [−1, 1]; `denominator(state, 1 − β₂ᵗ)` returns the
    /// optimizer's sqrt(ŝ) + ε so the effective step can be recorded.
    static func spikeRun<O: Optimizer>(_ optimizer: O, beta2: Double, problem: RareSpikeProblem, steps: Int,
                                       project: Bool = true,
                                       denominator: (O.State, Double) -> Double) -> SpikeRun {
        var x = [0.0]
        var state = optimizer.initialState(count: 1)
        var gradient = [0.0]
        var power = 1.0
        var run = SpikeRun()
        run.positions.reserveCapacity(steps)
        run.effectiveSteps.reserveCapacity(steps)
        for t in 1...steps {
            gradient[0] = problem.gradient(step: t)
            optimizer.update(&x, gradient: gradient, state: &state)
            if project { x[0] = min(1, max(-1, x[0])) }    // projection onto the feasible interval
            power *= beta2
            run.positions.append(x[0])
            run.effectiveSteps.append(optimizer.learningRate / denominator(state, 1 - power))
        }
        return run
    }

    static let spikeSteps = 200_000
    static let spikeRate = 0.02

    static func spikeRuns(steps: Int = spikeSteps) -> [(name: String, run: SpikeRun)] {
        let problem = RareSpikeProblem()
        let adam = Adam(learningRate: spikeRate)
        let yogi = Yogi(learningRate: spikeRate)
        let ams = AMSGrad(learningRate: spikeRate)
        return [
            ("Adam", spikeRun(adam, beta2: adam.beta2, problem: problem, steps: steps) { s, c in
                (s.secondMoment[0] / c).squareRoot() + adam.epsilon }),
            ("Yogi", spikeRun(yogi, beta2: yogi.beta2, problem: problem, steps: steps) { s, c in
                (s.secondMoment[0] / c).squareRoot() + yogi.epsilon }),
            ("AMSGrad", spikeRun(ams, beta2: ams.beta2, problem: problem, steps: steps) { s, c in
                (s.maxSecondMoment[0] / c).squareRoot() + ams.epsilon }),
        ]
    }

    static func rareSpikes(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Beyond the book: a problem where Adam's second moment misleads it (exercise 4)", level: 3)
        let problem = RareSpikeProblem()
        nb.paragraph("""
            Exercise 4 asks for a case where Adam fails and Yogi does not. The weak spot is the one \
            described above: a coordinate whose gradient is usually small and occasionally huge. We use \
            the deterministic online problem of Reddi et al. in a form suited to the default β₂ = 0.999: \
            x is confined to [−1, 1]; on every thousandth step (t = 1, 1001, 2001, …) the loss is \
            1100·x, on all other steps it is −x. Averaged over a period of 1000 steps the loss is \
            F(x) = ((1100 − 999)/1000)·x = \(CFormat.format("%.3f", problem.meanSlope))·x, so the best \
            point is x* = −1 and x = +1 is the worst. The rare gradient 1100 carries slightly more \
            weight than the 999 small gradients −1 it competes with, and an optimizer has to respect \
            that balance. We run Adam, Yogi and AMSGrad with their default β's and ε's, all with \
            η = \(CFormat.format("%g", spikeRate)), from x = 0 for \(spikeSteps) steps (200 periods), \
            projecting back onto [−1, 1] after every step.
            """)
        let runs = spikeRuns()
        let period = problem.period
        func ratio(_ run: SpikeRun) -> Double {
            let last = run.effectiveSteps[(spikeSteps - period)...]
            return (last.max() ?? 0) / (last.min() ?? 1)
        }
        let adamRatio = ratio(runs[0].run)
        let adamWorst = runs[0].run.positions.suffix(period).reduce(0, +) / Double(period) >= 0.5
        let amsHighest = runs[2].run.positions.suffix(period).max() ?? 0
        var rows: [[NotebookText]] = []
        for (name, run) in runs {
            let last = run.positions[(spikeSteps - period)...]
            let mean = last.reduce(0, +) / Double(period)
            let effective = run.effectiveSteps[(spikeSteps - period)...]
            let low = effective.min() ?? 0, high = effective.max() ?? 0
            rows.append([NotebookText(name),
                         "\(run.positions[spikeSteps / 10 - 1], format: "%.3f")",
                         "\(run.positions[spikeSteps - 1], format: "%.3f")",
                         "\(mean, format: "%.3f")",
                         "\(mean + 1, format: "%.3f")",
                         "\(low, format: "%.2e") … \(high, format: "%.2e")",
                         "\(high / low, format: "%.3f")"])
        }
        nb.table(header: ["method", "x after 20 000", "x after 200 000", "mean x over last period",
                          "distance to x* = −1", "effective step η/(√ŝ+ε), last period", "max/min"], rows: rows)
        nb.paragraph("""
            Where each run ends, by the rule stated with the table's columns (mean x over the last period \
            at least 0.5: the worst side; at most −0.9: at the optimum; otherwise, if x touches −1 during \
            the last period, pushed back from the optimum): \
            \(runs.map { spikeVerdict($0.name, $0.run, period: period) }.joined(separator: "; ")). The \
            last column explains why. Adam's effective step changes by \
            a factor of about \(CFormat.format("%.2f", adamRatio)) within every period: right after the \
            spike s is large and the spike's own contribution (which reaches x through the momentum over \
            the next few dozen steps) is taken with a small step; then s decays by 0.999 per step, so the \
            999 small gradients are taken with steps up to \(CFormat.format("%.2f", adamRatio)) times \
            longer. \(adamWorst
                ? "Weighted this way, the frequent −x losses win and Adam climbs to x = +1, the worst point, although on average the loss rises in that direction."
                : "Weighted this way, the frequent −x losses gain weight, but here not enough to take Adam to the worst side.") \
            Yogi's s changes by only (1 − β₂)·1 = 0.001 per small gradient and by 0.001·1100² = 1210 per \
            spike, so within a period its effective step changes by a fraction of a percent and the \
            steps respect the true balance 1100 : 999. The price is that Yogi's s keeps growing by about \
            1210 per period, like Adagrad's sum, so its steps shrink like t^(−½) and it approaches −1 \
            slowly. AMSGrad freezes its denominator at the largest s, which also removes the bias; with a \
            constant step it reaches −1 and is pushed back by the 999 small steps each period, so it \
            oscillates between −1 and about \(CFormat.format("%.2f", amsHighest)).
            """)
        nb.figure(spikeFigure(runs), name: "rare-spikes",
                  caption: "Rare large gradients: mean of x over each of the 200 periods (left) and the effective step size during the last three periods (right, log scale), for Adam, Yogi and AMSGrad with η = 0.02.")
        let unprojected = unprojectedAdam()
        let frequent = frequentSpikeAdam()
        nb.paragraph("""
            \(adamWorst
                ? "Strictly speaking Adam does not diverge here (the interval keeps it bounded), but it converges to the worst feasible point, which is the failure Reddi et al. proved for problems of this type."
                : "Adam does not end at the worst feasible point here, the failure Reddi et al. proved for problems of this type.") \
            Without the projection the losses are linear, so the gradients do not depend on x, and the \
            same run unconstrained ends at x = \(CFormat.format("%.1f", unprojected)) after \(spikeSteps) \
            steps\(unprojected > 1 ? ", moving further towards +∞ every period while the average loss 0.101·x grows with it" : ""). The construction \
            needs the spikes to be rare on the time scale of β₂ (a period of about 1/(1 − β₂) steps) and \
            large enough that they matter on average. Make the spikes ten times more frequent while keeping \
            nearly the same balance (a gradient of 110 every 100 steps) and Adam's s hardly moves within a \
            period; by the rule above, Adam then \(frequent.meanX <= -0.9 ? "ends at the optimum" : "still does not end at the optimum"):
            """)
        nb.output("Adam, spike 110 every 100 steps: mean x over the last period \(frequent.meanX, format: "%.3f"), effective step max/min \(frequent.ratio, format: "%.3f")")
    }

    /// Where a spike run ends, by the page's rule on the mean of x over the last period.
    static func spikeVerdict(_ name: String, _ run: SpikeRun, period: Int) -> String {
        let last = run.positions.suffix(period)
        let mean = last.reduce(0, +) / Double(last.count)
        let m = CFormat.format("%.3f", mean)
        if mean >= 0.5 { return "\(name) ends on the worst side, next to x = +1 (mean \(m))" }
        if mean <= -0.9 { return "\(name) ends at the optimum x* = −1 (mean \(m))" }
        if last.min() == -1 { return "\(name) reaches the optimum and is pushed back from it every period (mean \(m))" }
        return "\(name) ends between the two ends (mean \(m))"
    }

    /// Adam's x after `spikeSteps` steps of the rare-spike problem without the projection.
    static func unprojectedAdam() -> Double {
        let adam = Adam(learningRate: spikeRate)
        let run = spikeRun(adam, beta2: adam.beta2, problem: RareSpikeProblem(), steps: spikeSteps, project: false) { s, c in
            (s.secondMoment[0] / c).squareRoot() + adam.epsilon }
        return run.positions[spikeSteps - 1]
    }

    /// Adam on the spike problem with spikes ten times as frequent (and ten times smaller):
    /// the mean of x over the last period.
    static func frequentSpikeAdam() -> (meanX: Double, ratio: Double) {
        let problem = RareSpikeProblem(spike: 110, period: 100)
        let adam = Adam(learningRate: spikeRate)
        let run = spikeRun(adam, beta2: adam.beta2, problem: problem, steps: spikeSteps) { s, c in
            (s.secondMoment[0] / c).squareRoot() + adam.epsilon }
        let last = run.effectiveSteps.suffix(problem.period)
        return (run.positions.suffix(problem.period).reduce(0, +) / Double(problem.period),
                (last.max() ?? 0) / (last.min() ?? 1))
    }

    /// Mean of x over each period of the spike problem.
    static func periodMeans(_ positions: [Double], period: Int) -> [Double] {
        stride(from: 0, to: positions.count - period + 1, by: period).map { start in
            positions[start..<(start + period)].reduce(0, +) / Double(period)
        }
    }

    static func spikeFigure(_ runs: [(name: String, run: SpikeRun)]) -> Figure {
        let period = RareSpikeProblem().period
        let formats = ["-", "m--", "g-."]
        var left = Axes(xLabel: "period", yLabel: "mean x over the period")
        left.grid = true
        left.yLimits = -1.2...1.9       // headroom above x = 1 for the legend
        left.legend = .upperRight
        for (k, entry) in runs.enumerated() {
            let means = periodMeans(entry.run.positions, period: period)
            left.plot(means.indices.map { Double($0 + 1) }, means, formats[k], label: entry.name)
        }
        var right = Axes(xLabel: "step", yLabel: "effective step")
        right.grid = true
        right.yScale = .log
        right.yLimits = 1e-5...1e-2
        right.legend = .upperRight
        let start = spikeSteps - 3 * period
        let indices = Array(stride(from: start, to: spikeSteps, by: 5))
        for (k, entry) in runs.enumerated() {
            right.plot(indices.map { Double($0 + 1) }, indices.map { entry.run.effectiveSteps[$0] }, formats[k], label: entry.name)
        }
        return Figure(width: 700, height: 260, panels: [left, right])
    }

    static func summary(_ nb: Notebook) {
        nb.heading("Summary")
        let period = RareSpikeProblem().period
        let spikes = spikeRuns()
        func meanX(_ run: SpikeRun) -> Double { run.positions.suffix(period).reduce(0, +) / Double(period) }
        let adamWorst = meanX(spikes[0].run) >= 0.5
        let repairs = spikes.dropFirst().filter { meanX($0.run) < 0 }.map(\.name)
        let spikeBullet = adamWorst
            ? "When gradients have a high variance, in particular rare large values, Adam's second moment forgets them too quickly and can steer it to a bad point: on this page's rare-spike problem it ends on the worst side" + (repairs.isEmpty ? ", and neither repair avoids it here." : ", while \(repairs.joined(separator: " and ")) \(repairs.count == 1 ? "ends" : "end") on the optimum's side.")
            : "On this page's rare-spike problem Adam does not end on the worst side, so the page shows no failure of its second moment."
        nb.paragraph("""
            - Adam combines momentum (a leaky average of gradients) with RMSProp's per-coordinate \
            scaling (a leaky average of squared gradients).
            - Both averages start at zero; dividing by 1 − βᵗ removes that bias, which matters for the \
            second moment over the first thousands of steps.
            - ε sits outside the root in Adam and Yogi; the book's ε = 10⁻⁶ differs from the frameworks' \
            10⁻⁸, and our types make both choices explicit. Inside the root ε caps the steps of \
            gradient-starved coordinates more tightly (η|v̂|/sqrt(ε) instead of η|v̂|/ε).
            - Without the bias correction the early steps are several times longer than η.
            - An L2 penalty and decoupled weight decay are the same under SGD and differ under Adam: the \
            penalty changes the loss, AdamW's decay depends on the gradients' noise.
            - To resume a run exactly, save the optimizer's state, the schedule's position and the data \
            order together with the weights.
            - \(spikeBullet)
            """)
    }
}
