import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// One-call versions of the book's plotting helpers (`d2l.plot`, `show_trace`, `show_trace_2d`).
///
/// ```swift
/// let fig1 = BookFigures.trace1D(.square, iterates: [10, 6, 3.6, 2.16])
/// let fig2 = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: trace.points)
/// let race = BookFigures.trace2D(.ellipse(a: 0.1, b: 2),
///                                traces: [("gd", gd.points), ("momentum", mom.points)])
/// let fig3 = BookFigures.plot(x: epochs, [loss], xLabel: "epoch", yLabel: "loss",
///                             yLimits: 0.22...0.35)
/// ```
public enum BookFigures {
    /// d2l's default line formats: blue solid, magenta dashed, green dash-dot, red dotted.
    public static let defaultFormats = ["-", "m--", "g-.", "r:"]

    /// `show_trace`: f drawn on [-n, n] (n = the largest finite |iterate|) as a blue line and the
    /// iterates as orange dots joined by a line, with a grid. The curve uses steps of 0.01
    /// (coarser when n is so large that this would exceed 2000 samples).
    public static func trace1D(_ f: Objective1D, iterates: [Double], width: Double = 350, height: Double = 250) -> Figure {
        let finite = iterates.filter(\.isFinite).map(abs)
        var n = finite.max() ?? 1
        if n == 0 { n = 1 }
        let step = max(0.01, n / 1000)
        let count = Int(min((2 * (n / step)).rounded(.up), 2001))
        let xs = (0..<count).map { -n + Double($0) * step }
        var ax = Axes(xLabel: "x", yLabel: "f(x)")
        ax.grid = true
        ax.plot(xs, xs.map(f.value), "-")
        ax.plot(iterates, iterates.map(f.value), "-o")
        return Figure(width: width, height: height, ax)
    }

    /// `show_trace_2d`: the path as orange (#ff7f0e) dots joined by a line over blue (#1f77b4)
    /// contour lines of f on a grid of step 0.1 over `xRange` × `yRange`; axes `x1`, `x2`.
    /// The path is also attached as an animation track, so `Notebook.figure` saves an
    /// animated twin (`<name>-animated.svg`) beside the static figure.
    /// Limits follow the data like matplotlib (a divergent path widens them); pass
    /// `fixedLimits: true` to keep exactly the contour ranges. `levels` picks the contour
    /// values (default: about eight automatic ones, like matplotlib).
    public static func trace2D(_ f: Objective2D, points: [Point2D], xRange: ClosedRange<Double> = -5.5...1.0,
                               yRange: ClosedRange<Double> = -3.0...1.0, fixedLimits: Bool = false,
                               levels: ContourLevels = .automatic(8),
                               width: Double = 350, height: Double = 250) -> Figure {
        var ax = contourAxes(f, xRange: xRange, yRange: yRange, fixedLimits: fixedLimits, covering: [points], levels: levels)
        ax.plot(points.map(\.x), points.map(\.y), "-o", color: .tabOrange)
        ax.animationTracks = [AnimationTrack(points: points, color: .tabOrange)]
        return Figure(width: width, height: height, ax)
    }

    /// Several paths over the same contours (optimizer races): one tab10 colour per trace
    /// (starting with orange, as blue belongs to the contours) and a legend.
    public static func trace2D(_ f: Objective2D, traces: [(label: String, points: [Point2D])],
                               xRange: ClosedRange<Double> = -5.5...1.0, yRange: ClosedRange<Double> = -3.0...1.0,
                               fixedLimits: Bool = false, levels: ContourLevels = .automatic(8),
                               width: Double = 350, height: Double = 250) -> Figure {
        var ax = contourAxes(f, xRange: xRange, yRange: yRange, fixedLimits: fixedLimits, covering: traces.map(\.points),
                             levels: levels)
        for (k, t) in traces.enumerated() {
            let colour = PlotColor.tab10[(k + 1) % PlotColor.tab10.count]
            ax.plot(t.points.map(\.x), t.points.map(\.y), "-o", label: t.label, color: colour)
            ax.animationTracks.append(AnimationTrack(points: t.points, color: colour, label: t.label))
        }
        return Figure(width: width, height: height, ax)
    }

