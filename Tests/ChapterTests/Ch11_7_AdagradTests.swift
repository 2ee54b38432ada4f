import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Testing

@Suite struct Ch11_7_AdagradTests {
    /// The two traces the book printed (spec 11.7), verbatim.
    static let bookOutputs = [
        "epoch 20, x1 -2.382563, x2 -0.158591",
        "epoch 20, x1 -0.002295, x2 -0.000000",
    ]

    /// The `loss: x.xxx` lines in order: from scratch, then by name.
    static func losses(_ nb: Notebook) -> [Double] {
        nb.outputLines.map { $0.rendered(maskVolatile: true) }.compactMap { line in
            guard line.hasPrefix("loss: ") else { return nil }
            return Double(line.dropFirst(6).prefix(5))
        }
    }

    @Test func printsBothBookTracesVerbatimAndInOrder() throws {
        let nb = try Book.notebook(AdagradChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        var position = 0
        for expected in Self.bookOutputs {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("book output missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
    }

    @Test func airfoilLossesArePinnedAndInsideTheSpecRange() throws {
        let nb = try Book.notebook(AdagradChapter.self)
        let losses = Self.losses(nb)
        // Pinned values of the default seed (book: 0.244 and 0.244).
        #expect(losses == [0.244, 0.242])
        for loss in losses { #expect((0.240...0.255).contains(loss), "loss \(loss) outside [0.240, 0.255]") }
    }

    @Test func rotationDefeatsTheDiagonalScaling() {
        // Exercise 2: after 200 steps with η = 2 the axis-aligned run is at the optimum to machine
        // precision, the rotated one is still far away.
        let aligned = train2D(optimizer: AdaGrad(learningRate: 2), objective: AdagradChapter.ellipse, steps: 200).final
        let rotated = train2D(optimizer: AdaGrad(learningRate: 2), objective: AdagradChapter.rotated, steps: 200).final
        #expect(AdagradChapter.norm(aligned) < 1e-20)
        #expect(AdagradChapter.norm(rotated) > 1e-6)
        // The rotated objective is the expanded exercise formula, with a consistent gradient.
        let p = Point2D(0.7, -1.3)
        #expect(abs(AdagradChapter.rotated.value(p) - (0.1 * (p.x + p.y) * (p.x + p.y) + 2 * (p.x - p.y) * (p.x - p.y))) < 1e-12)
        let numeric = Numerical.gradient(AdagradChapter.rotated.value, at: p)
        #expect(abs(numeric.x - AdagradChapter.rotated.gradient(p).x) < 1e-6)
        #expect(abs(numeric.y - AdagradChapter.rotated.gradient(p).y) < 1e-6)
    }

    @Test func eigenvaluesOfTheTwoByTwoTable() {
        let (low, high) = AdagradChapter.eigenvalues2x2(4.2, -3.8, 4.2)
        #expect(abs(low - 0.4) < 1e-12 && abs(high - 8) < 1e-12)
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        Golden.checkChapter(try Book.notebook(AdagradChapter.self))
    }
}
