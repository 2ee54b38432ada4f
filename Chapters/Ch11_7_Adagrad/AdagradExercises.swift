import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The book's six exercises of 11.7 and the lecture deck's two questions, with answers.
extension AdagradChapter {
    static func exercise(_ nb: Notebook, _ number: Int, _ text: String) {
        nb.paragraph("\(number). " + text)
        nb.heading("Answer", level: 4)
    }

    static func exercises(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) throws {
        nb.heading("Exercises")
        nb.paragraph("Exercises 1–6 are the book's, in our words; 7 is the lecture deck's pair of questions.")
        exerciseRotationInvariance(nb)
        exercise(nb, 2, """
            Run Adagrad on f(x) = 0.1x₁² + 2x₂² and on its rotation by 45°, \
            f(x) = 0.1(x₁ + x₂)² + 2(x₁ − x₂)². Does it behave differently?
            """)
        nb.paragraph("""
            Yes: it loses the advantage that its per-coordinate scaling had on the axis-aligned \
            problem. The runs, a table and the explanation are in \
            \(PageAnchor.link("a rotated problem", to: rotationHeading)) above.
            """)
        exerciseGershgorinProof(nb)
        exerciseGershgorinPreconditioned(nb, data: data)
        try exerciseDeepNetwork(nb, ctx)
        try exerciseSlowerDecay(nb, ctx)
        exercise(nb, 7, """
            The lecture deck asks two questions about Adagrad: what happens along steep and flat \
            directions, and what happens to the step size over a long time?
            """)
        nb.paragraph("""
            Steep directions, whose gradients are large, accumulate a large s and get a small \
            rate; flat ones keep a larger rate, so progress along them is relatively faster \
            (\(PageAnchor.link("Adagrad's scaling, drawn", to: "Beyond the book: Adagrad's scaling, drawn")) shows \
            it step by step). Over a long time the step size goes to zero in both readings of \
            the question, but for different reasons: with stochastic gradients the rate η/√s itself \
            decays like t^(−½); on a noise-free problem the rate levels off at a positive value and \
            the step vanishes only because the gradient does. Both are plotted in \
            \(PageAnchor.link("the effective learning rate over time", to: "Beyond the book: the effective learning rate over time")).
            """)
    }

    // MARK: 1

    static func exerciseRotationInvariance(_ nb: Notebook) {
        exercise(nb, 1, """
            Show that ‖c − δ‖₂ = ‖Uc − Uδ‖₂ for an orthogonal matrix U. Why does this mean that \
            perturbations keep their size under an orthogonal change of variables?
            """)
        nb.paragraph("""
            For any vector v, ‖Uv‖² = (Uv)ᵀ(Uv) = vᵀUᵀUv = vᵀv = ‖v‖², because UᵀU = I. With \
            v = c − δ and linearity, Uc − Uδ = U(c − δ), so the two distances are equal. A \
            perturbation δ of c therefore moves c̄ = Uc by a vector Uδ of exactly the same length: \
            the change of variables to the eigenbasis neither amplifies nor shrinks perturbations, \
            and any sensitivity of the minimizer x̄* = −Λ⁻¹c̄ comes from dividing by the eigenvalues, \
            not from the rotation. A check with a random rotation of the plane and random vectors:
            """)
        var rng = SeededGenerator(seed: 7)
        var worst = 0.0
        for _ in 0..<1000 {
            let angle = rng.uniform() * 2 * Double.pi
            let (cs, sn) = (cos(angle), sin(angle))
            let c = SIMD2(rng.normal(), rng.normal()), d = SIMD2(rng.normal(), rng.normal())
            func rotate(_ v: SIMD2<Double>) -> SIMD2<Double> { SIMD2(cs * v.x - sn * v.y, sn * v.x + cs * v.y) }
            let before = ((c - d) * (c - d)).sum().squareRoot()
            let after = ((rotate(c) - rotate(d)) * (rotate(c) - rotate(d))).sum().squareRoot()
            worst = max(worst, abs(before - after) / before)
        }
        nb.output("1000 random rotations and pairs: largest relative difference of the two norms \(worst, format: "%.1e")")
    }

