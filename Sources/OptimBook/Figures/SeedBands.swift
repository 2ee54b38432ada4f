import OptimKit
import OptimPlot

extension BookFigures {
    /// Results of repeated runs: for every series, the mean over seeds as a solid line with
    /// markers and the smallest and largest run as thin dotted lines of the same colour (the
    /// min–max band). Points whose mean is not finite (every seed diverged) are left out, as
    /// are points outside `yLimits` when limits are given.
    ///
    /// `styles`, when given, sets the mean line of series k: its dash pattern, marker, line width
    /// and marker radius (e.g. `("--", "D", 1.6, 4)`), so that series which nearly coincide stay
    /// apart to the eye (draw the wider ones first); nil draws every mean as a solid 1.5 px line
    /// with dots. `yTicks` replaces the automatic y ticks.
    ///
    /// ```swift
    /// let fig = BookFigures.seedBands(x: rates, series: [("Adam", adamSummaries)],
    ///                                 xLabel: "learning rate", yLabel: "final loss", xScale: .log)
    /// ```
    public static func seedBands(x: [Double], series: [(label: String, points: [RunSummary])],
                                 xLabel: String, yLabel: String, xScale: AxisScale = .linear,
                                 yScale: AxisScale = .linear, xTicks: [Double]? = nil, yTicks: [Double]? = nil,
                                 yLimits: ClosedRange<Double>? = nil,
                                 styles: [(dash: String, marker: String, width: Double, markerSize: Double)]? = nil,
                                 title: String? = nil, legend: LegendPosition = .best,
                                 width: Double = 420, height: Double = 280) -> Figure {
        var ax = Axes(xLabel: xLabel, yLabel: yLabel, title: title)
        ax.xScale = xScale; ax.yScale = yScale; ax.yLimits = yLimits; ax.xTicks = xTicks; ax.yTicks = yTicks
        ax.legend = legend
        for (i, s) in series.enumerated() {
            let color = PlotColor.tab10[i % PlotColor.tab10.count]
            func kept(_ values: [Double]) -> ([Double], [Double]) {
                var xs: [Double] = [], ys: [Double] = []
                for (k, v) in values.enumerated() where k < x.count && v.isFinite {
                    if let limits = yLimits, !limits.contains(v) { continue }
                    if yScale == .log && v <= 0 { continue }
                    xs.append(x[k]); ys.append(v)
                }
                return (xs, ys)
            }
            let mean = kept(s.points.map(\.mean))
            if let style = styles?[i % styles!.count] {
                ax.plot(mean.0, mean.1, style.dash + style.marker, label: s.label, color: color,
                        lineWidth: style.width, markerSize: style.markerSize)
            } else {
                ax.plot(mean.0, mean.1, "-o", label: s.label, color: color, lineWidth: 1.5)
            }
            let low = kept(s.points.map(\.minimum)), high = kept(s.points.map(\.maximum))
            ax.plot(low.0, low.1, ":", color: color, lineWidth: 0.8)
            ax.plot(high.0, high.1, ":", color: color, lineWidth: 0.8)
        }
        return Figure(width: width, height: height, ax)
    }
}
