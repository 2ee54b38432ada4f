import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Foundation
import Testing

@Suite struct Ch11_5_MinibatchSGDTests {
    /// The five airfoil runs in order: gd, sgd, batch 100, batch 10, concise. `pinned` is this
    /// project's seeded result (seed 42); `range` is the spec's.
    static let airfoil: [(name: String, pinned: String, range: ClosedRange<Double>)] = [
        ("gd, lr 1, batch 1500, 10 epochs", "0.251", 0.240...0.260),
        ("sgd, lr 0.005, batch 1", "0.245", 0.240...0.255),
        ("lr 0.4, batch 100", "0.245", 0.240...0.255),
        ("lr 0.05, batch 10", "0.244", 0.240...0.255),
        ("concise sgd, lr 0.05, batch 10", "0.244", 0.240...0.255),
    ]

    static func maskedLines(_ nb: Notebook) -> [String] {
        nb.outputLines.map { $0.rendered(maskVolatile: true) }
    }

    /// `loss: 0.245, <volatile>/epoch` → "0.245".
    static func lossValues(_ lines: [String]) -> [String] {
        lines.compactMap { line -> String? in
            guard line.hasPrefix("loss: "), line.hasSuffix(", <volatile>/epoch") else { return nil }
            return String(line.dropFirst("loss: ".count).prefix { $0 != "," })
        }
    }

    @Test func printsTheBookLinesInOrderWithVolatileTimings() throws {
        let nb = try Book.notebook(MinibatchSGDChapter.self)
        let lines = Self.maskedLines(nb)
        let expected = [
            "Performance in Gigaflops: element <volatile>, column <volatile>, full <volatile>",
            "Performance in Gigaflops: block <volatile>",
        ]
        var position = 0
        for line in expected {
            guard let found = lines[position...].firstIndex(of: line) else {
                Issue.record("missing or out of order: \(line)"); continue
            }
            position = found + 1
        }
        // The GFLOPS lines must really carry volatile parts (masked in goldens).
        let perf = nb.outputLines.filter { $0.rendered(maskVolatile: false).hasPrefix("Performance in Gigaflops") }
        #expect(perf.count == 2 && perf.allSatisfy(\.hasVolatile))
        #expect(Self.lossValues(lines).count == 5)
    }

    @Test func airfoilLossesArePinnedAndInTheSpecRanges() throws {
        let nb = try Book.notebook(MinibatchSGDChapter.self)
        let losses = Self.lossValues(Self.maskedLines(nb))
        #expect(losses.count == Self.airfoil.count)
        for (value, run) in zip(losses, Self.airfoil) {
            #expect(value == run.pinned, "\(run.name): printed \(value), pinned \(run.pinned)")
            let x = try #require(Double(value))
            #expect(run.range.contains(x), "\(run.name): \(x) outside \(run.range)")
        }
    }

    /// The training loop itself, outside the notebook: same streams, same numbers, and the
    /// recording schedule of the book (every 200 examples).
    @Test func gradientDescentRecordsEveryOtherEpoch() throws {
        let data = try AirfoilData.load()
        let ctx = ChapterContext(seed: MinibatchSGDChapter.defaultSeed, reduced: true)
        var rng = ctx.generator(stream: "gd")
        let run = trainLinearRegression(optimizer: SGD(learningRate: 1), data: data, batchSize: 1500, epochs: 10,
                                        generator: &rng)
        #expect(run.epochs == [2, 4, 6, 8, 10])
        #expect(CFormat.format("%.3f", run.finalLoss) == "0.251")
        #expect(run.updates == 10)
        // ηλ_max > 2: the largest curvature of the loss is just above 2.
        let curvature = MinibatchSGDChapter.largestCurvature(data)
        #expect(curvature > 2.09 && curvature < 2.11)
    }

    /// Beyond the book: the cliff throws unclipped runs back for every start; clipping at c = 5
    /// keeps every step at most ηc and every run near the wall's foot.
    @Test func clippingTamesTheCliff() throws {
        let f = MinibatchSGDChapter.cliff
        let rate = MinibatchSGDChapter.cliffRate, c = MinibatchSGDChapter.clipNorm
        for x0 in stride(from: -5.0, through: -3.0, by: 0.5) {
            let plain = MinibatchSGDChapter.CliffMetrics(f, train1D(optimizer: SGD(learningRate: rate), objective: f, start: x0, steps: 60))
            let clipped = MinibatchSGDChapter.CliffMetrics(f, train1D(optimizer: ClippedByNorm(maxNorm: c, base: SGD(learningRate: rate)),
                                                                      objective: f, start: x0, steps: 60))
            #expect(plain.leftmostAfterWall < x0 && plain.longestStep > 5)
            #expect(clipped.longestStep <= rate * c + 1e-12 && clipped.finalLoss < 2)
        }
        let lines = Self.maskedLines(try Book.notebook(MinibatchSGDChapter.self))
        #expect(lines.contains { $0.hasPrefix("clipped: longest step 0.750") })
    }

    @Test func everyExerciseHasAnAnswer() throws {
        PageExercises.check(try Book.notebook(MinibatchSGDChapter.self))
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        let nb = try Book.notebook(MinibatchSGDChapter.self)
        Golden.checkChapter(nb)
    }

    @Test func timeComparisonHasTheBookLegendAndVolatileX() throws {
        let nb = try Book.notebook(MinibatchSGDChapter.self)
        let figure = try #require(nb.files.first { $0.name == "loss-vs-time.svg" })
        let masked = figure.content.svg(maskVolatile: true)
        let full = figure.content.svg(maskVolatile: false)
        for label in ["gd", "sgd", "batch size=100", "batch size=10"] {
            #expect(full.contains(">\(label)<"))
        }
        #expect(masked.contains("series with volatile x masked"))
        #expect(!full.contains("series with volatile x masked"))
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() {
            #expect(page.contains("![Figure \(i + 1)](\(file.name))"))
        }
    }
}