    // MARK: 3, 4

    static func exerciseGershgorinProof(_ nb: Notebook) {
        exercise(nb, 3, """
            Prove Gershgorin's circle theorem: every eigenvalue λ of a matrix M satisfies \
            |λ − M_jj| ≤ Σ_{k≠j} |M_jk| for at least one j.
            """)
        nb.paragraph("""
            Let Mv = λv with v ≠ 0, and pick j where |v_j| is largest, so |v_j| > 0 and \
            |v_k| ≤ |v_j| for all k. Row j of Mv = λv reads Σ_k M_jk v_k = λ v_j, that is \
            (λ − M_jj) v_j = Σ_{k≠j} M_jk v_k. Taking absolute values and the triangle inequality, \
            |λ − M_jj| |v_j| ≤ Σ_{k≠j} |M_jk| |v_k| ≤ |v_j| Σ_{k≠j} |M_jk|; dividing by |v_j| gives the \
            claim for this j. So every eigenvalue lies in the union of the discs centred at the \
            diagonal entries with radii the off-diagonal row sums. A check on 2000 random symmetric \
            4 × 4 matrices (symmetric so that the eigenvalues are real and `SymmetricEigenvalues` \
            applies; the proof needs no symmetry):
            """)
        var rng = SeededGenerator(seed: 3)
        var outside = 0, checked = 0
        for _ in 0..<2000 {
            var m = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
            for i in 0..<4 { for k in i..<4 { let v = rng.normal(); m[i][k] = v; m[k][i] = v } }
            for lambda in SymmetricEigenvalues.of(m) {
                checked += 1
                let inSome = (0..<4).contains { j in
                    abs(lambda - m[j][j]) <= (0..<4).filter { $0 != j }.map { abs(m[j][$0]) }.reduce(0, +) + 1e-12
                }
                if !inSome { outside += 1 }
            }
        }
        nb.output("\(checked) eigenvalues checked, \(outside) outside every Gershgorin disc")
    }

    static func exerciseGershgorinPreconditioned(_ nb: Notebook, data: AirfoilData) {
        exercise(nb, 4, """
            What does Gershgorin's theorem say about the eigenvalues of the diagonally \
            preconditioned matrix diag^(−½)(M) M diag^(−½)(M)?
            """)
        let h = airfoilHessian(data)
        let d = h.count
        var scaled = h
        var radius = 0.0
        for i in 0..<d {
            var row = 0.0
            for k in 0..<d {
                let value: Double = h[i][k] / (h[i][i] * h[k][k]).squareRoot()
                scaled[i][k] = value
                if k != i { row += abs(value) }
            }
            radius = max(radius, row)
        }
        let before = SymmetricEigenvalues.of(h).sorted(), after = SymmetricEigenvalues.of(scaled).sorted()
        nb.paragraph("""
            Its diagonal entries are all 1, so every eigenvalue lies within r = max_j Σ_{k≠j} \
            |M_jk|/√(M_jj M_kk) of 1. For a positive definite M this gives λ ∈ (0, 1 + r] and, \
            when r < 1, λ ∈ [1 − r, 1 + r], a condition number of at most (1 + r)/(1 − r): the \
            diagonal scaling cures exactly the problems whose couplings are weak next to their \
            diagonals. The rotated quadratic in the table of Section 11.7.2 has r = 3.8/4.2 ≈ \
            \(CFormat.format("%.3f", 3.8 / 4.2)), so the bound allows κ up to \
            \(CFormat.format("%.1f", (1 + 3.8 / 4.2) / (1 - 3.8 / 4.2))), and the true value, 20, is that bound. \
            For the Hessian of the airfoil regression:
            """)
        nb.output("Hessian: eigenvalues \(before.first!, format: "%.4f") … \(before.last!, format: "%.4f"), κ = \(before.last! / before.first!, format: "%.2f")")
        nb.output("diagonally scaled: eigenvalues \(after.first!, format: "%.4f") … \(after.last!, format: "%.4f"), κ = \(after.last! / after.first!, format: "%.2f"), Gershgorin radius r = \(radius, format: "%.3f")")
        nb.paragraph("""
            Here the radius is \(radius < 1 ? "below" : "above") 1, so Gershgorin \(radius < 1 ? "bounds κ after scaling by \(CFormat.format("%.1f", (1 + radius) / (1 - radius)))" : "gives no useful bound on κ after scaling"); \
            the features are standardised, so the diagonal is already nearly uniform and the \
            scaling \(abs(after.last! / after.first! - before.last! / before.first!) < 0.01 * before.last! / before.first! ? "leaves κ essentially unchanged" : "changes κ") \
            (\(CFormat.format("%.2f", before.last! / before.first!)) before, \
            \(CFormat.format("%.2f", after.last! / after.first!)) after). The conditioning of this problem comes from \
            correlations between features, which no diagonal method can remove.
            """)
    }

