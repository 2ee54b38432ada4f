import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// One competitor of an `OptimizerRace`: a label and an optimizer, type-erased so that
/// different optimizer types can run side by side.
///
/// ```swift
/// let entry = RaceEntry("adam", Adam(learningRate: 0.5))
/// ```
public struct RaceEntry: Sendable {
    public let label: String
    /// A one-line description of the hyperparameters, e.g. `η = 0.5, β₁ = 0.9`.
    public let settings: String
    let runner: @Sendable (Objective2D, Int, Point2D) -> Trace2D

    public init<O: Optimizer>(_ label: String, _ optimizer: O, settings: String = "") {
        self.label = label
        self.settings = settings
        runner = { f, steps, start in train2D(optimizer: optimizer, objective: f, steps: steps, start: start) }
    }
}

/// Several optimizers started from the same point on the same 2-D surface, run for the same
/// number of steps through the book's `train_2d` loop, and compared: a table (final point,
/// f there, distance to the minimizer), a static figure with one colour per optimizer and a
/// legend, and its animated twin in which all markers move on one clock.
///
/// `RaceSurface` holds three ready-made courses (the ill-conditioned quadratic, Rosenbrock's
/// valley and the saddle x² − y²) with hyperparameters that suit each.
///
/// ```swift
/// let race = RaceSurface.rosenbrock.race
/// let results = race.run()
/// nb.table(header: OptimizerRace.tableHeader, rows: race.tableRows(results))
/// nb.figure(race.figure(results), name: "race-rosenbrock", caption: "...")
/// ```
public struct OptimizerRace: Sendable {
    public struct Result: Sendable {
        public let label: String
        public let settings: String
        public let trace: Trace2D
        /// f at the final point.
        public let finalValue: Double
        /// Euclidean distance from the final point to the minimizer (nil without one).
        public let distance: Double?
    }

    public var objective: Objective2D
    public var start: Point2D
    public var steps: Int
    public var entries: [RaceEntry]
    /// The region drawn (contours and, fixed, the axis limits).
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var levels: ContourLevels

    public init(objective: Objective2D, start: Point2D, steps: Int, entries: [RaceEntry],
                xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, levels: ContourLevels = .automatic(8)) {
        self.objective = objective; self.start = start; self.steps = steps; self.entries = entries
        self.xRange = xRange; self.yRange = yRange; self.levels = levels
    }

    public func run() -> [Result] {
        entries.map { e in
            let trace = e.runner(objective, steps, start)
            let last = trace.final
            let distance = objective.minimizer.map { m -> Double in
                let d = last - m
                return (d.x * d.x + d.y * d.y).squareRoot()
            }
            return Result(label: e.label, settings: e.settings, trace: trace,
                          finalValue: objective.value(last), distance: distance)
        }
    }

    public static let tableHeader = ["optimizer", "settings", "x1", "x2", "f(x)", "distance to minimizer"]

    /// One row per optimizer; numbers in C `%.6g`, "-" where there is no minimizer, and
    /// diverged runs show their non-finite values as Python would (`nan`, `inf`).
    public func tableRows(_ results: [Result]) -> [[NotebookText]] {
        func g(_ v: Double) -> String { CFormat.format("%.6g", v) }
        return results.map { r in
            [r.label, r.settings, g(r.trace.final.x), g(r.trace.final.y), g(r.finalValue),
             r.distance.map(g) ?? "-"].map { NotebookText($0) }
        }
    }

    /// Contours of f over the course and every path in its own tab10 colour (every other one
    /// dashed) with a legend; limits fixed to the course, so runs that leave it are clipped at
    /// the frame.
    public func figure(_ results: [Result], width: Double = 450, height: Double = 320) -> Figure {
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        let f = objective
        ax.contour(x: xRange, y: yRange, step: max((xRange.upperBound - xRange.lowerBound) / 120, 0.01),
                   levels: levels, color: PlotColor(hex: 0xb0c4de)) { a, b in f.value(Point2D(a, b)) }
        ax.xLimits = xRange
        ax.yLimits = yRange
        ax.legend = .best
        for (k, r) in results.enumerated() {
            let colour = PlotColor.tab10[(k + 1) % PlotColor.tab10.count]
            let pts = r.trace.points
            // Paths often run on top of each other (Adam and Yogi nearly always do): every other
            // one is dashed, so the one drawn first still shows through the gaps.
            ax.plot(pts.map(\.x), pts.map(\.y), k.isMultiple(of: 2) ? "--" : "-", label: r.label, color: colour,
                    lineWidth: 1.2)
            ax.animationTracks.append(AnimationTrack(points: pts, color: colour, label: r.label))
        }
        if let m = objective.minimizer {
            ax.scatter([m.x], [m.y], color: .black, marker: .star, size: 5)
        }
        ax.scatter([start.x], [start.y], color: .black, marker: .circle, size: 3)
        return Figure(width: width, height: height, ax)
    }
}

