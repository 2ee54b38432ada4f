import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// One competitor of an `OptimizerRace`: a label and an optimizer, type-erased so that
/// different optimizer types can run side by side. Built from a rate factory, the entry can
/// be re-run at any learning rate, which is what `OptimizerRace.tuned(by:)` needs.
///
/// ```swift
/// let fixed = RaceEntry("adam", Adam(learningRate: 0.5))
/// let tunable = RaceEntry("momentum", learningRate: 0.01, settings: "β = 0.9") { eta in
///     Momentum(learningRate: eta, momentum: 0.9)
/// }
/// ```
public struct RaceEntry: Sendable {
    public let label: String
    /// A one-line description of the hyperparameters, e.g. `η = 0.5, β₁ = 0.9`.
    public let settings: String
    /// The learning rate the entry runs at (nil for a fixed optimizer given without one).
    public let learningRate: Double?
    let runner: @Sendable (Objective2D, Int, Point2D) -> Trace2D
    /// The same entry at another learning rate (nil for an entry built from a fixed optimizer).
    let withRate: (@Sendable (Double) -> RaceEntry)?

    public init<O: Optimizer>(_ label: String, _ optimizer: O, settings: String = "") {
        self.label = label
        self.settings = settings
        learningRate = nil
        runner = { f, steps, start in train2D(optimizer: optimizer, objective: f, steps: steps, start: start) }
        withRate = nil
    }

    /// An entry at `learningRate` whose optimizer `make` builds for any rate; `settings` names
    /// the other hyperparameters (the rate is prepended as `η = …`).
    public init<O: Optimizer>(_ label: String, learningRate: Double, settings otherSettings: String = "",
                              _ make: @escaping @Sendable (Double) -> O) {
        self.label = label
        self.settings = (["η = " + CFormat.format("%.3g", learningRate)] + (otherSettings.isEmpty ? [] : [otherSettings]))
            .joined(separator: ", ")
        self.learningRate = learningRate
        let optimizer = make(learningRate)
        runner = { f, steps, start in train2D(optimizer: optimizer, objective: f, steps: steps, start: start) }
        withRate = { rate in RaceEntry(label, learningRate: rate, settings: otherSettings, make) }
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

    /// The look of the k-th path: dash pattern, line width and end-marker shape and radius.
    /// No two of the first seven share both dash pattern and marker, and neighbours in the
    /// chapter's order (Adam and Yogi often run on top of each other) differ in width by at
    /// least 0.4 px; the figure draws the widest paths first, so a thinner path on top of a
    /// wider one leaves it visible on both sides.
    public static func pathStyle(_ k: Int) -> (dash: String, width: Double, marker: String, markerSize: Double) {
        let styles: [(String, Double, String, Double)] = [
            ("-", 2.0, "s", 4.5), ("--", 1.6, "D", 4.5), ("-.", 1.2, "^", 4.5), (":", 1.8, "v", 4.5),
            ("--", 1.4, "o", 4), ("-", 2.6, "x", 5), ("-.", 1.0, "+", 5),
        ]
        let s = styles[k % styles.count]
        return (s.0, s.1, s.2, s.3)
    }

    /// Contours of f over the course and every path in its own tab10 colour, dash pattern and
    /// width, with a marker where it stopped; the legend sits outside the plot area, to the
    /// right, so it hides no path. Limits are fixed to the course, so runs that leave it are
    /// clipped at the frame.
    public func figure(_ results: [Result], width: Double = 540, height: Double = 320) -> Figure {
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        let f = objective
        ax.contour(x: xRange, y: yRange, step: max((xRange.upperBound - xRange.lowerBound) / 120, 0.01),
                   levels: levels, color: PlotColor(hex: 0xb0c4de)) { a, b in f.value(Point2D(a, b)) }
        ax.xLimits = xRange
        ax.yLimits = yRange
        ax.legend = .outsideRight
        // Widest first (stable, so equal widths keep the chapter's order).
        let drawingOrder = results.indices.sorted { a, b in
            let wa = Self.pathStyle(a).width, wb = Self.pathStyle(b).width
            return wa != wb ? wa > wb : a < b
        }
        for k in drawingOrder {
            let r = results[k]
            let colour = PlotColor.tab10[(k + 1) % PlotColor.tab10.count]
            let style = Self.pathStyle(k)
            let pts = r.trace.points.filter { $0.x.isFinite && $0.y.isFinite }
            ax.plot(pts.map(\.x), pts.map(\.y), style.dash, color: colour, lineWidth: style.width)
        }
        for (k, r) in results.enumerated() {
            ax.animationTracks.append(AnimationTrack(points: r.trace.points, color: PlotColor.tab10[(k + 1) % PlotColor.tab10.count],
                                                     label: r.label))
        }
        // Start and minimizer above the paths, the end markers above everything; the legend
        // lists the end markers in the chapter's order.
        if let m = objective.minimizer {
            ax.scatter([m.x], [m.y], color: .black, marker: .star, size: 5)
        }
        ax.scatter([start.x], [start.y], color: .black, marker: .circle, size: 3)
        for (k, r) in results.enumerated() {
            let colour = PlotColor.tab10[(k + 1) % PlotColor.tab10.count]
            let style = Self.pathStyle(k)
            let end = r.trace.points.last { $0.x.isFinite && $0.y.isFinite } ?? start
            ax.plot([end.x], [end.y], style.dash + style.marker, label: r.label, color: colour,
                    lineWidth: style.width, markerSize: style.markerSize)
        }
        return Figure(width: width, height: height, ax)
    }
}

/// Three courses for optimizer races, each with the seven methods of the chapter
/// (SGD, momentum, Nesterov, Adagrad, RMSProp, Adam, Yogi). `race` runs them at hand-picked
/// rates (the book's where it has them); `search` is the learning-rate search that gives every
/// method its rate on that course, the same grid and criterion for all (`race.tuned(by: search)`).
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

