import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: Adam with η = 0.3, β₁ = 0.9 on 0.1x₁² + 2x₂² (the setting of the page's step table and exercise 2).
extension AdamChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .adam, eta: 0.3, second: 0.9, function: "ill-conditioned", secondOption: "--beta1")
    }
}
