import Foundation

/// What an `Axes` stores for each drawing call, in insertion order.
enum PlotElement: Sendable {
    case series(Series)
    case reference(vertical: Bool, value: Double, style: LineStyle)
    case text(TextItem)
    case annotation(Annotation)
    case contour(ContourSet)
    case fill(FillRegion)
    case arrows(ArrowSet)
    case boxes(BoxSet)
}

/// Arrows from `origins[i]` to `origins[i] + vectors[i]` (data coordinates).
struct ArrowSet: Sendable {
    var origins: [SIMD2<Double>]
    var vectors: [SIMD2<Double>]
    var color: PlotColor
    var width: Double
    var label: String?
}

/// Axis-aligned rectangles centred at `centers[i]` with half-sizes `halfSizes[i]` (data units).
struct BoxSet: Sendable {
    var centers: [SIMD2<Double>]
    var halfSizes: [SIMD2<Double>]
    var color: PlotColor
    var opacity: Double
    var label: String?
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
