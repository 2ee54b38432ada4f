import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// The "Your run" section a chapter adds when the reader passes any of the `RunOptions`
/// (`--eta`, the second hyperparameter, `--start`, `--function`, `--steps`): the chapter's
/// optimizer with those settings on the chosen surface, its closing line, its step table and
/// its path (with an animated twin).
///
/// ```swift
/// try CustomRun2D.section(nb, ctx, optimizerName: "momentum", defaultEta: 0.6,
///                         second: ("--beta", "β", 0.5)) { eta, beta in
///     Momentum(learningRate: eta, momentum: beta ?? 0.5)
/// }
/// ```
public enum CustomRun2D {
    /// The resolved settings of the run.
    public struct Settings: Sendable {
        public let eta: Double
        public let second: Double?
        public let start: Point2D
        public let functionName: String
        public let objective: Objective2D
        public let steps: Int
    }

    /// True when some run option was given.
    public static func requested(_ ctx: ChapterContext, second: String? = nil) -> Bool {
        ([RunOptions.eta, RunOptions.start, RunOptions.function, RunOptions.steps] + (second.map { [$0] } ?? []))
            .contains { ctx.value($0) != nil }
    }

    public static func settings(_ ctx: ChapterContext, defaultEta: Double, second: (option: String, defaultValue: Double)?,
                                defaultFunction: String = "ill-conditioned") throws -> Settings {
        let name = ctx.value(RunOptions.function) ?? defaultFunction
        let objective = try Objective2D.named(name)
        return Settings(eta: ctx.number(RunOptions.eta) ?? defaultEta,
                        second: second.map { ctx.number($0.option) ?? $0.defaultValue },
                        start: ctx.point(RunOptions.start) ?? Point2D(-5, -2),
                        functionName: name.lowercased(), objective: objective,
                        steps: ctx.value(RunOptions.steps).flatMap { Int($0) } ?? 20)
    }

    /// The region drawn for a surface: the race course when there is one, otherwise a box
    /// around the path.
    static func region(_ s: Settings, _ points: [Point2D]) -> (ClosedRange<Double>, ClosedRange<Double>) {
        switch s.functionName {
        case "ill-conditioned", "ellipse": return (-5.5...1.0, -3.0...1.0)
        case "rosenbrock": return (-2...2, -1...3)
        case "saddle": return (-2.5...2.5, -2.5...2.5)
        default:
            var pts = points.filter { $0.x.isFinite && $0.y.isFinite && abs($0.x) < 1e6 && abs($0.y) < 1e6 }
            if let m = s.objective.minimizer { pts.append(m) }
            let xs = pts.map(\.x), ys = pts.map(\.y)
            let x0 = xs.min() ?? -1, x1 = xs.max() ?? 1, y0 = ys.min() ?? -1, y1 = ys.max() ?? 1
            let mx = max(0.5, 0.15 * (x1 - x0)), my = max(0.5, 0.15 * (y1 - y0))
            return ((x0 - mx)...(x1 + mx), (y0 - my)...(y1 + my))
        }
    }

    /// Adds the section when requested; does nothing otherwise. `defaultFunction` is the
    /// surface used when `--function` is not given (the chapter's own).
    /// - Parameter second: the option name, its symbol in the text, and its default.
    /// - Parameter condition: the method's step-size condition on convex quadratics, given the
    ///   second hyperparameter, when the chapter knows it; a run that diverges (`Divergence`)
    ///   is reported in one sentence that names it when it is broken.
    public static func section<O: InspectableOptimizer>(_ nb: Notebook, _ ctx: ChapterContext, optimizerName: String,
                                             defaultEta: Double,
                                             second: (option: String, symbol: String, defaultValue: Double)? = nil,
                                             defaultFunction: String = "ill-conditioned",
                                             condition: ((Double?) -> StepSizeCondition)? = nil,
                                             make: (Double, Double?) -> O) throws {
        guard requested(ctx, second: second?.option) else { return }
        let s = try settings(ctx, defaultEta: defaultEta, second: second.map { ($0.option, $0.defaultValue) },
                             defaultFunction: defaultFunction)
        let optimizer = make(s.eta, s.second)
        let run = train2DDetailed(optimizer: optimizer, objective: s.objective, steps: s.steps, start: s.start)
        func g(_ v: Double) -> String { CFormat.format("%g", v) }
        var setting = "η = \(g(s.eta))"
        if let second, let v = s.second { setting += ", \(second.symbol) = \(g(v))" }
        nb.heading("Your run")
        nb.paragraph("""
            Run with your command-line settings: \(optimizerName) with \(setting) on `\(s.functionName)`\
            \(s.objective.name == s.functionName ? "" : " (\(s.objective.name))"), starting at (\(g(s.start.x)), \(g(s.start.y))), for \(s.steps) steps.
            """)
        nb.output(NotebookText(run.trace.readableSummary))
        let last = run.trace.final
        var closing = "f at the end: \(CFormat.format("%.6g", s.objective.value(last)))"
        if let m = s.objective.minimizer {
            let d = last - m
            closing += ", distance to the minimizer (\(g(m.x)), \(g(m.y))): \(CFormat.format("%.6g", (d.x * d.x + d.y * d.y).squareRoot()))"
        }
        nb.output(NotebookText(closing))
        if let sentence = DivergenceReport.sentence(points: run.trace.points, objective: s.objective, eta: s.eta,
                                                    condition: condition?(s.second)) {
            nb.paragraph(sentence)
        }
        nb.stepTable(run, maxRows: 20)
        let (xr, yr) = region(s, run.trace.points)
        nb.figure(BookFigures.trace2D(s.objective, points: run.trace.points, xRange: xr, yRange: yr, fixedLimits: true),
                  name: "your-run", caption: "Your run: \(optimizerName), \(setting), on \(s.functionName).")
    }
}
