import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: the chapter's seven optimizers raced on three 2-D surfaces (static figures
/// with legends, animated twins, tables), Adam's step table under `--trace`, and a
/// reader-configurable Adam run (`--eta`, `--beta1`, `--start`, `--function`, `--steps`).
extension AdamChapter {
    static var options: [OptionSpec] { RunOptions.specs(second: "--beta1", secondHelp: "first-moment decay β₁") }

    static func races(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: seven optimizers, three surfaces")
        nb.paragraph("""
            With Adam and Yogi in hand we have met seven update rules. To see their characters side by \
            side, we start all of them from the same point on the same surface and let them run the \
            same number of steps: plain gradient descent (`sgd`), heavy-ball momentum, Nesterov, \
            Adagrad, RMSProp, Adam and Yogi. Each figure has an animated twin in which the seven markers \
            move together, step by step. Step sizes were chosen by hand per surface so that every method \
            does reasonably well, not tuned with an equal budget, so the races show each method's \
            character rather than a ranking; the tables list them with where each run ended. Every other \
            path is dashed, because some paths run on top of each other.
            """)
        for surface in RaceSurface.allCases {
            race(nb, surface)
        }
        if ctx.trace {
            nb.heading("Step table (--trace)", level: 3)
            nb.paragraph("Adam with η = 0.3 on 0.1x₁² + 2x₂²: both moments after each step and the update.")
            nb.stepTable(train2DDetailed(optimizer: Adam(learningRate: 0.3), objective: .ellipse(a: 0.1, b: 2)))
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "Adam", defaultEta: 0.3,
                                second: ("--beta1", "β₁", 0.9)) { eta, beta1 in
            Adam(learningRate: eta, beta1: beta1 ?? 0.9)
        }
    }

    static func race(_ nb: Notebook, _ surface: RaceSurface) {
        let race = surface.race
        let results = race.run()
        nb.heading("\(surface.title), \(race.steps) steps from (\(CFormat.format("%g", race.start.x)), \(CFormat.format("%g", race.start.y)))", level: 3)
        switch surface {
        case .illConditioned:
            nb.paragraph("""
                The quadratic of Sections 11.6 to 11.9. Gradient descent, momentum, Adagrad and RMSProp \
                use the book's own settings, so their end points are the book's numbers; Nesterov needs \
                the smaller η = 0.3 here (Section 11.6 explains why). Adam and Yogi, with their momentum, \
                are still swinging through the valley after 20 steps.
                """)
        case .rosenbrock:
            nb.paragraph("""
                Rosenbrock's function (1 − x₁)² + 100(x₂ − x₁²)² has its minimum at (1, 1) at the end of a \
                long, curved, flat-bottomed valley with steep walls. The walls limit the learning rate of \
                the plain methods, the flat floor then makes them slow; the contour levels are spaced by \
                factors of four.
                """)
        case .saddle:
            nb.paragraph("""
                On x₁² − x₂² we start almost exactly on the ridge that leads into the saddle point at the \
                origin, with x₂ = 0.01. Every method first slides towards the saddle and then has to \
                notice the tiny instability along x₂. There is no minimizer, so the table reports \
                how far each run got downhill instead.
                """)
        }
        nb.table(header: OptimizerRace.tableHeader, rows: race.tableRows(results))
        nb.figure(race.figure(results), name: "race-\(surface.rawValue)",
                  caption: "Seven optimizers from the same start on \(surface.title).")
        switch surface {
        case .saddle:
            // The step at which each run first gets |x₂| > 1, i.e. clearly off the saddle.
            let escapes = results.map { r -> String in
                let k = r.trace.points.firstIndex { abs($0.y) > 1 }
                return "\(r.label) \(k.map(String.init) ?? "never")"
            }
            nb.output(NotebookText("first step with |x2| > 1: " + escapes.joined(separator: ", ")))
            nb.paragraph("""
                Adagrad and RMSProp divide the tiny x₂ gradient by its own tiny running scale, so they \
                leave the ridge within a few steps, far from the saddle. Adam and Yogi are just as quick to \
                see the direction, but they move each coordinate by at most about η = 0.1 per step, so it \
                takes them about ten steps to get one unit away. Plain \
                gradient descent and the momentum methods first travel nearly all the way to the saddle \
                point and only escape because the x₂ component keeps growing geometrically. Noise in the gradient would speed \
                their escape; exact gradients make the plateau around a saddle look its worst.
                """)
        default:
            let ranked = results.filter { $0.distance != nil }.sorted { $0.distance! < $1.distance! }
            if let best = ranked.first, let worst = ranked.last {
                nb.output(NotebookText("closest to the minimizer: \(best.label) (\(CFormat.format("%.3g", best.distance!))); farthest: \(worst.label) (\(CFormat.format("%.3g", worst.distance!)))"))
            }
            if surface == .rosenbrock {
                nb.paragraph("""
                    With these step sizes only Adam and Yogi reach the end of the valley. Their steps are \
                    scaled by a leaky average of recent squared gradients, so once the iterate is on the flat \
                    valley floor the steps grow again. RMSProp shares that scaling but runs here with the \
                    smaller η = 0.01 and without momentum; it ends \
                    \(CFormat.format("%.2f", results.first { $0.label == "rmsprop" }?.distance ?? 0)) from the \
                    minimizer. Gradient descent and the momentum methods are held back by a step size \
                    small enough for the steep walls, and Adagrad's accumulator, filled by the large \
                    gradients of the first steps, leaves it stranded near the bend of the valley.
                    """)
            }
        }
    }
}
