import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: finite-sum-settings
/// Problem size and budget of the comparison.
let comparisonTerms = 500, comparisonDimension = 5, comparisonPasses = 40
/// The least-squares data: feature scales from 1 down to `comparisonSmallestScale`, target
/// noise of standard deviation `comparisonNoise`, ridge penalty `comparisonRegularization`.
let comparisonSmallestScale = 0.2, comparisonNoise = 0.5, comparisonRegularization = 1e-3
/// Step-size multipliers tried for every method (of 1/L for GD, of 1/L_max for SGD and SVRG).
/// The largest stays below 2, where gradient descent stops converging along the steepest direction.
let stepGrid = [0.125, 0.25, 0.5, 1, 1.5]
let tuningSeeds = 3, evaluationSeeds = 5
// end cell

/// Lecture deck 001's comparison of the rates of gradient descent and SGD, and why variance
/// reduction exists: the rates side by side, then GD, SGD and SVRG run on one finite sum with
/// equal tuning budgets and several seeds.
extension SGDChapter {
    struct MethodResult {
        let name: String
        let multiplier: Double
        let step: Double
        /// Relative suboptimality (f − f*)/(f(x₀) − f*) after every pass, one row per seed.
        let curves: [[Double]]
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func varianceReduction(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("GD, SGD and variance reduction", level: 3)
        nb.paragraph("""
            How does this rate compare with full gradient descent? On a finite sum \
            f = (1/n) Σᵢ fᵢ the fair unit of cost is one term gradient ∇fᵢ: a gradient-descent step \
            costs n of them, an SGD step one. The classical rates, for convex f with L-smooth terms \
            (GD with η = 1/L as proved in \
            [11.3](../Ch11_3_GradientDescent/README.md#how-fast-gradient-descent-on-smooth-convex-functions), \
            SGD with the known-horizon step r/(L√T) of the analysis above), and for μ-strongly \
            convex f, where κ = L/μ and κ_max = L_max/μ with L_max the largest smoothness constant \
            of a single term:
            """)
        nb.table(header: ["method", "error after T steps", "steps for accuracy ε", "term gradients per step", "term gradients for ε"],
                 rows: [
                    ["GD, convex", "O(1/T)", "O(1/ε)", "n", "O(n/ε)"],
                    ["SGD, convex", "O(1/√T)", "O(1/ε²)", "1", "O(1/ε²)"],
                    ["GD, strongly convex", "O((1 − 1/κ)^T)", "O(κ log(1/ε))", "n", "O(nκ log(1/ε))"],
                    ["SGD, strongly convex", "O(1/T)", "O(1/ε)", "1", "O(1/ε)"],
                    ["SVRG, strongly convex", "linear", "O(log(1/ε)) epochs", "≈ 2, plus n per epoch", "O((n + κ_max) log(1/ε))"],
                 ])
        nb.paragraph("""
            Per step, gradient descent is far better: its error falls like 1/T against 1/√T, or \
            geometrically against 1/T. Per unit of computation the comparison turns around whenever \
            n is large and the accuracy needed is modest, as in deep learning, where n is in the \
            millions and nobody needs the training loss to ten digits: in the convex case SGD's \
            1/ε² beats GD's n/ε as long as ε > 1/n. The weakness of SGD is its variance. At the \
            optimum ∇f(x*) = 0, but the single terms ∇fᵢ(x*) are not zero, so a constant step \
            keeps SGD jittering at a noise floor (the plateau of the distance experiment above) and \
            a decaying step makes it slow. *Variance reduction* removes this floor for finite sums. \
            SVRG (Johnson and Zhang, 2013) keeps a snapshot x̃, computes its full gradient \
            μ̃ = ∇f(x̃) once per epoch, and then steps along
            """)
        nb.formula(#"\mathbf{v} = \nabla f_i(\mathbf{x}) - \nabla f_i(\tilde{\mathbf{x}}) + \nabla f(\tilde{\mathbf{x}}), \qquad \mathbb{E}_i\, \mathbf{v} = \nabla f(\mathbf{x})"#,
                   plain: "v = ∇fᵢ(x) − ∇fᵢ(x̃) + ∇f(x̃),    E_i v = ∇f(x)")
        nb.paragraph("""
            The direction is still unbiased, but the two term gradients nearly cancel when x is \
            close to x̃, so its variance vanishes as both approach x*. A constant step then suffices, \
            and the convergence becomes linear like gradient descent's, at about two term gradients \
            per step plus n per epoch.
            """)

        let comparison = compareFiniteSumMethods(ctx)
        let (L, mu, lMax) = (comparison.smoothness, comparison.strongConvexity, comparison.largestTermSmoothness)
        nb.paragraph("""
            We compare the three on regularized least squares, \
            fᵢ(x) = ½(aᵢᵀx − bᵢ)² + (λ/2)‖x‖² with λ = \(CFormat.format("%g", comparisonRegularization)), for \
            n = \(comparisonTerms) examples in d = \(comparisonDimension) dimensions (`LeastSquaresSum.random`, \
            stream `finite-sum-problem`: features with scales from 1 down to \
            \(CFormat.format("%g", comparisonSmallestScale)), targets with noise of standard deviation \
            \(CFormat.format("%g", comparisonNoise))). \
            Being a quadratic, it has an exact minimizer and exact constants: \
            L = \(CFormat.format("%.4f", L)), μ = \(CFormat.format("%.4f", mu)), so κ = \(CFormat.format("%.1f", L / mu)), \
            and the largest smoothness of a single term is L_max = \(CFormat.format("%.2f", lMax)). Every \
            method starts at x = 0 and gets the same budget of \(comparisonPasses) passes \
            (\(comparisonPasses * comparisonTerms) term gradients):
            """)
        nb.paragraph("""
            - gradient descent with η = c/L;
            - SGD, drawing examples with replacement, with η_t = η₀/(1 + η₀μt) and η₀ = c/L_max (the \
            decay that suits strongly convex problems);
            - SVRG with η = c/L_max and a new snapshot every 2n steps (`SVRG`).
            """)
        let gridText = stepGrid.map { CFormat.format("%g", $0) }.joined(separator: ", ")
        nb.paragraph("""
            Each method gets the same tuning budget: the multiplier c is chosen from \
            {\(gridText)} by the median final suboptimality over \(tuningSeeds) tuning runs \
            (streams `tune-<method>-k`; gradient descent is deterministic and needs one run per c). The \
            chosen settings are then run with \(evaluationSeeds) fresh seeds (streams `eval-<method>-k`). \
            We report the relative suboptimality (f(x) − f*)/(f(x₀) − f*).
            """)
        nb.code(cell: "finite-sum-settings")
        nb.code(cell: "finite-sum-methods")

        let results = comparison.results
        let shown = [1, 5, 10, 20, comparisonPasses]
        func cell(_ values: [Double]) -> NotebookText {
            if values.count == 1 { return "\(values[0], format: "%.1e")" }
            return "\(median(values), format: "%.1e") [\(values.min()!, format: "%.0e"), \(values.max()!, format: "%.0e")]"
        }
        let stepNames = ["c/L", "c/L_max", "c/L_max"]
        nb.table(header: ["method", "chosen step"] + shown.map { "after \($0) passes" },
                 rows: results.enumerated().map { k, r in
                     [NotebookText(r.name), "c = \(r.multiplier, format: "%g"): \(stepNames[k]) = \(r.step, format: "%.4f")"]
                         + shown.map { p in cell(r.curves.map { $0[p] }) }
                 })
        nb.paragraph("""
            For the stochastic methods each cell is the median over the \(evaluationSeeds) seeds with \
            the smallest and largest value in brackets. Passes needed to reach a relative \
            suboptimality ε (median over seeds; "-" when the budget ran out first):
            """)
        let targets = [1e-2, 1e-4, 1e-6, 1e-8]
        func passesToReach(_ curve: [Double], _ eps: Double) -> Int? { curve.firstIndex { $0 <= eps } }
        func medianPasses(_ r: MethodResult, _ eps: Double) -> Double? {
            let reached = r.curves.map { passesToReach($0, eps) }
            guard reached.allSatisfy({ $0 != nil }) else { return nil }
            return median(reached.map { Double($0!) })
        }
        nb.table(header: ["method"] + targets.map { "ε = \(CFormat.format("%.0e", $0))" },
                 rows: results.map { r in
                     [NotebookText(r.name)] + targets.map { eps in
                         NotebookText(medianPasses(r, eps).map { CFormat.format("%g", $0) } ?? "-")
                     }
                 })
        let passes = (0...comparisonPasses).map(Double.init)
        var ax = BookFigures.plotAxes(x: [passes], results.map { r in (0...comparisonPasses).map { p in median(r.curves.map { $0[p] }) } },
                                      xLabel: "passes over the data (n term gradients each)",
                                      yLabel: "(f − f*) / (f(x₀) − f*)", legend: results.map(\.name), yScale: .log)
        ax.legend = .lowerLeft
        nb.figure(Figure(width: 420, height: 280, ax), name: "gd-sgd-svrg",
                  caption: "Gradient descent, SGD and SVRG on a \(comparisonTerms)-term least-squares problem, each with its best step from the same grid: median relative suboptimality over \(evaluationSeeds) seeds against passes over the data.")

        // Comparative sentences follow from the numbers: a method "reaches ε first" when its median
        // pass count is smaller; "-" (not reached) counts as slower than any number.
        let sgd = results[1], gd = results[0], svrg = results[2]
        let early = shown[1]
        func medianAt(_ r: MethodResult, _ p: Int) -> Double { median(r.curves.map { $0[p] }) }
        let sgdAheadEarly = medianAt(sgd, early) < medianAt(gd, early) && medianAt(sgd, early) < medianAt(svrg, early)
        func gain(_ r: MethodResult) -> Double { medianAt(r, 10) / medianAt(r, comparisonPasses) }
        let e2 = { (v: Double) in CFormat.format("%.1e", v) }
        let reachers = results.filter { medianPasses($0, 1e-4) != nil }.map(\.name)
        nb.paragraph("""
            \(sgdAheadEarly ? "After \(early) passes SGD is ahead of both others" : "After \(early) passes SGD is not ahead of both others") \
            (median \(e2(medianAt(sgd, early))) against \(e2(medianAt(gd, early))) for gradient descent and \
            \(e2(medianAt(svrg, early))) for SVRG): one pass of single-example steps makes n small moves \
            where gradient descent makes one, and SVRG spends its first pass on the snapshot's full \
            gradient without moving at all. From pass 10 to pass \(comparisonPasses) the picture changes. \
            SGD's error falls by a factor of \(CFormat.format("%.0f", gain(sgd))) and gradient descent's by \
            \(CFormat.format("%.0f", gain(gd))), while SVRG's falls by a factor of \
            \(CFormat.format("%.0e", gain(svrg))): SGD is held back by its decaying step (the price of its \
            variance), gradient descent by the condition number κ = \(CFormat.format("%.0f", L / mu)), which \
            lets it gain little per pass, and SVRG combines cheap stochastic steps with a linear rate. \
            After \(comparisonPasses) passes SVRG stands at \(e2(medianAt(svrg, comparisonPasses))), against \
            \(e2(medianAt(gd, comparisonPasses))) for gradient descent and \(e2(medianAt(sgd, comparisonPasses))) \
            for SGD; \(reachers.isEmpty ? "no method" : reachers.joined(separator: " and ")) reached ε = 10⁻⁴ \
            within the budget. For deep \
            networks, where a few passes at modest accuracy are what is needed and the terms are \
            not convex, plain SGD and its momentum and adaptive variants remain the tools of choice; \
            variance reduction pays off when a finite sum has to be solved accurately.
            """)
    }

