import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: RMSProp's per-coordinate scaling drawn at every step, the step table
/// under `--trace`, and a reader-configurable run (`--eta`, `--gamma`, `--start`,
/// `--function`, `--steps`).
extension RMSPropChapter {
    static var options: [OptionSpec] { RunOptions.specs(second: "--gamma", secondHelp: "decay γ") }

    static func extras(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: RMSProp's scaling, drawn")
        nb.paragraph("""
            As for Adagrad in Section 11.7, the figure draws the run with η = 0.4 and γ = 0.9 with, at \
            every iterate, the plain gradient step −η g (red) and a box with half-widths proportional \
            to √s₁ and √s₂ (the outlined key in the lower left corner is the box of √s = 2 in both \
            coordinates). The difference to Adagrad is that s is now a leaky average, so the boxes \
            can shrink again once the gradients in a coordinate become small.
            """)
        let run = train2DDetailed(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9), objective: ellipse)
        nb.figure(BookFigures.internals(ellipse, run: run), name: "rmsprop-internals",
                  caption: "RMSProp (η = 0.4, γ = 0.9) on 0.1x₁² + 2x₂²: gradient step −η·g (red) and boxes ∝ (√s₁, √s₂) at each iterate.")
        let rootS2 = run.steps.map { $0.state.meanSquare[1].squareRoot() }
        let peak = rootS2.indices.max { rootS2[$0] < rootS2[$1] } ?? 0
        let g = { (v: Double) in CFormat.format("%.3g", v) }
        nb.paragraph("""
            √s₂ peaks at \(g(rootS2[peak])) after step \(peak + 1) and has fallen to \(g(rootS2[rootS2.count - 1])) \
            by step \(rootS2.count): once x₂ has settled, its old large gradients are forgotten at a rate \
            of 10% per step, and the coordinate gets its step size back. Adagrad's accumulator would have \
            kept the old gradients forever.
            """)
        if ctx.trace {
            nb.heading("Step table (--trace)", level: 3)
            nb.paragraph("The same run: point, gradient, the leaky average s after the step, and the update.")
            nb.stepTable(run)
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "RMSProp", defaultEta: 0.4,
                                second: ("--gamma", "γ", 0.9)) { eta, gamma in
            RMSProp(learningRate: eta, gamma: gamma ?? 0.9)
        }
    }
}
