import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.3 Gradient Descent: the one-dimensional picture, learning rates, local minima, the
/// multivariate update, Newton's method, convergence, preconditioning and line search.
enum GradientDescentChapter: Chapter {
    static let target = "Ch11_3_GradientDescent"
    static let title = "11.3 Gradient Descent"
    static let summary = "Gradient descent in one and two dimensions, learning rates that are too small or too large, Newton's method, preconditioning and line search."
    static let keyFigure: String? = "gd-2d.svg"
    static let keyFigureIsAnimated = true

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Almost every method in this chapter is a refinement of one idea: look at the slope of the \
            objective where you stand and take a step downhill. Deep networks are never trained by plain \
            gradient descent on the full loss, but the failure modes worth knowing about (a step size that \
            is too timid or too bold, stalls in poor local minima, badly scaled coordinates) already show \
            up here in their simplest form, and so do the cures that later sections refine: curvature \
            information and preconditioning.
            """)
        oneDimension(nb)
        learningRate(nb)
        localMinima(nb)
        multivariate(nb)
        smoothConvexRate(nb)
        newton(nb)
        convergence(nb)
        try newtonCost(nb, ctx)
        preconditioning(nb)
        lineSearch(nb)
        try extras(nb, ctx)
        summaryAndExercises(nb)
        exercises(nb, ctx)
    }

    /// The book's `show_trace` with the start and the last iterate marked, so that the order of
    /// the iterates can be read off the picture.
    static func markedTrace1D(_ f: Objective1D, iterates: [Double]) -> Figure {
        var figure = BookFigures.trace1D(f, iterates: iterates)
        let first = iterates[0], last = iterates[iterates.count - 1]
        figure.panels[0].scatter([first], [f.value(first)], label: "start", color: .black, marker: .square, size: 4)
        figure.panels[0].scatter([last], [f.value(last)], label: "after \(iterates.count - 1) steps", color: .tabRed,
                                 marker: .diamond, size: 5)
        return figure
    }

    // MARK: - 11.3.1 One dimension

    static func oneDimension(_ nb: Notebook) {
        nb.heading("11.3.1 Gradient descent in one dimension")
        nb.paragraph("""
            Take a smooth function f of one real variable. Expanding it to first order around x tells \
            us how f changes when x moves by a small amount ε:
            """)
        nb.formula(#"f(x + \epsilon) = f(x) + \epsilon f'(x) + \mathcal{O}(\epsilon^2)"#,
                   plain: "f(x + ε) = f(x) + ε f'(x) + O(ε²)")
        nb.paragraph("""
            Now choose the move to be a fixed multiple of the negative slope, ε = −η f'(x) with a step \
            size (learning rate) η > 0. Substituting gives
            """)
        nb.formula(#"f(x - \eta f'(x)) = f(x) - \eta f'^2(x) + \mathcal{O}(\eta^2 f'^2(x))"#,
                   plain: "f(x − η f'(x)) = f(x) − η f'(x)² + O(η² f'(x)²)")
        nb.paragraph("""
            Whenever the slope is not zero the middle term is strictly negative, and for η small enough \
            it outweighs the remainder, so the step lowers f. Repeating the step x ← x − η f'(x) is \
            gradient descent; in practice we stop after a fixed budget of iterations or once |f'(x)| is \
            tiny.
            """)
        nb.paragraph("""
            The first test case is f(x) = x², whose minimizer we know is 0, so we can watch the \
            iterates approach it. We start from x = 10 with η = 0.2 and take ten steps:
            """)
        nb.code(cell: "gd-1d")
        // cell: gd-1d
        let f = Objective1D.square                                  // f(x) = x*x, f'(x) = 2*x
        let run = Descent1D.gradientDescent(f, learningRate: 0.2)   // x = 10, ten steps
        nb.output(NotebookText(run.summary))
        // end cell
        nb.paragraph("""
            Each step multiplies x by 1 − 2η = 0.6, so after ten steps x = 10 · 0.6¹⁰ ≈ 0.0605, the \
            number printed (its last digits show the rounding of ten floating-point products). The \
            figure draws f and the iterates joined in order, with the start and the last iterate \
            marked.
            """)
        nb.figure(markedTrace1D(.square, iterates: run.iterates), name: "gd-eta-0.2",
                  caption: "Ten gradient steps on f(x) = x² from x = 10 with η = 0.2.")
    }

    static func learningRate(_ nb: Notebook) {
        nb.heading("Learning rate", level: 3)
        nb.paragraph("""
            The step size is ours to choose, and both directions of error hurt. With η = 0.05 each step \
            only multiplies x by 0.9: ten steps later we are still far from the minimum.
            """)
        let slow = Descent1D.gradientDescent(.square, learningRate: 0.05)
        nb.output(NotebookText(slow.summary))
        nb.figure(markedTrace1D(.square, iterates: slow.iterates), name: "gd-eta-0.05",
                  caption: "With η = 0.05 progress is steady but slow.")
        nb.paragraph("""
            Make η too large and the first-order expansion stops describing the step: the neglected \
            term of order η² f'(x)² takes over. For η = 1.1 the factor per step is 1 − 2.2 = −1.2, so the \
            iterate overshoots 0, lands further away on the other side, and the oscillation grows by 20% \
            every step.
            """)
        let wild = Descent1D.gradientDescent(.square, learningRate: 1.1)
        nb.output(NotebookText(wild.summary))
        nb.figure(markedTrace1D(.square, iterates: wild.iterates), name: "gd-eta-1.1",
                  caption: "With η = 1.1 every step overshoots and the iterates diverge.")
        nb.paragraph("""
            For this quadratic the whole story is the factor |1 − 2η|: below 1 (0 < η < 1) we converge, \
            fastest at η = 0.5, which lands on 0 in a single step; above 1 we diverge.
            """)
    }

    static func localMinima(_ nb: Notebook) {
        nb.heading("Local minima", level: 3)
        let f = Objective1D.xCos(c: 0.15 * Double.pi)
        let run = Descent1D.gradientDescent(f, learningRate: 2)
        // The two minima that matter, located by bisection on f' in brackets read off the graph.
        let shallow = LineSearch.bisection(f.derivative, in: -2.5 ... -1.0, tolerance: 1e-12).minimizer
        let deep = LineSearch.bisection(f.derivative, in: 6.0...8.5, tolerance: 1e-12).minimizer
        let curvature = f.secondDerivative!(shallow)
        let eta = 2.0
        let g = { (v: Double) in CFormat.format("%.2f", v) }
        nb.paragraph("""
            On a nonconvex function the answer depends on where we start and how far we jump. The \
            function f(x) = x · cos(cx) with c = 0.15π has a local minimum in every period and is \
            unbounded below. We run the (deliberately huge) step η = 2 from x = 10:
            """)
        nb.output(NotebookText(run.summary))
        nb.figure(markedTrace1D(f, iterates: run.iterates), name: "gd-xcos-eta-2",
                  caption: "Gradient descent with η = 2 on x cos(0.15πx) from x = 10: the first step jumps over the deep minimum near \(g(deep)), and the iterates then oscillate around the shallow one near \(g(shallow)).")
        nb.paragraph("""
            The start x = 10 lies right next to a deep minimum, at x ≈ \(CFormat.format("%.3f", deep)) with \
            f = \(g(f.value(deep))). But the slope at the start is f'(10) = \(g(f.derivative(10))), so the first step \
            has length η|f'(10)| = \(g(eta * abs(f.derivative(10)))) and lands at \(g(run.iterates[1])), \
            on the far side of a hump. From there the iterates fall towards the shallow minimum at \
            x ≈ \(CFormat.format("%.3f", shallow)) (f = \(g(f.value(shallow)))), but they do not come to rest: \
            they jump from one side of it to the other, \
            \(run.iterates[7...].map(g).joined(separator: ", ")) in steps 7 to 10. Near a minimum x* \
            the error is multiplied by about 1 − ηf''(x*) per step, and here \
            ηf''(x*) = \(g(eta * curvature)), just below the limit 2: the factor is \
            \(g(1 - eta * curvature)), so the sign flips at every step, and once the swing is small its \
            amplitude shrinks by only \(CFormat.format("%.0f", 100 * (1 - abs(1 - eta * curvature))))% per \
            step. The swings here are still large enough for the curvature to vary along them, and \
            they shrink a little faster: the distance to x* goes from \
            \(CFormat.format("%.3f", abs(run.iterates[6] - shallow))) after step 6 to \
            \(CFormat.format("%.3f", abs(run.iterates[10] - shallow))) after step 10. The printed value \
            \(CFormat.format("%.3f", run.final)) is one end of this swing, not a resting point. A \
            step size that is too large for the curvature both skips good minima and fails to settle \
            in the one it reaches.
            """)
    }

    // MARK: - 11.3.2 Multivariate

    /// Contour levels for x₁² + 2x₂² on the book's window: doubling from 0.25, so the ellipses
    /// reach into the basin where the paths end (evenly spaced levels start at 10).
    static let ellipseLevels = ContourLevels.geometric(from: 0.25, to: 32)

    static func multivariate(_ nb: Notebook) {
        nb.heading("11.3.2 Multivariate gradient descent")
        nb.paragraph("""
            For f: ℝᵈ → ℝ the slope becomes the gradient, the vector of the d partial derivatives. The \
            first-order expansion reads
            """)
        nb.formula(#"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) + \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) + \mathcal{O}(\|\boldsymbol{\epsilon}\|^2)"#,
                   plain: "f(x + ε) = f(x) + εᵀ ∇f(x) + O(‖ε‖²)")
        nb.paragraph("""
            Among all moves of a given small length, the inner product εᵀ∇f(x) is most negative when ε \
            points along −∇f(x), so the update becomes x ← x − η ∇f(x). We try it on \
            f(x) = x₁² + 2x₂², whose gradient is (2x₁, 4x₂), starting at (−5, −2) with η = 0.1 for 20 \
            steps. The helper `train2D` threads the point and two slots of optimizer state through any \
            update rule; later sections reuse it with momentum and adaptive rules.
            """)
        nb.code(cell: "gd-2d")
        // cell: gd-2d
        let f = Objective2D.ellipse(a: 1, b: 2)      // x1^2 + 2 x2^2
        let eta = 0.1
        let trace = train2D { s in
            let g = f.gradient(s.point)
            return State2D(x1: s.x1 - eta * g.x, x2: s.x2 - eta * g.y)
        }
        nb.output(NotebookText(trace.summary))
        // end cell
        nb.paragraph("""
            The second coordinate, with curvature 4, shrinks by a factor 0.6 per step and is gone \
            quickly; the first, with curvature 2, shrinks only by 0.8 per step and is still visibly \
            nonzero after 20 steps. The path is orderly, but slow along the flat direction.
            """)
        nb.figure(BookFigures.trace2D(f, points: trace.points, levels: ellipseLevels), name: "gd-2d",
                  caption: "Gradient descent with η = 0.1 on x₁² + 2x₂², starting at (−5, −2), over contour lines of f.")
    }

    // MARK: - 11.3.3 Newton

    static func newton(_ nb: Notebook) {
        nb.heading("11.3.3 Adaptive methods: Newton's method")
        nb.paragraph("""
            Choosing η by hand is fiddly. Methods that also look at curvature can choose the step \
            themselves. They are too expensive for deep networks as they stand, but they explain what \
            the cheaper adaptive methods of later sections imitate. Keep one more term of the expansion:
            """)
        nb.formula(#"f(\mathbf{x} + \boldsymbol{\epsilon}) = f(\mathbf{x}) + \boldsymbol{\epsilon}^\top \nabla f(\mathbf{x}) + \tfrac{1}{2} \boldsymbol{\epsilon}^\top H_f \boldsymbol{\epsilon} + \mathcal{O}(\|\boldsymbol{\epsilon}\|^3)"#,
                   plain: "f(x + ε) = f(x) + εᵀ∇f(x) + ½ εᵀ H_f ε + O(‖ε‖³)")
        nb.paragraph("""
            Here H_f = ∇∇ᵀf(x) is the d × d Hessian. For a network with millions of weights it has \
            trillions of entries and is out of reach, but for small problems it is cheap. Setting the \
            derivative of the quadratic model with respect to ε to zero gives the Newton step:
            """)
        nb.formula(#"\nabla f(\mathbf{x}) + H_f \boldsymbol{\epsilon} = 0 \quad\Longrightarrow\quad \boldsymbol{\epsilon} = -H_f^{-1} \nabla f(\mathbf{x})"#,
                   plain: "∇f(x) + H_f ε = 0   ⇒   ε = −H_f⁻¹ ∇f(x)")
        nb.paragraph("""
            For f(x) = ½x² the model is exact (f' = x, f'' = 1), so one Newton step from anywhere lands \
            on 0. A less accommodating convex example is f(x) = cosh(cx) with c = 0.5, whose derivatives \
            are c·sinh(cx) and c²·cosh(cx). From x = 10, ten Newton steps reach the minimum exactly:
            """)
        let cosh = Objective1D.cosh(c: 0.5)
        let convex = Descent1D.newton(cosh)
        nb.output(NotebookText(convex.summary))
        nb.figure(markedTrace1D(cosh, iterates: convex.iterates), name: "newton-cosh",
                  caption: "Newton's method on cosh(0.5x) from x = 10.")
        let xcos = Objective1D.xCos(c: 0.15 * Double.pi)
        let wrong = Descent1D.newton(xcos)
        let f2 = { (v: Double) in CFormat.format("%.2f", v) }
        let curvature = xcos.secondDerivative!
        let w = wrong.iterates
        nb.paragraph("""
            Dividing by the second derivative is also the method's weak point, in two ways. Where \
            f'' is small the step −f'/f'' is huge, and where f'' < 0 the step points uphill: the \
            method heads for the stationary point of its quadratic model, and with negative \
            curvature that is a maximum. On the nonconvex x·cos(0.15πx) from x = 10 both happen:
            """)
        nb.output(NotebookText(wrong.summary))
        nb.figure(markedTrace1D(xcos, iterates: wrong.iterates), name: "newton-xcos",
                  caption: "Undamped Newton on x cos(0.15πx) from x = 10: a tiny curvature at x = \(f2(w[1])) throws the iterate to \(f2(w[2])), and the negative curvature there leads it up to the local maximum at \(f2(wrong.final)).")
        nb.paragraph("""
            The first step is harmless: f''(10) = \(f2(curvature(w[0]))) and the iterate moves to \
            \(f2(w[1])), downhill. There, however, f''(\(f2(w[1]))) = \(f2(curvature(w[1]))), so the next \
            step has length |f'(x)/f''(x)| = \(f2(abs(w[2] - w[1]))) and throws the iterate to \
            \(f2(w[2])), where f'' = \(f2(curvature(w[2]))) < 0. From then on every step climbs, and the \
            run converges, quickly, to a stationary point that is a local *maximum*: \
            x = \(CFormat.format("%.3f", wrong.final)), f = \(f2(xcos.value(wrong.final))), \
            f'' = \(f2(curvature(wrong.final))).
            """)
        let deep = LineSearch.bisection(xcos.derivative, in: 6.0...8.5, tolerance: 1e-12).minimizer
        nb.paragraph("""
            Two repairs suggest themselves. The first is to reintroduce a step size: the curvature still \
            scales each step (long steps where f is flat, short ones where it bends sharply), but η < 1 \
            damps the overshoot. With η = 0.5:
            """)
        let damped = Descent1D.newton(xcos, learningRate: 0.5)
        nb.output(NotebookText(damped.summary))
        nb.figure(markedTrace1D(xcos, iterates: damped.iterates), name: "newton-xcos-eta-0.5",
                  caption: "Newton's method damped by η = 0.5 on x cos(0.15πx): it settles in the minimum near \(f2(deep)) next to the start.")
        let errors = damped.iterates.map { abs($0 - deep) }
        nb.paragraph("""
            This run stays in the basin of the deep minimum at x* ≈ \(CFormat.format("%.4f", deep)) \
            (f = \(f2(xcos.value(deep)))), the one that gradient descent with η = 2 jumped over. It \
            pays for the damping with speed: near x* a damped Newton step multiplies the error by \
            about 1 − η = 0.5, linear convergence instead of quadratic. The errors |x_k − x*| after \
            steps 8, 9 and 10 are \((8...10).map { CFormat.format("%.2e", errors[$0]) }.joined(separator: ", ")).
            """)
        nb.paragraph("""
            The second repair divides by |f''(x)| instead of f''(x), so negative curvature can no \
            longer reverse the direction of a step ([exercise 4](#exercises) builds on this). From the \
            same start, undamped:
            """)
        let absolute = Descent1D.newton(xcos, absoluteCurvature: true)
        nb.output(NotebookText(absolute.summary))
        let a = absolute.iterates
        let rises = (1..<a.count).filter { xcos.value(a[$0]) > xcos.value(a[$0 - 1]) }
        let settled = absolute.final
        nb.figure(markedTrace1D(xcos, iterates: absolute.iterates), name: "newton-xcos-abs",
                  caption: "Newton's method with |f''| on x cos(0.15πx): every step starts downhill, but the step from x = \(f2(a[1])) overshoots (f rises from \(f2(xcos.value(a[1]))) to \(f2(xcos.value(a[2])))) before the run settles in the minimum near \(f2(settled)).")
        nb.paragraph("""
            Every step now starts in the downhill direction, yet the function does not decrease at \
            every step. The first two steps are the same as before, because f'' is positive at both \
            10 and \(f2(a[1])), and the second of them overshoots: f rises from \
            \(f2(xcos.value(a[1]))) at x = \(f2(a[1])) to \(f2(xcos.value(a[2]))) at x = \(f2(a[2])). \
            (f increases at \(rises.count == 1 ? "step \(rises[0]) only" : "steps \(rises.map(String.init).joined(separator: ", "))").) \
            Only then does the run descend, into the minimum near x = \(f2(settled)) \
            (f = \(f2(xcos.value(settled)))). A correct direction is not enough when the step length \
            comes from a curvature close to zero, which is why practical variants also bound the \
            step, add a multiple of the identity to the Hessian, or search along the direction for \
            a length that really decreases f.
            """)
    }

    // MARK: - Convergence

    static func convergence(_ nb: Notebook) {
        nb.heading("Convergence analysis", level: 3)
        nb.paragraph("""
            Let f be convex and three times differentiable with f''(x*) > 0 at its minimizer x*, and \
            write e_k = x_k − x* for the error after k Newton steps. Expanding f' around x_k and using \
            f'(x*) = 0 gives, for some ξ_k between x* and x_k,
            """)
        nb.formula(#"0 = f'(x_k - e_k) = f'(x_k) - e_k f''(x_k) + \tfrac{1}{2} e_k^2 f'''(\xi_k)"#,
                   plain: "0 = f'(x_k − e_k) = f'(x_k) − e_k f''(x_k) + ½ e_k² f'''(ξ_k)")
        nb.paragraph("""
            Divide by f''(x_k) and recall that the Newton step is x_{k+1} = x_k − f'(x_k)/f''(x_k), so \
            that e_{k+1} = e_k − f'(x_k)/f''(x_k):
            """)
        nb.formula(#"e_{k+1} = \frac{f'''(\xi_k)}{2 f''(x_k)}\, e_k^2"#,
                   plain: "e_{k+1} = f'''(ξ_k) / (2 f''(x_k)) · e_k²")
        nb.paragraph("""
            Wherever |f'''(ξ)/(2f''(x))| ≤ c we therefore have |e_{k+1}| ≤ c·e_k²: the error is squared \
            at every step, which is called *quadratic* convergence (the number of correct digits roughly \
            doubles per step). Gradient descent with a fixed step only achieves |e_{k+1}| ≤ α|e_k| with \
            α < 1, called *linear* convergence. (The book's text calls the quadratic case "linear" and the \
            linear case "constant", and divides by f'(x_k) where the derivation gives f''(x_k); the \
            algebra above follows the standard terminology and the derivation.) The \
            guarantee is local: it says nothing about how long it takes to reach the region where the \
            bound holds.
            """)
        nb.paragraph("""
            We can watch the digits double. Take the smooth convex f(x) = log(eˣ + e^(−2x−3)) from \
            exercise 2, whose minimizer is x* = (log 2 − 3)/3 and whose curvature there is f''(x*) = 2. \
            From x = −0.5, Newton's method and gradient descent with η = 0.25 (the step that halves the \
            error near x*, since 1 − 0.25 · 2 = 0.5) produce these errors:
            """)
        let f = Objective1D.logSumExp
        let xStar = f.minimizer!
        let newtonRun = Descent1D.newton(f, start: -0.5, steps: 6)
        let gdRun = Descent1D.gradientDescent(f, learningRate: 0.25, start: -0.5, steps: 6)
        var rows: [[NotebookText]] = []
        for k in 0...6 {
            rows.append(["\(k)",
                         "\(abs(newtonRun.iterates[k] - xStar), format: "%.2e")",
                         "\(abs(gdRun.iterates[k] - xStar), format: "%.2e")"])
        }
        nb.table(header: ["step k", "|e_k| Newton", "|e_k| gradient descent (η = 0.25)"], rows: rows)
        nb.paragraph("""
            Newton's error goes 10⁻³, 10⁻⁶, 10⁻¹² and then stops at the resolution of double precision, \
            while gradient descent gains one binary digit per step. The quadratic rate is only local, \
            though. Started at x = 1 instead, where this function is almost a straight line and f'' is \
            about 0.02, the very first Newton step is enormous and the run never recovers:
            """)
        let far = Descent1D.newton(f, start: 1, steps: 3)
        nb.output(NotebookText("Newton from x = 1: " + far.iterates.map(Descent1D.bookDescription).joined(separator: ", ")))
        nb.paragraph("""
            (After the second step exp overflows and the iterate becomes nan.) Damping, a line search or \
            a trust region is what makes Newton-type methods safe far from the minimum.
            """)
    }

    // MARK: - Preconditioning

    static func preconditioning(_ nb: Notebook) {
        nb.heading("Preconditioning", level: 3)
        nb.paragraph("""
            Computing and inverting the full Hessian is rarely affordable. A middle ground keeps only its \
            diagonal and rescales each coordinate of the gradient separately:
            """)
        nb.formula(#"\mathbf{x} \leftarrow \mathbf{x} - \eta\, \mathrm{diag}(H_f)^{-1} \nabla f(\mathbf{x})"#,
                   plain: "x ← x − η diag(H_f)⁻¹ ∇f(x)")
        nb.paragraph("""
            This amounts to a separate learning rate per coordinate, and it removes pure scale \
            mismatches: if one parameter were measured in millimetres and another in kilometres, the \
            raw gradient would be dominated by one of them, while the preconditioned step is not. Many \
            of the stochastic methods later in the chapter are, at heart, cheap estimates of this \
            diagonal.
            """)
        nb.paragraph("""
            Following exercises 4 and 5, we use |diag H_f| as preconditioner (so negative curvature \
            cannot flip a step) with η = 0.5, and compare it with plain gradient descent (η = 0.2) on \
            the ill-conditioned f(x) = 0.1x₁² + 2x₂² and on the same function rotated by 45°. Both \
            problems have condition number 20 and the same minimum at the origin; only the orientation \
            of the ellipses differs. Each run takes 20 steps from (−5, −2):
            """)
        let axisAligned = Objective2D.ellipse(a: 0.1, b: 2)
        let rotated = PreconditionedDescent.rotated(axisAligned, by: Double.pi / 4, name: "0.1 x1^2 + 2 x2^2 rotated by 45°")
        var rows: [[NotebookText]] = []
        var panels: [(Objective2D, [(label: String, points: [Point2D])])] = []
        for (label, f) in [("axis-aligned", axisAligned), ("rotated 45°", rotated)] {
            let plain = train2D { s in
                let g = f.gradient(s.point)
                return State2D(x1: s.x1 - 0.2 * g.x, x2: s.x2 - 0.2 * g.y)
            }
            let preconditioned = PreconditionedDescent.run(f, learningRate: 0.5)
            for (method, trace) in [("gradient descent, η = 0.2", plain), ("|diag H| preconditioned, η = 0.5", preconditioned)] {
                let p = trace.final
                rows.append([NotebookText(label), NotebookText(method),
                             "(\(p.x, format: "%f"), \(p.y, format: "%f"))",
                             "\((p.x * p.x + p.y * p.y).squareRoot(), format: "%.2e")"])
            }
            panels.append((f, [(label: "GD, η = 0.2", points: plain.points), (label: "|diag H| preconditioned, η = 0.5", points: preconditioned.points)]))
        }
        nb.table(header: ["problem", "method", "x after 20 steps", "distance to optimum"], rows: rows)
        let distances = panels.flatMap { $0.1.map { t in (t.points.last!.x * t.points.last!.x + t.points.last!.y * t.points.last!.y).squareRoot() } }
        nb.paragraph("""
            On the axis-aligned problem the diagonal is the whole Hessian, so every coordinate is halved \
            at every step whatever its curvature, and the preconditioned run ends a few millionths from \
            the optimum, while plain gradient descent is still more than 2 away, held back by the flat \
            x₁ direction. After the rotation both diagonal entries equal (0.2 + 4)/2 = 2.1: the \
            preconditioner can no longer tell the flat direction from the steep one, which now lie \
            along the diagonals, and it gains little over plain gradient descent \
            (\(CFormat.format("%.2f", distances[3])) against \(CFormat.format("%.2f", distances[2]))). \
            The two plain runs differ only because the same start point has different components along \
            the flat and steep directions once the ellipses are rotated. Diagonal methods are therefore sensitive to the choice of \
            coordinates, a point that returns with Adagrad in Section 11.7.
            """)
        nb.figure(preconditioningFigure(panels), name: "preconditioning-rotation",
                  caption: "Plain gradient descent (orange, dashed) and |diag H|-preconditioned descent (green squares) on 0.1x₁² + 2x₂² (left) and the same function rotated by 45° (right), 20 steps from (−5, −2), over contour lines of f at 0.125, 0.25, …, 16.")
    }

    /// Two panels with the same limits, contour levels that reach into both basins, and the two
    /// paths drawn so that neither hides the other: the preconditioned one as a solid green line
    /// with square markers, plain gradient descent on top as a dashed orange line with small dots.
    static func preconditioningFigure(_ panels: [(Objective2D, [(label: String, points: [Point2D])])]) -> Figure {
        let titles = ["axis-aligned", "rotated by 45°"]
        let axes: [Axes] = panels.enumerated().map { k, panel in
            let (f, traces) = panel
            var ax = Axes(xLabel: "x1", yLabel: "x2", title: titles[k])
            ax.contour(x: -6...1.5, y: -3...2, step: 0.05, levels: .geometric(from: 0.125, to: 16), color: .tabBlue) { a, b in
                f.value(Point2D(a, b))
            }
            let plain = traces[0].points, preconditioned = traces[1].points
            ax.plot(preconditioned.map(\.x), preconditioned.map(\.y), "-s", label: traces[1].label, color: .tabGreen)
            ax.plot(plain.map(\.x), plain.map(\.y), "--", label: traces[0].label, color: .tabOrange)
            ax.scatter(plain.map(\.x), plain.map(\.y), color: .tabOrange, size: 2)
            ax.plot([0], [0], "k*")
            ax.animationTracks = [AnimationTrack(points: preconditioned, color: .tabGreen, label: traces[1].label),
                                  AnimationTrack(points: plain, color: .tabOrange, label: traces[0].label)]
            ax.xLimits = -6...1.5
            ax.yLimits = -3...2
            ax.legend = .lowerRight
            return ax
        }
        return Figure(width: 760, height: 300, panels: axes)
    }

    // MARK: - Line search

    static func lineSearch(_ nb: Notebook) {
        nb.heading("Gradient descent with line search", level: 3)
        nb.paragraph("""
            Another way to avoid both overshooting and crawling is to keep the direction −∇f(x) but \
            choose the step length η afresh each time, as the minimizer of φ(η) = f(x − η∇f(x)). For \
            convex f, φ is convex too, and a bracket [a, b] around its minimizer can be halved \
            repeatedly. Exercise 2 asks whether that needs derivatives: bisection as such does, because \
            deciding which half keeps the minimizer uses the sign of φ' at the midpoint. Without \
            derivatives, two interior function values are needed instead (golden-section search).
            """)
        let f = Objective1D.logSumExp
        let bisection = LineSearch.bisection(f.derivative, in: -5...5, tolerance: 1e-10)
        let golden = LineSearch.goldenSection(f.value, in: -5...5, tolerance: 1e-10)
        nb.paragraph("We minimize f(x) = log(eˣ + e^(−2x−3)) on [−5, 5] both ways, to a bracket of width 10⁻¹⁰:")
        nb.output("exact minimizer      (log 2 - 3) / 3 = \(f.minimizer!, format: "%.12f")")
        nb.output("bisection on f'      x = \(bisection.minimizer, format: "%.12f") after \(bisection.iterations) halvings")
        nb.output("golden section on f  x = \(golden.minimizer, format: "%.12f") after \(golden.iterations) steps")
        nb.paragraph("""
            Bisection shrinks the bracket by exactly one half per derivative evaluation, so reaching a \
            width of 10⁻¹⁰ from 10 takes ⌈log₂ 10¹¹⌉ = \(Int((log2(1e11)).rounded(.up))) halvings: linear \
            convergence with rate 1/2. Golden-section search shrinks it by 0.618 per function value \
            and needs \(golden.iterations) steps. \
            Either is far slower per iteration than Newton's method, but neither needs second derivatives \
            or can diverge.
            """)
        let ellipse = Objective2D.ellipse(a: 1, b: 2)
        let (trace, lengths) = LineSearch.steepestDescent(ellipse, steps: 20)
        nb.paragraph("""
            Wrapped around gradient descent on x₁² + 2x₂² (from (−5, −2), 20 steps, each η found by \
            bisection on [0, 1]), line search gives:
            """)
        nb.output(NotebookText(trace.summary))
        nb.output(NotebookText("first step lengths: " + lengths.prefix(4).map { CFormat.format("%.6f", $0) }.joined(separator: ", ")))
        nb.paragraph("""
            The iterates zig-zag at right angles (an exact line search ends where the new gradient is \
            orthogonal to the old direction) and end much closer to the minimum than with the fixed \
            η = 0.1 above. The catch for deep learning is cost: every trial step length needs the \
            objective, and hence a pass over the whole training set.
            """)
        nb.figure(BookFigures.trace2D(ellipse, points: trace.points, levels: ellipseLevels), name: "line-search-2d",
                  caption: "Steepest descent with an exact line search on x₁² + 2x₂².")
    }

    static func summaryAndExercises(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - The learning rate decides everything in plain gradient descent: too small wastes steps, \
            too large diverges.
            - On a convex function whose curvature is at most L, gradient descent with η ≤ 1/L lowers \
            f at every step and reaches f(x_T) − f* ≤ ‖x₀ − x*‖²/(2ηT): O(1/ε) steps for accuracy ε.
            - Gradient descent can stop in a poor local minimum of a nonconvex function, or, with too \
            large a step, jump over good minima and oscillate around a poor one.
            - Newton's method uses curvature to pick the step and converges quadratically once close to \
            a minimum of a convex function, but on nonconvex functions it can climb to a maximum; \
            damping, |f''| and bounded steps are partial cures. Each step costs about d³/3 operations \
            and d² memory, which rules it out for networks with millions of weights.
            - Rescaling coordinates by the Hessian diagonal (preconditioning) fixes badly scaled \
            parameters, but not badly rotated ones.
            - Line search picks each step length automatically at the price of many function evaluations.
            """)
    }
}