    // MARK: 5

    static func exerciseDeepNetwork(_ nb: Notebook, _ ctx: ChapterContext) throws {
        exercise(nb, 5, """
            Try Adagrad on a real network, such as LeNet on Fashion-MNIST.
            """)
        let digits = try LeNetOptimizerRun.digits(ctx)
        nb.paragraph("""
            LeNet (Section 11.11's network) on the shipped MNIST digits: \(digits.train.count) images \
            for training, \(digits.heldOut.count) held out, batches of 256, \(ctx.reduced ? 2 : 3) epochs, every run from the \
            same initial weights and with the same minibatch order. Each parameter tensor gets its \
            own Adagrad state: `LeNetOptimizerRun` (in OptimBook) trains with \
            `LeNetTrainer.train(optimizer:)`, whose `NetworkOptimizer` calls the same `update` on \
            the network's `Float` tensors. Plain SGD with η = 0.1 is the reference:
            """)
        nb.code(cell: "adagrad-lenet")
        // cell: adagrad-lenet
        let data = try LeNetOptimizerRun.digits(ctx)      // 8000 digits for training, 2000 held out
        let epochs = ctx.reduced ? 2 : 3
        let settings: [(label: String, optimizer: any Optimizer)] = [
            ("SGD, η = 0.1", SGD(learningRate: 0.1)),
            ("Adagrad, η = 0.001", AdaGrad(learningRate: 0.001)),
            ("Adagrad, η = 0.01", AdaGrad(learningRate: 0.01)),
            ("Adagrad, η = 0.1", AdaGrad(learningRate: 0.1)),
        ]
        var rows: [[NotebookText]] = []
        var finals: [(label: String, last: LeNetOptimizerRun.Epoch)] = []
        for (label, optimizer) in settings {
            let run = LeNetOptimizerRun.train(optimizer, data: data, epochs: epochs, ctx: ctx)
            let last = run.epochs.last!
            finals.append((label, last))
            rows.append([NotebookText(label), "\(run.epochs.map { CFormat.format("%.3f", $0.loss) }.joined(separator: ", "))",
                         "\(last.trainAccuracy, format: "%.3f")", "\(last.heldOutAccuracy, format: "%.3f")"])
        }
        nb.table(header: ["optimizer", "training loss per epoch", "train acc", "held-out acc"], rows: rows)
        // end cell
        let best = finals.max { $0.last.heldOutAccuracy < $1.last.heldOutAccuracy }!
        let large = finals[3].last
        nb.paragraph("""
            The best held-out accuracy after \(epochs) epochs is \(best.0)'s, \
            \(CFormat.format("%.3f", best.1.heldOutAccuracy)), against \(CFormat.format("%.3f", finals[0].1.heldOutAccuracy)) \
            for plain SGD. Adagrad works on the network, but its learning rate needs tuning like \
            any other: its first steps have length about η in every weight (g/√(g²) = ±1), so the \
            η that suits plain SGD is far too large for it; with η = 0.1 the run ends at a training \
            loss of \(CFormat.format("%.3f", large.loss)) and \(CFormat.format("%.3f", large.heldOutAccuracy)) \
            held-out accuracy, \(large.heldOutAccuracy < 0.2 ? "no better than guessing one of ten digits" : "well behind the others"). One seed and a few \
            epochs on the digits are a first look, not a verdict; with `--data-dir` pointing at \
            Fashion-MNIST, Section 11.11's chapter trains the same network on the book's data.
            """)
    }

