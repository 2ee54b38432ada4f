import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: Adadelta's 2-D path (with an animated twin), its state (s and Δx) step
/// by step under `--trace`, and a reader-configurable run (`--eta` as the multiplier,
/// `--rho`, `--start`, `--function`, `--steps`).
extension AdadeltaChapter {
    static var options: [OptionSpec] { RunOptions.specs(second: "--rho", secondHelp: "decay ρ") }

    static func extras(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: the path itself")
        nb.paragraph("""
            The table above reported where the runs were; the figure shows the whole path of the book's \
            setting (ρ = 0.9, ε = 10⁻⁵) over 1000 steps on 0.1x₁² + 2x₂². The dots merge into a band \
            because every step is short: about 0.01 at first, growing only as Δx fills up. x₂ reaches \
            the valley floor first, then x₁ travels along it; by step 1000 x₁ is at the optimum while x₂ \
            has drifted off again, the beginning of the slowly growing swing described above.
            """)
        let run = train2DDetailed(optimizer: AdaDelta(rho: 0.9, epsilon: 1e-5), objective: ellipse, steps: 1000)
        for k in [200, 500, 1000] {
            let p = run.trace.points[k]
            nb.output("after \(k) steps: x = (\(p.x, format: "%.4f"), \(p.y, format: "%.4f"))")
        }
        nb.figure(BookFigures.trace2D(ellipse, points: run.trace.points), name: "adadelta-2d",
                  caption: "Adadelta (ρ = 0.9, ε = 10⁻⁵): 1000 steps on 0.1x₁² + 2x₂² from (−5, −2).")
        if ctx.trace {
            nb.heading("Step table (--trace)", level: 3)
            nb.paragraph("""
                The first 20 of those steps: point, gradient, the two leaky averages after the step \
                (s of squared gradients, delta of squared updates), and the update.
                """)
            nb.stepTable(train2DDetailed(optimizer: AdaDelta(rho: 0.9, epsilon: 1e-5), objective: ellipse))
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "Adadelta", defaultEta: 1,
                                second: ("--rho", "ρ", 0.9)) { eta, rho in
            AdaDelta(rho: rho ?? 0.9, epsilon: 1e-5, learningRate: eta)
        }
    }
}
