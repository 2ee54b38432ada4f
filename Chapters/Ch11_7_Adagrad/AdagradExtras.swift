import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: Adagrad's per-coordinate scaling drawn at every step, the lecture notes'
/// local-gain learning rates, step tables under `--trace`, and a reader-configurable run
/// (`--eta`, `--start`, `--function`, `--steps`).
extension AdagradChapter {
    static var options: [OptionSpec] { RunOptions.specs() }

    static func extras(_ nb: Notebook, _ ctx: ChapterContext) throws {
        let run = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse)
        scalingDrawn(nb, run)
        let gains = localGains(nb)
        if ctx.trace {
            nb.heading("Step tables (--trace)", level: 3)
            nb.paragraph("Adagrad with η = 0.4: point, gradient, accumulator s after the step, and the update.")
            nb.stepTable(run)
            nb.paragraph("Local gains with η = 0.4, β = 0.05: the gains after each step and the update −η·gain·g.")
            nb.stepTable(gains)
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "Adagrad", defaultEta: 0.4) { eta, _ in
            AdaGrad(learningRate: eta)
        }
    }

    static func scalingDrawn(_ nb: Notebook, _ run: OptimizerRun2D<AdaGrad>) {
        nb.heading("Beyond the book: Adagrad's scaling, drawn")
        nb.paragraph("""
            The next figure repeats the run with η = 0.4 and draws, at every iterate, the step plain \
            gradient descent would take (−η g, red) and a box whose half-widths are proportional to \
            √s₁ and √s₂, the square roots of the two accumulators; the outlined box in the lower left \
            corner is the key, the size of √s = 10 in both coordinates. Adagrad divides each \
            coordinate's step by exactly that root, so a box that is tall and narrow means small \
            steps along x₂ and comparatively large ones along x₁.
            """)
        nb.figure(BookFigures.internals(ellipse, run: run), name: "adagrad-internals",
                  caption: "Adagrad (η = 0.4) on 0.1x₁² + 2x₂²: gradient step −η·g (red) and boxes ∝ (√s₁, √s₂) at each iterate.")
        let s = run.steps[0].state.sumOfSquares
        let last = run.steps[run.steps.count - 1].state.sumOfSquares
        let g = { (v: Double) in CFormat.format("%.3g", v) }
        nb.paragraph("""
            The red arrows show the problem Adagrad solves: the gradient is twenty times more sensitive \
            to x₂ (curvature 4 against 0.2), so gradient descent would leap across the valley in x₂ \
            while crawling in x₁. After the first step √s = (\(g(s[0].squareRoot())), \(g(s[1].squareRoot()))), \
            which turns both gradient components into steps of almost exactly η. From then on the boxes \
            keep growing, fastest along x₂ where the gradients are largest, and they never shrink: after 20 steps √s = (\(g(last[0].squareRoot())), \(g(last[1].squareRoot()))), \
            and x₁ is still paying for the large gradients it saw at the start.
            """)
    }

    static func localGains(_ nb: Notebook) -> OptimizerRun2D<LocalGain> {
        nb.heading("Beyond the book: local gains (lecture notes)", level: 3)
        nb.paragraph("""
            Adagrad's accumulator is one way of giving every weight its own learning rate. An older \
            heuristic from the lecture notes watches the sign of each gradient component instead. Every \
            weight carries a gain, starting at 1, and the step is η times the gain times the gradient. \
            When a component has the same sign as in the previous step, its gain grows by a constant β; \
            when the sign flips, a sign of overshooting, the gain is multiplied by 1 − β:
            """)
        nb.formula(#"\mathrm{gain}_i \leftarrow \begin{cases} \mathrm{gain}_i + \beta & \text{if } \partial_i L^{(t)}\, \partial_i L^{(t-1)} > 0 \\ \mathrm{gain}_i\, (1 - \beta) & \text{if } \partial_i L^{(t)}\, \partial_i L^{(t-1)} < 0 \end{cases}, \qquad w_i \leftarrow w_i - \eta\, \mathrm{gain}_i\, \partial_i L^{(t)}"#,
                   plain: "gain_i ← gain_i + β if the sign of ∂_i L repeats, gain_i · (1 − β) if it flips;   w_i ← w_i − η gain_i ∂_i L")
        nb.paragraph("""
            Growth is additive and decay multiplicative, so a large gain that starts to oscillate is \
            cut back quickly while growth stays gentle. OptimKit's `LocalGain` implements the rule (on \
            the first step, with no previous gradient, the gains stay at 1). On our quadratic with \
            η = 0.4 and β = 0.05, against plain gradient descent with the same η:
            """)
        nb.code(cell: "local-gain")
        // cell: local-gain
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let gd = train2D(optimizer: SGD(learningRate: 0.4), objective: f)
        let run = train2DDetailed(optimizer: LocalGain(learningRate: 0.4, beta: 0.05), objective: f)
        nb.output(NotebookText("gradient descent: " + gd.summary))
        nb.output(NotebookText("local gains:      " + run.trace.summary))
        let final = run.finalState?.gains ?? [1, 1]
        nb.output(NotebookText("final gains: \(CFormat.format("%.4f", final[0])), \(CFormat.format("%.4f", final[1]))"))
        // end cell
        nb.figure(BookFigures.trace2D(ellipse, traces: [("gradient descent", gd.points), ("local gains", run.trace.points)]),
                  name: "local-gain", caption: "Gradient descent and local gains, both with η = 0.4, on 0.1x₁² + 2x₂².")
        nb.paragraph("""
            Along x₁ the gradient never changes sign, so its gain climbs by 0.05 per step and the \
            effective rate grows steadily; along x₂ the first steps overshoot, the sign flips and the \
            gain is trimmed. The result ends \(CFormat.format("%.1f", abs(gd.final.x / run.trace.final.x))) times \
            closer to the optimum in x₁ than gradient descent, without any accumulator. The weakness \
            is visible in the rule itself: it reacts only to signs, so β has to be tuned, and with \
            noisy minibatch gradients sign flips happen by chance and trim the gains for no reason.
            """)
        return run
    }
}
