import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: quadratic-run
/// Runs `optimizer` on f(x) = ½ Σ λᵢ xᵢ² from xᵢ = 1, returning x after every step.
func quadraticRun<O: Optimizer>(_ optimizer: O, lambdas: [Double], steps: Int) -> [[Double]] {
    var x = [Double](repeating: 1, count: lambdas.count)
    var state = optimizer.initialState(count: x.count)
    var gradient = x
    var path = [x]
    for _ in 0..<steps {
        for i in x.indices { gradient[i] = lambdas[i] * x[i] }
        optimizer.update(&x, gradient: gradient, state: &state)
        path.append(x)
    }
    return path
}
// end cell

/// The book's four exercises of 11.6 and two from the lecture decks, with computed answers.
extension MomentumChapter {
    static let exerciseSeeds = 5

    static func exercises(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) throws {
        nb.heading("Exercises")
        nb.paragraph("""
            Exercises 1–4 are the book's, in our words; 5 and 6 come from the lecture decks. \
            Comparisons on the airfoil data use \(exerciseSeeds) seeds and report mean ± standard \
            deviation of the final loss. Seed k is the random stream `airfoil-seed<k>` (k = 0 … \
            \(exerciseSeeds - 1)) for every setting, as in the exercises of Section 11.5: a setting \
            that appears twice (plain SGD here is momentum with β = 0) prints the same numbers on \
            both pages, and settings compared side by side start from the same weights and see the \
            examples in the same order, seed by seed. The single runs of 11.6.2 use the other \
            streams named in their cells.
            """)
        exerciseGrid(nb, ctx, data: data)
        exerciseEigenvalues(nb)
        exerciseMinimizer(nb)
        exerciseMinibatches(nb, ctx, data: data)
        exerciseRunningMean(nb)
        exerciseLargeBeta(nb, ctx, data: data)
    }

    static func exercise(_ nb: Notebook, _ number: Int, _ text: String) {
        nb.paragraph("\(number). " + text)
        nb.heading("Answer", level: 4)
    }

    /// Final losses of momentum on the airfoil data over `exerciseSeeds` seeds; seed k uses the
    /// stream "airfoil-seed<k>" for every setting (the seeds of 11.5's `seededLosses`).
    static func airfoilLosses(_ ctx: ChapterContext, lr: Double, beta: Double, batchSize: Int = 10,
                              data: AirfoilData) -> SeedSpread {
        SeedSpread((0..<exerciseSeeds).map { k in
            var rng = ctx.generator(stream: "airfoil-seed\(k)")
            return trainLinearRegression(optimizer: Momentum(learningRate: lr, momentum: beta), data: data,
                                         batchSize: batchSize, epochs: 2, generator: &rng).finalLoss
        })
    }

    // MARK: 1

