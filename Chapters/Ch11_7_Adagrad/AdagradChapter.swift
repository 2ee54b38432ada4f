import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.7 Adagrad: sparse features, preconditioning and the condition number, the gradient
/// as a cheap stand-in for curvature, the algorithm on the 2-D quadratic (both book traces),
/// the airfoil runs from scratch and by name, and the rotated problem of exercise 2.
enum AdagradChapter: Chapter {
    static let target = "Ch11_7_Adagrad"
    static let title = "11.7 Adagrad"
    static let summary = "Per-coordinate learning rates from accumulated squared gradients, and what diagonal preconditioning can and cannot fix."
    static let keyFigure: String? = "adagrad-eta-0.4.svg"
    static let keyFigureIsAnimated = true

    /// The book's ill-conditioned test function, 0.1 x1² + 2 x2².
    static let ellipse = Objective2D.ellipse(a: 0.1, b: 2)
    /// Exercise 2: 0.1 (x1 + x2)² + 2 (x1 − x2)² = ½ xᵀ A x with A = [[4.2, −3.8], [−3.8, 4.2]].
    static let rotated = Objective2D.quadratic(a11: 4.2, a12: -3.8, a22: 4.2,
                                               name: "0.1 (x1 + x2)^2 + 2 (x1 - x2)^2")

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Momentum (Section 11.6) changed the direction of each step; the methods of the next four \
            sections change its length, separately for every coordinate. Adagrad was the first of them. \
            It keeps, per parameter, a running total of squared gradients and divides the step by its \
            square root, so parameters that have already received a lot of signal move cautiously and \
            parameters that rarely see a gradient keep moving boldly.
            """)
        sparseFeatures(nb)
        preconditioning(nb)
        algorithm(nb)
        let data = try airfoil(nb, ctx)
        rotation(nb)
        try effectiveRate(nb, ctx)
        try extras(nb, ctx)
        closingSummary(nb)
        try exercises(nb, ctx, data: data)
    }

    // MARK: - 11.7.1

    static func sparseFeatures(_ nb: Notebook) {
        nb.heading("11.7.1 Sparse features and learning rates")
        nb.paragraph("""
            Suppose a model sees each input feature with very different frequency: in a text model \
            the token "the" appears in almost every example while "preconditioning" turns up once in \
            a blue moon; recommender systems and ad-click models look the same, with a long tail of \
            rarely active users, items or keywords. A weight tied to a rare feature only receives a \
            nonzero gradient in the few examples where the feature is present.
            """)
        nb.paragraph("""
            A global schedule such as η_t = η₀ / sqrt(t + c) is then wrong for someone. It shrinks the \
            step for every weight at the same pace, so by the time the rare feature has been observed \
            often enough to pin down its weight, the step has long become tiny; slow the schedule down \
            instead and the frequent weights keep jittering around their optimum. (The book's \
            version of this sentence says "too slowly" for both kinds of feature; for the rare ones \
            the rate falls too quickly.) One fix is to give \
            every coordinate its own clock: count how often feature i has been active, s(i, t), and use
            """)
        nb.formula(#"\eta_i = \frac{\eta_0}{\sqrt{s(i,t) + c}}"#, plain: "η_i = η₀ / sqrt(s(i, t) + c)")
        nb.paragraph("""
            Counting occurrences presumes a clean split between "present" and "absent". Real gradients \
            are rarely exactly zero; they are mostly small and now and then large. Adagrad (Duchi, Hazan \
            and Singer, 2011) therefore replaces the count by the sum of squared partial derivatives, \
            s(i, t+1) = s(i, t) + (∂ᵢf(x))². There is no threshold to choose, and the step adapts to the \
            actual size of the gradients: a coordinate whose gradients are routinely large gets a small \
            rate, one with small gradients a comparatively large one.
            """)
    }

    // MARK: - 11.7.2

    static func preconditioning(_ nb: Notebook) {
        nb.heading("11.7.2 Preconditioning")
        nb.paragraph("""
            The second way to look at Adagrad is through convex quadratics, where the effect of a \
            per-coordinate scale can be analysed exactly. Take
            """)
        nb.formula(#"f(\mathbf{x}) = \tfrac{1}{2}\mathbf{x}^\top \mathbf{Q}\mathbf{x} + \mathbf{c}^\top\mathbf{x} + b"#,
                   plain: "f(x) = ½ xᵀQx + cᵀx + b")
        nb.paragraph("""
            with Q symmetric positive definite. Writing Q = UᵀΛU with orthogonal U and diagonal Λ and \
            changing variables to x̄ = Ux, c̄ = Uc decouples the problem into independent one-dimensional \
            parabolas (the book writes x = Ux̄ and c = Uc̄, which does not fit Q = UᵀΛU: then xᵀQx \
            would be x̄ᵀUUᵀΛUUx̄, not x̄ᵀΛx̄):
            """)
        nb.formula(#"f(\mathbf{x}) = \bar f(\bar{\mathbf{x}}) = \tfrac{1}{2}\bar{\mathbf{x}}^\top \boldsymbol{\Lambda}\bar{\mathbf{x}} + \bar{\mathbf{c}}^\top\bar{\mathbf{x}} + b, \qquad \bar{\mathbf{x}}^* = -\boldsymbol{\Lambda}^{-1}\bar{\mathbf{c}}"#,
                   plain: "f̄(x̄) = ½ x̄ᵀΛx̄ + c̄ᵀx̄ + b,   minimizer x̄* = −Λ⁻¹c̄,   minimum b − ½ c̄ᵀΛ⁻¹c̄")
        nb.paragraph("""
            A small change in c moves x̄*ᵢ by the change in c̄ᵢ divided by Λᵢ: along a stiff direction \
            (large eigenvalue) hardly at all, along a flat direction (small eigenvalue) a lot. The spread \
            between the two extremes is the condition number
            """)
        nb.formula(#"\kappa = \frac{\Lambda_1}{\Lambda_d}"#, plain: "κ = Λ₁ / Λ_d   (largest over smallest eigenvalue)")
        nb.paragraph("""
            and the larger κ, the harder the problem is for a first-order method: a step size safe for \
            the stiffest direction crawls along the flattest one. In principle we could rescale space to \
            z = Λ^{1/2}Ux, in which xᵀQx = ‖z‖² and κ = 1, but that needs the eigendecomposition, which \
            costs more than solving the problem. A cheap partial remedy uses only the diagonal of Q:
            """)
        nb.formula(#"\tilde{\mathbf{Q}} = \mathrm{diag}^{-\frac12}(\mathbf{Q})\,\mathbf{Q}\,\mathrm{diag}^{-\frac12}(\mathbf{Q}), \qquad \tilde Q_{ij} = \frac{Q_{ij}}{\sqrt{Q_{ii}Q_{jj}}}"#,
                   plain: "Q̃ = diag(Q)^(−½) · Q · diag(Q)^(−½),   Q̃ᵢⱼ = Qᵢⱼ / sqrt(Qᵢᵢ Qⱼⱼ)")
        nb.paragraph("""
            Every diagonal entry of Q̃ is 1. By Gershgorin's theorem (exercises 3 and 4) each eigenvalue \
            of Q̃ lies within Σ_{k≠j} |Q̃ⱼₖ| of 1 for some row j, so the rescaling helps exactly when the \
            off-diagonal couplings are weak. The two quadratics used below make the point with numbers: \
            the book's axis-aligned 0.1x₁² + 2x₂² and its rotated version from exercise 2.
            """)
        var rows: [[NotebookText]] = []
        for (label, a, b, d) in [("0.1 x₁² + 2 x₂²", 0.2, 0.0, 4.0), ("0.1 (x₁+x₂)² + 2 (x₁−x₂)²", 4.2, -3.8, 4.2)] {
            let (low, high) = eigenvalues2x2(a, b, d)
            let scaled = b / (a * d).squareRoot()
            let (lowT, highT) = eigenvalues2x2(1, scaled, 1)
            rows.append([NotebookText(label), "[[\(a, format: "%g"), \(b, format: "%g")], [\(b, format: "%g"), \(d, format: "%g")]]",
                         "\(low, format: "%g"), \(high, format: "%g")", "\(high / low, format: "%.1f")",
                         "\(lowT, format: "%.4f"), \(highT, format: "%.4f")", "\(highT / lowT, format: "%.1f")"])
        }
        nb.table(header: ["f", "Hessian Q", "eigenvalues", "κ", "eigenvalues of Q̃", "κ after diagonal scaling"], rows: rows)
        nb.paragraph("""
            For the axis-aligned problem the diagonal is the whole story and κ drops from 20 to 1. For \
            the rotated one both diagonal entries are equal, the rescaling is a mere multiple of the \
            identity, and κ stays at 20 (Gershgorin's discs around 1 have radius 3.8/4.2 ≈ 0.905, and the \
            eigenvalues 1 ± 0.905 sit on their edges).
            """)
        nb.paragraph("""
            In deep learning even the diagonal of the Hessian is out of reach: for d parameters the \
            Hessian has d² entries, and computing its diagonal exactly costs far more than a gradient. \
            Adagrad's bet is that the size of the gradient itself can stand in for the curvature. For \
            the quadratic, ∂f̄/∂x̄ = Λx̄ + c̄ = Λ(x̄ − x̄*): the gradient of each coordinate is its \
            curvature times its distance from the optimum. If that distance were frozen, the gradient \
            magnitude would be proportional to the curvature and dividing by it would be exactly the \
            diagonal preconditioner. The distance is not frozen, of course, but with stochastic gradients \
            there is noise even at the optimum, and the accumulated squared gradients track the scale of \
            that noise, which grows with the curvature (measured below, in "the effective learning rate over time"). The guarantees \
            come from the regret analysis of Duchi et al. (2011), which we do not reproduce.
            """)
    }

    /// Eigenvalues (ascending) of the symmetric matrix [[a, b], [b, d]].
    static func eigenvalues2x2(_ a: Double, _ b: Double, _ d: Double) -> (Double, Double) {
        let mean = (a + d) / 2
        let radius = (((a - d) / 2) * ((a - d) / 2) + b * b).squareRoot()
        return (mean - radius, mean + radius)
    }

    // MARK: - 11.7.3

    static func algorithm(_ nb: Notebook) {
        nb.heading("11.7.3 The algorithm")
        nb.paragraph("""
            Collecting the pieces: keep a state vector s, initialised to zero, of the same shape as the \
            parameters w; at every step t add the squared minibatch gradient to it and divide the step \
            coordinate by coordinate by the root of the total:
            """)
        nb.formula(#"\begin{aligned}\mathbf{g}_t &\leftarrow \nabla_{\mathbf{w}}\, \ell\big(y_t, f(\mathbf{x}_t, \mathbf{w}_{t-1})\big)\\ \mathbf{s}_t &\leftarrow \mathbf{s}_{t-1} + \mathbf{g}_t \odot \mathbf{g}_t\\ \mathbf{w}_t &\leftarrow \mathbf{w}_{t-1} - \frac{\eta\, \mathbf{g}_t}{\sqrt{\mathbf{s}_t + \epsilon}}\end{aligned}"#,
                   plain: "g_t = ∂_w l(y_t, f(x_t, w))\ns_t = s_{t−1} + g_t²\nw_t = w_{t−1} − η / sqrt(s_t + ε) · g_t      (all operations per coordinate)")
        nb.paragraph("""
            Squares, roots, divisions and products act entrywise. η is the learning rate and ε a small \
            constant that keeps the division finite while s is still zero. The book (and our `AdaGrad` \
            type by default) puts ε = 10⁻⁶ under the root. Libraries differ: PyTorch's `Adagrad` adds \
            ε = 10⁻¹⁰ outside the root, after `sqrt(s)`, with default η = 0.01; optax's `adagrad` keeps \
            ε = 10⁻⁷ inside the root but starts the accumulator at 0.1 rather than 0. The choice is the \
            `epsilonPlacement` parameter (`.insideRoot` or `.outsideRoot`) of our optimizer types, so \
            either convention is one argument away. For the runs in this section the difference is \
            invisible, since s quickly dwarfs ε.
            """)
        nb.paragraph("""
            The cost over SGD is one extra vector and a few entrywise operations per step, negligible \
            next to computing the gradient. Since s never decreases, neither does the effective rate \
            η/sqrt(s_t) ever increase. How fast it falls depends on the gradients: if they keep a \
            roughly constant size, as minibatch gradients do near the optimum because of their noise, \
            s grows linearly and the rate decays like t^(−½) per coordinate; the book states this \
            decay as a property of Adagrad, but on a noise-free problem that converges the gradients \
            vanish, s converges and the rate levels off (both cases are plotted below). The \
            t^(−½) decay suits convex stochastic problems, but is often too aggressive for deep \
            networks, which is what the following sections address.
            """)
        nb.paragraph("""
            On the quadratic f(x) = 0.1x₁² + 2x₂² from (−5, −2), with the book's η = 0.4:
            """)
        nb.code(cell: "adagrad-2d")
        // cell: adagrad-2d
        let f = Objective2D.ellipse(a: 0.1, b: 2)          // 0.1 x1^2 + 2 x2^2, gradient (0.2 x1, 4 x2)
        let slow = train2D(optimizer: AdaGrad(learningRate: 0.4), objective: f)   // 20 steps from (-5, -2)
        nb.output(NotebookText(slow.summary))
        // end cell
        nb.figure(BookFigures.trace2D(ellipse, points: slow.points), name: "adagrad-eta-0.4",
                  caption: "Adagrad with η = 0.4 on 0.1x₁² + 2x₂²: a smooth path that runs out of steam.")
        nb.paragraph("""
            The path is smooth: in the first step both coordinates move by almost exactly η, because \
            g/sqrt(g²) = ±1 regardless of the curvature, which is the equalising effect we wanted. But the \
            accumulated s keeps growing, the steps keep shrinking, and after 20 steps x₁ has only got from \
            −5 to about −2.38. With a learning rate five times larger the decay is no longer the \
            bottleneck:
            """)
        nb.code(cell: "adagrad-2d-eta-2")
        // cell: adagrad-2d-eta-2
        let fast = train2D(optimizer: AdaGrad(learningRate: 2), objective: .ellipse(a: 0.1, b: 2))
        nb.output(NotebookText(fast.summary))
        // end cell
        nb.figure(BookFigures.trace2D(ellipse, points: fast.points), name: "adagrad-eta-2",
                  caption: "Adagrad with η = 2: the larger rate compensates the shrinking steps.")
        let slowRun = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse)
        let s20 = slowRun.steps.last!.state.sumOfSquares[0]
        let lastGradient = abs(slowRun.steps.last!.gradient.x)
        nb.paragraph("""
            That a larger η is needed even on a noise-free problem says how fast the sum uses up \
            the rate: after 20 steps the rate in x₁ is 0.4/√s₁ = \
            \(CFormat.format("%.3f", 0.4 / (s20 + 1e-6).squareRoot())), because s₁ = \(CFormat.format("%.2f", s20)) \
            holds twenty squared gradients between 1 (at the start) and \(CFormat.format("%.2f", lastGradient * lastGradient)) \
            (|g₁| = \(CFormat.format("%.2f", lastGradient)) at the last step), the old large ones counted as fully as \
            the recent small ones. (The `-0.000000` is a tiny negative x₂ printed with six decimals.)
            """)
    }

    // MARK: - 11.7.4 and 11.7.5

    @discardableResult
    static func airfoil(_ nb: Notebook, _ ctx: ChapterContext) throws -> AirfoilData {
        nb.heading("11.7.4 Implementation from scratch")
        nb.paragraph("""
            For the linear-regression problem of Section 11.5 (the airfoil data, 1500 examples, five \
            whitened features) the state is one accumulator per weight and one for the bias. Our \
            `AdaGrad` value holds only η, ε and the ε placement; its `State` holds the accumulators, and \
            one update reads:
            """)
        nb.code(cell: "adagrad-update")    // marked in Sources/OptimKit/Optimizers/AdaGrad.swift
        nb.paragraph("""
            As in the book we use a larger learning rate than for plain minibatch SGD, η = 0.1, with \
            minibatches of 10 and two epochs:
            """)
        nb.code(cell: "adagrad-airfoil")
        // cell: adagrad-airfoil
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-scratch")
        let scratch = trainLinearRegression(optimizer: AdaGrad(learningRate: 0.1), data: data,
                                            batchSize: 10, epochs: 2, generator: &rng)
        nb.output(scratch.summary)
        // end cell
        nb.heading("11.7.5 Concise implementation")
        nb.paragraph("""
            The by-name path parses the book's call, `trainer("adagrad", {"learning_rate": 0.1})`, into \
            the same `AdaGrad` value and runs the same loop; only the random stream (initial weights and \
            shuffles) is a different one, so the two curves differ slightly.
            """)
        let concise = try conciseRun(nb, ctx)
        nb.figure(BookFigures.lossCurves([scratch, concise], labels: ["from scratch", "by name"]),
                  name: "airfoil-loss",
                  caption: "Adagrad (η = 0.1, batch 10) on the airfoil data: loss over all examples, recorded every 200 examples.")
        nb.paragraph("""
            Both runs settle near the loss that plain minibatch SGD reaches in Section 11.5; the first \
            recorded point already shows most of the progress, because Adagrad's first steps have \
            length close to η in every coordinate.
            """)
        return data
    }

    /// 11.7.5: the same training by name, in a cell of its own.
    static func conciseRun(_ nb: Notebook, _ ctx: ChapterContext) throws -> TrainingRun {
        nb.code(cell: "adagrad-concise")
        // cell: adagrad-concise
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-concise")
        let choice = try OptimizerChoice.named("adagrad", ["learning_rate": 0.1])
        let concise = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
        nb.output(concise.summary)
        // end cell
        return concise
    }

    // MARK: - Exercise 2: rotation

    static func rotation(_ nb: Notebook) {
        nb.heading(rotationHeading, level: 3)
        nb.paragraph("""
            Exercise 2 asks what happens when the same kind of valley is not aligned with the axes: \
            f(x) = 0.1(x₁ + x₂)² + 2(x₁ − x₂)². Multiplying out gives 2.1x₁² − 3.8x₁x₂ + 2.1x₂², with \
            Hessian [[4.2, −3.8], [−3.8, 4.2]] and eigenvalues 0.4 and 8 along the diagonals x₁ = x₂ and \
            x₁ = −x₂. (Because x₁ ± x₂ are not unit vectors, this is the 45° rotation of \
            0.2x₁² + 4x₂², twice the book's function; κ is 20 in both cases.) We run Adagrad with the \
            book's two learning rates on both problems, 20 steps from (−5, −2), and also 200 steps to \
            see where each run is heading.
            """)
        var rows: [[NotebookText]] = []
        var panels: [(objective: Objective2D, traces: [(label: String, points: [Point2D])])] = []
        for (label, f) in [("axis-aligned", ellipse), ("rotated", rotated)] {
            var traces: [(label: String, points: [Point2D])] = []
            for eta in [0.4, 2.0] {
                let short = train2D(optimizer: AdaGrad(learningRate: eta), objective: f)
                let long = train2D(optimizer: AdaGrad(learningRate: eta), objective: f, steps: 200)
                let p = short.final
                rows.append([NotebookText(label), "\(eta, format: "%g")",
                             "(\(p.x, format: "%f"), \(p.y, format: "%f"))",
                             "\(f.value(p), format: "%.2e")",
                             "\(norm(long.final), format: "%.2e")"])
                traces.append((label: "η = \(CFormat.format("%g", eta))", points: short.points))
            }
            panels.append((objective: f, traces: traces))
        }
        nb.table(header: ["problem", "η", "x after 20 steps", "f after 20", "‖x‖ after 200 steps"], rows: rows)
        nb.figure(BookFigures.tracePanels(panels, titles: ["0.1 x1² + 2 x2²", "0.1 (x1+x2)² + 2 (x1−x2)²"]),
                  name: "adagrad-rotation",
                  caption: "Adagrad, η = 0.4 and η = 2, 20 steps from (−5, −2), on the axis-aligned problem (left) and its rotation (right).")
        nb.paragraph("""
            The behaviour does change, and in the direction the preconditioning argument predicts. On \
            the axis-aligned valley Adagrad's per-coordinate scaling undoes the different curvatures: \
            at first each coordinate moves by about η per step, whatever its curvature, so the flat \
            coordinate x₁ is not left behind. On the rotated valley \
            the coordinates x₁ and x₂ each mix the steep and the flat direction; their gradients are of \
            similar size, both accumulators grow alike, and the scaling degenerates to an (ever \
            shrinking) scalar learning rate. The steep direction x₁ − x₂ is wiped out within a few steps, \
            then both runs crawl along the flat diagonal x₁ = x₂ just as plain gradient descent would, \
            and the η = 2 run, so successful above, remains orders of magnitude further from the optimum \
            after 200 steps. Adagrad, like any diagonal method, is only as good as the coordinate system: \
            it helps when the troublesome directions are the coordinate axes (as with sparse features, \
            each its own coordinate) and not when they are mixtures of them.
            """)
    }

    static let rotationHeading = "Beyond the book: a rotated problem (exercise 2)"

    static func norm(_ p: Point2D) -> Double { (p.x * p.x + p.y * p.y).squareRoot() }

    static func closingSummary(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - Adagrad lowers each coordinate's learning rate according to the squared gradients that \
            coordinate has accumulated.
            - The gradient's magnitude is a cheap proxy for the curvature a diagonal preconditioner \
            would use, at the cost of one extra vector per parameter tensor.
            - It shines with sparse features, where rarely active weights keep a large step, and on \
            badly scaled but axis-aligned problems; a rotation of the problem removes the benefit.
            - With stochastic gradients the effective rate decays like t^(−½), which can be too fast \
            on nonconvex deep-learning problems; on a noise-free problem it levels off instead. \
            RMSProp (next section) replaces the sum by a leaky average.
            """)
    }
}
