@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

@Suite struct RunSummaryTests {
    @Test func statisticsOfOddAndEvenCounts() {
        let s = RunSummary([3, 1, 2])
        #expect(s.mean == 2)
        #expect(s.standardDeviation == 1)           // sqrt(((1)² + 0 + (1)²) / 2)
        #expect(s.median == 2)
        #expect(s.minimum == 1 && s.maximum == 3)
        #expect(abs(s.standardError - 1 / 3.0.squareRoot()) < 1e-15)
        let even = RunSummary([4, 1, 3, 2])
        #expect(even.median == 2.5)
        #expect(RunSummary([5]).standardDeviation == 0)
    }

    @Test func nonFiniteRunsAreCountedNotAveraged() {
        let s = RunSummary([1, .infinity, 3, .nan])
        #expect(s.runs == 4 && s.nonFiniteCount == 2)
        #expect(s.mean == 2 && s.maximum == 3)
        #expect(s.count { $0 < 10 } == 2)
        let none = RunSummary([.nan, .infinity])
        #expect(none.mean.isNaN && none.finiteValues.isEmpty)
    }

    @Test func curveSummaryIsPointwiseAndToleratesShortCurves() {
        let band = CurveSummary([[1, 0.5, 0.2], [1, 0.7]])
        #expect(band.means == [1, 0.6, 0.2])
        #expect(band.minima == [1, 0.5, 0.2])
        #expect(band.maxima == [1, 0.7, 0.2])
        #expect(band.summaries[2].runs == 1)
    }

    @Test func repeatedRunsAreIndependentStableAndPrefixConsistent() {
        let three = RepeatedRuns.run(count: 3, seed: 42) { _, rng in rng.next() }
        let again = RepeatedRuns.run(count: 3, seed: 42) { _, rng in rng.next() }
        let five = RepeatedRuns.run(count: 5, seed: 42) { _, rng in rng.next() }
        #expect(three == again)
        #expect(Array(five.prefix(3)) == three)           // adding runs leaves earlier ones alone
        #expect(Set(five).count == 5)                      // distinct streams
        let other = RepeatedRuns.run(count: 3, seed: 43) { _, rng in rng.next() }
        #expect(other != three)
        let indices = RepeatedRuns.run(count: 4, seed: 1) { i, _ in i }
        #expect(indices == [0, 1, 2, 3])
    }
}

@Suite struct EvidenceSentenceTests {
    let tight = RunSummary([0.240, 0.241, 0.242])      // mean 0.241, se ≈ 0.00058
    let close = RunSummary([0.2405, 0.2415, 0.2425])   // gap 0.0005 < 2 se
    let far = RunSummary([0.250, 0.251, 0.252])        // gap 0.01  > 2 se

    @Test func aGapBeyondTwoStandardErrorsNamesTheWinner() {
        #expect(EvidenceSentence.verdict(tight, far, better: .lower) == .aBetter)
        #expect(EvidenceSentence.verdict(far, tight, better: .lower) == .bBetter)
        #expect(EvidenceSentence.verdict(tight, far, better: .higher) == .bBetter)
        let sentence = EvidenceSentence.compare("Adam", tight, "SGD", far, metric: "final loss", better: .lower)
        #expect(sentence.hasPrefix("Adam reaches a lower final loss than SGD (0.2410 ± 0.0010 against 0.2510 ± 0.0010"))
    }

    @Test func aSmallGapIsIndistinguishable() {
        #expect(EvidenceSentence.verdict(tight, close, better: .lower) == .indistinguishable)
        let sentence = EvidenceSentence.compare("Adam", tight, "SGD", close, metric: "final loss", better: .lower)
        #expect(sentence.hasPrefix("Adam and SGD are indistinguishable in these runs on final loss"))
    }

    @Test func theSameGapWithMoreNoiseBecomesIndistinguishable() {
        let noisy = RunSummary([0.230, 0.251, 0.272])   // same mean as `far`, sd 0.021
        #expect(EvidenceSentence.verdict(tight, far, better: .lower) == .aBetter)
        #expect(EvidenceSentence.verdict(tight, noisy, better: .lower) == .indistinguishable)
    }

    @Test func divergenceDecidesBeforeTheMeans() {
        let diverging = RunSummary([0.1, .infinity, 0.1])
        #expect(EvidenceSentence.verdict(far, diverging, better: .lower) == .aBetter)
        #expect(EvidenceSentence.describe(diverging) == "0.1000 ± 0.0000, diverged in 1 of 3 runs")
    }

    @Test func learnedCountsFollowTheCriterion() {
        #expect(EvidenceSentence.learned("Adam", tight, criterion: "loss below 0.2415") { $0 < 0.2415 }
                == "Adam learned in 2 of 3 runs (loss below 0.2415).")
        #expect(EvidenceSentence.learned("Adam", tight, criterion: "loss below 0.25") { $0 < 0.25 }
                == "Adam learned in 3 of 3 runs (loss below 0.25).")
    }
}
