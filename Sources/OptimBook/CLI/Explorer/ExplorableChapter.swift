import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// A chapter whose 2-D experiments can be explored interactively (`--explore`).
///
/// ```swift
/// extension MomentumChapter: ExplorableChapter {
///     static var explorerStart: ExplorerStart {
///         ExplorerStart(optimizer: .momentum, function: "ill-conditioned", secondOption: "--beta")
///     }
/// }
/// ```
public protocol ExplorableChapter: Chapter {
    /// Where the explorer starts: the chapter's optimizer, settings and surface.
    static var explorerStart: ExplorerStart { get }
}
