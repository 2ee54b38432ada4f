import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: momentum's gradient and velocity drawn at every step, the step table
/// under `--trace`, and a reader-configurable run (`--eta`, `--beta`, `--start`,
/// `--function`, `--steps`).
extension MomentumChapter {
    static var options: [OptionSpec] { RunOptions.specs(second: "--beta", secondHelp: "momentum β") }

    static func internals(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: looking inside momentum")
        nb.paragraph("""
            The state slots of `train2D` hold the velocity, but numbers in a list hide how velocity and \
            gradient interact. The next figure draws both at every iterate of the run with η = 0.6 and \
            β = 0.5: in red the step plain gradient descent would take from there, −η g, and in green \
            the step momentum actually takes, −η v. (For this form of momentum the green arrow ends \
            exactly at the next iterate.)
            """)
        let run = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
        nb.figure(BookFigures.internals(f, run: run, yRange: -3...3), name: "momentum-internals",
                  caption: "Momentum (η = 0.6, β = 0.5) on 0.1x₁² + 2x₂²: gradient step −η·g (red) and momentum step −η·v (green) at each iterate.")
        let first = run.steps[0], second = run.steps[1]
        let g = { (v: Double) in CFormat.format("%g", v).replacingOccurrences(of: "-", with: "−") }
        nb.paragraph("""
            Along x₂ the red arrows flip direction at every step and are long: at the start the gradient \
            step would move x₂ by \(g(-0.6 * first.gradient.y)), far past the minimum, which is why \
            gradient descent diverges at this rate. The velocity adds the new gradient to half of the \
            old velocity, so the flips largely cancel: in the second step the gradient step in x₂ is \
            \(g(-0.6 * second.gradient.y)) but the momentum step only \(g(second.update.y)). Along x₁ \
            the gradients all point the same way, the velocity builds up towards 1/(1 − β) = 2 times \
            the gradient, and the green arrows are longer than the red ones: the same averaging that \
            damps the oscillating direction speeds up the consistent one.
            """)
        if ctx.trace {
            nb.heading("Step table (--trace)", level: 3)
            nb.paragraph("The same run with every number: point, gradient, velocity after the step, and the update −η v.")
            nb.stepTable(run)
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "momentum", defaultEta: 0.6,
                                second: ("--beta", "β", 0.5),
                                condition: { beta in .momentum(beta: beta ?? 0.5) }) { eta, beta in
            Momentum(learningRate: eta, momentum: beta ?? 0.5)
        }
    }
}
