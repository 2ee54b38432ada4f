import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: Adadelta with ρ = 0.9 on 0.1x₁² + 2x₂² for 1000 steps, the path drawn at the end of the page.
extension AdadeltaChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .adadelta, eta: 1, second: 0.9, function: "ill-conditioned", steps: 1000, secondOption: "--rho")
    }
}