    static func exerciseGrid(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 1, """
            Try other combinations of momentum and learning rate on the airfoil data and explain \
            what you see.
            """)
        nb.paragraph("Batch 10, two epochs, the effective step η/(1 − β) in the third column:")
        var rows: [[NotebookText]] = []
        var results: [(lr: Double, beta: Double, loss: SeedSpread)] = []
        for beta in [0.0, 0.5, 0.9] {
            for lr in [0.002, 0.005, 0.01, 0.02, 0.05] {
                let loss = airfoilLosses(ctx, lr: lr, beta: beta, data: data)
                results.append((lr, beta, loss))
                rows.append(["\(shortNumber(beta))", "\(shortNumber(lr))", "\(lr / (1 - beta), format: "%g")",
                             "\(loss.short("%.4f"))"])
            }
        }
        nb.table(header: ["β", "η", "η/(1 − β)", "loss after 2 epochs"], rows: rows)
        let best = results.min { $0.loss.mean < $1.loss.mean }!
        // Settings whose mean is within 0.002 of the best (about the spread over seeds of one setting).
        let band = results.filter { $0.loss.mean - best.loss.mean <= 0.002 }
        let bandSteps = band.map { $0.lr / (1 - $0.beta) }
        // Settings that share an effective step: the largest gap between their means.
        var sameStepGap = 0.0
        for a in results { for b in results where abs(a.lr / (1 - a.beta) - b.lr / (1 - b.beta)) < 1e-12 {
            sameStepGap = max(sameStepGap, abs(a.loss.mean - b.loss.mean)) } }
        let spread = results.map(\.loss.mean).max()! - results.map(\.loss.mean).min()!
        let eigen = SymmetricEigenvalues.of(airfoilHessian(data)).sorted()
        nb.paragraph("""
            The lowest mean is β = \(shortNumber(best.beta)), η = \(shortNumber(best.lr)) \
            (\(best.loss.short("%.4f"))), and \(band.count) settings end within 0.002 of it, with \
            effective steps from \(CFormat.format("%g", bandSteps.min()!)) to \(CFormat.format("%g", bandSteps.max()!)). \
            Read the table by effective step rather than by η: settings that share η/(1 − β) end at \
            means at most \(CFormat.format("%.4f", sameStepGap)) apart, against a range of \
            \(CFormat.format("%.4f", spread)) over the whole table. On this problem the split between η and \
            β hardly matters; the effective step does. Too small a step has not converged in two \
            epochs, too large a one raises the noise floor and the spread over seeds. The reason is \
            that the airfoil loss is a mild problem for momentum to improve on: its Hessian's \
            eigenvalues run from \(CFormat.format("%.3g", eigen.first!)) to \(CFormat.format("%.3g", eigen.last!)), \
            and at these step sizes every direction is far from the stability limits. Momentum's \
            real advantages, a wider stable range and the same rate for all curvatures, show on \
            badly conditioned problems like the 2-D example and exercise 2.
            """)
    }

    /// The Hessian AᵀA/N of the mean airfoil loss (A: the features and a column of ones).
    static func airfoilHessian(_ data: AirfoilData) -> [[Double]] {
        let d = data.featureCount + 1
        var h = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var row = [Double](repeating: 1, count: d)
        for i in 0..<data.count {
            for j in 0..<data.featureCount { row[j] = data.feature(i, j) }
            for a in 0..<d { for b in 0..<d { h[a][b] += row[a] * row[b] } }
        }
        return h.map { $0.map { $0 / Double(data.count) } }
    }

    // MARK: 2

    static func exerciseEigenvalues(_ nb: Notebook) {
        exercise(nb, 2, """
            Run gradient descent and momentum on f(x) = ½ Σᵢ λᵢ xᵢ² with many eigenvalues, \
            λᵢ = 2⁻ⁱ, from xᵢ = 1, and plot how the coordinates decrease.
            """)
        let lambdas = (0..<10).map { i in 1 / Double(1 << i) }      // 1, 1/2, …, 1/512
        let kappa = lambdas[0] / lambdas[9]
        let rootKappa = kappa.squareRoot()
        let gdRate = 2 / (lambdas[0] + lambdas[9])
        let betaStar = ((rootKappa - 1) / (rootKappa + 1)) * ((rootKappa - 1) / (rootKappa + 1))
        let etaStar = 4 / ((lambdas[0].squareRoot() + lambdas[9].squareRoot()) * (lambdas[0].squareRoot() + lambdas[9].squareRoot()))
        nb.paragraph("""
            Ten coordinates, λ = 1, 1/2, …, 1/512, so κ = \(CFormat.format("%g", kappa)). Gradient descent \
            is stable for η < 2/λ_max = 2 and converges fastest with η = 2/(λ_max + λ_min) = \
            \(CFormat.format("%.4f", gdRate)), where every coordinate shrinks at least by \
            (κ − 1)/(κ + 1) = \(CFormat.format("%.4f", (kappa - 1) / (kappa + 1))) per step. For heavy-ball \
            momentum the classical tuning (Polyak) is β = ((√κ − 1)/(√κ + 1))² = \
            \(CFormat.format("%.4f", betaStar)) and η = 4/(√λ_max + √λ_min)² = \(CFormat.format("%.4f", etaStar)): \
            it puts every curvature on the floor ρ = √β = \(CFormat.format("%.4f", betaStar.squareRoot())) of \
            Section 11.6.3. We also run the book's β = 0.9 with η = 1.
            """)
        nb.code(cell: "quadratic-run")
        let steps = 300
        let runs: [(label: String, path: [[Double]])] = [
            ("gradient descent, η = 1", quadraticRun(SGD(learningRate: 1), lambdas: lambdas, steps: steps)),
            ("gradient descent, η = \(CFormat.format("%.3f", gdRate))", quadraticRun(SGD(learningRate: gdRate), lambdas: lambdas, steps: steps)),
            ("momentum, η = 1, β = 0.9", quadraticRun(Momentum(learningRate: 1, momentum: 0.9), lambdas: lambdas, steps: steps)),
            ("momentum, η = \(CFormat.format("%.3f", etaStar)), β = \(CFormat.format("%.3f", betaStar))",
             quadraticRun(Momentum(learningRate: etaStar, momentum: betaStar), lambdas: lambdas, steps: steps)),
        ]
        func value(_ x: [Double]) -> Double {
            var total = 0.0
            for i in x.indices { total += 0.5 * lambdas[i] * x[i] * x[i] }
            return total
        }
        let start = value(runs[0].path[0])
        nb.table(header: ["run", "f after 50 steps", "f after 300 steps", "first step with f < 10⁻⁶ f₀"],
                 rows: runs.map { run in
                     let hit = run.path.firstIndex { value($0) < 1e-6 * start }
                     return [NotebookText(run.label), "\(value(run.path[50]), format: "%.2e")", "\(value(run.path[steps]), format: "%.2e")",
                             hit.map { NotebookText("\($0)") } ?? NotebookText("not within \(steps)")]
                 })
        var panels: [Axes] = []
        for run in [runs[0], runs[3]] {
            var ax = Axes(xLabel: "step", yLabel: "|xᵢ|", title: run.label)
            ax.yScale = .log
            ax.grid = true
            for i in [0, 3, 6, 9] {
                ax.plot((0...steps).map(Double.init), run.path.map { max(abs($0[i]), 1e-16) },
                        label: i == 0 ? "λ = 1" : "λ = 1/\(1 << i)")
            }
            ax.yLimits = 1e-8...(runs[3].path.map { abs($0[0]) }.max()! * 2)
            ax.legend = .lowerLeft
            panels.append(ax)
        }
        nb.figure(Figure(width: 760, height: 300, panels: panels), name: "many-eigenvalues",
                  caption: "|xᵢ| for four of the ten coordinates of ½ Σ 2⁻ⁱ xᵢ²: gradient descent with η = 1 (left) and momentum with Polyak's tuning (right).")
        let longGD = quadraticRun(SGD(learningRate: 1), lambdas: lambdas, steps: 20_000)
        let gdHit = longGD.firstIndex { value($0) < 1e-6 * start }
        let tunedHit = runs[3].path.firstIndex { value($0) < 1e-6 * start }
        let stiff = runs[3].path.map { abs($0[0]) }
        let peakStep = stiff.indices.max { stiff[$0] < stiff[$1] }!
        let peak = (value: stiff[peakStep], step: peakStep)
        nb.paragraph("""
            Gradient descent treats the coordinates very unequally. With η = 1 the stiffest \
            coordinate vanishes in one step, while the flattest shrinks by only 1 − 1/512 ≈ \
            \(CFormat.format("%.4f", 1 - lambdas[9])) per step and after \(steps) steps still holds \
            \(CFormat.format("%.0f", 100 * abs(runs[0].path[steps][9])))% of its start; gradient descent needs \
            \(gdHit.map { "\($0)" } ?? "more than 20000") steps to bring f below 10⁻⁶ f₀. The step \
            2/(λ_max + λ_min) that is best in the worst case only balances the two ends, both at \
            \(CFormat.format("%.4f", (kappa - 1) / (kappa + 1))) per step: its stiffest coordinate now flips \
            sign at almost full size, so f stays higher than with η = 1 (the table). With Polyak's \
            tuning, momentum makes all coordinates spiral in at nearly the same rate √β. Its large η makes \
            the first steps worse (f after 50 steps is the highest in the table): the stiffest \
            coordinate sits exactly where the two eigenvalues of R coincide, and such a repeated \
            eigenvalue makes the error grow like t·ρᵗ for a while (|x₀| peaks at \
            \(CFormat.format("%.1f", peak.value)) at step \(peak.step)) before it decays. Still it reaches 10⁻⁶ f₀ after \(tunedHit.map { "\($0)" } ?? "more than \(steps)") steps. The book's β = 0.9 \
            with η = 1 lies in the stable range for every λ (ηλ ≤ 1 < 3.8) and does almost as \
            well; the tuned β is smaller than 0.9 because κ is only 512.
            """)
    }

    // MARK: 3

    static func exerciseMinimizer(_ nb: Notebook) {
        exercise(nb, 3, """
            Derive the minimizer and the minimum value of h(x) = ½ xᵀQx + xᵀc + b for a symmetric \
            positive definite Q.
            """)
        nb.paragraph("""
            The gradient is ∇h(x) = Qx + c (Q is symmetric, so the quadratic term contributes Qx), \
            and it vanishes only at x* = −Q⁻¹c; since the Hessian Q is positive definite, h is \
            strictly convex and x* is its unique minimizer. Substituting, \
            h(x*) = ½ cᵀQ⁻¹QQ⁻¹c − cᵀQ⁻¹c + b = b − ½ cᵀQ⁻¹c. Completing the square, as in \
            \(PageAnchor.link("Quadratic convex functions", to: "Quadratic convex functions")) above, gives the \
            same in one line: h(x) = ½ (x − x*)ᵀQ(x − x*) + b − ½ cᵀQ⁻¹c, whose first term is \
            positive unless x = x*. (The book writes the shift with the wrong sign.) A numerical \
            check with Q = [[4.2, −3.8], [−3.8, 4.2]], c = (1, −2), b = 0.5:
            """)
        let q = (a: 4.2, b: -3.8, d: 4.2), c = SIMD2(1.0, -2.0), b0 = 0.5
        let det = q.a * q.d - q.b * q.b
        let xStar = -SIMD2((q.d * c.x - q.b * c.y) / det, (-q.b * c.x + q.a * c.y) / det)
        func h(_ x: SIMD2<Double>) -> Double {
            0.5 * (x.x * (q.a * x.x + q.b * x.y) + x.y * (q.b * x.x + q.d * x.y)) + (x * c).sum() + b0
        }
        let formula = b0 + 0.5 * (c * xStar).sum()      // b − ½ cᵀQ⁻¹c = b + ½ cᵀx*
        let gradient = SIMD2(q.a * xStar.x + q.b * xStar.y + c.x, q.b * xStar.x + q.d * xStar.y + c.y)
        var rng = SeededGenerator(seed: 11)
        let probes = (0..<1000).map { _ in xStar + SIMD2(rng.normal(), rng.normal()) * 0.1 }
        let lowest = probes.map(h).min()!
        nb.output("x* = −Q⁻¹c = (\(xStar.x, format: "%.6f"), \(xStar.y, format: "%.6f")), ∇h(x*) = (\(gradient.x, format: "%.1e"), \(gradient.y, format: "%.1e"))")
        nb.output("h(x*) = \(h(xStar), format: "%.12f"), b − ½cᵀQ⁻¹c = \(formula, format: "%.12f"), lowest h at 1000 points near x*: \(lowest, format: "%.12f")")
    }

    // MARK: 4

    static func exerciseMinibatches(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 4, """
            What changes when momentum is combined with single-example SGD, and with minibatches? \
            Experiment with the parameters.
            """)
        nb.paragraph("""
            The update is the same; only the gradient is noisier for smaller batches. Section \
            11.6.1's \(PageAnchor.link("noise experiment", to: "Beyond the book: what averaging does to noise")) \
            predicts what to look for: at an equal effective step η/(1 − β), momentum behaves like \
            plain SGD, and at an equal η it takes a ten times larger step. On the airfoil data, two \
            epochs, with the learning rates of Section 11.5 for plain SGD:
            """)
        var rows: [[NotebookText]] = []
        var triples: [(sgd: SeedSpread, same: SeedSpread, equalLR: SeedSpread)] = []
        // η/10 written out: 0.05 · (1 − 0.9) is not exactly 0.005 in binary.
        for (batch, lr, tenth) in [(1, 0.005, 0.0005), (10, 0.05, 0.005), (100, 0.4, 0.04)] {
            let sgd = airfoilLosses(ctx, lr: lr, beta: 0, batchSize: batch, data: data)
            let same = airfoilLosses(ctx, lr: tenth, beta: 0.9, batchSize: batch, data: data)
            let equalLR = airfoilLosses(ctx, lr: lr, beta: 0.9, batchSize: batch, data: data)
            triples.append((sgd, same, equalLR))
            rows.append(["\(batch)", "\(sgd.short("%.4f")) (η = \(shortNumber(lr)))",
                         "\(same.short("%.4f")) (η = \(shortNumber(tenth)))",
                         "\(equalLR.mean.isFinite && equalLR.mean < 10 ? equalLR.short("%.4f") : "diverged") (η = \(shortNumber(lr)))"])
        }
        nb.table(header: ["batch", "SGD", "momentum 0.9, same η/(1 − β)", "momentum 0.9, same η"], rows: rows)
        // The rule: the settings share their seeds, so compare them seed by seed (paired t).
        let critical = pairedCriticalT
        if exerciseSeeds != 5 { misuse("pairedCriticalT is Student's t quantile for 5 seeds (4 degrees of freedom)") }
        let batches = [1, 10, 100]
        let sameStep = triples.map { PairedDifference($0.sgd, $0.same) }
        let sameRate = triples.map { PairedDifference($0.sgd, $0.equalLR) }
        nb.paragraph("""
            Every cell of the table comes from the same \(exerciseSeeds) seeds, so each seed gives a \
            paired difference (momentum minus SGD, same initial weights, same order of examples). \
            The rule for calling two settings different: the mean of the paired differences must \
            exceed \(CFormat.format("%.2f", critical)) standard errors of that mean, |t| > \
            \(CFormat.format("%.2f", critical)) with t = mean / (sd / √\(exerciseSeeds)). That is \
            Student's t test at the two-sided 5% level, with the level divided by three (Bonferroni) \
            because each of the two questions is asked of three batch sizes: the 1 − 0.05/6 quantile of t with \
            \(exerciseSeeds - 1) degrees of freedom. Otherwise the two are indistinguishable in these \
            runs. The differences, mean ± sd over the seeds:
            """)
        for (k, batch) in batches.enumerated() {
            nb.output("batch \(batch): same η/(1 − β) \(sameStep[k].text(critical)); same η \(sameRate[k].text(critical))")
        }
        let steepest = SymmetricEigenvalues.of(airfoilHessian(data)).max()!
        let a = 0.4 * steepest       // η_eff λ of the batch-100 runs along the steepest direction
        let floorRatio = (2 - a) / (2 - a * (1 - 0.9) / (1 + 0.9))
        let different = zip(batches, sameStep).filter { $0.1.isApart(critical) }
        let alike = zip(batches, sameStep).filter { !$0.1.isApart(critical) }.map { "\($0.0)" }
        // What the formula predicts at batch 100 against what 5 seeds can resolve there.
        let batch100 = sameStep[batches.firstIndex(of: 100)!]
        let resolvable = critical * batch100.standardDeviation / Double(exerciseSeeds).squareRoot()
        let unresolved = """
            are indistinguishable under this rule for every batch size. That is not a confirmation of \
            equality: for batches of 100 the effective step 0.4 gives η_eff λ = \(CFormat.format("%.2f", a)) \
            along the steepest direction (λ = \(CFormat.format("%.2f", steepest))), and there the noise \
            experiment's formula predicts a noise floor \(CFormat.format("%.0f", 100 * (1 - floorRatio)))% lower \
            for momentum. The measured difference, \(batch100.text(critical)), points \
            \(batch100.mean < 0 ? "the predicted way" : "the other way"), but with \(exerciseSeeds) seeds and \
            this spread the rule calls only a mean difference larger than \(CFormat.format("%.4f", resolvable)) \
            (\(CFormat.format("%.2f", critical)) standard errors), so these runs cannot resolve it
            """
        var sameText = different.isEmpty
            ? unresolved
            : (alike.isEmpty ? "differ for every batch size: " : "are indistinguishable for batches of \(alike.joined(separator: " and ")), and differ for ")
              + different.map { "\($0.0) (momentum \($0.1.mean < 0 ? "lower" : "higher"))" }.joined(separator: ", ")
        if different.map(\.0) == [100] && different[0].1.mean < 0 {
            sameText += ": there the effective step 0.4 gives η_eff λ = \(CFormat.format("%.2f", a)) along the steepest direction (λ = \(CFormat.format("%.2f", steepest))), large enough for the noise experiment's formula to give momentum a floor \(CFormat.format("%.0f", 100 * (1 - floorRatio)))% lower there"
        }
        let worse = zip(batches, sameRate).filter { $0.1.isApart(critical) && $0.1.mean > 0 }.map { "\($0.0)" }
        let worseText = worse.count == batches.count ? "all worse than plain SGD under the same rule"
            : worse.isEmpty ? "none of them worse than plain SGD under the same rule"
            : "worse than plain SGD under the same rule only for batches of \(worse.joined(separator: " and "))"
        nb.paragraph("""
            With the effective step held fixed, momentum and plain SGD \(sameText). Keeping η \
            and adding β = 0.9 multiplies the step by \
            ten: \(triples.map { $0.equalLR.mean.isFinite && $0.equalLR.mean < 10 ? CFormat.format("%.4f", $0.equalLR.mean) : "diverged" }.joined(separator: ", ")) \
            for batches of 1, 10 and 100, \(worseText): the runs stay stable (ηλ is at \
            most \(CFormat.format("%.2f", a)), far below 2 + 2β = 3.8), but the noise floor grows with the \
            effective step, as the formula says. Smaller batches need smaller effective steps, with \
            or without momentum.
            """)
    }

    /// Two-sided 5% critical value of Student's t with 4 degrees of freedom (5 seeds), Bonferroni-
    /// corrected for three comparisons: the 1 − 0.05/6 quantile, t₄ = 3.9608 (a test integrates
    /// the t density to check it).
    static let pairedCriticalT = 3.9608

    /// The seed-by-seed differences b_k − a_k of two settings run on the same seeds: their mean,
    /// sample standard deviation and t = mean / (sd / √n). A non-finite run makes t infinite in
    /// the direction of the diverged setting.
    struct PairedDifference {
        let mean: Double
        let standardDeviation: Double
        let t: Double

        init(_ a: SeedSpread, _ b: SeedSpread) {
            let d = zip(a.values, b.values).map { $1 - $0 }
            let spread = SeedSpread(d)
            mean = spread.mean
            standardDeviation = spread.standardDeviation
            t = mean.isFinite ? mean / (standardDeviation / Double(d.count).squareRoot()) : (b.values.contains { !$0.isFinite } ? .infinity : -.infinity)
        }

        func isApart(_ critical: Double) -> Bool { !t.isNaN && abs(t) > critical }

        /// `+0.0270 ± 0.0201 (t = 3.00, indistinguishable)`
        func text(_ critical: Double) -> String {
            "\(CFormat.format("%+.4f", mean)) ± \(CFormat.format("%.4f", standardDeviation)) (t = \(CFormat.format("%.2f", t)), \(isApart(critical) ? "different" : "indistinguishable"))"
        }
    }

    // MARK: 5

    static func exerciseRunningMean(_ nb: Notebook) {
        exercise(nb, 5, """
            One lecture deck describes the velocity of v ← ρv + ∇f as "a running mean of \
            gradients". Is it a mean? Feed a constant gradient g = 1 for 50 steps with ρ = 0.9.
            """)
        var v = 0.0, leaky = 0.0
        for _ in 0..<50 { v = 0.9 * v + 1; leaky = 0.9 * leaky + 0.1 * 1 }
        nb.output("v ← 0.9 v + g:          v after 50 steps \(v, format: "%.4f")   (limit 1/(1 − ρ) = 10)")
        nb.output("v ← 0.9 v + 0.1 g:      v after 50 steps \(leaky, format: "%.4f")   (limit 1)")
        nb.paragraph("""
            No: a mean of a constant is that constant, but this velocity tends to g/(1 − ρ), ten \
            times the gradient. The weights ρ^τ of the past gradients sum to 1/(1 − ρ), not to 1; \
            the velocity is a leaky sum, and the step it takes is effectively η/(1 − ρ). Only the \
            leaky-average form v ← ρv + (1 − ρ)g is a weighted mean (its weights sum to one, apart \
            from the ρ^t still missing after t steps, which Adam's bias correction restores); see \
            \(PageAnchor.link("where the learning rate goes", to: "Beyond the book: where the learning rate goes")).
            """)
    }

    // MARK: 6

    static func exerciseLargeBeta(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 6, """
            Another deck recommends a momentum between 0.9 and 0.999. Try β = 0.99 and 0.999 on the \
            airfoil data with the same effective step as the book's (η = 0.005, β = 0.9).
            """)
        var rows: [[NotebookText]] = []
        var spreads: [SeedSpread] = []
        // η = 0.05 (1 − β), written out exactly.
        for (beta, lr) in [(0.9, 0.005), (0.99, 0.0005), (0.999, 0.00005)] {
            let loss = airfoilLosses(ctx, lr: lr, beta: beta, data: data)
            spreads.append(loss)
            rows.append(["\(shortNumber(beta))", "\(lr, format: "%g")", "\(1 / (1 - beta), format: "%.0f")", "\(loss.short("%.4f"))"])
        }
        nb.table(header: ["β", "η", "memory 1/(1 − β) in updates", "loss after 2 epochs (300 updates)"], rows: rows)
        // Exercise 4's paired rule, against β = 0.9 (same seeds).
        let critical = pairedCriticalT
        func verdict(_ d: PairedDifference) -> String {
            d.isApart(critical) ? (d.mean > 0 ? "worse" : "better") : "indistinguishable from it"
        }
        let vs99 = PairedDifference(spreads[0], spreads[1]), vs999 = PairedDifference(spreads[0], spreads[2])
        nb.output("β = 0.99 minus β = 0.9: \(vs99.text(critical)); β = 0.999 minus β = 0.9: \(vs999.text(critical))")
        nb.paragraph("""
            Against β = 0.9, under the paired rule of exercise 4, β = 0.99 is \(verdict(vs99)) and \
            β = 0.999 is \(verdict(vs999)). With β = 0.999 the velocity \
            remembers about 1000 updates, more than the whole run of 300; it starts at zero and \
            builds up only like 1 − β^t, so for most of the run the effective step is far below \
            η/(1 − β) (after 300 updates the velocity of a constant gradient has reached \
            1 − 0.999³⁰⁰ ≈ \(CFormat.format("%.2f", 1 - powInt(0.999, 300))) of its limit), and it reacts to a \
            change of direction only after hundreds of steps. Values near 0.999 make sense for very \
            long runs with tiny steps, or for a second-moment average as in Adam; for a short run \
            like this one, β around 0.9 is the safer default.
            """)
    }
}
