import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Two lecture topics the book's section leaves out (deck 001 and deck 003): the O(1/T) rate of
/// gradient descent on convex, L-smooth functions, proved and checked by a run; and what one
/// Newton step costs, counted in floating-point operations and measured.
extension GradientDescentChapter {
    // cell: spread-quadratic
    /// The quadratic of the rate experiment: f(x) = ½ Σᵢ λᵢ xᵢ², with d curvatures spaced evenly
    /// on a log scale between `smallest` and 1 (so L = 1).
    struct SpreadQuadratic {
        let curvatures: [Double]
        init(dimension d: Int, smallest: Double) {
            curvatures = (0..<d).map { i in Foundation.pow(smallest, 1 - Double(i) / Double(d - 1)) }
        }
        func value(_ x: [Double]) -> Double {
            var s = 0.0
            for (l, v) in zip(curvatures, x) { s += 0.5 * l * v * v }
            return s
        }
        func gradient(_ x: [Double]) -> [Double] { zip(curvatures, x).map { $0 * $1 } }
    }
    // end cell

    static func smoothConvexRate(_ nb: Notebook) {
        nb.heading("How fast: gradient descent on smooth convex functions", level: 3)
        nb.paragraph("""
            How many steps does gradient descent need? For convex functions whose gradient does not \
            change too abruptly there is a clean answer, and its proof uses nothing beyond two \
            inequalities. Call f *L-smooth* when its gradient is L-Lipschitz, \
            ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖; for a twice-differentiable f this says that no curvature \
            exceeds L. Smoothness caps how fast f can bend upwards, so f lies below a parabola \
            built on its tangent:
            """)
        nb.formula(#"f(\mathbf{y}) \le f(\mathbf{x}) + \nabla f(\mathbf{x})^\top (\mathbf{y} - \mathbf{x}) + \tfrac{L}{2} \|\mathbf{y} - \mathbf{x}\|^2"#,
                   plain: "f(y) ≤ f(x) + ∇f(x)ᵀ(y − x) + (L/2) ‖y − x‖²")
        nb.paragraph("""
            Put in y = x − η∇f(x), the gradient step. This is the *descent lemma*: the step lowers f \
            by at least a multiple of the squared gradient,
            """)
        nb.formula(#"f(\mathbf{x} - \eta \nabla f(\mathbf{x})) \le f(\mathbf{x}) - \eta \bigl(1 - \tfrac{L\eta}{2}\bigr) \|\nabla f(\mathbf{x})\|^2 \le f(\mathbf{x}) - \tfrac{\eta}{2} \|\nabla f(\mathbf{x})\|^2 \quad \text{for } 0 < \eta \le 1/L"#,
                   plain: "f(x − η∇f(x)) ≤ f(x) − η(1 − Lη/2) ‖∇f(x)‖² ≤ f(x) − (η/2) ‖∇f(x)‖²   for 0 < η ≤ 1/L")
        nb.paragraph("""
            So with η ≤ 1/L every step goes downhill, whatever the function looks like further \
            away. Convexity supplies the second inequality: the tangent plane lies below f, so at a \
            minimizer x*, f(x*) ≥ f(x) + ∇f(x)ᵀ(x* − x). Write y = x − η∇f(x) and combine the two:
            """)
        nb.formula(#"f(\mathbf{y}) - f^* \le \nabla f(\mathbf{x})^\top (\mathbf{x} - \mathbf{x}^*) - \tfrac{\eta}{2} \|\nabla f(\mathbf{x})\|^2 = \frac{\|\mathbf{x} - \mathbf{x}^*\|^2 - \|\mathbf{y} - \mathbf{x}^*\|^2}{2\eta}"#,
                   plain: "f(y) − f* ≤ ∇f(x)ᵀ(x − x*) − (η/2)‖∇f(x)‖² = (‖x − x*‖² − ‖y − x*‖²) / (2η)")
        nb.paragraph("""
            The equality is the expansion of ‖(x − x*) − η∇f(x)‖². Each step's excess value is \
            paid for by a decrease of the squared distance to x*. Apply this to the steps \
            x_t → x_{t+1} for t = 0, …, T − 1 and add: the distances telescope, leaving \
            Σ_{t=1}^{T} (f(x_t) − f*) ≤ (‖x₀ − x*‖² − ‖x_T − x*‖²)/(2η) ≤ ‖x₀ − x*‖²/(2η). The \
            values f(x_t) never increase (descent lemma), so the last one is at most the average \
            of all T, and
            """)
        nb.formula(#"f(\mathbf{x}_T) - f^* \le \frac{\|\mathbf{x}_0 - \mathbf{x}^*\|^2}{2 \eta T} \qquad (0 < \eta \le 1/L)"#,
                   plain: "f(x_T) − f* ≤ ‖x₀ − x*‖² / (2ηT)     (0 < η ≤ 1/L)")
        nb.paragraph("""
            The error falls like 1/T, so an accuracy ε takes about ‖x₀ − x*‖²/(2ηε) steps: O(1/ε). \
            Stochastic gradient descent only manages O(1/√T) on the same class of functions, \
            that is O(1/ε²) steps, because its noise never dies down by itself \
            ([11.4](../Ch11_4_SGD/README.md#gd-sgd-and-variance-reduction) compares the two and shows \
            how variance reduction recovers the faster rate).
            """)

        // cell: smooth-convex-run
        // The run: a convex quadratic with curvatures spread over four decades.
        let d = 50, smallest = 1e-4
        let f = SpreadQuadratic(dimension: d, smallest: smallest)
        let L = f.curvatures.max()!, eta = 1 / L
        let start = [Double](repeating: 1, count: d)
        let r2 = start.reduce(0) { $0 + $1 * $1 }          // x* = 0, f* = 0
        let horizon = 10_000
        var x = start
        var values = [f.value(x)]
        var lemmaViolations = 0, stepViolations = 0, worstRatio = 0.0
        for t in 1...horizon {
            let g = f.gradient(x)
            let gradientNorm2 = g.reduce(0) { $0 + $1 * $1 }
            let before = values[t - 1], distanceBefore = x.reduce(0) { $0 + $1 * $1 }
            for i in 0..<d { x[i] -= eta * g[i] }
            let after = f.value(x), distanceAfter = x.reduce(0) { $0 + $1 * $1 }
            values.append(after)
            let tolerance = 1e-12 * max(1, abs(before))
            if after > SmoothConvexGDBound.descentLemmaValue(value: before, gradientNormSquared: gradientNorm2,
                                                             learningRate: eta, smoothness: L) + tolerance { lemmaViolations += 1 }
            if after > SmoothConvexGDBound.stepBound(distanceSquaredBefore: distanceBefore, distanceSquaredAfter: distanceAfter,
                                                     learningRate: eta) + tolerance { stepViolations += 1 }
            worstRatio = max(worstRatio, after / SmoothConvexGDBound.value(distanceSquared: r2, learningRate: eta, steps: t))
        }
        // end cell
        nb.paragraph("""
            A run makes the bound concrete. Take f(x) = ½ Σᵢ λᵢxᵢ² in d = \(d) dimensions, with \
            curvatures λᵢ spaced evenly on a log scale from \(CFormat.format("%g", smallest)) to \
            \(CFormat.format("%g", L)): convex, L-smooth with L = \(CFormat.format("%g", L)), minimum 0 at \
            the origin. Gradient descent starts at x₀ = (1, …, 1), so ‖x₀ − x*‖² = \(CFormat.format("%g", r2)), \
            and uses the largest step the theorem allows, η = 1/L. At every one of \(horizon) \
            steps we also test the two inequalities of the proof.
            """)
        nb.code(cell: "spread-quadratic")
        nb.code(cell: "smooth-convex-run")
        var rows: [[NotebookText]] = []
        for t in [1, 10, 100, 1000, 10_000] {
            let bound = SmoothConvexGDBound.value(distanceSquared: r2, learningRate: eta, steps: t)
            rows.append(["\(t)", "\(values[t], format: "%.4e")", "\(bound, format: "%.4e")",
                         "\(values[t] / bound, format: "%.4f")", "\(Double(t) * values[t], format: "%.4f")"])
        }
        nb.table(header: ["T", "f(x_T) − f*", "bound ‖x₀ − x*‖²/(2ηT)", "ratio", "T · (f(x_T) − f*)"], rows: rows)
        nb.output("descent lemma violated at \(lemmaViolations) of \(horizon) steps; per-step inequality violated at \(stepViolations); largest ratio to the bound \(worstRatio, format: "%.4f")")
        let ts = (1...horizon).map(Double.init)
        nb.figure(BookFigures.plot(x: ts, [Array(values[1...]), ts.map { SmoothConvexGDBound.value(distanceSquared: r2, learningRate: eta, steps: Int($0)) }],
                                   xLabel: "step T", yLabel: "f(x_T) − f*",
                                   legend: ["gradient descent, η = 1/L", "bound ‖x₀ − x*‖²/(2ηT)"],
                                   xScale: .log, yScale: .log, width: 420, height: 280),
                  name: "smooth-convex-rate",
                  caption: "Gradient descent with η = 1/L on a \(d)-dimensional convex quadratic with curvatures from \(CFormat.format("%g", smallest)) to 1: the error and the O(1/T) bound, on log scales.")
        let middle = (10...1000).map { Double($0) * values[$0] }
        let ellipse = Objective2D.ellipse(a: 1, b: 2)
        let ellipseRun = train2D(optimizer: SGD(learningRate: 0.1), objective: ellipse)
        nb.paragraph("""
            The bound holds at every step (the largest ratio is \(CFormat.format("%.3f", worstRatio))), and \
            so do the descent lemma and the per-step inequality. More interesting is the shape: \
            between T = 10 and T = 1000, T·(f(x_T) − f*) stays between \
            \(CFormat.format("%.2f", middle.min()!)) and \(CFormat.format("%.2f", middle.max()!)), so on this \
            function the error really does fall like 1/T, parallel to the bound, and not faster. \
            The reason is the spread of curvatures: after T steps the directions with λ ≫ 1/T are \
            solved, those with λ ≪ 1/T have hardly moved, and the error comes from the band in \
            between, which slides towards flatter directions as T grows. Only when T passes \
            1/(2λ_min) = \(CFormat.format("%g", 1 / (2 * smallest))) has every direction converged, and \
            T·(f(x_T) − f*) falls (to \(CFormat.format("%.2f", Double(horizon) * values[horizon])) at \
            T = \(horizon)). On a well-conditioned problem, such as x₁² + 2x₂² above, gradient \
            descent converges geometrically and the bound is very loose: f(x₂₀) = \
            \(CFormat.format("%.2e", ellipse.value(ellipseRun.final))) against a bound of \
            \(CFormat.format("%.2f", SmoothConvexGDBound.value(distanceSquared: 29, learningRate: 0.1, steps: 20))), \
            with η = 0.1 ≤ 1/L = 0.25. The 1/T rate is what is left when nothing better can be said.
            """)
    }

