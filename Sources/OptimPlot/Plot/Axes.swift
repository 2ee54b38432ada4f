import Foundation

/// One panel of a figure: data series plus labels, limits and scales, drawn like a
/// matplotlib `Axes`.
///
/// ```swift
/// var ax = Axes(xLabel: "x", yLabel: "f(x)")
/// let xs = stride(from: -2.0, through: 2.0, by: 0.01).map { $0 }
/// ax.plot(xs, xs.map { $0 * $0 }, label: "x^2")
/// ax.plot([1, 0.5, 0.25], [1, 0.25, 0.0625], "-o", color: .tabOrange)
/// ax.axhline(0, color: .gray)
/// let fig = Figure(ax)
/// ```
///
/// Missing values (NaN, ±infinity, and non-positive values on a log axis) never break a
/// panel: lines are split there, the points are left out of automatic limits, and anything
/// outside the limits is clipped.
public struct Axes: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Fixed limits; `nil` takes the data range plus a 5 % margin (none beside contour or
    /// shaded grids, which end exactly at their range, as in matplotlib).
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    public var legend: LegendPosition = .best
    /// Light grid lines at the major ticks.
    public var grid: Bool = false
    /// One data unit is the same length on both axes (the limits are widened to make it so).
    public var equalAspect: Bool = false
    /// Tick positions chosen by hand (like `plt.xticks([-1, 0, 1])`); `nil` picks nice ones.
    public var xTicks: [Double]?
    public var yTicks: [Double]?
    /// When set, the panel draws this 3-D wireframe instead of 2-D axes.
    public var surface: Surface3D?

    /// Moving markers shown only by the figure's animated twin (`Figure.animatedTwin`).
    public var animationTracks: [AnimationTrack] = []

    /// What the panel draws, in insertion order.
    var elements: [PlotElement] = []
    /// Next colour of the tab10 cycle (advanced only by series without an explicit colour).
    var colorCycle = 0

    public init(xLabel: String? = nil, yLabel: String? = nil, title: String? = nil) {
        self.xLabel = xLabel; self.yLabel = yLabel; self.title = title
    }

    mutating func nextCycleColor() -> PlotColor {
        defer { colorCycle += 1 }
        return PlotColor.tab10[colorCycle % PlotColor.tab10.count]
    }

    /// A line and/or markers through (x[i], y[i]), styled by a matplotlib format string:
    /// `"-"` solid, `"--"` dashed, `"-."` dash-dot, `":"` dotted, a marker (`o . s D ^ v + x *`)
    /// alone draws markers only, `"-o"` draws both, and a leading colour letter
    /// (`b g r c m y k w`) picks the colour. `color` overrides the letter; without either the
    /// next tab10 colour is used. Extra points in the longer array are ignored. `markerSize` is
    /// the marker radius in pixels.
    ///
    /// `volatileX`: x holds wall-clock values. A masked rendering (`svg(maskVolatile: true)`,
    /// used by goldens) draws the series as absent: no path (a comment stands in its place),
    /// no influence on the x range or ticks; its legend entry and its y values (which set the
    /// y range) remain, as they are reproducible.
    public mutating func plot(_ x: [Double], _ y: [Double], _ format: String = "-", label: String? = nil,
                              color: PlotColor? = nil, lineWidth: Double = 1.5, markerSize: Double = 3,
                              volatileX: Bool = false) {
        let f = FormatString(format)
        let c = color ?? f.color ?? nextCycleColor()
        let n = min(x.count, y.count)
        let style = LineStyle(color: c, dash: f.dash, width: lineWidth, marker: f.marker, markerRadius: markerSize)
        elements.append(.series(Series(x: Array(x.prefix(n)), y: Array(y.prefix(n)), style: style,
                                       label: label, volatileX: volatileX)))
    }

    /// `plot(x, y)` with x = 0, 1, 2, ...
    public mutating func plot(_ y: [Double], _ format: String = "-", label: String? = nil,
                              color: PlotColor? = nil, lineWidth: Double = 1.5) {
        plot(y.indices.map(Double.init), y, format, label: label, color: color, lineWidth: lineWidth)
    }

    /// Markers only, radius `size` pixels.
    public mutating func scatter(_ x: [Double], _ y: [Double], label: String? = nil, color: PlotColor? = nil,
                                 marker: Marker = .circle, size: Double = 4) {
        let c = color ?? nextCycleColor()
        let n = min(x.count, y.count)
        let style = LineStyle(color: c, dash: .none, width: 1, marker: marker == .none ? .circle : marker,
                              markerRadius: size)
        elements.append(.series(Series(x: Array(x.prefix(n)), y: Array(y.prefix(n)), style: style,
                                       label: label, volatileX: false)))
    }

    /// A vertical line across the panel at `x` (format as in `plot`, default dashed black).
    public mutating func axvline(_ x: Double, format: String = "--", color: PlotColor? = nil) {
        let f = FormatString(format)
        elements.append(.reference(vertical: true, value: x,
                                   style: LineStyle(color: color ?? f.color ?? .black, dash: f.dash == .none ? .solid : f.dash,
                                                    width: 1, marker: .none, markerRadius: 0)))
    }

    /// A horizontal line across the panel at `y` (format as in `plot`, default dashed black).
    public mutating func axhline(_ y: Double, format: String = "--", color: PlotColor? = nil) {
        let f = FormatString(format)
        elements.append(.reference(vertical: false, value: y,
                                   style: LineStyle(color: color ?? f.color ?? .black, dash: f.dash == .none ? .solid : f.dash,
                                                    width: 1, marker: .none, markerRadius: 0)))
    }

    /// Text whose left end sits at `at` (data coordinates).
    public mutating func text(_ text: String, at: (Double, Double), color: PlotColor? = nil) {
        elements.append(.text(TextItem(text: text, x: at.0, y: at.1, color: color ?? .black)))
    }

    /// Text at `textAt` with an arrow pointing to `point` (both in data coordinates), like
    /// matplotlib's `annotate(text, xy=point, xytext=textAt, arrowprops=dict(arrowstyle='->'))`.
    public mutating func annotate(_ text: String, at point: (Double, Double), textAt: (Double, Double)) {
        elements.append(.annotation(Annotation(text: text, x: point.0, y: point.1, textX: textAt.0, textY: textAt.1)))
    }

    /// Arrows from each origin along its vector (data coordinates), e.g. gradients drawn at
    /// the iterates. Arrows do not affect the automatic limits; they are clipped to the plot.
    public mutating func arrows(from origins: [SIMD2<Double>], vectors: [SIMD2<Double>], color: PlotColor,
                                width: Double = 1, label: String? = nil) {
        let n = min(origins.count, vectors.count)
        elements.append(.arrows(ArrowSet(origins: Array(origins.prefix(n)), vectors: Array(vectors.prefix(n)),
                                         color: color, width: width, label: label)))
    }

    /// Outlined, lightly filled rectangles centred at `centers` with half-sizes `halfSizes`
    /// (data units), e.g. per-coordinate step scales. They do not affect the automatic limits.
    public mutating func boxes(centers: [SIMD2<Double>], halfSizes: [SIMD2<Double>], color: PlotColor,
                               opacity: Double = 0.15, label: String? = nil) {
        let n = min(centers.count, halfSizes.count)
        elements.append(.boxes(BoxSet(centers: Array(centers.prefix(n)), halfSizes: Array(halfSizes.prefix(n)),
                                      color: color, opacity: opacity, label: label)))
    }

    /// Contour lines of f over the rectangle, found by marching squares on a grid of spacing
    /// `step` (default: 1/100 of the wider side). Without `color` the lines are tab10 blue.
    public mutating func contour(x: ClosedRange<Double>, y: ClosedRange<Double>, step: Double? = nil,
                                 levels: ContourLevels = .automatic(8), color: PlotColor? = nil,
                                 label: String? = nil, _ f: (Double, Double) -> Double) {
        let grid = SampledGrid(x: x, y: y, step: step, f)
        let lines = MarchingSquares.contours(grid, levels: levels)
        elements.append(.contour(ContourSet(lines: lines, xRange: x, yRange: y, color: color ?? .tabBlue, label: label)))
    }

    /// Shades every grid cell of spacing `step` whose centre satisfies `inside`
    /// (adjacent cells in a row are merged into one rectangle).
    public mutating func fillRegion(x: ClosedRange<Double>, y: ClosedRange<Double>, step: Double, color: PlotColor,
                                    opacity: Double = 0.3, where inside: (Double, Double) -> Bool) {
        var rects: [(x0: Double, x1: Double, y0: Double, y1: Double)] = []
        guard step > 0, step.isFinite else { return }
        // At most 2000 cells a side (also guards the conversion against huge ratios).
        let nx = SampledGrid.count(((x.upperBound - x.lowerBound) / step).rounded(.up)) - 1
        let ny = SampledGrid.count(((y.upperBound - y.lowerBound) / step).rounded(.up)) - 1
        let dx = (x.upperBound - x.lowerBound) / Double(nx), dy = (y.upperBound - y.lowerBound) / Double(ny)
        for j in 0..<ny {
            let y0 = y.lowerBound + Double(j) * dy, y1 = y.lowerBound + Double(j + 1) * dy
            var runStart: Int? = nil
            for i in 0...nx {
                let hit = i < nx && inside(x.lowerBound + (Double(i) + 0.5) * dx, (y0 + y1) / 2)
                if hit, runStart == nil { runStart = i }
                if !hit, let s = runStart {
                    rects.append((x.lowerBound + Double(s) * dx, x.lowerBound + Double(i) * dx, y0, y1))
                    runStart = nil
                }
            }
        }
        elements.append(.fill(FillRegion(rects: rects.map { [$0.x0, $0.x1, $0.y0, $0.y1] }, xRange: x, yRange: y,
                                         color: color, opacity: opacity)))
    }
}
