import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook

/// `--explore`: gradient descent with η = 0.1 on the section's x₁² + 2x₂², as in 11.3.2.
extension GradientDescentChapter: ExplorableChapter {
    static var explorerStart: ExplorerStart {
        ExplorerStart(optimizer: .gradientDescent, eta: 0.1, function: "ellipse")
    }
}
