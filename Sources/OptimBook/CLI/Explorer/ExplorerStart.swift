import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// Where `--explore` starts in a chapter: its optimizer, settings and surface.
///
/// ```swift
/// ExplorerStart(optimizer: .momentum, function: "ill-conditioned", secondOption: "--beta")
/// ```
public struct ExplorerStart: Sendable, Equatable {
    public var optimizer: ExplorerOptimizer
    /// Learning rate; nil takes the optimizer's default.
    public var eta: Double?
    /// Second hyperparameter; nil takes the optimizer's default.
    public var second: Double?
    public var function: String
    public var steps: Int
    /// The chapter's command-line option for the second hyperparameter (`--beta`, `--gamma`,
    /// …), read as a starting value like `--eta`, `--function`, `--start` and `--steps`.
    public var secondOption: String?

    public init(optimizer: ExplorerOptimizer, eta: Double? = nil, second: Double? = nil,
                function: String = "ill-conditioned", steps: Int = 20, secondOption: String? = nil) {
        self.optimizer = optimizer; self.eta = eta; self.second = second
        self.function = function; self.steps = steps; self.secondOption = secondOption
    }
}
