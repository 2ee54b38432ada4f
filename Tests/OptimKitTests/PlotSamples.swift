@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// Writes sample figures for eyeballing when `PLOT_SAMPLES_DIR` is set (for example
/// `PLOT_SAMPLES_DIR=/tmp/plots swift test --filter PlotSamples`); otherwise does nothing.
@Suite struct PlotSamples {
    static var directory: String? { ProcessInfo.processInfo.environment["PLOT_SAMPLES_DIR"] }

    static func write(_ fig: Figure, _ name: String) throws {
        guard let dir = directory else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try AtomicFile.write(fig.svg(maskVolatile: false), to: dir + "/" + name + ".svg")
    }

    @Test func samples() throws {
        guard Self.directory != nil else { return }
        // 1-D trace: gradient descent on x^2 with eta 0.2.
        var x = 10.0, iterates = [x]
        for _ in 0..<10 { x -= 0.2 * 2 * x; iterates.append(x) }
        try Self.write(BookFigures.trace1D(.square, iterates: iterates), "trace1d")
        // 2-D trace over contours.
        let f = Objective2D.ellipse(a: 1, b: 2)
        var p = Point2D(-5, -2), pts = [p]
        for _ in 0..<20 { p -= 0.1 * f.gradient(p); pts.append(p) }
        try Self.write(BookFigures.trace2D(f, points: pts), "trace2d")
        // Optimizer race.
        let g = Objective2D.ellipse(a: 0.1, b: 2)
        var races: [(label: String, points: [Point2D])] = []
        for eta in [0.4, 0.6] {
            var q = Point2D(-5, -2), qs = [q]
            for _ in 0..<20 { q -= eta * g.gradient(q); qs.append(q) }
            races.append(("eta \(eta)", qs))
        }
        try Self.write(BookFigures.trace2D(g, traces: races, fixedLimits: true), "race")
        try Self.write(BookFigures.trace2D(g, points: races[1].points), "divergent")
        // Log-x with four series.
        let t = (1...40).map { 0.001 * pow(1.25, Double($0)) }
        let curves = (0..<4).map { k in t.indices.map { i in 0.25 + 0.1 * exp(-Double(i) / Double(5 + 5 * k)) } }
        try Self.write(BookFigures.plot(x: [t, t.map { $0 * 3 }, t.map { $0 * 0.5 }, t.map { $0 * 10 }], curves,
                                        xLabel: "time (sec)", yLabel: "loss",
                                        legend: ["gd", "sgd", "batch size=100", "batch size=10"],
                                        xScale: .log), "logx")
        // Three panels.
        let xs = stride(from: -2.0, to: 2.0, by: 0.01).map { $0 }
        var panels: [Axes] = []
        for h in [{ (x: Double) in 0.5 * x * x }, { (x: Double) in cos(Double.pi * x) }, { (x: Double) in exp(0.5 * x) }] {
            var a = BookFigures.plotAxes(x: [xs, [-1.5, 1]], [xs.map(h), [h(-1.5), h(1)]], xLabel: "x", yLabel: "f(x)")
            a.title = "panel"
            panels.append(a)
        }
        try Self.write(Figure(width: 900, height: 250, panels: panels), "panels")
        // NaN points.
        try Self.write(BookFigures.plot(x: [0, 1, 2, 3, 4, 5, 6], [[1, 2, .nan, 3, .infinity, 2, 1], [0.5, 1e300, -1e300, 1, 1, 0.5, 0.2]],
                                        legend: ["nan", "huge"]), "nan")
        // Annotation and fill.
        var ann = Axes(xLabel: "x", yLabel: "risk")
        let u = stride(from: 0.5, to: 1.5, by: 0.01).map { $0 }
        ann.plot(u, u.map { $0 * cos(Double.pi * $0) }, label: "expected")
        ann.plot(u, u.map { $0 * cos(Double.pi * $0) + 0.2 * cos(5 * Double.pi * $0) }, label: "empirical")
        ann.annotate("min of\nempirical risk", at: (1.0, -1.2), textAt: (0.5, -1.1))
        ann.annotate("min of risk", at: (1.1, -1.05), textAt: (0.95, -0.8))
        ann.legend = .none
        try Self.write(Figure(ann), "annotate")
        var fill = Axes(xLabel: "eta lambda", yLabel: "beta", title: "convergence region")
        fill.fillRegion(x: 0...4, y: 0...1, step: 0.02, color: .tabBlue) { a, b in a < 2 + 2 * b }
        fill.axvline(2)
        fill.text("GD limit", at: (2.05, 0.1))
        try Self.write(Figure(fill), "fill")
        var eq = Axes(xLabel: "x1", yLabel: "x2", title: "equal aspect")
        eq.equalAspect = true
        eq.contour(x: -2...2, y: -1...1, levels: .values([0.5, 1, 2])) { a, b in a * a + b * b }
        eq.scatter([0, 1, -1], [0, 0.5, -0.5], label: "points", marker: .square)
        eq.scatter([0.5], [0.2], label: "star", color: .tabRed, marker: .star, size: 6)
        try Self.write(Figure(eq), "equal")
        var loss = BookFigures.plot(x: (0..<30).map { Double($0) / 10 }, [(0..<30).map { 0.245 + 0.2 * exp(-Double($0)) }],
                                    xLabel: "epoch", yLabel: "loss", yLimits: 0.22...0.35)
        loss.title = "figure title"
        try Self.write(loss, "loss")
        let k = (0..<60).map(Double.init)
        try Self.write(BookFigures.plot(x: k, [k.map { pow(0.6, $0) }, k.map { pow(0.9, $0) }], xLabel: "t", yLabel: "error",
                                        legend: ["fast", "slow"], yScale: .log), "logy")
        try Self.write(BookFigures.plot(x: [2, 3, 5, 9], [[1, 2, 3, 4]], xScale: .log), "shortlog")
        let masked = BookFigures.plot(x: [0.01, 0.1, 1], [[0.3, 0.27, 0.25], [0.31, 0.26, 0.245]], xLabel: "time (sec)",
                                      yLabel: "loss", legend: ["gd", "sgd"], xScale: .log, volatileX: true)
        if let dir = Self.directory { try AtomicFile.write(masked.svg(maskVolatile: true), to: dir + "/masked.svg") }
        // Surface.
        var s = Surface3D(x: -1...1, y: -1...1) { x, y in x * x - y * y }
        s.markers = [(x: 0, y: 0, z: 0, label: "saddle point")]
        s.xTicks = [-1, 0, 1]; s.yTicks = [-1, 0, 1]; s.zTicks = [-1, 0, 1]
        var sa = Axes(); sa.surface = s
        try Self.write(Figure(sa), "surface")
        var s2 = Surface3D(x: -1...1, y: -1...1) { x, y in x * x + 0.5 * cos(2 * Double.pi * y) }
        s2.contoursBelow = .automatic(8)
        var sb = Axes(); sb.surface = s2
        try Self.write(Figure(sb), "surface2")
    }
}
