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

@Suite struct Ch11_8_RMSPropTests {
    /// The chapter runs once for all tests here (it trains LeNet four times in its exercises).
    nonisolated(unsafe) static let page: Result<Notebook, Error> = Result { try Book.notebook(RMSPropChapter.self) }

    /// The `loss: x.xxx` lines in order: from scratch, then by name.
    static func losses(_ nb: Notebook) -> [Double] {
        nb.outputLines.map { $0.rendered(maskVolatile: true) }.compactMap { line in
            guard line.hasPrefix("loss: ") else { return nil }
            return Double(line.dropFirst(6).prefix(5))
        }
    }

    @Test func printsTheBookTraceVerbatim() throws {
        let nb = try Self.page.get()
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        #expect(lines.contains("epoch 20, x1 -0.010599, x2 0.000000"))
    }

    @Test func airfoilLossesArePinnedAndInsideTheSpecRange() throws {
        let nb = try Self.page.get()
        let losses = Self.losses(nb)
        // Pinned values of the default seed (book: 0.244 from scratch, 0.243 by name).
        #expect(losses == [0.248, 0.243])
        for loss in losses { #expect((0.240...0.255).contains(loss), "loss \(loss) outside [0.240, 0.255]") }
    }

    @Test func constantRateEndsInTheTwoCycleTheTextPredicts() {
        // Near the optimum every step has length η per coordinate: x jumps between ±η/2.
        for (f, expected) in [(RMSPropChapter.ellipse, 2.1 * 0.04), (RMSPropChapter.rotated, 8 * 0.04)] {
            let run = train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9), objective: f, steps: 1000)
            let p = run.final
            #expect(abs(abs(p.x) - 0.2) < 1e-3 && abs(abs(p.y) - 0.2) < 1e-3)
            #expect(abs(f.value(p) - expected) < 1e-3)
        }
    }

    @Test func gammaOneIsGradientDescentWithRate400() {
        let run = train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 1), objective: RMSPropChapter.ellipse, steps: 1)
        // x2 ← x2 − 400 · 4 x2 (up to the rounding of 0.4 / sqrt(1e-6)).
        #expect(abs(run.final.y - (-2 + 400 * 4 * 2)) < 1e-6)
    }

    /// Beyond the book: on the quadratic the effective rates settle at 2/λ (the two-cycle); on the
    /// airfoil data they do not decay.
    @Test func effectiveRatesSettleAtTwoOverLambdaAndDoNotDecay() throws {
        let q = EffectiveLearningRates.run2D(train2DDetailed(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9),
                                                             objective: RMSPropChapter.ellipse, steps: 400))
        #expect(abs(q.last![0] - 2 / 0.2) < 0.05 && abs(q.last![1] - 2 / 4) < 0.01)
        var rng = SeededGenerator(seed: 9)
        let r = EffectiveLearningRates.airfoil(optimizer: RMSProp(learningRate: 0.01, gamma: 0.9), data: try AirfoilData.load(),
                                               batchSize: 10, epochs: 20, generator: &rng)
        let updates = (1501...3000).map(Double.init)
        for i in 0..<6 {
            let slope = RMSPropChapter.logLogSlope(updates, r.perUpdate[1500...].map { $0[i] })
            #expect(abs(slope) < 0.2, "coordinate \(i): slope \(slope)")
        }
        #expect(abs(RMSPropChapter.halfLife(0.9) - 6.5788) < 1e-4)
    }

    @Test func everyExerciseHasAnAnswer() throws {
        PageExercises.check(try Self.page.get())
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        Golden.checkChapter(try Self.page.get())
    }
}
