/// A point in data coordinates, as the plot writer takes it for animation tracks.
///
/// The plot layer keeps its own point type so that it depends on nothing else; the book
/// layer converts the optimizers' `Point2D` paths (`AnimationTrack(points:color:label:)`
/// accepts them there).
///
/// ```swift
/// let track = AnimationTrack(points: [PlotPoint(x: -5, y: -2), PlotPoint(x: -4, y: 1)], color: .tabOrange)
/// ```
public struct PlotPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}