    static func contourAxes(_ f: Objective2D, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                            fixedLimits: Bool, covering paths: [[Point2D]] = [],
                            levels: ContourLevels = .automatic(8)) -> Axes {
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        // The book samples the contours on a fixed box only, so a path that leaves the box (a
        // momentum overshoot) is drawn over blank paper. Grow the box to the path, within
        // reason: a divergent path would otherwise ask for an enormous grid.
        var gridX = xRange, gridY = yRange
        if !fixedLimits {
            let finite = paths.joined().filter { $0.x.isFinite && $0.y.isFinite }
            let spanX = xRange.upperBound - xRange.lowerBound, spanY = yRange.upperBound - yRange.lowerBound
            if let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max(),
               let minY = finite.map(\.y).min(), let maxY = finite.map(\.y).max(),
               maxX - minX <= 3 * spanX, maxY - minY <= 3 * spanY {
                gridX = Swift.min(xRange.lowerBound, minX - 0.05 * spanX)...Swift.max(xRange.upperBound, maxX + 0.05 * spanX)
                gridY = Swift.min(yRange.lowerBound, minY - 0.05 * spanY)...Swift.max(yRange.upperBound, maxY + 0.05 * spanY)
            }
        }
        ax.contour(x: gridX, y: gridY, step: 0.1, levels: levels, color: .tabBlue) { a, b in f.value(Point2D(a, b)) }
        if fixedLimits { ax.xLimits = xRange; ax.yLimits = yRange }
        return ax
    }

    /// `d2l.plot` as an `Axes`: one series per row of `y` against the matching row of `x`
    /// (a single x row is shared by all), formats cycling through `formats`, legend labels in
    /// order, a grid. `volatileX` marks x as wall-clock values (masked in goldens).
    public static func plotAxes(x: [[Double]], _ y: [[Double]], xLabel: String? = nil, yLabel: String? = nil,
                                legend: [String] = [], xLimits: ClosedRange<Double>? = nil,
                                yLimits: ClosedRange<Double>? = nil, xScale: AxisScale = .linear,
                                yScale: AxisScale = .linear, formats: [String] = defaultFormats,
                                volatileX: Bool = false) -> Axes {
        var ax = Axes(xLabel: xLabel, yLabel: yLabel)
        ax.xLimits = xLimits; ax.yLimits = yLimits
        ax.xScale = xScale; ax.yScale = yScale
        ax.grid = true
        for (k, ys) in y.enumerated() {
            let xs: [Double]
            if x.isEmpty { xs = ys.indices.map(Double.init) } else { xs = x[min(k, x.count - 1)] }
            let fmt = formats.isEmpty ? "-" : formats[k % formats.count]
            ax.plot(xs, ys, fmt, label: k < legend.count ? legend[k] : nil, volatileX: volatileX)
        }
        return ax
    }

    /// `d2l.plot(X, Y, xlabel, ylabel, legend, xlim, ylim, xscale, yscale, fmts, figsize)`.
    public static func plot(x: [[Double]], _ y: [[Double]], xLabel: String? = nil, yLabel: String? = nil,
                            legend: [String] = [], xLimits: ClosedRange<Double>? = nil,
                            yLimits: ClosedRange<Double>? = nil, xScale: AxisScale = .linear,
                            yScale: AxisScale = .linear, formats: [String] = defaultFormats,
                            volatileX: Bool = false, width: Double = 350, height: Double = 250) -> Figure {
        Figure(width: width, height: height,
               plotAxes(x: x, y, xLabel: xLabel, yLabel: yLabel, legend: legend, xLimits: xLimits,
                        yLimits: yLimits, xScale: xScale, yScale: yScale, formats: formats, volatileX: volatileX))
    }

    /// `d2l.plot` with one x shared by every series.
    public static func plot(x: [Double], _ y: [[Double]], xLabel: String? = nil, yLabel: String? = nil,
                            legend: [String] = [], xLimits: ClosedRange<Double>? = nil,
                            yLimits: ClosedRange<Double>? = nil, xScale: AxisScale = .linear,
                            yScale: AxisScale = .linear, formats: [String] = defaultFormats,
                            volatileX: Bool = false, width: Double = 350, height: Double = 250) -> Figure {
        plot(x: [x], y, xLabel: xLabel, yLabel: yLabel, legend: legend, xLimits: xLimits, yLimits: yLimits,
             xScale: xScale, yScale: yScale, formats: formats, volatileX: volatileX, width: width, height: height)
    }
}