/// Three courses for optimizer races, each with the seven methods of the chapter
/// (SGD, momentum, Nesterov, Adagrad, RMSProp, Adam, Yogi) tuned to behave sensibly there.
public enum RaceSurface: String, Sendable, CaseIterable {
    /// 0.1 x1² + 2 x2² from the book's start (−5, −2), 20 steps, the book's step sizes
    /// where it has them (gradient descent 0.4, momentum 0.6 with β = 0.5, Adagrad 2, RMSProp 0.4).
    /// Nesterov gets η = 0.3: its stable region on a quadratic is narrower than heavy ball's
    /// (η λ < 2(1 + β)/(1 + 2β) = 1.5 for β = 0.5, and λ = 4 here), so 0.6 would diverge.
    case illConditioned = "ill-conditioned"
    /// Rosenbrock's valley (a = 1, b = 100) from (−1.5, 2), 1000 steps.
    case rosenbrock
    /// x² − y² from (−2, 0.01): just off the ridge that leads into the saddle point, 30 steps.
    case saddle

    public var title: String {
        switch self {
        case .illConditioned: return "0.1x₁² + 2x₂²"
        case .rosenbrock: return "Rosenbrock (1 − x₁)² + 100(x₂ − x₁²)²"
        case .saddle: return "saddle x₁² − x₂²"
        }
    }

    public var race: OptimizerRace {
        switch self {
        case .illConditioned:
            return OptimizerRace(
                objective: .ellipse(a: 0.1, b: 2), start: Point2D(-5, -2), steps: 20,
                entries: [
                    RaceEntry("sgd", SGD(learningRate: 0.4), settings: "η = 0.4"),
                    RaceEntry("momentum", Momentum(learningRate: 0.6, momentum: 0.5), settings: "η = 0.6, β = 0.5"),
                    RaceEntry("nesterov", Nesterov(learningRate: 0.3, momentum: 0.5), settings: "η = 0.3, β = 0.5"),
                    RaceEntry("adagrad", AdaGrad(learningRate: 2), settings: "η = 2"),
                    RaceEntry("rmsprop", RMSProp(learningRate: 0.4, gamma: 0.9), settings: "η = 0.4, γ = 0.9"),
                    RaceEntry("adam", Adam(learningRate: 0.3), settings: "η = 0.3"),
                    RaceEntry("yogi", Yogi(learningRate: 0.3), settings: "η = 0.3"),
                ],
                // Taller than the book's x2 ∈ [−3, 1]: momentum's first step reaches x2 = 2.8.
                xRange: -5.5...1.0, yRange: -3.0...3.0, levels: .values([0.25, 1, 2, 4, 8, 16]))
        case .rosenbrock:
            return OptimizerRace(
                objective: .rosenbrock(), start: Point2D(-1.5, 2), steps: 1000,
                entries: [
                    RaceEntry("sgd", SGD(learningRate: 0.0015), settings: "η = 0.0015"),
                    RaceEntry("momentum", Momentum(learningRate: 0.0003, momentum: 0.9), settings: "η = 0.0003, β = 0.9"),
                    RaceEntry("nesterov", Nesterov(learningRate: 0.0003, momentum: 0.9), settings: "η = 0.0003, β = 0.9"),
                    RaceEntry("adagrad", AdaGrad(learningRate: 1), settings: "η = 1"),
                    RaceEntry("rmsprop", RMSProp(learningRate: 0.01, gamma: 0.9), settings: "η = 0.01, γ = 0.9"),
                    RaceEntry("adam", Adam(learningRate: 0.1), settings: "η = 0.1"),
                    RaceEntry("yogi", Yogi(learningRate: 0.1), settings: "η = 0.1"),
                ],
                // Adagrad's first steps climb to x2 = 3.0; keep them inside the frame.
                xRange: -2...2, yRange: -1...3.5,
                levels: .values([0.5, 2, 8, 32, 128, 512]))
        case .saddle:
            return OptimizerRace(
                objective: .saddle, start: Point2D(-2, 0.01), steps: 30,
                entries: [
                    RaceEntry("sgd", SGD(learningRate: 0.1), settings: "η = 0.1"),
                    RaceEntry("momentum", Momentum(learningRate: 0.1, momentum: 0.5), settings: "η = 0.1, β = 0.5"),
                    RaceEntry("nesterov", Nesterov(learningRate: 0.1, momentum: 0.5), settings: "η = 0.1, β = 0.5"),
                    RaceEntry("adagrad", AdaGrad(learningRate: 0.5), settings: "η = 0.5"),
                    RaceEntry("rmsprop", RMSProp(learningRate: 0.1, gamma: 0.9), settings: "η = 0.1, γ = 0.9"),
                    RaceEntry("adam", Adam(learningRate: 0.1), settings: "η = 0.1"),
                    RaceEntry("yogi", Yogi(learningRate: 0.1), settings: "η = 0.1"),
                ],
                xRange: -2.5...2.5, yRange: -2.5...2.5, levels: .values([-4, -2, -1, 0, 1, 2, 4]))
        }
    }
}
