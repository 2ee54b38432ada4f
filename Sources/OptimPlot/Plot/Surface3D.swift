import Foundation

/// A surface z = f(x, y) drawn as a matplotlib-style wireframe (`plot_wireframe`) seen from
/// elevation 30° and azimuth −60° unless told otherwise.
///
/// f is sampled when the value is created (`samples` × `samples` points for the wireframe and
/// a finer grid for `contoursBelow`), so the closure is not kept.
///
/// ```swift
/// var s = Surface3D(x: -1...1, y: -1...1, samples: 41) { x, y in x * x - y * y }
/// s.markers = [(x: 0, y: 0, z: 0, label: "saddle point")]
/// s.zLabel = "f(x, y)"
/// s.wireStride = 4          // with samples: 41, eleven wires each way, as matplotlib's stride 10 of 101
/// var ax = Axes(); ax.surface = s
/// let fig = Figure(ax)
/// ```
public struct Surface3D: Sendable {
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// View elevation and azimuth in degrees (matplotlib's `view_init`).
    public var elevation: Double
    public var azimuth: Double
    /// Points drawn on top of the surface, e.g. a saddle point; a label is written beside it.
    public var markers: [(x: Double, y: Double, z: Double, label: String?)] = []
    /// Contour lines drawn on the floor of the box, under the surface.
    public var contoursBelow: ContourLevels?
    public var xLabel: String? = "x"
    public var yLabel: String? = "y"
    public var zLabel: String? = "z"
    /// Tick positions chosen by hand (the book uses `[-1, 0, 1]`); `nil` picks nice ones.
    public var xTicks: [Double]?
    public var yTicks: [Double]?
    public var zTicks: [Double]?
    /// Fixed z range of the box (matplotlib's `set_zlim`); `nil` spans the sampled values and markers.
    /// Floor contours sit at the lower end, so a limit below the data leaves a gap under the surface.
    public var zLimits: ClosedRange<Double>?
    /// Draw a wire only along every `wireStride`-th grid line (and the last one), like matplotlib's
    /// `rstride`/`cstride`: the surface is still painted cell by cell at full resolution, so the
    /// wires stay smooth curves and hidden parts stay hidden. Default 1 (every grid line).
    public var wireStride: Int = 1
    /// Wireframe colour (tab10 blue unless set).
    public var color: PlotColor = .tabBlue

    /// The wireframe samples.
    var grid: SampledGrid
    /// A finer sampling for the floor contours.
    var fineGrid: SampledGrid

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, samples: Int = 31, elevation: Double = 30,
                azimuth: Double = -60, _ f: (Double, Double) -> Double) {
        xRange = x; yRange = y
        self.elevation = elevation; self.azimuth = azimuth
        let n = min(max(samples, 2), 201)
        grid = SampledGrid(x: x, y: y, nx: n, ny: n, f)
        fineGrid = SampledGrid(x: x, y: y, nx: 81, ny: 81, f)
    }
}
