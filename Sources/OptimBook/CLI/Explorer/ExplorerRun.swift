import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// A 2-D run as the explorer shows it: the iterates and, per step, the gradient and update.
public struct ExplorerRun: Sendable {
    /// Every iterate, the start included.
    public let points: [Point2D]
    /// Per step (1-based index k at position k − 1): the gradient at the point before it.
    public let gradients: [Point2D]

    init<O: Optimizer>(_ run: OptimizerRun2D<O>) {
        points = run.trace.points
        gradients = run.steps.map(\.gradient)
    }

    /// The first step after which the iterate is no longer finite or has left |x| ≤ 10⁶, if any.
    public var divergedAt: Int? {
        points.firstIndex { !($0.x.isFinite && $0.y.isFinite && abs($0.x) <= 1e6 && abs($0.y) <= 1e6) }
    }
}
