import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.1 Optimization and Deep Learning: what optimization is (and is not) for in deep learning,
/// and the three obstacles the rest of the chapter keeps meeting: local minima, saddle points
/// and vanishing gradients. Beyond the book: the second-order test computed, how often random
/// symmetric matrices are positive definite, and a race of four optimizers out of a saddle.
enum OptimizationAndDeepLearningChapter: Chapter {
    static let target = "Ch11_1_OptimizationAndDeepLearning"
    static let title = "11.1 Optimization and Deep Learning"
    static let summary = "Why minimizing training loss is not the same as generalizing, and the obstacles on the way: local minima, saddle points, vanishing gradients."
    static let keyFigure: String? = "saddle-3d.svg"

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Training a network means choosing a loss and then handing it to an algorithm that pushes \
            it down. In the language of optimization the loss is the *objective function*. We follow \
            the usual convention and always minimize; a quantity we would rather make large is simply \
            negated first. This section is about the gap between what the algorithm is asked to do and \
            what we actually want, and about the shapes of loss surfaces that make the algorithm's job \
            hard. Every later section of the chapter is, in one way or another, a response to them.
            """)
        estimation(nb)
        nb.heading("11.1.2 Why optimization in deep learning is hard")
        nb.paragraph("""
            From here on we care only about how well an algorithm drives the objective down, not about \
            generalization. Deep learning objectives almost never have a closed-form minimizer, so we \
            rely on iterative numerical methods, and every method in this chapter is of that kind. \
            Three features of the landscape cause most of the trouble: local minima, saddle points and \
            regions where the gradient all but disappears.
            """)
        localMinima(nb)
        saddlePoints(nb)
        hessianTest(nb, ctx)
        saddleRace(nb)
        vanishingGradients(nb)
        summaryAndExercises(nb, ctx)
    }

    static let xCosPi = Objective1D.xCos(c: Double.pi)

    // MARK: - 11.1.1

    static func estimation(_ nb: Notebook) {
        nb.heading("11.1.1 Optimization is not estimation")
        nb.paragraph("""
            An optimizer is content once the number it was given is small. A learner wants something \
            else: a model that does well on data it has not seen. The loss we can evaluate is an \
            average over the finite training set (the *empirical risk*), whereas what we care about is \
            the average over the whole data distribution (the *expected risk*). Because the two \
            functions differ, their minimizers usually differ as well, and driving the training loss \
            to its very bottom can even hurt (overfitting). Regularization and early stopping address \
            that side of the problem; this chapter deals only with the optimizer.
            """)
        nb.paragraph("""
            A toy picture makes the point. Let the expected risk be f(x) = x·cos(πx) and pretend that \
            a finite sample adds a fast ripple, so that the empirical risk is g(x) = f(x) + 0.2·cos(5πx). \
            The lowest point of g is not where the lowest point of f is.
            """)
        nb.code(cell: "risk-minima")
        // cell: risk-minima
        let x = arange(0.5, 1.5, 0.01)
        let f = { (x: Double) in x * cos(Double.pi * x) }               // expected risk
        let g = { (x: Double) in f(x) + 0.2 * cos(5 * Double.pi * x) }  // empirical risk
        // Locate both minima on the plotted grid, so the text quotes what the figure shows.
        let argminF = x.min { f($0) < f($1) }!, argminG = x.min { g($0) < g($1) }!
        nb.output("minimum of the expected risk f on the grid: x = \(argminF, format: "%.2f"), f = \(f(argminF), format: "%.4f")")
        nb.output("minimum of the empirical risk g on the grid: x = \(argminG, format: "%.2f"), g = \(g(argminG), format: "%.4f")")
        var ax = BookFigures.plotAxes(x: [x], [x.map(f), x.map(g)], xLabel: "x", yLabel: "risk",
                                      legend: ["expected risk f", "empirical risk g"])
        ax.legend = .lowerRight     // the only corner free of curves and annotations
        ax.annotate("min of empirical risk", at: (1.0, -1.2), textAt: (0.5, -1.1))
        ax.annotate("min of expected risk", at: (1.1, -1.05), textAt: (0.95, -0.5))
        // end cell
        nb.figure(Figure(width: 450, height: 250, ax), name: "risk",
                  caption: "Expected risk f (solid) and a rippled empirical risk g (dashed): their minimizers differ.")
    }

    // MARK: - Local minima

    static func localMinima(_ nb: Notebook) {
        nb.heading("Local minima", level: 3)
        nb.paragraph("""
            A point x* is a *local minimum* of f when f(x*) is no larger than f at every point of some \
            neighbourhood of x*; it is the *global minimum* when no point of the whole domain does \
            better. The function
            """)
        nb.formula(#"f(x) = x \cos(\pi x), \qquad -1 \le x \le 2"#, plain: "f(x) = x · cos(πx),   −1 ≤ x ≤ 2")
        nb.paragraph("""
            has one of each. We find both by bisection on f' over brackets read off the graph:
            """)
        let f = xCosPi
        let local = LineSearch.bisection(f.derivative, in: -0.6...0.0, tolerance: 1e-10).minimizer
        let global = LineSearch.bisection(f.derivative, in: 0.8...1.4, tolerance: 1e-10).minimizer
        nb.output("local minimum:  x = \(local, format: "%.4f"), f(x) = \(f.value(local), format: "%.4f"), f''(x) = \(f.secondDerivative!(local), format: "%.4f")")
        nb.output("global minimum: x = \(global, format: "%.4f"), f(x) = \(f.value(global), format: "%.4f"), f''(x) = \(f.secondDerivative!(global), format: "%.4f")")
        let x = arange(-1, 2, 0.01)
        var ax = BookFigures.plotAxes(x: [x], [x.map(f.value)], xLabel: "x", yLabel: "f(x)")
        ax.annotate("local minimum", at: (-0.3, -0.25), textAt: (-0.77, -1.0))
        ax.annotate("global minimum", at: (1.1, -0.95), textAt: (0.6, 0.8))
        nb.figure(Figure(ax), name: "local-global-minimum",
                  caption: "x·cos(πx) on [−1, 2): a shallow local minimum near −0.3 and the global one near 1.1.")
        nb.paragraph("""
            Both points have f' = 0 and f'' > 0, so the local shape alone cannot tell the optimizer \
            which of them is the better one. A method that only follows the local slope and lands in the basin \
            around −0.3 stays there, because the gradient vanishes as it approaches the bottom. Loss \
            surfaces of deep networks have very many such basins. Only some disturbance can push the \
            iterate over the ridge into a better basin, and this is one reason why the noise of \
            minibatch gradients (Section 11.4) can help as well as hurt.
            """)
    }

    // MARK: - Saddle points

    static func saddlePoints(_ nb: Notebook) {
        nb.heading("Saddle points", level: 3)
        nb.paragraph("""
            A gradient can also vanish at a point that is not a minimum of any kind: a *saddle point*, \
            where the function rises in some directions and falls in others. In one dimension the \
            simplest case is f(x) = x³ at x = 0: both f' = 3x² and f'' = 6x are zero there, yet every \
            neighbourhood contains points with smaller values.
            """)
        let cube = Objective1D.cube
        let kind = StationaryPoint.classify(secondDerivative: cube.secondDerivative!(0))
        nb.output("x^3 at 0: f'(0) = \(cube.derivative(0), format: "%g"), f''(0) = \(cube.secondDerivative!(0), format: "%g"), second-order test: \(kind.rawValue)")
        let x = arange(-2, 2, 0.01)
        var ax = BookFigures.plotAxes(x: [x], [x.map(cube.value)], xLabel: "x", yLabel: "f(x)")
        ax.annotate("saddle point", at: (0, -0.2), textAt: (-0.52, -5.0))
        nb.figure(Figure(ax), name: "saddle-x3",
                  caption: "f(x) = x³: the slope is zero at 0, but 0 is no minimum.")
        nb.paragraph("""
            Gradient descent started just to the right of 0 creeps towards it and stalls there, since \
            the slope f'(x) = 3x² shrinks quadratically on the way. Each step is x ← x − 0.3x² for \
            η = 0.1, so x behaves like 1/(0.3k) after k steps: it never crosses 0, and never discovers \
            that the function keeps falling on the other side.
            """)
        let crawl = Descent1D.gradientDescent(cube, learningRate: 0.1, start: 0.5, steps: 1000)
        nb.output("x^3, gradient descent from x = 0.5 with eta = 0.1: x = \(crawl.iterates[10], format: "%.4f") after 10 steps, \(crawl.iterates[100], format: "%.4f") after 100, \(crawl.iterates[1000], format: "%.4f") after 1000")
        nb.paragraph("""
            With more variables saddles become the typical stationary point. Take f(x, y) = x² − y². Its \
            gradient (2x, −2y) is zero only at the origin, which is a minimum along the x axis and a \
            maximum along the y axis. The graph looks like a horse's saddle, hence the name.
            """)
        nb.code(cell: "saddle-surface")
        // cell: saddle-surface
        var surface = Surface3D(x: -1...1, y: -1...1, samples: 31) { x, y in x * x - y * y }
        surface.wireStride = 3      // eleven wires each way, drawn through all 31 samples
        surface.markers = [(x: 0, y: 0, z: 0, label: "saddle point")]
        surface.zLabel = "f(x, y)"
        var saddleAxes = Axes(); saddleAxes.surface = surface
        // end cell
        nb.figure(Figure(width: 450, height: 380, saddleAxes), name: "saddle-3d",
                  caption: "Wireframe of x² − y² on [−1, 1]², with the saddle point at the origin marked.")
    }

    static func hessianTest(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("The second-order test", level: 3)
        nb.paragraph("""
            For f: ℝᵏ → ℝ the local shape around a point with zero gradient is governed by the k \
            eigenvalues of the Hessian there:
            """)
        nb.paragraph("""
            - all eigenvalues positive: a local minimum;
            - all eigenvalues negative: a local maximum;
            - eigenvalues of both signs: a saddle point;
            - some eigenvalue zero and no sign change: the test says nothing (x³ above is such a case).
            """)
        nb.code(cell: "saddle-hessian")
        // cell: saddle-hessian
        let h = Objective2D.saddle.hessian!(Point2D(0, 0))   // [[2, 0], [0, -2]]
        let eigenvalues = SymmetricEigenvalues.of(h)          // cyclic Jacobi, ascending
        nb.output("Hessian of x^2 - y^2 at (0, 0): [[\(h[0][0], format: "%g"), \(h[0][1], format: "%g")], [\(h[1][0], format: "%g"), \(h[1][1], format: "%g")]]")
        nb.output("eigenvalues: \(eigenvalues[0], format: "%g"), \(eigenvalues[1], format: "%g") -> \(StationaryPoint.classify(hessian: h).rawValue)")
        // end cell
        nb.paragraph("""
            Why are saddles the rule in high dimensions? At a random stationary point of a complicated \
            function, a minimum needs every one of k eigenvalues to come out positive. A crude model \
            makes the effect visible: draw symmetric matrices with independent standard normal entries \
            on and above the diagonal and count how often all eigenvalues are positive. (The eigenvalues \
            of such matrices are symmetric about zero in distribution, yet they are not independent, so \
            the fraction is not simply 2⁻ᵏ: it falls even faster.)
            """)
        var g = ctx.generator(stream: "random-hessians")
        let trials = 2000
        var rows: [[NotebookText]] = []
        for k in [1, 2, 3, 4, 6, 8] {
            var positive = 0, negative = 0
            for _ in 0..<trials {
                var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
                for i in 0..<k { for j in i..<k { let v = g.normal(); a[i][j] = v; a[j][i] = v } }
                switch StationaryPoint.classify(hessian: a) {
                case .minimum: positive += 1
                case .maximum: negative += 1
                default: break
                }
            }
            let saddles = trials - positive - negative
            rows.append(["\(k)", "\(Double(positive) / Double(trials), format: "%.4f")",
                         "\(Double(negative) / Double(trials), format: "%.4f")",
                         "\(Double(saddles) / Double(trials), format: "%.4f")",
                         "\(pow(0.5, Double(k)), format: "%.4f")"])
        }
        nb.table(header: ["k", "all positive (minimum)", "all negative (maximum)", "mixed (saddle)", "2^-k"], rows: rows)
        nb.paragraph("""
            Already for k = 8 essentially every sampled "stationary point" is a saddle. Networks have \
            millions of parameters, so an optimizer that stalls near saddles would be useless. \
            Convex functions, the subject of the next section, are the exception: their Hessian \
            never has a negative eigenvalue. Deep learning objectives are not convex, but the convex \
            case is the one where algorithms can be analysed, which is why we study it.
            """)
    }

    // MARK: - Saddle race (beyond the book)

    struct RaceEntry {
        let label: String
        let settings: String
        let trace: Trace2D
        let escapeStep: Int?
    }

    static func saddleRace(_ nb: Notebook) {
        nb.heading("Escaping a saddle: four optimizers compared", level: 3)
        // cell: saddle-race
        let f = Objective2D.saddle                       // x1^2 - x2^2
        let start = Point2D(-1, 1e-3)
        let steps = 20, budget = 200, eta = 0.1
        // `steps` steps to draw, and up to `budget` steps to find the first with |x2| >= 1.
        func race<O: Optimizer>(_ optimizer: O) -> (trace: Trace2D, escapeStep: Int?) {
            let shown = train2D(optimizer: optimizer, objective: f, steps: steps, start: start)
            let long = train2D(optimizer: optimizer, objective: f, steps: budget, start: start)
            return (shown, long.points.firstIndex { abs($0.y) >= 1 })
        }
        let gd = race(SGD(learningRate: eta))
        let momentum = race(Momentum(learningRate: eta, momentum: 0.9))
        let rmsProp = race(RMSProp(learningRate: eta, gamma: 0.9))
        let adam = race(Adam(learningRate: eta))
        // end cell
        nb.paragraph("""
            How fast do the optimizers of this chapter get away from a saddle? We start all of them at \
            (x₁, x₂) = (−1, 0.001) on f = x₁² − x₂²: far out along the stable direction x₁ and only a \
            hair away from the ridge line x₂ = 0. Every method uses the learning rate η = 0.1; momentum \
            uses β = 0.9, RMSProp γ = 0.9 and ε = 10⁻⁶ (inside the root), Adam β₁ = 0.9, β₂ = 0.999 and \
            ε = 10⁻⁶ (outside the root). Each runs \(steps) steps, and separately up to \(budget) steps \
            to find the first step at which |x₂| ≥ 1, i.e. when it has clearly left the saddle.
            """)
        nb.code(cell: "saddle-race")
        let entries = [
            RaceEntry(label: "GD", settings: "η = 0.1", trace: gd.trace, escapeStep: gd.escapeStep),
            RaceEntry(label: "momentum", settings: "η = 0.1, β = 0.9", trace: momentum.trace, escapeStep: momentum.escapeStep),
            RaceEntry(label: "RMSProp", settings: "η = 0.1, γ = 0.9", trace: rmsProp.trace, escapeStep: rmsProp.escapeStep),
            RaceEntry(label: "Adam", settings: "η = 0.1, β₁ = 0.9, β₂ = 0.999", trace: adam.trace, escapeStep: adam.escapeStep),
        ]
        var rows: [[NotebookText]] = []
        for e in entries {
            let p = e.trace.final
            let escape: NotebookText = e.escapeStep.map { "\($0)" } ?? "> \(budget)"
            rows.append([NotebookText(e.label), NotebookText(e.settings), "\(p.x, format: "%.6f")",
                         "\(p.y, format: "%.6f")", "\(f.value(p), format: "%.4f")", escape])
        }
        nb.table(header: ["optimizer", "hyperparameters", "x₁ after \(steps)", "x₂ after \(steps)", "f after \(steps)", "first step with |x₂| ≥ 1"], rows: rows)
        let gdPredicted = (log(1 / start.y) / log(1 + 2 * eta)).rounded(.up)
        // Momentum along x2: x_{t+1} = (1 + β + 2η) x_t − β x_{t−1}, growth = the larger root.
        let beta = 0.9, gamma = 0.9
        let trace = 1 + beta + 2 * eta
        let momentumGrowth = (trace + (trace * trace - 4 * beta).squareRoot()) / 2
        nb.paragraph("""
            Plain gradient descent is the slowest to leave. Its update is linear here: x₁ is multiplied \
            by 1 − 2η = 0.8 and x₂ by 1 + 2η = 1.2 at every step. The unstable coordinate does grow \
            geometrically, but from 10⁻³ it needs ⌈ln(1000)/ln(1.2)⌉ = \(Int(gdPredicted)) steps to \
            reach 1, and the closer the start is to the ridge, the longer the wait (only logarithmically \
            longer, but in many dimensions with tiny curvatures that is slow enough to look like \
            convergence). Momentum accumulates the same small push step after step; along x₂ its \
            growth factor per step is the larger root of λ² − (1 + β + 2η)λ + β = 0, which is \
            \(CFormat.format("%g", momentumGrowth)) here instead of \(CFormat.format("%g", 1 + 2 * eta)), \
            so it needs \(entries[1].escapeStep.map { "\($0)" } ?? "more than \(budget)") steps instead of \
            \(entries[0].escapeStep.map { "\($0)" } ?? "more than \(budget)") (and it overshoots back and forth along the \
            stable direction x₁ on the way). RMSProp and Adam divide each gradient coordinate by a \
            running estimate of its own magnitude, so the tiny slope along x₂ produces a step of \
            roughly η from the very first iteration, however small the slope is. Adam then walks off at \
            about η per step. RMSProp is faster still because its average of squared gradients starts \
            at zero without a bias correction, so its first steps are inflated by up to 1/√(1 − γ) ≈ \(CFormat.format("%.1f", 1 / (1 - gamma).squareRoot())). \
            This is the lecture's advice in action: near a saddle it pays to move quickly in some \
            direction, because the informative curvature lies away from the flat spot.
            """)
        // Contours at hand-picked levels: the automatic ones are too sparse near the saddle.
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.contour(x: -1.2...1.2, y: -0.5...4.0, step: 0.02,
                   levels: .values([-12, -8, -5, -3, -2, -1, -0.5, -0.1, 0.1, 0.5, 1]), color: .tabBlue) { a, b in
            f.value(Point2D(a, b))
        }
        // Drawn in reverse so that the short GD path is not hidden under momentum's.
        for (k, e) in entries.enumerated().reversed() {
            ax.plot(e.trace.points.map(\.x), e.trace.points.map(\.y), "-o", label: e.label,
                    color: PlotColor.tab10[k + 1])
            ax.animationTracks.append(AnimationTrack(points: e.trace.points, color: PlotColor.tab10[k + 1], label: e.label))
        }
        ax.plot([0], [0], "kx", label: "saddle point")
        ax.xLimits = -1.2...1.2; ax.yLimits = -0.5...4.0
        ax.legend = .upperRight
        nb.figure(Figure(width: 450, height: 400, ax), name: "saddle-race",
                  caption: "Twenty steps of GD, momentum, RMSProp and Adam from (−1, 0.001) over contour lines of x₁² − x₂².")
    }

    // MARK: - Vanishing gradients

    static func vanishingGradients(_ nb: Notebook) {
        nb.heading("Vanishing gradients", level: 3)
        nb.paragraph("""
            The most treacherous obstacle is a gradient that is not zero but practically so. Suppose we \
            minimize f(x) = tanh(x) and happen to start at x = 4. The derivative is
            """)
        nb.formula(#"f'(x) = 1 - \tanh^2(x)"#, plain: "f'(x) = 1 − tanh²(x)")
        let f = Objective1D.tanh
        let slope = f.derivative(4)
        nb.output("f'(4) = 1 - tanh(4)^2 = \(slope, format: "%.4f")")
        nb.paragraph("""
            so a gradient step hardly moves the iterate, although the function is far from its infimum \
            of −1. Gradient descent with η = 1 shows how long it is stuck:
            """)
        var x = 4.0
        var checkpoints: [(Int, Double)] = []
        for step in 1...200 {
            x -= f.derivative(x)
            if [10, 50, 100, 200].contains(step) { checkpoints.append((step, x)) }
        }
        for (step, value) in checkpoints {
            nb.output("after \(step) steps: x = \(value, format: "%.4f"), f'(x) = \(f.derivative(value), format: "%.4f")")
        }
        let xs = arange(-2, 5, 0.01)
        var ax = BookFigures.plotAxes(x: [xs], [xs.map(f.value)], xLabel: "x", yLabel: "f(x)")
        ax.annotate("vanishing gradient", at: (4, 1), textAt: (2, 0.0))
        nb.figure(Figure(ax), name: "vanishing-gradient",
                  caption: "tanh(x) is almost flat at x = 4: f'(4) ≈ 0.0013.")
        nb.paragraph("""
            The slope decays like 4e^(−2x), so the walk speeds up only once it has crept back into \
            the region where tanh bends. Saturating activations such as tanh and the sigmoid produced \
            exactly this effect inside deep networks, where many such small factors multiply, and it \
            is a large part of why deep models were hard to train before rectified linear units (ReLU) \
            became the default. Reparametrizing the problem and a careful initialization help as well.
            """)
    }

    static func summaryAndExercises(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.paragraph("""
            None of this makes optimization hopeless. The algorithms of the coming sections are robust \
            and easy to use, and we rarely need the global minimum: a good local one, or even an \
            approximate one, usually gives a perfectly useful model.
            """)
        nb.heading("Summary")
        nb.paragraph("""
            - A small training loss is not the goal in itself: the minimizer of the empirical risk \
            need not minimize the expected risk.
            - Nonconvex objectives can have many local minima, and the gradient alone cannot tell a \
            poor one from a good one.
            - In many dimensions saddle points are far more common than minima; the signs of the \
            Hessian's eigenvalues tell them apart. Plain gradient descent leaves a saddle slowly, \
            adaptive methods quickly.
            - Vanishing gradients stall progress; better parametrizations (e.g. ReLU) and good \
            initialization help.
            """)
        exercises(nb, ctx)
    }
}
