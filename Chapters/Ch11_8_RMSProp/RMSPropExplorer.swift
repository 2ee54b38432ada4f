import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: RMSProp with η = 0.4, γ = 0.9 on 0.1x₁² + 2x₂², as in 11.8.2.
extension RMSPropChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .rmsprop, eta: 0.4, second: 0.9, function: "ill-conditioned", secondOption: "--gamma")
    }
}
