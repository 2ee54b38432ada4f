import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: Adagrad with η = 0.4 on 0.1x₁² + 2x₂², as in 11.7.4.
extension AdagradChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .adagrad, eta: 0.4, function: "ill-conditioned")
    }
}
