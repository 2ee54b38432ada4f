import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// What `BookFigures.internals` draws on top of a 2-D path.
///
/// - `gradients`: at each iterate, the plain gradient step −scale·g (red): where gradient
///   descent alone would have gone.
/// - `velocity`: the first-moment/velocity step −scale·v (green), for optimizers whose state
///   has a `v` component (momentum, Nesterov, Adam, Yogi, ...).
/// - `scaling`: a box at each iterate with half-sizes proportional to √s per coordinate
///   (purple), for optimizers with an `s` component (Adagrad, RMSProp, Adadelta, Adam, ...).
///   A wide box means large accumulated gradients in that coordinate, hence a small step
///   η/√s there. Boxes are normalised so the largest spans `boxFraction` of its axis.
/// - `scale`: arrow length per unit of g or v; default nil uses the optimizer's learning rate,
///   so −η·g is exactly plain gradient descent's step and, for heavy-ball momentum, −η·v is
///   exactly the step taken.
public struct InternalsOptions: Sendable, Equatable {
    public var gradients: Bool
    public var velocity: Bool
    public var scaling: Bool
    public var scale: Double?
    public var boxFraction: Double

    public init(gradients: Bool = true, velocity: Bool = true, scaling: Bool = true, scale: Double? = nil,
                boxFraction: Double = 0.06) {
        self.gradients = gradients; self.velocity = velocity; self.scaling = scaling
        self.scale = scale; self.boxFraction = boxFraction
    }
}

extension BookFigures {
    /// A 2-D trace with the optimizer's internals drawn at every step (the static analogue of
    /// gradient_descent_viz): gradient arrows, velocity arrows and per-coordinate scaling
    /// boxes, as chosen by `options`.
    ///
    /// The view starts from `xRange` × `yRange` and grows to hold the whole path and every
    /// arrow tip (up to three times the given span in each direction, so a divergent run
    /// cannot shrink the picture to nothing). Contour levels are spaced geometrically from
    /// the smallest to the largest value of f along the path, so lines are drawn around the
    /// optimum too. Scaling boxes come with a key: an outlined box in the lower-left corner
    /// showing the size of √s = K in both coordinates (K a round number near the largest √s).
    /// The path keeps its animation track, so the figure gets an animated twin too.
    ///
    /// ```swift
    /// let run = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5),
    ///                           objective: .ellipse(a: 0.1, b: 2))
    /// nb.figure(BookFigures.internals(.ellipse(a: 0.1, b: 2), run: run),
    ///           name: "momentum-internals", caption: "...")
    /// ```
    public static func internals<O: InspectableOptimizer>(_ f: Objective2D, run: OptimizerRun2D<O>,
                                               options: InternalsOptions = InternalsOptions(),
                                               xRange: ClosedRange<Double> = -5.5...1.0,
                                               yRange: ClosedRange<Double> = -3.0...1.0,
                                               width: Double = 450, height: Double = 320) -> Figure {
        let scale = options.scale ?? run.optimizer.learningRate
        let steps = run.steps.filter { $0.point.x.isFinite && $0.point.y.isFinite }
        let gradientSteps = steps.map { -scale * $0.gradient }
        let velocities = steps.compactMap { step -> SIMD2<Double>? in
            guard let v = run.optimizer.stateComponents(step.state).first(where: { $0.name == "v" }),
                  v.values.count == 2 else { return nil }
            return SIMD2(-scale * v.values[0], -scale * v.values[1])
        }
        let drawVelocity = options.velocity && velocities.count == steps.count && !steps.isEmpty

        // The view: the given box, grown to every point and arrow tip that is drawn.
        var covered = run.trace.points
        if options.gradients { covered += zip(steps, gradientSteps).map { $0.point + $1 } }
        if drawVelocity { covered += zip(steps, velocities).map { $0.point + $1 } }
        let viewX = grownRange(xRange, to: covered.map(\.x))
        let viewY = grownRange(yRange, to: covered.map(\.y))

        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.contour(x: viewX, y: viewY, step: contourStep(viewX, viewY),
                   levels: pathLevels(f, run.trace.points), color: .tabBlue) { a, b in f.value(Point2D(a, b)) }
        ax.xLimits = viewX
        ax.yLimits = viewY
        if options.scaling {
            let accumulators = steps.compactMap { step -> SIMD2<Double>? in
                guard let s = run.optimizer.stateComponents(step.state).first(where: { $0.name == "s" }),
                      s.values.count == 2 else { return nil }
                return SIMD2(s.values[0].squareRoot(), s.values[1].squareRoot())
            }
            let largest = accumulators.flatMap { [$0.x, $0.y] }.filter(\.isFinite).max() ?? 0
            if accumulators.count == steps.count, largest > 0 {
                let spanX = viewX.upperBound - viewX.lowerBound, spanY = viewY.upperBound - viewY.lowerBound
                let kx = options.boxFraction * spanX / largest
                let ky = options.boxFraction * spanY / largest
                let colour = PlotColor(hex: 0x9467bd)
                ax.boxes(centers: steps.map(\.point), halfSizes: accumulators.map { SIMD2($0.x * kx, $0.y * ky) },
                         color: colour, label: "√s per coordinate")
                // The key: a box for √s = K in both coordinates, K a 1-2-5 number near the largest √s.
                let key = roundNumber(largest)
                let centre = SIMD2(viewX.lowerBound + 0.03 * spanX + key * kx, viewY.lowerBound + 0.04 * spanY + key * ky)
                ax.boxes(centers: [centre], halfSizes: [SIMD2(key * kx, key * ky)], color: colour, opacity: 0)
                ax.text("key: √s₁ = √s₂ = \(CFormat.format("%g", key))",
                        at: (centre.x + key * kx + 0.02 * spanX, centre.y), color: colour)
            }
        }
        ax.plot(run.trace.points.map(\.x), run.trace.points.map(\.y), "-o", color: .tabOrange)
        ax.animationTracks = [AnimationTrack(points: run.trace.points, color: .tabOrange)]
        if options.gradients {
            ax.arrows(from: steps.map(\.point), vectors: gradientSteps,
                      color: PlotColor(hex: 0xd62728), width: 1.2, label: "−η·g")
        }
        if drawVelocity {
            ax.arrows(from: steps.map(\.point), vectors: velocities,
                      color: PlotColor(hex: 0x2ca02c), width: 1.2, label: "−η·v")
        }
        ax.legend = .lowerRight
        return Figure(width: width, height: height, ax)
    }

