import Foundation

/// What an `Axes` stores for each drawing call, in insertion order.
enum PlotElement: Sendable {
    case series(Series)
    case reference(vertical: Bool, value: Double, style: LineStyle)
    case text(TextItem)
    case annotation(Annotation)
    case contour(ContourSet)
    case fill(FillRegion)
}

struct Series: Sendable {
    var x: [Double]
    var y: [Double]
    var style: LineStyle
    var label: String?
    var volatileX: Bool
}

struct TextItem: Sendable {
    var text: String
    var x: Double, y: Double
    var color: PlotColor
}

struct Annotation: Sendable {
    var text: String
    var x: Double, y: Double
    var textX: Double, textY: Double
}

struct ContourSet: Sendable {
    /// Per level, its polylines in data coordinates.
    var lines: [(level: Double, polylines: [[SIMD2<Double>]])]
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var color: PlotColor
    var label: String?
}

struct FillRegion: Sendable {
    /// Rectangles as [x0, x1, y0, y1].
    var rects: [[Double]]
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var color: PlotColor
    var opacity: Double
}
