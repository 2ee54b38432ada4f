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
    /// boxes, as chosen by `options`. Limits are fixed to the contour ranges; arrows that
    /// leave them are clipped. The path keeps its animation track, so the figure gets an
    /// animated twin too.
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
        var ax = contourAxes(f, xRange: xRange, yRange: yRange, fixedLimits: true)
        let scale = options.scale ?? run.optimizer.learningRate
        let steps = run.steps.filter { $0.point.x.isFinite && $0.point.y.isFinite }
        if options.scaling {
            let accumulators = steps.compactMap { step -> SIMD2<Double>? in
                guard let s = run.optimizer.stateComponents(step.state).first(where: { $0.name == "s" }),
                      s.values.count == 2 else { return nil }
                return SIMD2(s.values[0].squareRoot(), s.values[1].squareRoot())
            }
            let largest = accumulators.flatMap { [$0.x, $0.y] }.filter(\.isFinite).max() ?? 0
            if accumulators.count == steps.count, largest > 0 {
                let kx = options.boxFraction * (xRange.upperBound - xRange.lowerBound) / largest
                let ky = options.boxFraction * (yRange.upperBound - yRange.lowerBound) / largest
                ax.boxes(centers: steps.map(\.point), halfSizes: accumulators.map { SIMD2($0.x * kx, $0.y * ky) },
                         color: PlotColor(hex: 0x9467bd), label: "√s per coordinate")
            }
        }
        ax.plot(run.trace.points.map(\.x), run.trace.points.map(\.y), "-o", color: .tabOrange)
        ax.animationTracks = [AnimationTrack(points: run.trace.points, color: .tabOrange)]
        if options.gradients {
            ax.arrows(from: steps.map(\.point), vectors: steps.map { -scale * $0.gradient },
                      color: PlotColor(hex: 0xd62728), width: 1.2, label: "−η·g")
        }
        if options.velocity {
            let velocities = steps.compactMap { step -> SIMD2<Double>? in
                guard let v = run.optimizer.stateComponents(step.state).first(where: { $0.name == "v" }),
                      v.values.count == 2 else { return nil }
                return SIMD2(v.values[0], v.values[1])
            }
            if velocities.count == steps.count, !steps.isEmpty {
                ax.arrows(from: steps.map(\.point), vectors: velocities.map { -scale * $0 },
                          color: PlotColor(hex: 0x2ca02c), width: 1.2, label: "−η·v")
            }
        }
        ax.legend = .lowerRight
        return Figure(width: width, height: height, ax)
    }
}
