import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
extension BookFigures {
    /// Side-by-side 2-D trace plots, one panel per objective, each with several labelled paths
    /// over the objective's contours (e.g. the same methods on a problem and its rotation).
    public static func tracePanels(_ panels: [(objective: Objective2D, traces: [(label: String, points: [Point2D])])],
                                   titles: [String], xRange: ClosedRange<Double> = -5.5...1.0,
                                   yRange: ClosedRange<Double> = -3.0...1.0, levels: ContourLevels = .automatic(8),
                                   panelWidth: Double = 350, height: Double = 250) -> Figure {
        let axes: [Axes] = panels.enumerated().map { index, panel in
            var ax = trace2D(panel.objective, traces: panel.traces, xRange: xRange, yRange: yRange, levels: levels).panels[0]
            ax.title = index < titles.count ? titles[index] : nil
            return ax
        }
        return Figure(width: panelWidth * Double(axes.count), height: height, panels: axes)
    }
}
