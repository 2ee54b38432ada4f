import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: momentum with η = 0.6, β = 0.5 on 0.1x₁² + 2x₂², the run of the section's figure.
extension MomentumChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .momentum, eta: 0.6, second: 0.5, function: "ill-conditioned", secondOption: "--beta")
    }
}
