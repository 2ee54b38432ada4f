import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The book's five exercises for 11.3 and two from the lecture decks, each with a worked,
/// computed answer or a link to the part of the page that answers it.
extension GradientDescentChapter {
    static func exercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Exercises")
        nb.paragraph("""
            Exercises 1 to 5 restate the book's; 6 and 7 come from the lecture decks.
            """)
        learningRateExercise(nb)
        lineSearchExercise(nb)
        slowObjectiveExercises(nb)
        rotationExercise(nb)
        rateExercise(nb)
        newtonBreakEvenExercise(nb)
    }

    static func learningRateExercise(_ nb: Notebook) {
        nb.paragraph("1. Try gradient descent with different learning rates on different objective functions.")
        nb.heading("Answer", level: 4)
        let lse = Objective1D.logSumExp
        let xStar = lse.minimizer!
        let rates = [0.1, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.2]
        let steps = 100
        func errorAt(_ eta: Double) -> Double {
            abs(Descent1D.gradientDescent(lse, learningRate: eta, start: 2, steps: steps).final - xStar)
        }
        var rows: [[NotebookText]] = []
        for eta in rates {
            let square = Descent1D.gradientDescent(.square, learningRate: eta, start: 10, steps: steps)
            let soft = Descent1D.gradientDescent(lse, learningRate: eta, start: 2, steps: steps)
            rows.append(["\(eta, format: "%g")", "\(abs(square.final), format: "%.2e")", "\(abs(soft.final - xStar), format: "%.2e")"])
        }
        nb.paragraph("""
            A useful experiment compares a quadratic with a function that is not one. For \
            f(x) = x² (curvature 2 everywhere) and for the log-sum-exp function \
            f(x) = log(eˣ + e^(−2x−3)) of the line-search example (curvature at most 9/4, and \
            f''(x*) = 2 at its minimum), the distance to the minimizer after \(steps) steps, from \
            x = 10 and x = 2 respectively:
            """)
        nb.table(header: ["η", "x²: |x₁₀₀|", "log-sum-exp: |x₁₀₀ − x*|"], rows: rows)
        nb.paragraph("""
            For the quadratic the rule is exact: the error is multiplied by 1 − 2η, so every \
            η < 1 converges, η = 1 swings between ±10 for ever, and larger rates diverge \
            geometrically. The log-sum-exp function has the same curvature 2 at its minimum, and \
            near x* it behaves like the quadratic: rates below 1 converge, η = 0.95 slowly \
            (|1 − 2η| = 0.9), η = 1 sits on the edge (the error after \(steps) steps is still \
            \(CFormat.format("%.3f", errorAt(1.0)))) and larger rates no longer converge. But they do not \
            blow up either: the slope of this function never exceeds 2 in size, so the iterates \
            cannot run away and settle into a swing around x* instead (of size \
            \(CFormat.format("%.2f", errorAt(1.2))) for η = 1.2). The theorem of \
            [the rate section](#how-fast-gradient-descent-on-smooth-convex-functions) only \
            guarantees η ≤ 1/L = 4/9 (descent at every step for η < 2/L = 8/9); the \
            table shows that this is sufficient, not necessary. Trying other functions with \
            the chapter's `--function` and `--eta` flags (see `--help`) shows the same pattern: the \
            largest safe rate is set by the largest curvature the iterates meet.
            """)
    }

    static func lineSearchExercise(_ nb: Notebook) {
        nb.paragraph("""
            2. Implement a line search that minimizes a convex function on an interval [a, b]. \
            Do you need derivatives to decide whether to keep [a, (a + b)/2] or [(a + b)/2, b]? \
            How fast does the method converge? Apply it to log(exp(x) + exp(−2x − 3)).
            """)
        nb.heading("Answer", level: 4)
        let f = Objective1D.logSumExp
        let bisection = LineSearch.bisection(f.derivative, in: -5...5, tolerance: 1e-10)
        let golden = LineSearch.goldenSection(f.value, in: -5...5, tolerance: 1e-10)
        nb.paragraph("""
            [Gradient descent with line search](#gradient-descent-with-line-search) above does all \
            three. Halving the interval needs one derivative per step: the sign of f' at the \
            midpoint says which half holds the minimizer. With function values alone, one value at \
            the midpoint cannot decide; two interior values can (golden-section search keeps the \
            part around the lower one). Bisection halves the bracket at every step, linear \
            convergence with rate 1/2, so a bracket of width 10 shrinks to 10⁻¹⁰ in \
            \(bisection.iterations) steps; golden-section search shrinks it by 0.618 per function \
            value and needs \(golden.iterations). The brackets end 10⁻¹⁰ wide, but the accuracy differs: \
            bisection works on f′ and finds the minimizer (log 2 − 3)/3 to about 10⁻¹⁰, while \
            golden-section search compares values of f, which is flat near its minimum, and cannot \
            locate it much better than √(machine ε) ≈ 10⁻⁸; the errors printed above show both.
            """)
    }

    /// Steps of gradient descent with the best fixed rate η = 2/(L + μ), from (1, 1) until ‖x‖ ≤ tolerance.
    static func stepsToTolerance(_ f: Objective2D, learningRate eta: Double, tolerance: Double, limit: Int) -> Int? {
        var x = Point2D(1, 1)
        for step in 1...limit {
            x = x - eta * f.gradient(x)
            if (x.x * x.x + x.y * x.y).squareRoot() <= tolerance { return step }
        }
        return nil
    }

    static func slowObjectiveExercises(_ nb: Notebook) {
        nb.paragraph("""
            3. Design an objective on ℝ² on which gradient descent is extremely slow. (Hint: scale \
            the coordinates differently.)
            """)
        nb.heading("Answer", level: 4)
        let tolerance = 1e-6
        let kappas = [1.0, 10, 100, 1000]
        var rows: [[NotebookText]] = []
        var newtonRows: [[NotebookText]] = []
        for kappa in kappas {
            let f = Objective2D.ellipse(a: 1, b: kappa)            // curvatures 2 and 2κ
            let eta = 2 / (2 + 2 * kappa)
            let steps = stepsToTolerance(f, learningRate: eta, tolerance: tolerance, limit: 100_000)
            let predicted = kappa == 1 ? 1 : (log(1 / tolerance) / log((kappa + 1) / (kappa - 1))).rounded(.up)
            rows.append(["\(kappa, format: "%g")", "\(eta, format: "%.4g")", NotebookText(steps.map(String.init) ?? "> 100000"),
                         "\(predicted, format: "%g")"])
            let pre = PreconditionedDescent.run(f, learningRate: 1, start: Point2D(1, 1), steps: 1)
            newtonRows.append(["\(kappa, format: "%g")", "(\(pre.final.x, format: "%g"), \(pre.final.y, format: "%g"))"])
        }
        nb.paragraph("""
            Take f(x) = x₁² + κx₂². Its curvatures are 2 and 2κ, so a stable step must respect the \
            steep direction while the flat one needs many steps. The best fixed rate, \
            η = 2/(2 + 2κ), balances the two and multiplies the error by (κ − 1)/(κ + 1) per step. \
            Steps from (1, 1) until ‖x‖ ≤ \(CFormat.format("%g", tolerance)), measured and predicted from that factor:
            """)
        nb.table(header: ["κ", "η", "steps (measured)", "⌈ln 10⁶ / ln((κ + 1)/(κ − 1))⌉"], rows: rows)
        nb.paragraph("""
            The count grows in proportion to κ, about (κ/2) ln(1/ε): a condition number of 1000 \
            costs thousands of steps on a two-variable problem. Any rate larger than 2/(2κ) makes \
            the steep coordinate diverge, so no choice of η helps.
            """)

        nb.paragraph("""
            4. Implement the lightweight version of Newton's method that preconditions with the \
            diagonal of the Hessian, taking absolute values of the diagonal entries, and apply it to \
            the problem of exercise 3.
            """)
        nb.heading("Answer", level: 4)
        nb.paragraph("""
            `PreconditionedDescent.run` is that method, x ← x − η diag(|H|)⁻¹∇f(x); \
            [preconditioning](#preconditioning) above runs it with η = 0.5. On x₁² + κx₂² the \
            diagonal is the whole Hessian, so with η = 1 a single step from (1, 1) lands on the \
            minimum whatever κ is:
            """)
        nb.table(header: ["κ", "x after one preconditioned step"], rows: newtonRows)
        nb.paragraph("""
            The absolute values matter only where some curvature is negative: they keep the step \
            pointing downhill, as in the |f''| variant of Newton's method above.
            """)
    }

    static func rotationExercise(_ nb: Notebook) {
        nb.paragraph("""
            5. Apply the diagonally preconditioned method to several objective functions, convex or \
            not. What happens when the coordinates are rotated by 45°?
            """)
        nb.heading("Answer", level: 4)
        let axis = Objective2D.ellipse(a: 0.1, b: 2)
        let rotated = PreconditionedDescent.rotated(axis, by: Double.pi / 4)
        var rows: [[NotebookText]] = []
        for (name, f) in [("axis-aligned", axis), ("rotated by 45°", rotated)] {
            let h = f.hessian!(Point2D(0, 0))
            let plain = SymmetricEigenvalues.of(h)
            let scale = [1 / abs(h[0][0]).squareRoot(), 1 / abs(h[1][1]).squareRoot()]
            let scaled = (0..<2).map { i in (0..<2).map { j in scale[i] * h[i][j] * scale[j] } }
            let pre = SymmetricEigenvalues.of(scaled)
            rows.append([NotebookText(name), "\(h[0][0], format: "%.2f"), \(h[1][1], format: "%.2f")",
                         "\(plain[1] / plain[0], format: "%.2f")", "\(pre[1] / pre[0], format: "%.2f")"])
        }
        nb.paragraph("""
            [Preconditioning](#preconditioning) above runs it on 0.1x₁² + 2x₂² and on the same \
            function rotated by 45°. What the preconditioner can achieve is measured by the \
            condition number of the rescaled Hessian D^(−1/2) H D^(−1/2), D = diag(|H|), against \
            that of H itself:
            """)
        nb.table(header: ["problem", "diagonal of H", "condition number of H", "after diagonal rescaling"], rows: rows)
        nb.paragraph("""
            Aligned with the axes the rescaling makes the problem perfectly conditioned; after the \
            rotation both diagonal entries are equal, the rescaling is a multiple of the identity, \
            and the condition number is untouched. On a nonconvex function the |diag H| variant still \
            moves downhill in each coordinate, but it inherits the same blindness to directions \
            that are not coordinate axes. This is the price of any per-coordinate method, Adagrad, \
            RMSProp and Adam included (Section 11.7 shows it for Adagrad).
            """)
    }

    static func rateExercise(_ nb: Notebook) {
        nb.paragraph("""
            6. (Lecture deck.) The O(1/T) bound says that gradient descent with η = 1/L reaches \
            f(x_T) − f* ≤ ε within T = ‖x₀ − x*‖²/(2ηε) steps. On the quadratic of \
            [the rate section](#how-fast-gradient-descent-on-smooth-convex-functions), how many \
            steps does the bound promise for ε = 10⁻¹, 10⁻², 10⁻³, and how many does gradient \
            descent need?
            """)
        nb.heading("Answer", level: 4)
        let f = SpreadQuadratic(dimension: 50, smallest: 1e-4)
        let eta = 1.0
        var x = [Double](repeating: 1, count: 50)
        let r2 = 50.0
        var needed: [Double: Int] = [:]
        let targets = [1e-1, 1e-2, 1e-3]
        var t = 0
        while needed.count < targets.count && t < 1_000_000 {
            let g = f.gradient(x)
            for i in x.indices { x[i] -= eta * g[i] }
            t += 1
            let value = f.value(x)
            for eps in targets where needed[eps] == nil && value <= eps { needed[eps] = t }
        }
        var rows: [[NotebookText]] = []
        for eps in targets {
            let promised = (r2 / (2 * eta * eps)).rounded(.up)
            rows.append(["\(eps, format: "%g")", "\(promised, format: "%.0f")", NotebookText(needed[eps].map(String.init) ?? "-"),
                         "\(promised / Double(needed[eps] ?? 1), format: "%.1f")"])
        }
        nb.table(header: ["ε", "steps promised by the bound", "steps needed", "ratio"], rows: rows)
        nb.paragraph("""
            Both columns grow by about ten for every tenfold smaller ε, the O(1/ε) behaviour, and \
            the bound overestimates by a roughly constant factor: it has to hold for the worst \
            function with these L and ‖x₀ − x*‖, and this one is not quite the worst.
            """)
    }

    static func newtonBreakEvenExercise(_ nb: Notebook) {
        nb.paragraph("""
            7. (Lecture deck.) Newton's method minimizes a d-dimensional quadratic with known \
            Hessian in one step: a Cholesky factorization and two triangular solves. Gradient \
            descent with the best fixed rate needs about ln(1/ε)/ln((κ + 1)/(κ − 1)) steps of one \
            matrix-vector product each (2d² operations). For which d is Newton cheaper, for \
            ε = 10⁻⁶ and condition numbers κ = 10, 100, 10⁴?
            """)
        nb.heading("Answer", level: 4)
        let eps = 1e-6
        var rows: [[NotebookText]] = []
        for kappa in [10.0, 100, 10_000] {
            let steps = (log(1 / eps) / log((kappa + 1) / (kappa - 1))).rounded(.up)
            // The smallest d at which one Newton step is cheaper than `steps` gradient steps.
            func newtonCheaper(_ d: Int) -> Bool {
                Double(Cholesky.factorizationFlops(d) + Cholesky.solveFlops(d)) < steps * 2 * Double(d) * Double(d)
            }
            var low = 1, high = 1
            while newtonCheaper(high) { high *= 2 }
            while low < high {
                let mid = (low + high) / 2
                if newtonCheaper(mid) { low = mid + 1 } else { high = mid }
            }
            rows.append(["\(kappa, format: "%g")", "\(steps, format: "%.0f")", "\(low)"])
        }
        nb.paragraph("""
            Count operations with the exact figures of `Cholesky` from \
            [what a Newton step costs](#what-a-newton-step-costs): Newton costs about d³/3, \
            gradient descent about 2d² per step, so Newton wins while d stays below roughly six \
            times the number of gradient steps. The dimension from which gradient descent is \
            cheaper:
            """)
        nb.table(header: ["κ", "gradient steps for ε = 10⁻⁶", "Newton costs more from d ="], rows: rows)
        nb.paragraph("""
            For a small, badly conditioned problem Newton is the better deal. A network changes \
            the picture in three ways: d is in the millions, so even κ = 10⁴ is on the gradient \
            side; a gradient costs O(d) through backpropagation rather than the 2d² of a \
            matrix-vector product; and the Hessian is not known, it would take about d more \
            gradient computations to form. This is the lecture's point that second-order methods \
            are rarely used in deep learning.
            """)
    }
}