    // MARK: - The cost of a Newton step

    /// A random symmetric positive definite matrix B Bᵀ / d + I (row-major).
    static func randomSPD(_ d: Int, generator: inout SeededGenerator) -> [Double] {
        let b = generator.normals(d * d)
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = 0.0
                for k in 0..<d { s += b[i * d + k] * b[j * d + k] }
                h[i * d + j] = s / Double(d) + (i == j ? 1 : 0)
                h[j * d + i] = h[i * d + j]
            }
        }
        return h
    }

    static func newtonCost(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("What a Newton step costs", level: 3)
        nb.paragraph("""
            Newton's method buys its fast local convergence with an expensive step. In d \
            dimensions one step needs the d × d Hessian (d² numbers to store, and for a network \
            about d gradient-sized computations to obtain, one per column) and the solution of the \
            linear system H ε = −∇f. The standard way to solve a symmetric positive definite system \
            is a Cholesky factorization H = RRᵀ followed by two triangular solves; counting the \
            operations of our implementation (`Cholesky`):
            """)
        var rows: [[NotebookText]] = []
        var lenet = SeededGenerator(seed: 0)
        let lenetParameters = LeNet.make(Double.self, generator: &lenet).parameterCount
        for d in [10, 100, 1000, lenetParameters] {
            let factor = Double(Cholesky.factorizationFlops(d)), solve = Double(Cholesky.solveFlops(d))
            rows.append(["\(d)", "\(Double(d) * Double(d) * 8, format: "%.2e")", "\(factor, format: "%.2e")",
                         "\(factor / (Double(d) * Double(d) * Double(d) / 3), format: "%.3f")",
                         "\(solve, format: "%.2e")", "\(2 * Double(d), format: "%.2e")"])
        }
        nb.table(header: ["d", "Hessian bytes", "factorization flops", "÷ d³/3", "solve flops", "gradient step flops (2d)"],
                 rows: rows)
        nb.paragraph("""
            The factorization grows like d³/3 (the ratio column tends to 1), the storage like d², \
            while the update of a gradient step costs 2d operations. The last row is the LeNet of \
            Section 11.11, a small network by today's standards with \(lenetParameters) parameters: its \
            Hessian alone would take \(CFormat.format("%.0f", Double(lenetParameters) * Double(lenetParameters) * 8 / 1e9)) GB, \
            and one factorization about \(CFormat.format("%.0e", Double(Cholesky.factorizationFlops(lenetParameters)))) \
            operations, against about \(CFormat.format("%.0e", 2 * Double(lenetParameters))) for the \
            update of a gradient step.
            """)
        let sizes = [100, 200, 400]
        var rng = ctx.generator(stream: "newton-cost")
        var seconds: [Double] = []
        var residuals: [Double] = []
        let repeats = 3
        for d in sizes {
            let h = randomSPD(d, generator: &rng)
            let g = rng.normals(d)
            // The fastest of a few repeats: other processes can only make a run slower.
            var best = Double.infinity
            var step: [Double] = []
            for _ in 0..<repeats {
                let started = DispatchTime.now().uptimeNanoseconds
                let factor = try Cholesky(matrix: h, dimension: d)
                step = factor.solve(g)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            seconds.append(best)
            var worst = 0.0
            for i in 0..<d {
                var s = -g[i]
                for j in 0..<d { s += h[i * d + j] * step[j] }
                worst = max(worst, abs(s))
            }
            residuals.append(worst)
        }
        nb.paragraph("""
            Measured on this machine for random positive definite matrices (stream `newton-cost`), \
            factorization and solve together, the fastest of \(repeats) repeats, with the residual \
            max |Hε − g| as a check that the solve is right:
            """)
        for (k, d) in sizes.enumerated() {
            let ratio: NotebookText = k == 0 ? "" : ", \(volatile: seconds[k] / seconds[k - 1], format: "%.1f") times the previous size (flops: \(Double(Cholesky.factorizationFlops(d) + Cholesky.solveFlops(d)) / Double(Cholesky.factorizationFlops(sizes[k - 1]) + Cholesky.solveFlops(sizes[k - 1])), format: "%.1f") times)"
            nb.output("d = \(d): \(volatile: seconds[k] * 1000, format: "%.1f") ms, residual \(residuals[k], format: "%.1e")" + ratio)
        }
        nb.paragraph("""
            Doubling d multiplies the operation count by about eight, as d³ predicts. The measured \
            times follow only roughly: caches, and other programs on a shared machine, add their \
            own effects, which is why the times are printed but never tested, while the \
            operation counts are exact. This is why second-order methods \
            are rarely used to train deep networks, as the lectures put it. Besides the cost, the \
            Hessian of a minibatch loss is a noisy estimate that changes every step, and the loss \
            is not convex, so the raw Newton step can point uphill, as the undamped run above did. What survives \
            are cheap imitations: Hessian-vector products without forming H, quasi-Newton methods \
            that build a low-rank curvature model from past gradients, and, most widely, diagonal \
            rescalings of the gradient, which Adagrad, RMSProp and Adam (Sections 11.7 to 11.10) \
            estimate from gradient statistics alone.
            """)
    }
}
