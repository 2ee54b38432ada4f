@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// The lecture notes' extras: a linear classifier with random search and gradient descent,
/// the gradient check across step sizes, and local-gain learning rates.
@Suite struct LectureExtrasTests {
    static func data(seed: UInt64 = 3) -> LabeledPoints {
        var rng = SeededGenerator(seed: seed)
        return GaussianBlobs.make(perClass: 40, centers: [[-1.5, 0], [1.5, 0], [0, 2]], spread: 0.7, generator: &rng)
    }

    @Test func blobsAreReproducibleAndLabelledInBlocks() {
        let a = Self.data(), b = Self.data()
        #expect(a == b)
        #expect(a.count == 120 && a.dimension == 2 && a.classes == 3)
        #expect(a.labels[0] == 0 && a.labels[40] == 1 && a.labels[119] == 2)
        let meanX = a.features[0..<40].map { $0[0] }.reduce(0, +) / 40
        #expect(abs(meanX + 1.5) < 0.3)
    }

    @Test(arguments: LinearClassifier.Loss.allCases)
    func classifierGradientMatchesCentralDifferences(loss: LinearClassifier.Loss) {
        let data = Self.data()
        let model = LinearClassifier(classes: 3, dimension: 2, loss: loss, regularization: 0.01)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<3 {
            let w = rng.normals(model.parameterCount, standardDeviation: 0.5)
            let check = GradientCheck.check({ model.loss($0, on: data) }, gradient: { model.gradient($0, on: data) },
                                            at: w, h: 1e-6)
            #expect(check.passes(tolerance: 1e-6), "\(loss): \(check)")
        }
    }

    @Test func zeroWeightsGiveTheTextbookLosses() {
        let data = Self.data()
        let w = [Double](repeating: 0, count: 9)
        #expect(abs(LinearClassifier(classes: 3, dimension: 2).loss(w, on: data) - log(3)) < 1e-12)
        // Every wrong class sits exactly at margin 1: loss = classes − 1.
        #expect(LinearClassifier(classes: 3, dimension: 2, loss: .svm).loss(w, on: data) == 2)
        // Ties go to class 0: exactly a third right.
        #expect(abs(LinearClassifier(classes: 3, dimension: 2).accuracy(w, on: data) - 1.0 / 3) < 1e-12)
    }

    @Test func followingTheSlopeBeatsRandomSearchOnTheSameBudget() {
        let data = Self.data()
        let model = LinearClassifier(classes: 3, dimension: 2)
        var rng = SeededGenerator(seed: 5)
        let search = RandomSearch.run(tries: 100, parameterCount: 9, generator: &rng) { model.loss($0, on: data) }
        #expect(search.bestSoFar.count == 100)
        #expect(zip(search.bestSoFar, search.bestSoFar.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(search.bestLoss == model.loss(search.bestParams, on: data))
        var again = SeededGenerator(seed: 5)
        #expect(RandomSearch.run(tries: 100, parameterCount: 9, generator: &again) { model.loss($0, on: data) } == search)
        let gd = model.descend(SGD(learningRate: 0.5), from: [Double](repeating: 0, count: 9), steps: 99, on: data)
        #expect(gd.losses.count == 100)
        #expect(gd.losses.last! < search.bestLoss)
        #expect(model.accuracy(gd.params, on: data) > 0.9)
    }

    @Test func gradientCheckErrorIsUShapedInH() {
        let data = Self.data()
        let model = LinearClassifier(classes: 3, dimension: 2)
        var rng = SeededGenerator(seed: 2)
        let w = rng.normals(9, standardDeviation: 0.5)
        let rows = GradientCheckSweep.run({ model.loss($0, on: data) }, gradient: { model.gradient($0, on: data) }, at: w)
        #expect(rows.map(\.h).first == 0.1 && rows.count == 12)
        let byH = Dictionary(uniqueKeysWithValues: rows.map { (Int((-log10($0.h)).rounded()), $0) })
        // Truncation: forward O(h), central O(h²), so central is far better at moderate h.
        #expect(byH[3]!.centralError < byH[3]!.forwardError / 100)
        #expect(byH[5]!.centralError < 1e-8)
        #expect(byH[1]!.forwardError > byH[4]!.forwardError)
        // Round-off: tiny h is worse again.
        #expect(byH[12]!.centralError > 100 * byH[5]!.centralError)
        #expect(Numerical.forwardGradient({ $0[0] * $0[0] }, at: [3], h: 0.5) == [6.5])
    }

    @Test func localGainFirstStepsByHand() {
        let opt = LocalGain(learningRate: 0.1, beta: 0.05)
        var w = [1.0, 1.0]
        var s = opt.initialState(count: 2)
        #expect(s.gains == [1, 1] && s.previousGradient == [0, 0])
        // Step 1: no history, gains stay 1: w = 1 − 0.1 · g.
        opt.update(&w, gradient: [2, -1], state: &s)
        #expect(s.gains == [1, 1])
        let expected1: [Double] = [0.8, 1.1]
        #expect(abs(w[0] - expected1[0]) < 1e-15 && abs(w[1] - expected1[1]) < 1e-15)
        // Step 2: first coordinate keeps its sign (+β), second flips (×(1 − β)).
        opt.update(&w, gradient: [1, 3], state: &s)
        #expect(s.gains == [1.05, 0.95])
        let expected0: Double = 0.8 - 0.1 * 1.05
        let expected2: Double = 1.1 - 0.1 * 0.95 * 3
        #expect(abs(w[0] - expected0) < 1e-15)
        #expect(abs(w[1] - expected2) < 1e-15)
        #expect(s.previousGradient == [1, 3])
        // A zero gradient leaves the gain alone.
        opt.update(&w, gradient: [0, 3], state: &s)
        #expect(s.gains[0] == 1.05 && abs(s.gains[1] - 1.0) < 1e-15)
    }

    @Test func localGainLimitsAndTheIllConditionedEllipse() {
        let capped = LocalGain(learningRate: 0.1, beta: 0.5, gainLimits: 0.5...1.2)
        var w = [1.0]; var s = capped.initialState(count: 1)
        for _ in 0..<5 { capped.update(&w, gradient: [1], state: &s) }
        #expect(s.gains == [1.2])
        // On 0.1 x1² + 2 x2² gains grow along the slow x1 and shrink along the oscillating x2.
        let run = train2DDetailed(optimizer: LocalGain(learningRate: 0.4, beta: 0.05), objective: .ellipse(a: 0.1, b: 2))
        let gains = run.finalState!.gains
        #expect(gains[0] > 1.5 && gains[1] < 1)
        #expect(!run.trace.diverged)
    }
}
