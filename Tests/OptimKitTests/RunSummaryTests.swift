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
    let close = RunSummary([0.2405, 0.2415, 0.2425])   // gap 0.0005, below t(4) · se
    let far = RunSummary([0.250, 0.251, 0.252])        // gap 0.01, above t(4) · se ≈ 0.0023

    @Test func aGapBeyondTheThresholdNamesTheWinner() {
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

@Suite struct WelchTestTests {
    @Test func criticalValuesComeFromTheTableRoundingDegreesOfFreedomDown() {
        #expect(StudentT.criticalValue95(degreesOfFreedom: 1) == 12.706)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 2) == 4.303)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 4) == 2.776)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 4.9) == 2.776)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 30) == 2.042)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 59) == 2.021)
        #expect(StudentT.criticalValue95(degreesOfFreedom: 1e6) == 1.980)
        #expect(StudentT.criticalValue95(degreesOfFreedom: .infinity) == 1.960)
        // Decreasing in ν, always above the normal value.
        let values = (1...200).map { StudentT.criticalValue95(degreesOfFreedom: Double($0)) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(values.allSatisfy { $0 > 1.96 })
    }

    @Test func degreesOfFreedomFollowWelchSatterthwaite() {
        // Equal spreads and counts: ν = 2(n − 1).
        let a = RunSummary([0.240, 0.241, 0.242]), b = RunSummary([0.250, 0.251, 0.252])
        let t = WelchTest(a, b)!
        #expect(abs(t.degreesOfFreedom - 4) < 1e-9)
        #expect(t.criticalValue == 2.776)
        #expect(abs(t.standardError - (2.0 / 3.0 * 1e-6).squareRoot()) < 1e-12)
        // One side without spread: ν = n_other − 1.
        let flat = WelchTest(RunSummary([1, 1, 1, 1, 1]), RunSummary([1.0, 1.1, 1.2]))!
        #expect(abs(flat.degreesOfFreedom - 2) < 1e-9)
        #expect(flat.criticalValue == 4.303)
        // Fewer than two finite runs on a side: no test.
        #expect(WelchTest(RunSummary([1.0]), b) == nil)
        #expect(WelchTest(RunSummary([1.0, .infinity]), b) == nil)
    }
}

@Suite struct EvidenceRuleBoundaryTests {
    /// `n` values with mean `mean` and standard deviation exactly `sd` (a symmetric pattern).
    static func sample(n: Int, mean: Double, sd: Double) -> RunSummary {
        let raw = (0..<n).map { Double($0) - Double(n - 1) / 2 }
        let scale = sd / (raw.map { $0 * $0 }.reduce(0, +) / Double(n - 1)).squareRoot()
        return RunSummary(raw.map { mean + $0 * scale })
    }

    /// For n seeds on each side with equal spreads, ν = 2(n − 1) and the threshold is
    /// t(ν) · sd · sqrt(2/n): a gap 1 % above it names a winner, 1 % below it does not.
    @Test(arguments: [(2, 4.303), (3, 2.776), (4, 2.447), (5, 2.306), (10, 2.101)])
    func theThresholdIsStudentsTAtWelchDegreesOfFreedom(n: Int, t: Double) {
        let sd = 0.01
        let threshold = t * sd * (2.0 / Double(n)).squareRoot()
        let base = Self.sample(n: n, mean: 1, sd: sd)
        let above = Self.sample(n: n, mean: 1 + 1.01 * threshold, sd: sd)
        let below = Self.sample(n: n, mean: 1 + 0.99 * threshold, sd: sd)
        #expect(WelchTest(base, above)!.criticalValue == t)
        #expect(EvidenceSentence.verdict(base, above, better: .lower) == .aBetter)
        #expect(EvidenceSentence.verdict(above, base, better: .lower) == .bBetter)
        #expect(EvidenceSentence.verdict(base, above, better: .higher) == .bBetter)
        #expect(EvidenceSentence.verdict(base, below, better: .lower) == .indistinguishable)
        #expect(EvidenceSentence.verdict(below, base, better: .higher) == .indistinguishable)
    }

    /// The case the rule was changed for: with 3 seeds a gap of 2.5 standard errors passed the
    /// old "two standard errors" bar but not Student's t (2.776 at ν = 4).
    @Test func aGapBetweenTwoStandardErrorsAndTIsNoLongerADifference() {
        let sd = 0.01, n = 3
        let se = sd * (2.0 / Double(n)).squareRoot()
        let base = Self.sample(n: n, mean: 1, sd: sd)
        let other = Self.sample(n: n, mean: 1 + 2.5 * se, sd: sd)
        #expect(EvidenceSentence.verdict(base, other, better: .lower, k: EvidenceSentence.standardErrors) == .aBetter)
        #expect(EvidenceSentence.verdict(base, other, better: .lower) == .indistinguishable)
    }

    @Test func movingOneMeanChangesTheSentence() {
        let sd = 0.01, n = 5
        let threshold = 2.306 * sd * (2.0 / Double(n)).squareRoot()
        let adam = Self.sample(n: n, mean: 0.25, sd: sd)
        let near = EvidenceSentence.compare("Adam", adam, "SGD", Self.sample(n: n, mean: 0.25 + 0.5 * threshold, sd: sd),
                                            metric: "final loss", better: .lower)
        let far = EvidenceSentence.compare("Adam", adam, "SGD", Self.sample(n: n, mean: 0.25 + 1.5 * threshold, sd: sd),
                                           metric: "final loss", better: .lower)
        let reversed = EvidenceSentence.compare("Adam", adam, "SGD", Self.sample(n: n, mean: 0.25 - 1.5 * threshold, sd: sd),
                                                metric: "final loss", better: .lower)
        #expect(near.hasPrefix("Adam and SGD are indistinguishable in these runs on final loss"))
        #expect(far.hasPrefix("Adam reaches a lower final loss than SGD"))
        #expect(reversed.hasPrefix("SGD reaches a lower final loss than Adam"))
    }

    @Test func aSingleRunPerSideIsNeverADifference() {
        #expect(EvidenceSentence.verdict(RunSummary([0.1]), RunSummary([0.9]), better: .lower) == .indistinguishable)
        #expect(EvidenceSentence.verdict(RunSummary([0.1, 0.1]), RunSummary([0.9]), better: .lower) == .indistinguishable)
    }

    @Test func theRuleNamesTheTest() {
        #expect(EvidenceSentence.rule.contains("Welch's t test"))
        #expect(EvidenceSentence.rule.contains("4.30 for 2 degrees of freedom, 2.78 for 4"))
    }
}

@Suite struct SentenceCaseTests {
    @Test func upperCasesOnlyTheFirstCharacter() {
        #expect("cosine and constant 0.1".sentenceCased == "Cosine and constant 0.1")
        #expect("Adam".sentenceCased == "Adam")
        #expect("".sentenceCased == "")
        #expect("ε outside".sentenceCased == "ε outside")   // a symbol keeps its meaning
    }
}
