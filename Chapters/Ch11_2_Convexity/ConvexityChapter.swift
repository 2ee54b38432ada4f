import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.2 Convexity: convex sets and functions, Jensen's inequality, why convex functions have no
/// bad local minima, below-sets, the second-derivative test, and three ways to handle
/// constraints (Lagrangian, penalties, projections). Beyond the book: the convexity inequality
/// and Jensen's inequality checked numerically, and projections onto the ℓ₂ and ℓ₁ balls computed.
enum ConvexityChapter: Chapter {
    static let target = "Ch11_2_Convexity"
    static let title = "11.2 Convexity"
    static let summary = "Convex sets and functions, Jensen's inequality, why convex problems have no bad local minima, and constraints via Lagrangians, penalties and projections."
    static let keyFigure: String? = "convex-nonconvex.svg"

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Convexity is the setting in which optimization algorithms can actually be analysed and \
            tested: if a method misbehaves on a convex problem, there is little hope for it elsewhere. \
            Deep learning objectives are not convex, but close to a good minimum they often look \
            locally like convex ones, and several practical methods (averaging of iterates along the \
            trajectory, for instance, as in stochastic weight averaging) are motivated by that picture.
            """)
        nb.heading("11.2.1 Definitions")
        sets(nb)
        functions(nb)
        jensen(nb, ctx)
        nb.heading("11.2.2 Consequences of convexity")
        noLocalMinima(nb)
        belowSets(nb)
        secondDerivatives(nb)
        nb.heading("11.2.3 Constraints")
        constraints(nb)
        projections(nb)
        projectedGradientDescent(nb)
        summaryAndExercises(nb, ctx)
    }


    // MARK: - Sets

    static func sets(_ nb: Notebook) {
        nb.heading("Convex sets", level: 3)
        nb.paragraph("""
            A set X in a vector space is *convex* when it contains the whole straight segment between \
            any two of its points:
            """)
        nb.formula(#"\lambda a + (1 - \lambda) b \in X \quad \text{for all } a, b \in X \text{ and } \lambda \in [0, 1]"#,
                   plain: "λa + (1 − λ)b ∈ X   for all a, b ∈ X and λ ∈ [0, 1]")
        nb.paragraph("""
            A disc or a filled square qualifies; a crescent does not, since some segments between two \
            of its points leave it. Two facts follow immediately. If X and Y are convex, so is X ∩ Y: \
            a segment between two points of the intersection lies in X and in Y, hence in X ∩ Y. The \
            argument works for any number of sets, so arbitrary intersections of convex sets are \
            convex. Unions are another matter: if X and Y are disjoint, a segment from a point of X \
            to a point of Y must cross the gap between them, which belongs to neither set.
            """)
        let disc = { (cx: Double, cy: Double, r: Double) in { (x: Double, y: Double) in (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r } }
        let a1 = disc(-0.4, 0, 1), b1 = disc(0.6, 0.2, 0.9)
        var left = Axes(title: "intersection: convex")
        left.fillRegion(x: -1.6...1.6, y: -1.2...1.2, step: 0.01, color: .tabBlue, opacity: 0.15) { a1($0, $1) }
        left.fillRegion(x: -1.6...1.6, y: -1.2...1.2, step: 0.01, color: .tabOrange, opacity: 0.15) { b1($0, $1) }
        left.fillRegion(x: -1.6...1.6, y: -1.2...1.2, step: 0.01, color: .tabGreen, opacity: 0.6) { a1($0, $1) && b1($0, $1) }
        left.plot([0.1, 0.35], [0.55, -0.6], "k-o")
        let a2 = disc(-0.9, 0, 0.6), b2 = disc(0.9, 0.1, 0.6)
        var right = Axes(title: "union: not convex")
        right.fillRegion(x: -1.6...1.6, y: -1.2...1.2, step: 0.01, color: .tabBlue, opacity: 0.4) { a2($0, $1) }
        right.fillRegion(x: -1.6...1.6, y: -1.2...1.2, step: 0.01, color: .tabOrange, opacity: 0.4) { b2($0, $1) }
        right.plot([-1.1, 1.0], [0.2, -0.1], "k-o")
        right.text("gap", at: (-0.18, 0.2))
        // The fills are grids of small cells; a drawn outline gives each disc a smooth edge.
        let turn = (0...120).map { Double($0) / 120 * 2 * Double.pi }
        for (c, color) in [((-0.4, 0.0, 1.0), PlotColor.tabBlue), ((0.6, 0.2, 0.9), .tabOrange)] {
            left.plot(turn.map { c.0 + c.2 * cos($0) }, turn.map { c.1 + c.2 * sin($0) }, "-", color: color, lineWidth: 1)
        }
        for (c, color) in [((-0.9, 0.0, 0.6), PlotColor.tabBlue), ((0.9, 0.1, 0.6), .tabOrange)] {
            right.plot(turn.map { c.0 + c.2 * cos($0) }, turn.map { c.1 + c.2 * sin($0) }, "-", color: color, lineWidth: 1)
        }
        for i in [0, 1] {
            var ax = i == 0 ? left : right
            ax.equalAspect = true
            ax.xLimits = -1.6...1.6; ax.yLimits = -1.2...1.2
            if i == 0 { left = ax } else { right = ax }
        }
        nb.figure(Figure(width: 640, height: 280, panels: [left, right]), name: "intersection-union",
                  caption: "Left: the intersection (green) of two convex discs is convex. Right: a segment between two disjoint discs leaves their union.")
        nb.paragraph("""
            The domains we meet in deep learning are usually convex: all of ℝᵈ, or a ball of vectors of \
            bounded length, {x ∈ ℝᵈ : ‖x‖₂ ≤ r}.
            """)
    }

    // MARK: - Functions

    static func functions(_ nb: Notebook) {
        nb.heading("Convex functions", level: 3)
        nb.paragraph("""
            Let X be convex. A function f: X → ℝ is *convex* when, for all x, x′ ∈ X and λ ∈ [0, 1],
            """)
        nb.formula(#"\lambda f(x) + (1 - \lambda) f(x') \ge f(\lambda x + (1 - \lambda) x')"#,
                   plain: "λ f(x) + (1 − λ) f(x′) ≥ f(λx + (1 − λ)x′)")
        nb.paragraph("""
            Geometrically, every chord of the graph lies on or above the graph. The domain has to be \
            convex for the definition to make sense at all, since otherwise the point λx + (1 − λ)x′ \
            might fall outside it. We draw three functions on [−2, 2) with the chord from x = −1.5 to \
            x = 1: the parabola 0.5x², the cosine cos(πx) and the exponential exp(0.5x).
            """)
        nb.code(cell: "convex-chords")
        // cell: convex-chords
        let named: [(String, (Double) -> Double)] = [("0.5 x^2", { 0.5 * $0 * $0 }),
                                                     ("cos(pi x)", { cos(Double.pi * $0) }),
                                                     ("exp(0.5 x)", { exp(0.5 * $0) })]
        let titles = ["0.5x² (convex)", "cos(πx) (not convex)", "exp(0.5x) (convex)"]
        let x = arange(-2, 2, 0.01), segment = [-1.5, 1.0]
        var panels = zip(named, titles).map { named, title in
            var ax = BookFigures.plotAxes(x: [x, segment], [x.map(named.1), segment.map(named.1)], xLabel: "x", yLabel: "f(x)",
                                          legend: ["f", "chord from −1.5 to 1"])
            ax.title = title
            return ax
        }
        // One legend explains all three panels; placed where each curve leaves room.
        panels[0].legend = .none
        panels[1].legend = .none
        panels[2].legend = .upperLeft
        // end cell
        nb.figure(Figure(width: 900, height: 300, panels: panels), name: "convex-nonconvex",
                  caption: "0.5x² (convex), cos(πx) (not convex) and exp(0.5x) (convex), each with the chord between x = −1.5 and x = 1.")
        nb.paragraph("""
            The cosine's chord dips below the curve, so it is not convex; the other two pass. A picture \
            shows one chord; a computer can try many. We test the defining inequality on every pair of \
            grid points x, x′ ∈ {−2, −1.9, …, 1.9} and every λ ∈ {0.1, 0.2, …, 0.9} and count the \
            violations (beyond a rounding tolerance of 10⁻¹²):
            """)
        let grid = arange(-2, 2, 0.1)
        let lambdas = (1...9).map { Double($0) / 10 }
        for (name, f) in named {
            var violations = 0, total = 0
            var worst = 0.0
            for a in grid { for b in grid { for l in lambdas {
                total += 1
                let gap = l * f(a) + (1 - l) * f(b) - f(l * a + (1 - l) * b)
                if gap < -1e-12 { violations += 1; worst = min(worst, gap) }
            } } }
            nb.output("\(name): \(violations) violations in \(total) triples (most negative gap \(worst, format: "%.4f"))")
        }
    }

    // MARK: - Jensen

    static func jensen(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Jensen's inequality", level: 3)
        nb.paragraph("""
            Applying the definition repeatedly, one weight at a time, extends it from two points to \
            any convex combination, and a limiting argument extends it to expectations. For a convex f, \
            nonnegative weights αᵢ summing to 1, and a random variable X:
            """)
        nb.formula(#"\sum_i \alpha_i f(x_i) \ge f\Big(\sum_i \alpha_i x_i\Big) \qquad\text{and}\qquad E[f(X)] \ge f(E[X])"#,
                   plain: "Σᵢ αᵢ f(xᵢ) ≥ f(Σᵢ αᵢ xᵢ)     and     E[f(X)] ≥ f(E[X])")
        nb.paragraph("""
            Averaging first and then applying f never gives more than applying f first and then \
            averaging. We check it on samples: 10000 draws of X ~ N(0, 1) from the seeded stream \
            "jensen", for two convex functions and, as a warning, for the nonconvex cos(πx) with X \
            uniform on [−1, 1]:
            """)
        var g = ctx.generator(stream: "jensen")
        let n = 10000
        let normal = g.normals(n)
        let uniform = (0..<n).map { _ in g.uniform(-1, 1) }
        let cases: [(String, [Double], (Double) -> Double)] = [
            ("x^2,       X ~ N(0, 1)", normal, { $0 * $0 }),
            ("exp(x),    X ~ N(0, 1)", normal, { exp($0) }),
            ("cos(pi x), X ~ U(-1, 1)", uniform, { cos(Double.pi * $0) }),
        ]
        for (name, xs, f) in cases {
            let meanOfF = xs.reduce(0) { $0 + f($1) } / Double(n)
            let fOfMean = f(xs.reduce(0, +) / Double(n))
            let holds = meanOfF >= fOfMean ? "holds" : "FAILS"
            nb.output("f = \(name): E[f(X)] = \(meanOfF, format: "%.4f"), f(E[X]) = \(fOfMean, format: "%.4f") -> \(holds)")
        }
        nb.paragraph("""
            For x² the gap E[X²] − (E[X])² is exactly the (sample) variance, close to 1; for exp the \
            exact value E[e^X] = e^(1/2) ≈ 1.6487 is matched to sampling accuracy. The cosine shows \
            that convexity is really needed: there the inequality is reversed.
            """)
        nb.paragraph("""
            A typical use is in models with hidden variables. If y is unobserved with distribution \
            P(y) and P(x) = Σ_y P(y) P(x | y), then since −log is convex,
            """)
        nb.formula(#"E_{y \sim P(y)}[-\log P(x \mid y)] \ge -\log P(x)"#,
                   plain: "E_{y∼P(y)}[−log P(x | y)] ≥ −log P(x)")
        let prior = [0.3, 0.7], likelihood = [0.9, 0.2]
        let expected = zip(prior, likelihood).reduce(0) { $0 - $1.0 * log($1.1) }
        let marginal = zip(prior, likelihood).reduce(0) { $0 + $1.0 * $1.1 }
        nb.paragraph("""
            This is the bound behind variational methods and the EM algorithm, where y might be the \
            cluster a point came from. With two clusters, P(y) = (0.3, 0.7) and P(x | y) = (0.9, 0.2):
            """)
        nb.output("E[-log P(x|y)] = \(expected, format: "%.4f") >= -log P(x) = -log \(marginal, format: "%.2f") = \(-log(marginal), format: "%.4f")")
    }

    // MARK: - Properties

    static func noLocalMinima(_ nb: Notebook) {
        nb.heading("Local minima are global", level: 3)
        nb.paragraph("""
            A convex function has no local minima other than global ones. Suppose x were a local \
            minimum and some x′ had f(x′) < f(x). For λ ∈ [0, 1) convexity gives
            """)
        nb.formula(#"f(x) > \lambda f(x) + (1 - \lambda) f(x') \ge f(\lambda x + (1 - \lambda) x')"#,
                   plain: "f(x) > λ f(x) + (1 − λ) f(x′) ≥ f(λx + (1 − λ)x′)")
        nb.paragraph("""
            and letting λ → 1 produces points arbitrarily close to x with smaller values, contradicting \
            local minimality. The nonconvex f(x) = (x − 1)²(x + 1) shows what can happen otherwise: \
            x = 1 is a local minimum with f(1) = 0, but f(−2) = −9, and the chord from −1.5 to 1 runs \
            below the graph.
            """)
        let f = Objective1D.cubicWithLocalMinimum
        nb.output("f'(1) = \(f.derivative(1), format: "%g"), f''(1) = \(f.secondDerivative!(1), format: "%g") (\(StationaryPoint.classify(secondDerivative: f.secondDerivative!(1)).rawValue)), f(1) = \(f.value(1), format: "%g"), f(-2) = \(f.value(-2), format: "%g")")
        let x = arange(-2, 2, 0.01), segment = [-1.5, 1.0]
        var cubicAxes = BookFigures.plotAxes(x: [x, segment], [x.map(f.value), segment.map(f.value)], xLabel: "x", yLabel: "f(x)",
                                             legend: ["f(x) = (x − 1)²(x + 1)", "chord from −1.5 to 1"])
        cubicAxes.legend = .lowerRight
        let fig = Figure(cubicAxes)
        nb.figure(fig, name: "local-minimum-cubic",
                  caption: "(x − 1)²(x + 1) with the chord from −1.5 to 1: a local minimum at 1 that is not global.")
        nb.paragraph("""
            So minimizing a convex function cannot get stuck. That says nothing about uniqueness or \
            existence, though: max(|x| − 1, 0) attains its minimum on the whole interval [−1, 1], and \
            exp(x) approaches 0 as x → −∞ without ever reaching it.
            """)
    }

    static func belowSets(_ nb: Notebook) {
        nb.heading("Below-sets are convex", level: 3)
        nb.paragraph("A convex function on a convex set X has convex *below-sets* (sublevel sets):")
        nb.formula(#"S_b = \{x \in X : f(x) \le b\}"#, plain: "S_b = {x ∈ X : f(x) ≤ b}")
        nb.paragraph("""
            For x, x′ ∈ S_b, f(λx + (1 − λ)x′) ≤ λf(x) + (1 − λ)f(x′) ≤ b, so the segment stays in S_b. \
            Conversely, a function whose below-sets fall apart cannot be convex. The function \
            f(x, y) = x² + 0.5 cos(2πy) (the book's code; its text writes 0.5x² + cos(2πy), which \
            behaves the same way) is a parabola in x plus a wave in y. Its contour lines, drawn on the \
            floor of the box below, enclose separate islands: the below-sets are unions of disjoint \
            pieces, and f is not convex.
            """)
        var surface = Surface3D(x: -1...1, y: -1...1, samples: 31) { x, y in x * x + 0.5 * cos(2 * Double.pi * y) }
        surface.wireStride = 3
        surface.contoursBelow = .values([-0.25, 0, 0.25, 0.5, 0.75, 1, 1.25])
        surface.zLimits = -1...1.5
        surface.zLabel = "f(x, y)"
        var ax = Axes(); ax.surface = surface
        nb.figure(Figure(width: 450, height: 380, ax), name: "below-sets-3d",
                  caption: "x² + 0.5 cos(2πy) as a wireframe, with its contour lines on the floor (z = −1): the below-sets are not convex.")
        let h = { (x: Double, y: Double) in x * x + 0.5 * cos(2 * Double.pi * y) }
        let p = (0.0, -0.5), q = (0.0, 0.5), mid = (0.0, 0.0)
        nb.output("f(0, -0.5) = \(h(p.0, p.1), format: "%.2f"), f(0, 0.5) = \(h(q.0, q.1), format: "%.2f"), but at their midpoint f(0, 0) = \(h(mid.0, mid.1), format: "%.2f")")
        nb.paragraph("""
            Both endpoints lie in the below-set S_0, their midpoint does not: S_0 is not convex.
            """)
    }

    static func secondDerivatives(_ nb: Notebook) {
        nb.heading("Convexity and second derivatives", level: 3)
        nb.paragraph("""
            For twice-differentiable functions there is a practical test: f is convex if and only if \
            its Hessian is positive semidefinite everywhere, ∇²f ⪰ 0 (all eigenvalues ≥ 0). For \
            example ½‖x‖² has Hessian I and is convex. It suffices to prove the one-dimensional case, \
            because along any line g(z) = f(x + zv) we have g″(z) = vᵀ∇²f v, which is ≥ 0 for every v \
            exactly when the Hessian is positive semidefinite.
            """)
        nb.paragraph("""
            One direction: for convex f, the midpoint inequality ½f(x + ε) + ½f(x − ε) ≥ f(x) holds, \
            and the second derivative is the limit of the corresponding difference quotient, so it \
            cannot be negative:
            """)
        nb.formula(#"f''(x) = \lim_{\epsilon \to 0} \frac{f(x + \epsilon) + f(x - \epsilon) - 2 f(x)}{\epsilon^2} \ge 0"#,
                   plain: "f''(x) = lim_{ε→0} (f(x + ε) + f(x − ε) − 2f(x)) / ε² ≥ 0")
        let e = 1e-3
        let quotient = { (f: (Double) -> Double, x: Double) in (f(x + e) + f(x - e) - 2 * f(x)) / (e * e) }
        nb.output("difference quotient with eps = 1e-3: 0.5x^2 at x = 0.7: \(quotient({ 0.5 * $0 * $0 }, 0.7), format: "%.4f"), cos(pi x) at x = 0: \(quotient({ cos(Double.pi * $0) }, 0), format: "%.4f") (-pi^2 = \(-Double.pi * Double.pi, format: "%.4f"))")
        nb.paragraph("""
            The other direction: f″ ≥ 0 makes f′ nondecreasing. Take a < x < b. By the mean value \
            theorem f(x) − f(a) = (x − a)f′(α) and f(b) − f(x) = (b − x)f′(β) for some α ∈ [a, x] and \
            β ∈ [x, b], and f′(β) ≥ f′(α). Hence
            """)
        nb.formula(#"f(b) - f(a) = (b - x) f'(\beta) + (x - a) f'(\alpha) \ge (b - a) f'(\alpha)"#,
                   plain: "f(b) − f(a) = (b − x) f′(β) + (x − a) f′(α) ≥ (b − a) f′(α)")
        nb.paragraph("""
            Rearranged, the slope of the chord from a to b is at least the slope from a to x, so f(x) \
            lies below the chord through (a, f(a)) and (b, f(b)): that is convexity. The figure shows \
            the three points on 0.5x² with a = −1.5, x = −0.5, b = 1.
            """)
        let f = { (x: Double) in 0.5 * x * x }
        let x = arange(-2, 2, 0.01), axb = [-1.5, -0.5, 1.0], ab = [-1.5, 1.0]
        var ax = BookFigures.plotAxes(x: [x, axb, ab], [x, axb, ab].map { $0.map(f) }, xLabel: "x", yLabel: "f(x)",
                                      legend: ["f(x) = 0.5x²", "a → x → b", "chord from a to b"])
        // Headroom above the parabola keeps the legend off the curve and the labels.
        ax.yLimits = -0.1...2.9
        ax.legend = .upperRight
        ax.annotate("a", at: (-1.5, f(-1.5)), textAt: (-1.5, 1.5))
        ax.annotate("b", at: (1, f(1)), textAt: (1, 1.5))
        ax.annotate("x", at: (-0.5, f(-0.5)), textAt: (-1.5, f(-0.5)))
        nb.figure(Figure(ax), name: "second-derivative",
                  caption: "0.5x² with a = −1.5, x = −0.5, b = 1: f(x) lies below the chord from a to b.")
    }

    // MARK: - Constraints

    static func constraints(_ nb: Notebook) {
        nb.paragraph("""
            Convexity also makes constraints manageable. The general problem is
            """)
        nb.formula(#"\min_{\mathbf{x}} f(\mathbf{x}) \quad \text{subject to} \quad c_i(\mathbf{x}) \le 0 \text{ for } i = 1, \dots, N"#,
                   plain: "minimize f(x)   subject to   cᵢ(x) ≤ 0 for i = 1, …, N")
        nb.paragraph("""
            with an objective f and constraint functions cᵢ. For example c₁(x) = ‖x‖₂ − 1 keeps x in the \
            unit ball, and adding c₂(x) = vᵀx + b restricts it further to a half-space: together they \
            cut a slice out of the ball.
            """)
        nb.heading("The Lagrangian", level: 3)
        nb.paragraph("""
            A mechanical picture helps. A ball rolling inside a box comes to rest at the lowest point it \
            can reach, where gravity (the gradient of f) is balanced by the push of the walls (the \
            gradients of the constraints). A wall the ball does not touch exerts no force. Written as a \
            formula this becomes the Lagrangian
            """)
        nb.formula(#"L(\mathbf{x}, \alpha) = f(\mathbf{x}) + \sum_i \alpha_i c_i(\mathbf{x}), \qquad \alpha_i \ge 0"#,
                   plain: "L(x, α) = f(x) + Σᵢ αᵢ cᵢ(x),   αᵢ ≥ 0")
        nb.paragraph("""
            The multipliers αᵢ are just large enough to keep each constraint satisfied, and zero for \
            constraints that hold with room to spare. The constrained optimum is a saddle point of L: a \
            minimum over x and a maximum over α (Boyd and Vandenberghe 2004 derive this in detail). \
            A small check: minimizing ‖x − c‖² over the unit disc for c = (2, 1) gives x* = c/‖c‖, and \
            the gradients balance, ∇f(x*) + α∇c₁(x*) = 0, with α = 2(‖c‖ − 1):
            """)
        let c = Point2D(2, 1)
        let norm = (c.x * c.x + c.y * c.y).squareRoot()
        let xStar = Projection.ontoL2Ball(c)
        let alpha = 2 * (norm - 1)
        let gradF = 2 * (xStar - c)
        let gradC = xStar / (xStar.x * xStar.x + xStar.y * xStar.y).squareRoot()
        let residual = gradF + alpha * gradC
        nb.output("x* = (\(xStar.x, format: "%.4f"), \(xStar.y, format: "%.4f")), alpha = \(alpha, format: "%.4f"), |grad f + alpha grad c| = \(max(abs(residual.x), abs(residual.y)), format: "%.1e")")
        nb.heading("Penalties", level: 3)
        nb.paragraph("""
            Rather than enforcing cᵢ(x) ≤ 0 exactly, we can keep a fixed αᵢcᵢ(x) in the objective, which \
            discourages large violations without forbidding them. Weight decay is exactly this: adding \
            (λ/2)‖w‖² to the loss keeps ‖w‖ small, as a constraint ‖w‖² ≤ r² would, and λ plays the \
            role of the multiplier that sets the effective radius. For the toy problem above, \
            minimizing ‖x − c‖² + (λ/2)‖x‖² gives x = 2c/(2 + λ), and the norm shrinks as λ grows:
            """)
        for lambda in [0.0, 0.5, 1.0, 2.0, alpha] {
            let x = 2 / (2 + lambda) * c
            nb.output("lambda = \(lambda, format: "%.4f"): x = (\(x.x, format: "%.4f"), \(x.y, format: "%.4f")), |x| = \(Double((x.x * x.x + x.y * x.y).squareRoot()), format: "%.4f")")
        }
        nb.paragraph("""
            With λ = α the penalty lands exactly on the constrained solution: on the unit circle the \
            gradient λx of the penalty equals the force α x/‖x‖ of the constraint. In this sense the \
            multiplier and the penalty weight are the same thing. Penalties are usually more \
            robust in practice than exact constraints, and for nonconvex problems the guarantees that \
            make exact constraints attractive are lost anyway.
            """)
    }

    static func projections(_ nb: Notebook) {
        nb.heading("Projections", level: 3)
        nb.paragraph("""
            A third way to respect a constraint is to move back into the feasible set whenever a step \
            leaves it. Gradient clipping for recurrent networks (Section 8.5 of the book) already does this: it \
            rescales a gradient whose norm exceeds c,
            """)
        nb.formula(#"\mathbf{g} \leftarrow \mathbf{g} \cdot \min(1, c / \|\mathbf{g}\|)"#,
                   plain: "g ← g · min(1, c / ‖g‖)")
        nb.paragraph("which is the projection of g onto the ball of radius c. In general, the projection onto a convex set X is the nearest point of X:")
        nb.formula(#"\mathrm{Proj}_X(\mathbf{x}) = \operatorname*{argmin}_{\mathbf{x}' \in X} \|\mathbf{x} - \mathbf{x}'\|_2"#,
                   plain: "Proj_X(x) = argmin_{x′ ∈ X} ‖x − x′‖₂")
        nb.paragraph("""
            For the ℓ₂ ball the projection only shortens x. For the ℓ₁ ball, the diamond |x₁| + |x₂| ≤ 1 \
            in the plane, it subtracts the same amount θ from every magnitude and stops at zero; θ is \
            found by sorting the magnitudes (the algorithm of Duchi et al. 2008). The direction \
            generally changes, and small coordinates become exactly 0, which is why ℓ₁ projections \
            are used to make weight vectors sparse.
            """)
        nb.code(cell: "ball-projections")
        // cell: ball-projections
        let points: [Point2D] = [Point2D(2, 1), Point2D(0.4, 0.3), Point2D(-1.5, 0.5), Point2D(0.3, -1.6),
                                 Point2D(1, 1), Point2D(-0.9, -1.0), Point2D(-0.2, 0.6)]
        var rows: [[NotebookText]] = []
        func pair(_ p: Point2D) -> NotebookText { "(\(p.x, format: "%.4f"), \(p.y, format: "%.4f"))" }
        for p in points {
            let l2 = (p.x * p.x + p.y * p.y).squareRoot(), l1 = abs(p.x) + abs(p.y)
            rows.append([pair(p), "\(l2, format: "%.4f")", pair(Projection.ontoL2Ball(p)),   // x · min(1, 1/‖x‖₂)
                         "\(l1, format: "%.4f")", pair(Projection.ontoL1Ball(p))])  // sign(x) · max(|x| − θ, 0)
        }
        nb.table(header: ["x", "‖x‖₂", "onto ℓ₂ ball", "‖x‖₁", "onto ℓ₁ ball"], rows: rows)
        // end cell
        nb.paragraph("""
            Points inside a ball stay where they are. Outside, the ℓ₂ projection keeps the direction, \
            while the ℓ₁ projection of (2, 1) is (1, 0) and that of (0.3, −1.6) is (0, −1): one \
            coordinate is switched off entirely. The figure shows both; dashed lines join each outside \
            point to its image.
            """)
        let angles = (0...200).map { Double($0) / 200 * 2 * Double.pi }
        var panels: [Axes] = []
        for (title, project, boundary) in [
            ("ℓ₂ ball", { (p: Point2D) in Projection.ontoL2Ball(p) }, angles.map { Point2D(cos($0), sin($0)) }),
            ("ℓ₁ ball", { (p: Point2D) in Projection.ontoL1Ball(p) }, [Point2D(1, 0), Point2D(0, 1), Point2D(-1, 0), Point2D(0, -1), Point2D(1, 0)]),
        ] {
            var ax = Axes(xLabel: "x1", yLabel: "x2", title: title)
            ax.plot(boundary.map(\.x), boundary.map(\.y), "-", color: .tabBlue)
            let inside = points.filter { project($0) == $0 }
            let outside = points.filter { project($0) != $0 }
            for p in outside {
                let q = project(p)
                ax.plot([p.x, q.x], [p.y, q.y], "--", color: .gray, lineWidth: 1)
            }
            ax.scatter(inside.map(\.x), inside.map(\.y), label: "inside (unchanged)", color: PlotColor(hex: 0xe6b800))
            ax.scatter(outside.map(\.x), outside.map(\.y), label: "outside", color: .black)
            ax.scatter(outside.map { project($0).x }, outside.map { project($0).y }, label: "projection", color: .tabRed)
            ax.equalAspect = true
            ax.xLimits = -2.2...2.2; ax.yLimits = -2...1.6
            ax.legend = .none
            panels.append(ax)
        }
        panels[1].legend = .lowerLeft
        nb.figure(Figure(width: 700, height: 330, panels: panels), name: "projections",
                  caption: "Projections onto the ℓ₂ ball (left) and the ℓ₁ ball (right): inside points stay, outside points move to the nearest boundary point.")
    }

    /// Projected gradient descent: a gradient step, then back into the set.
    static func projectedDescent(_ f: Objective2D, start: Point2D, learningRate eta: Double, steps: Int,
                                 project: (Point2D) -> Point2D) -> [Point2D] {
        var points = [start]
        var x = start
        for _ in 0..<steps {
            x = project(x - eta * f.gradient(x))
            points.append(x)
        }
        return points
    }

    static func projectedGradientDescent(_ nb: Notebook) {
        nb.paragraph("""
            Projections turn any gradient method into a constrained one: take the usual step, then \
            project back, x ← Proj_X(x − η∇f(x)). We minimize f(x) = (x₁ − 2)² + 0.5(x₂ − 1)², whose \
            unconstrained minimum (2, 1) lies outside both balls, starting at (−1.5, 1.5) with η = 0.2 \
            for 30 steps:
            """)
        let f = Objective2D(name: "(x1 - 2)^2 + 0.5 (x2 - 1)^2",
                            value: { p in (p.x - 2) * (p.x - 2) + 0.5 * (p.y - 1) * (p.y - 1) },
                            gradient: { p in Point2D(2 * (p.x - 2), p.y - 1) })
        let start = Point2D(-1.5, 1.5)
        let onL2 = projectedDescent(f, start: start, learningRate: 0.2, steps: 30) { Projection.ontoL2Ball($0) }
        let onL1 = projectedDescent(f, start: start, learningRate: 0.2, steps: 30) { Projection.ontoL1Ball($0) }
        for (name, path) in [("l2 ball", onL2), ("l1 ball", onL1)] {
            let p = path[path.count - 1]
            nb.output("\(name): x after 30 steps = (\(p.x, format: "%.4f"), \(p.y, format: "%.4f")), f = \(f.value(p), format: "%.4f")")
        }
        nb.paragraph("""
            On the ℓ₂ ball the solution is a point of the circle with both coordinates nonzero. On the \
            ℓ₁ ball the iterates slide along an edge of the diamond into the corner (1, 0): the second \
            coordinate is exactly zero. Corners are where the ℓ₁ ball touches the level sets of most \
            objectives first, which is the geometric reason why ℓ₁ constraints (and ℓ₁ penalties) give \
            sparse solutions.
            """)
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.contour(x: -2.5...3, y: -2.5...3, step: 0.05, levels: .values([0.5, 1, 2, 4, 6, 9, 12]), color: .tabBlue) { a, b in
            f.value(Point2D(a, b))
        }
        // The two balls are drawn as contour lines (‖x‖₂ = 1 and ‖x‖₁ = 1), which the animated
        // twin keeps at full strength; plotted series would be faded there like the paths.
        ax.contour(x: -2...2, y: -2...2, step: 0.01, levels: .values([1]), color: .gray) { a, b in (a * a + b * b).squareRoot() }
        ax.contour(x: -2...2, y: -2...2, step: 0.01, levels: .values([1]), color: .black) { a, b in abs(a) + abs(b) }
        ax.plot(onL2.map(\.x), onL2.map(\.y), "-o", label: "onto ℓ₂ ball", color: .tabOrange)
        ax.plot(onL1.map(\.x), onL1.map(\.y), "-o", label: "onto ℓ₁ ball", color: .tabRed)
        ax.animationTracks = [AnimationTrack(points: onL2, color: .tabOrange), AnimationTrack(points: onL1, color: .tabRed)]
        ax.plot([2], [1], "k*", label: "minimum of f")
        ax.equalAspect = true
        ax.xLimits = -2...2.5; ax.yLimits = -1.5...2
        ax.legend = .lowerRight
        nb.figure(Figure(width: 450, height: 380, ax), name: "projected-gradient-descent",
                  caption: "Projected gradient descent on (x₁ − 2)² + 0.5(x₂ − 1)² over the unit ℓ₂ ball (grey circle) and the unit ℓ₁ ball (black diamond), over blue contour lines of f.")
    }

    static func summaryAndExercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            For deep learning, convexity is mostly a lens: it motivates algorithms and lets us analyse \
            them, as the next sections do for gradient descent and its stochastic variant.
            """)
        nb.heading("Summary")
        nb.paragraph("""
            - Intersections of convex sets are convex; unions need not be.
            - For convex f, E[f(X)] ≥ f(E[X]) (Jensen's inequality).
            - A twice-differentiable function is convex exactly when its Hessian is positive \
            semidefinite everywhere.
            - Convex functions have no local minima that are not global, and their below-sets are convex.
            - Constraints can be handled through the Lagrangian, approximately through penalties such as \
            weight decay, or by projecting back onto the feasible set.
            """)
        exercises(nb, ctx)
    }
}