    /// `range` widened to hold `values` with a 4 % margin, but never beyond three times its
    /// own span on either side (non-finite values are ignored).
    static func grownRange(_ range: ClosedRange<Double>, to values: [Double]) -> ClosedRange<Double> {
        let span = range.upperBound - range.lowerBound
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return range }
        let margin = 0.04 * span
        let lower = Swift.max(range.lowerBound - 3 * span, Swift.min(range.lowerBound, low - margin))
        let upper = Swift.min(range.upperBound + 3 * span, Swift.max(range.upperBound, high + margin))
        return lower...upper
    }

    /// Grid spacing for the contours: 0.025 (a quarter of `show_trace_2d`'s, so the small rings around
    /// the optimum stay round), coarser for a grown view (at most about 400 cells a side).
    static func contourStep(_ x: ClosedRange<Double>, _ y: ClosedRange<Double>) -> Double {
        Swift.max(0.025, Swift.max(x.upperBound - x.lowerBound, y.upperBound - y.lowerBound) / 400)
    }

    /// Contour levels at round values (1-2-5, or 1-3 or powers of ten when that would give
    /// more than nine lines) from the smallest to the largest height of f above its minimum
    /// along the path, so the lines follow the path down into the basin instead of stopping
    /// at the first round number. Built by multiplication only (no libm), so the levels are
    /// the same on every platform.
    static func pathLevels(_ f: Objective2D, _ points: [Point2D]) -> ContourLevels {
        let floor = f.minimizer.map { f.value($0) } ?? 0
        let heights = points.map { f.value($0) - floor }.filter { $0.isFinite && $0 > 0 }
        guard let low = heights.min(), let high = heights.max(), high > low else { return .automatic(8) }
        let bottom = Swift.max(low, high * 1e-3)
        for mantissas in [[1.0, 2, 5], [1.0, 3], [1.0]] {
            var levels: [Double] = []
            var decade = roundNumber(bottom, mantissas: [1])
            while decade <= high {
                for m in mantissas where m * decade >= bottom && m * decade <= high { levels.append(m * decade) }
                decade *= 10
            }
            if levels.count <= 9 || mantissas == [1] { return .values(levels.map { floor + $0 }) }
        }
        return .automatic(8)
    }

    /// The largest number of the form m · 10^k (m from `mantissas`, default 1, 2, 5) that is at
    /// most `x` (x > 0), found by repeated multiplication and division (no libm).
    static func roundNumber(_ x: Double, mantissas: [Double] = [1, 2, 5]) -> Double {
        var decade = 1.0
        while decade > x { decade /= 10 }
        while decade * 10 <= x { decade *= 10 }
        for m in mantissas.sorted(by: >) where m * decade <= x { return m * decade }
        return decade
    }
}