    /// The same log grid for every course, 1e-4 to 10 with four rates per decade; the criterion
    /// suits the course: the final f where there is a minimum, the steps to get clearly off the
    /// saddle (f ≤ −1) where there is none.
    public var search: LearningRateSearch {
        let grid = LearningRateSearch.logGrid(from: 1e-4, to: 10, perDecade: 4)
        switch self {
        case .illConditioned, .rosenbrock: return LearningRateSearch(grid: grid, criterion: .finalValue)
        case .saddle: return LearningRateSearch(grid: grid, criterion: .firstStepAtOrBelow(-1))
        }
    }

    public var race: OptimizerRace {
        switch self {
        case .illConditioned:
            return OptimizerRace(
                objective: .ellipse(a: 0.1, b: 2), start: Point2D(-5, -2), steps: 20,
                entries: [
                    RaceEntry("sgd", learningRate: 0.4) { SGD(learningRate: $0) },
                    RaceEntry("momentum", learningRate: 0.6, settings: "β = 0.5") { Momentum(learningRate: $0, momentum: 0.5) },
                    RaceEntry("nesterov", learningRate: 0.3, settings: "β = 0.5") { Nesterov(learningRate: $0, momentum: 0.5) },
                    RaceEntry("adagrad", learningRate: 2) { AdaGrad(learningRate: $0) },
                    RaceEntry("rmsprop", learningRate: 0.4, settings: "γ = 0.9") { RMSProp(learningRate: $0, gamma: 0.9) },
                    RaceEntry("adam", learningRate: 0.3) { Adam(learningRate: $0) },
                    RaceEntry("yogi", learningRate: 0.3) { Yogi(learningRate: $0) },
                ],
                // Taller than the book's x2 ∈ [−3, 1]: momentum's first step reaches x2 = 2.8.
                xRange: -5.5...1.0, yRange: -3.0...3.0, levels: .values([0.25, 1, 2, 4, 8, 16]))
        case .rosenbrock:
            return OptimizerRace(
                objective: .rosenbrock(), start: Point2D(-1.5, 2), steps: 1000,
                entries: [
                    RaceEntry("sgd", learningRate: 0.0015) { SGD(learningRate: $0) },
                    RaceEntry("momentum", learningRate: 0.0003, settings: "β = 0.9") { Momentum(learningRate: $0, momentum: 0.9) },
                    RaceEntry("nesterov", learningRate: 0.0003, settings: "β = 0.9") { Nesterov(learningRate: $0, momentum: 0.9) },
                    RaceEntry("adagrad", learningRate: 1) { AdaGrad(learningRate: $0) },
                    RaceEntry("rmsprop", learningRate: 0.01, settings: "γ = 0.9") { RMSProp(learningRate: $0, gamma: 0.9) },
                    RaceEntry("adam", learningRate: 0.1) { Adam(learningRate: $0) },
                    RaceEntry("yogi", learningRate: 0.1) { Yogi(learningRate: $0) },
                ],
                // Adagrad's first steps climb to x2 = 3.0; keep them inside the frame.
                xRange: -2...2, yRange: -1...3.5,
                levels: .values([0.5, 2, 8, 32, 128, 512]))
        case .saddle:
            return OptimizerRace(
                objective: .saddle, start: Point2D(-2, 0.01), steps: 30,
                entries: [
                    RaceEntry("sgd", learningRate: 0.1) { SGD(learningRate: $0) },
                    RaceEntry("momentum", learningRate: 0.1, settings: "β = 0.5") { Momentum(learningRate: $0, momentum: 0.5) },
                    RaceEntry("nesterov", learningRate: 0.1, settings: "β = 0.5") { Nesterov(learningRate: $0, momentum: 0.5) },
                    RaceEntry("adagrad", learningRate: 0.5) { AdaGrad(learningRate: $0) },
                    RaceEntry("rmsprop", learningRate: 0.1, settings: "γ = 0.9") { RMSProp(learningRate: $0, gamma: 0.9) },
                    RaceEntry("adam", learningRate: 0.1) { Adam(learningRate: $0) },
                    RaceEntry("yogi", learningRate: 0.1) { Yogi(learningRate: $0) },
                ],
                xRange: -2.5...2.5, yRange: -2.5...2.5, levels: .values([-4, -2, -1, 0, 1, 2, 4]))
        }
    }
}
