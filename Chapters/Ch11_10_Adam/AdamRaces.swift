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

    /// A race "reaches" its minimizer when it stops this close to it.
    static let reachTolerance = 0.01

    static func races(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: seven optimizers, three surfaces")
        let search = RaceSurface.rosenbrock.search
        nb.paragraph("""
            With Adam and Yogi in hand we have met seven update rules. To see their characters side by \
            side, we start all of them from the same point on the same surface and let them run the \
            same number of steps: plain gradient descent (`sgd`), heavy-ball momentum, Nesterov, \
            Adagrad, RMSProp, Adam and Yogi. A race is only fair if every method gets the same chance \
            to tune its step size, so each learning rate comes from one search, identical for all seven: \
            \(search.description), one run per rate (the races are deterministic, so a second run would \
            repeat the first), ties going to the smaller rate. The criterion is stated with each course \
            and is the same for every method on it. Only η is searched; momentum's β, RMSProp's γ and \
            Adam's and Yogi's β₁ = 0.9, β₂ = 0.999 keep the values in the tables. Those values were set \
            by hand per course, not searched, which is why momentum's and Nesterov's β differs: \
            β = 0.5 on the quadratic (the book's setting in Section 11.6) and on the saddle, both short \
            races of 20 and 30 steps in which an average over about 1/(1 − β) = 2 steps reacts quickly \
            to the turn of the path; β = 0.9, the usual default, on Rosenbrock's 1000 steps, where an \
            average over about 10 steps keeps speed along the flat floor of the valley. So the races \
            compare each course's momentum setting, not one β across courses. Each search table lists \
            the criterion for every rate and method, with * at the rate chosen.
            """)
        nb.paragraph("""
            In the figures every path has its own colour, dash pattern and width (the earlier ones in \
            the legend are drawn wider, so a path that runs on top of another leaves it visible on \
            both sides) and a marker where it stopped; the legend sits beside the plot. Each figure \
            has an animated twin in which the seven markers move together, step by step.
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
        let search = surface.search
        let (race, tuning) = surface.race.tuned(by: search)
        let results = race.run()
        nb.heading("\(surface.title), \(race.steps) steps from (\(CFormat.format("%g", race.start.x)), \(CFormat.format("%g", race.start.y)))", level: 3)
        switch surface {
        case .illConditioned:
            nb.paragraph("""
                The quadratic of Sections 11.6 to 11.9 (those sections run the book's own step sizes). \
                Criterion: \(search.criterion.description) after \(race.steps) steps.
                """)
        case .rosenbrock:
            nb.paragraph("""
                Rosenbrock's function (1 − x₁)² + 100(x₂ − x₁²)² has its minimum at (1, 1) at the end of a \
                long, curved, flat-bottomed valley with steep walls; the contour levels are spaced by \
                factors of four. Criterion: \(search.criterion.description) after \(race.steps) steps.
                """)
        case .saddle:
            nb.paragraph("""
                On x₁² − x₂² we start almost exactly on the ridge that leads into the saddle point at the \
                origin, with x₂ = 0.01. Every method first slides towards the saddle and then has to \
                notice the tiny instability along x₂. There is no minimizer, so the table reports \
                how far each run got downhill, and the criterion is \(search.criterion.description) \
                (a rate at which x₁ grows as well gets there later or never, since x₁² counts against it). \
                In the search table ">\(race.steps)" marks a rate whose run never reached f ≤ -1 within the \
                \(race.steps) steps.
                """)
        }
        let table = OptimizerRace.searchTable(tuning)
        nb.table(header: table.header, rows: table.rows)
        nb.output(NotebookText("chosen: " + OptimizerRace.chosenRates(tuning)))
        nb.table(header: OptimizerRace.tableHeader, rows: race.tableRows(results))
        let outside = results.filter { r in
            !(race.xRange.contains(r.trace.final.x) && race.yRange.contains(r.trace.final.y))
        }.map(\.label)
        let outsideNote = outside.isEmpty ? "" : " The runs of \(OptimizerRace.list(outside)) stop outside the frame (the table gives where), so their end markers are not drawn."
        nb.figure(race.figure(results), name: "race-\(surface.rawValue)",
                  caption: "Seven optimizers from the same start on \(surface.title), each at the rate its search chose.\(outsideNote)")
        switch surface {
        case .saddle:
            let threshold = -1.0
            let steps = results.map { r in (r.label, race.firstStep(r, atOrBelow: threshold)) }
            nb.output(NotebookText("first step with f ≤ -1: " + steps.map { "\($0.0) \($0.1.map(String.init) ?? "never")" }.joined(separator: ", ")))
            nb.paragraph("Rule: \(OptimizerRace.escapeRule(threshold: threshold)). \(race.escapeSentence(results, threshold: threshold))")
            nb.paragraph(saddleMechanism(tuning: tuning, escapeSteps: steps))
        default:
            nb.paragraph("""
                Rule: \(OptimizerRace.reachRule(tolerance: reachTolerance)). \
                \(OptimizerRace.reachSentence(results, tolerance: reachTolerance)) \
                \(OptimizerRace.rankingSentence(results))
                """)
            if surface == .rosenbrock {
                nb.paragraph(rosenbrockMechanism(OptimizerRace.reached(results, tolerance: reachTolerance)))
            }
        }
    }

    /// What the tuned Rosenbrock race says about the adaptive scaling, chosen by who reached (1, 1).
    static func rosenbrockMechanism(_ reached: [String]) -> String {
        let adaptive = ["rmsprop", "adam", "yogi"], plain = ["sgd", "momentum", "nesterov"]
        let adaptiveReach = adaptive.filter(reached.contains), plainReach = plain.filter(reached.contains)
        if adaptiveReach.count == adaptive.count && plainReach.isEmpty {
            return """
                With every method at its best rate from the same grid, the line still falls between the \
                methods that divide by a running scale of the gradient and those that do not: RMSProp, \
                Adam and Yogi get to the end of the valley, while gradient descent and the momentum \
                methods, whose best rates are limited by the steep walls, are still on the flat floor. \
                A scaled step grows again where the gradient is small, which the race supports; Adam's \
                momentum is not needed for it, since RMSProp, tuned the same way, gets there too.
                """
        }
        if plainReach.isEmpty && !adaptiveReach.isEmpty {
            return """
                With every method at its best rate from the same grid, only some of the scaled methods \
                (\(OptimizerRace.list(adaptiveReach))) reach the end of the valley, and none of the plain \
                ones; the race does not separate the scaled methods from each other by mechanism.
                """
        }
        return """
            With every method at its best rate from the same grid, the race does not split along the \
            line between scaled and plain steps (reaching the end: \
            \(reached.isEmpty ? "none" : OptimizerRace.list(reached))), so it credits no mechanism.
            """
    }

    /// What the tuned saddle race says, chosen by the escape steps.
    static func saddleMechanism(tuning: [RaceTuning], escapeSteps: [(String, Int?)]) -> String {
        let steps = Dictionary(uniqueKeysWithValues: escapeSteps.map { ($0.0, $0.1 ?? Int.max) })
        let scaled = ["adagrad", "rmsprop", "adam", "yogi"].compactMap { steps[$0] }
        let plain = ["sgd", "momentum", "nesterov"].compactMap { steps[$0] }
        let scaledFaster = (scaled.max() ?? Int.max) < (plain.min() ?? Int.max)
        let rates = tuning.compactMap(\.chosenRate)
        let spread = (rates.max() ?? 1) / (rates.min() ?? 1)
        return """
            The search picks the rates above, spread over a factor of \(CFormat.format("%.0f", spread)). \
            \(scaledFaster ? "Every method that divides by a running scale of the gradient gets off the saddle before every method that does not: the tiny x₂ gradient, divided by its own tiny scale, gives a step of ordinary size at once, while the plain methods have to wait for x₂ to grow geometrically." : "Tuned this way, the methods that divide by a running scale of the gradient are not all faster than the plain ones, so the race credits that scaling with nothing here: with a free step size, every method can leave this saddle quickly.") \
            Noise in the gradient would speed every escape; exact gradients make the plateau around a \
            saddle look its worst.
            """
    }
}
