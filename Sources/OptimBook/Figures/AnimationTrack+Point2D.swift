import OptimKit
import OptimPlot

extension AnimationTrack {
    /// A track from an optimizer's path (`Trace2D.points`), converted to the plot's points.
    ///
    /// ```swift
    /// ax.animationTracks = [AnimationTrack(points: trace.points, color: .tabOrange)]
    /// ```
    public init(points: [Point2D], color: PlotColor, label: String? = nil) {
        self.init(points: points.map { PlotPoint(x: $0.x, y: $0.y) }, color: color, label: label)
    }
}