    typealias ImageDatasetPair = (train: ImageDataset, heldOut: ImageDataset)

    // MARK: 6

    static func exerciseSlowerDecay(_ nb: Notebook, _ ctx: ChapterContext) throws {
        exercise(nb, 6, """
            How would you change Adagrad so that its learning rate decays less aggressively?
            """)
        nb.paragraph("""
            The decay comes from summing squared gradients forever. Three fixes: forget old \
            gradients with a leaky average, s ← γs + (1 − γ)g² (RMSProp, the next section); \
            normalise the sum by the number of steps, s/t, which keeps the scale but still weighs \
            the whole past equally; or let the rate itself grow to compensate (Adadelta, Section \
            11.9, rescales by a running average of past updates). The first is the common choice. \
            On the airfoil data, 20 epochs with batches of 10, repeated over several seeds (each \
            seed its own stream of initial weights and shuffles, the same for both optimizers): the \
            effective rate of w₀ at the end of some epochs and the final loss, as mean ± standard \
            deviation over the seeds:
            """)
        nb.code(cell: "adagrad-slower-decay")
        // cell: adagrad-slower-decay
        let data = try AirfoilData.load()
        let seeds = 5
        let optimizers: [(label: String, optimizer: any Optimizer)] = [
            ("Adagrad, η = 0.1", AdaGrad(learningRate: 0.1)),
            ("RMSProp, η = 0.01, γ = 0.9", RMSProp(learningRate: 0.01, gamma: 0.9)),
        ]
        let epochEnds = [1, 5, 10, 20].map { $0 * 150 - 1 }     // 150 updates per epoch
        var rates: [[RunSummary]] = [], losses: [RunSummary] = []
        for (_, optimizer) in optimizers {
            let runs = (0..<seeds).map { seed in
                var rng = ctx.generator(stream: "ex6-seed\(seed)")
                return EffectiveLearningRates.airfoil(optimizer: optimizer, data: data, batchSize: 10,
                                                      epochs: 20, generator: &rng)
            }
            rates.append(epochEnds.map { k in RunSummary(runs.map { $0.perUpdate[k][0] }) })
            losses.append(RunSummary(runs.map { LinearRegression.loss($0.parameters, data: data) }))
        }
        nb.table(header: ["optimizer", "rate of w₀ after epoch 1", "5", "10", "20", "final loss"],
                 rows: optimizers.indices.map { i in
                     [NotebookText(optimizers[i].label)]
                         + rates[i].map { NotebookText(EvidenceSentence.describe($0, format: "%.4f")) }
                         + [NotebookText(EvidenceSentence.describe(losses[i], format: "%.5f"))]
                 })
        // end cell
        let adagrad = 0, rmsprop = 1
        let fall = rates[adagrad][0].mean / rates[adagrad][3].mean
        let verdict = EvidenceSentence.verdict(losses[rmsprop], losses[adagrad], better: .lower)
        let consequence = switch verdict {
        case .bBetter: "Left constant, it also leaves RMSProp with the higher final loss: the noise floor stays where the rate puts it."
        case .aBetter: "Even left constant, it gives RMSProp the lower final loss here."
        case .indistinguishable: "Left constant, it costs RMSProp no final loss that these seeds can tell apart."
        }
        nb.paragraph("""
            Adagrad's rate keeps falling, on average by a factor of \(CFormat.format("%.1f", fall)) \
            between the first and the twentieth epoch (an exact t^(−½) would give \
            √20 ≈ \(CFormat.format("%.1f", 20.0.squareRoot()))); RMSProp's stays at the level set by the \
            recent gradients, so its learning rate is again the user's to schedule. \(consequence) \
            Comparative words here follow a stated rule: \(EvidenceSentence.rule) By that rule: \
            \(EvidenceSentence.compare("RMSProp", losses[rmsprop], "Adagrad", losses[adagrad], metric: "final loss", better: .lower, format: "%.5f"))
            """)
    }
}