    struct FiniteSumComparison {
        let smoothness: Double, strongConvexity: Double, largestTermSmoothness: Double
        /// Gradient descent, SGD and SVRG, in that order.
        let results: [MethodResult]
    }

    /// Tunes and runs the three methods on the least-squares finite sum (see `varianceReduction`).
    static func compareFiniteSumMethods(_ ctx: ChapterContext) -> FiniteSumComparison {
        // cell: finite-sum-methods
        var dataRNG = ctx.generator(stream: "finite-sum-problem")
        let problem = LeastSquaresSum.random(terms: comparisonTerms, dimension: comparisonDimension,
                                             smallestScale: comparisonSmallestScale, noise: comparisonNoise,
                                             regularization: comparisonRegularization, generator: &dataRNG)
        let xStar = problem.minimizer, fStar = problem.value(xStar)
        let eigenvalues = problem.hessianEigenvalues
        let mu = eigenvalues[0], L = eigenvalues[eigenvalues.count - 1], lMax = problem.largestTermSmoothness
        let start = [Double](repeating: 0, count: comparisonDimension)
        let initialGap = problem.value(start) - fStar
        func relative(_ trace: FiniteSumTrace) -> [Double] {
            trace.suboptimality(problem, optimum: fStar).map { max($0, 0) / initialGap }
        }
        typealias Runner = (Double, inout SeededGenerator) -> FiniteSumTrace
        let methods: [(name: String, stream: String, scale: Double, stochastic: Bool, run: Runner)] = [
            ("gradient descent", "gd", 1 / L, false, { step, _ in
                FiniteSumDescent.gradientDescent(problem, learningRate: step, start: start, passes: comparisonPasses) }),
            ("SGD", "sgd", 1 / lMax, true, { step, rng in
                FiniteSumDescent.sgd(problem, schedule: InverseTimeSchedule(initialLR: step, decayRate: step * mu),
                                     start: start, passes: comparisonPasses, generator: &rng) }),
            ("SVRG", "svrg", 1 / lMax, true, { step, rng in
                SVRG(learningRate: step).run(problem, start: start, passes: comparisonPasses, generator: &rng) }),
        ]
        // end cell
        var results: [MethodResult] = []
        for method in methods {
            var bestMultiplier = stepGrid[0], bestScore = Double.infinity
            for c in stepGrid {
                var finals: [Double] = []
                for k in 0..<(method.stochastic ? tuningSeeds : 1) {
                    var rng = ctx.generator(stream: "tune-\(method.stream)-\(k)")
                    let final = relative(method.run(c * method.scale, &rng)).last!
                    finals.append(final.isFinite ? final : .infinity)
                }
                let score = median(finals)
                if score < bestScore { bestScore = score; bestMultiplier = c }
            }
            let curves = (0..<(method.stochastic ? evaluationSeeds : 1)).map { k -> [Double] in
                var rng = ctx.generator(stream: "eval-\(method.stream)-\(k)")
                return relative(method.run(bestMultiplier * method.scale, &rng))
            }
            results.append(MethodResult(name: method.name, multiplier: bestMultiplier, step: bestMultiplier * method.scale,
                                        curves: curves))
        }

        return FiniteSumComparison(smoothness: L, strongConvexity: mu, largestTermSmoothness: lMax, results: results)
    }
}
