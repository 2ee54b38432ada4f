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
    /// The chapter runs once for all tests here (it trains LeNet four times in its exercises).
    nonisolated(unsafe) static let page: Result<Notebook, Error> = Result { try Book.notebook(AdagradChapter.self) }

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
        let nb = try Self.page.get()
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
        let nb = try Self.page.get()
        let losses = Self.losses(nb)
        // Pinned values of the default seed (book: 0.244 and 0.244).
        #expect(losses == [0.244, 0.242])
        for loss in losses { #expect((0.240...0.255).contains(loss), "loss \(loss) outside [0.240, 0.255]") }
    }

    /// Beyond the book: the effective rate levels off without noise and falls like t^(−½) with it.
    @Test func effectiveRateLevelsOffWithoutNoiseAndDecaysWithIt() throws {
        let f = AdagradChapter.ellipse
        let quadratic = EffectiveLearningRates.run2D(train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: f, steps: 200))
        let steps = (101...200).map(Double.init)
        for i in 0..<2 {
            #expect(abs(AdagradChapter.logLogSlope(steps, quadratic[100...].map { $0[i] })) < 0.02)
        }
        var rng = SeededGenerator(seed: 9)
        let airfoil = EffectiveLearningRates.airfoil(optimizer: AdaGrad(learningRate: 0.1), data: try AirfoilData.load(),
                                                     batchSize: 10, epochs: 20, generator: &rng)
        let updates = (1501...3000).map(Double.init)
        for i in 0..<6 {
            let slope = AdagradChapter.logLogSlope(updates, airfoil.perUpdate[1500...].map { $0[i] })
            #expect(slope > -0.6 && slope < -0.4, "coordinate \(i): slope \(slope)")
        }
    }

    @Test func everyExerciseHasAnAnswer() throws {
        PageExercises.check(try Self.page.get())
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
        Golden.checkChapter(try Self.page.get())
    }
}
