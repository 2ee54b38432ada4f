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

@Suite struct Ch11_6_MomentumTests {
    /// The four exact traces of the spec, in order.
    static let bookOutputs = [
        "epoch 20, x1 -0.943467, x2 -0.000073",
        "epoch 20, x1 -0.387814, x2 -1673.365109",
        "epoch 20, x1 0.007188, x2 0.002553",
        "epoch 20, x1 -0.126340, x2 -0.186632",
    ]

    /// Airfoil runs in order (seed 42): three from scratch and the concise one; spec range [0.240, 0.260].
    static let airfoil: [(name: String, pinned: String)] = [
        ("lr 0.02, momentum 0.5", "0.245"),
        ("lr 0.01, momentum 0.9", "0.253"),
        ("lr 0.005, momentum 0.9", "0.243"),
        ("concise sgd, lr 0.005, momentum 0.9", "0.246"),
    ]

    static func maskedLines(_ nb: Notebook) -> [String] {
        nb.outputLines.map { $0.rendered(maskVolatile: true) }
    }

    @Test func printsEveryBookOutputVerbatimAndInOrder() throws {
        let lines = Self.maskedLines(try Book.notebook(MomentumChapter.self))
        var position = 0
        for expected in Self.bookOutputs {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("book output missing or out of order: \(expected)"); continue
            }
            position = found + 1
        }
    }

    @Test func airfoilLossesArePinnedAndInTheSpecRange() throws {
        let lines = Self.maskedLines(try Book.notebook(MomentumChapter.self))
        let losses = lines.compactMap { line -> String? in
            guard line.hasPrefix("loss: "), line.hasSuffix(", <volatile>/epoch") else { return nil }
            return String(line.dropFirst("loss: ".count).prefix { $0 != "," })
        }
        #expect(losses.count == Self.airfoil.count)
        for (value, run) in zip(losses, Self.airfoil) {
            #expect(value == run.pinned, "\(run.name): printed \(value), pinned \(run.pinned)")
            let x = try #require(Double(value))
            #expect((0.240...0.260).contains(x), "\(run.name): \(x) outside [0.240, 0.260]")
        }
    }

    /// Beyond the book: Nesterov with the momentum run's η, β diverges along x2 (ηλ = 2.4 > 1.5),
    /// and the numerical check of the convergence region finds no disagreement.
    @Test func nesterovAndTheConvergenceRegion() throws {
        let lines = Self.maskedLines(try Book.notebook(MomentumChapter.self))
        #expect(lines.contains("epoch 20, x1 -0.002408, x2 -81404320.956953"))
        #expect(lines.contains("epoch 20, x1 -0.289993, x2 0.001723"))
        #expect(lines.contains("epoch 20, x1 -0.341872, x2 -0.000003"))
        let checks = lines.filter { $0.contains("grid points") }
        #expect(checks.count == 2)
        #expect(checks.allSatisfy { $0.contains(" 0 disagreements") })
        let edge = try #require(lines.first { $0.hasPrefix("largest |edge from rho - closed form|: ") })
        let value = try #require(Double(edge.split(separator: " ").last.map(String.init) ?? ""))
        #expect(value < 1e-9)
    }

    /// Beyond the book: the heavy ball rolls over the rim, gradient descent does not; the
    /// two momentum conventions agree at a constant rate and part under a schedule.
    @Test func lectureTopicsRun() throws {
        let lines = Self.maskedLines(try Book.notebook(MomentumChapter.self))
        #expect(lines.contains("gradient descent, η = 0.1:      x after 100 steps -2.0030"))
        #expect(lines.contains("momentum, η = 0.1, β = 0.9:     x after 100 steps 3.0085"))
        let constant = try #require(lines.first { $0.hasPrefix("constant η: largest gap") })
        let gaps = constant.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .punctuationCharacters)) }.filter { $0 < 1 }
        #expect(gaps.count == 2 && gaps.allSatisfy { $0 < 1e-12 }, "\(constant)")
        let decay = try #require(lines.first { $0.hasPrefix("step decay:") })
        #expect(decay.contains("rate inside 3."), "\(decay)")
    }

    /// The noise experiment's formula for the stationary variance, against a long simulation.
    @Test func stationaryVarianceFormulaHolds() {
        var rng = SeededGenerator(seed: 5)
        let (eta, beta, lambda) = (0.005, 0.9, 4.0)
        var x = 0.0, v = 0.0, sum = 0.0
        let steps = 200_000
        for t in 0..<steps {
            v = beta * v + lambda * x + rng.normal()
            x -= eta * v
            if t >= 1000 { sum += x * x }
        }
        let measured = sum / Double(steps - 1000)
        let effective = eta / (1 - beta)
        let predicted = effective / (lambda * (2 - effective * lambda * (1 - beta) / (1 + beta)))
        #expect(abs(measured / predicted - 1) < 0.05, "measured \(measured), predicted \(predicted)")
    }

    /// Exercise 4's critical value: P(|T| > 3.9608) = 0.05/3 for Student's t with 4 degrees of
    /// freedom, by Simpson's rule on the density 3/8 · (1 + t²/4)^(−5/2).
    @Test func pairedCriticalValueIsTheBonferroniQuantile() {
        let c = MomentumChapter.pairedCriticalT
        let n = 20_000
        let h = c / Double(n)
        func density(_ t: Double) -> Double { 0.375 * pow(1 + t * t / 4, -2.5) }
        var sum = density(0) + density(c)
        for i in 1..<n { sum += density(Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        let central = 2 * sum * h / 3                  // P(|T| ≤ c)
        #expect(abs((1 - central) - 0.05 / 3) < 1e-5, "tail \(1 - central)")
    }

    @Test func everyExerciseHasAnAnswer() throws {
        PageExercises.check(try Book.notebook(MomentumChapter.self))
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        let nb = try Book.notebook(MomentumChapter.self)
        Golden.checkChapter(nb)
        #expect(nb.files.count >= 14)
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() {
            #expect(page.contains("![Figure \(i + 1)](\(file.name))"))
        }
    }
}
