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

/// The chapter runs hundreds of short trainings, so the test runs it once in the reduced
/// configuration and checks its structure, its verdict sentences and the goldens.
@Suite struct Ch11_12_ChoosingAnOptimizerTests {
    @Test func reducedChapterRun() throws {
        let nb = try Book.notebook(ChoosingAnOptimizerChapter.self)
        let page = nb.markdown(maskVolatile: true)
        // Three sensitivity figures and the tuning-budget figure.
        let names = nb.files.map(\.0)
        #expect(names == ["airfoil-sensitivity.svg", "rosenbrock-sensitivity.svg", "lenet-sensitivity.svg",
                          "airfoil-tuning-budget.svg"])
        // Every comparative sentence comes from the rule's three forms.
        #expect(page.contains(EvidenceSentence.rule))
        let verdictLines = page.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.contains(" mean ± sd over ") }
        #expect(verdictLines.count == 8)
        for line in verdictLines {
            #expect(line.contains("reaches a lower") || line.contains("reaches a higher") || line.contains("indistinguishable in these runs"))
        }
        #expect(page.contains("## Exercises"))
        // The page shows the code that made one entry of the airfoil table, as cells.
        #expect(page.contains("func airfoilFinalLosses(") && page.contains("func compareAdamWithMomentum("))
        // Timings are volatile (masked), the --full work ratios are not.
        #expect(page.contains("| all |"))
        #expect(!page.contains("48 s of processor time"))
        // Exercises 4 and 5 are answered from computed lists.
        #expect(page.contains("Run the page with `--seed 7`") && page.contains("change:"))
        #expect(page.contains("differ (this rule → the two-standard-error rule)"))
        Golden.checkChapter(nb)
    }

    @Test func sweepsAreBitIdenticalRunToRun() throws {
        let data = try AirfoilData.load()
        let problem = StudyProblem.airfoil(data, epochs: 1)
        let a = RateSweep.run(problem, rates: [0.01, 0.1], seeds: 2, seed: 5)
        let b = RateSweep.run(problem, rates: [0.01, 0.1], seeds: 2, seed: 5)
        #expect(a.summaries == b.summaries)
        #expect(a.summaries.count == Candidate.allCases.count)
    }

    @Test func logGridHasExactDecades() {
        let grid = ChoosingAnOptimizerChapter.Plan.decades(-3, 0, perDecade: 2)
        #expect(grid.count == 7)
        #expect(grid[0] == 0.001 && grid[2] == 0.01 && grid[6] == 1)
    }

    @Test func windowAndRobustnessSentencesFollowTheCounts() {
        typealias C = ChoosingAnOptimizerChapter
        #expect(C.windowSentence(momentum: 3, adam: 3, rates: 11) == "Both learned in every seed at 3 of the 11 grid rates.")
        #expect(C.windowSentence(momentum: 2, adam: 4, rates: 11).hasSuffix("momentum has the narrower window."))
        #expect(C.windowSentence(momentum: 5, adam: 4, rates: 11).hasSuffix("Adam has the narrower window."))
        var widths = [Int](repeating: 2, count: Candidate.allCases.count)
        let adam = Candidate.allCases.firstIndex(of: .adam)!
        widths[adam] = 4
        #expect(C.robustnessSentence(widths: widths) == "Adam's window of 4 rates is the widest of the nine.")
        widths[0] = 4
        #expect(C.robustnessSentence(widths: widths) == "Adam's window of 4 rates is the widest, shared with 1 other.")
        widths[0] = 6
        #expect(C.robustnessSentence(widths: widths) == "Adam's window of 4 rates is narrower than that of SGD (widest: 6).")
    }

    @Test func adviceStatusesFollowTheStatedRules() {
        typealias C = ChoosingAnOptimizerChapter
        #expect(C.defaultStatus(learned: 3, runs: 3, rivalBetter: false, cosineBetter: false) == .holds)
        #expect(C.defaultStatus(learned: 2, runs: 3, rivalBetter: false, cosineBetter: false) == .undecided)
        #expect(C.defaultStatus(learned: 0, runs: 3, rivalBetter: false, cosineBetter: false) == .fails)
        #expect(C.defaultStatus(learned: 3, runs: 3, rivalBetter: true, cosineBetter: false) == .fails)
        #expect(C.defaultStatus(learned: 3, runs: 3, rivalBetter: false, cosineBetter: true) == .fails)
        #expect(C.momentumStatus(.aBetter, momentumWindow: 1, adamWindow: 2) == .holds)
        #expect(C.momentumStatus(.aBetter, momentumWindow: 2, adamWindow: 2) == .undecided)
        #expect(C.momentumStatus(.indistinguishable, momentumWindow: 3, adamWindow: 2) == .fails)
        #expect(C.momentumStatus(.bBetter, momentumWindow: 0, adamWindow: 2) == .fails)
        var widths = [Int](repeating: 1, count: Candidate.allCases.count)
        #expect(C.robustStatus(widths: widths) == .holds)
        widths[0] = 2
        #expect(C.robustStatus(widths: widths) == .fails)
        #expect(C.robustStatus(widths: [Int](repeating: 0, count: Candidate.allCases.count)) == .undecided)
        #expect(C.tally([("a", .holds), ("b", .fails), ("c", .holds)]) == "holds on a, c; does not hold on b")
    }

    @Test func cosinePeakGetsTheConstantRatesSearch() throws {
        let data = try AirfoilData.load()
        let problem = StudyProblem.airfoil(data, epochs: 1)
        let sweep = RateSweep.run(problem, rates: [0.001, 0.01, 0.1], seeds: 2, seed: 5)
        let result = ChoosingAnOptimizerChapter.scheduleResults([sweep], seeds: 2, seed: 9)[0]
        #expect(result.cosineSweep.rates == sweep.rates)
        #expect(result.cosineSweep.seeds == sweep.seeds && result.cosineSweep.seed == sweep.seed)
        #expect(result.cosineSweep.summaries != sweep.summaries)
        #expect(result.constant.allSatisfy { $0.runs == 2 } && result.cosine.allSatisfy { $0.runs == 2 })
    }

    @Test func scheduleSentenceCountsTheVerdicts() {
        typealias C = ChoosingAnOptimizerChapter
        var verdicts = [EvidenceSentence.Verdict](repeating: .indistinguishable, count: Candidate.allCases.count)
        #expect(C.scheduleSentence(verdicts).hasPrefix("the cosine schedule was better for 0 of 9 optimizers, worse for 0,"))
        verdicts[Candidate.allCases.firstIndex(of: .adam)!] = .aBetter
        verdicts[Candidate.allCases.firstIndex(of: .sgd)!] = .bBetter
        let sentence = C.scheduleSentence(verdicts)
        #expect(sentence.hasPrefix("the cosine schedule was better for 1 of 9 optimizers (Adam), worse for 1 (SGD),"))
        #expect(sentence.hasSuffix("For Adam: cosine better; for momentum: indistinguishable."))
    }

    /// A comparison's verdict moves with its numbers, and the earlier two-standard-error rule
    /// is more lenient than the page's rule (exercise 5 lists where that matters).
    @Test func comparisonsFollowTheRule() {
        let base = RunSummary([0.240, 0.241, 0.242])                // sd 0.001, se of the gap 0.000816 (ν = 4)
        func comparison(_ shift: Double) -> Comparison {
            Comparison(key: "test: A against B", nameA: "A", a: base, nameB: "B",
                       b: RunSummary(base.values.map { $0 + shift }), metric: "final loss", better: .lower, format: "%.4f")
        }
        #expect(comparison(0.0010).outcome() == "indistinguishable")
        #expect(comparison(0.0020).outcome() == "indistinguishable")             // 2.45 se: below t = 2.776
        #expect(comparison(0.0020).outcome(k: EvidenceSentence.standardErrors) == "A better")
        #expect(comparison(0.0024).outcome() == "A better")                      // 2.94 se
        #expect(comparison(-0.0024).outcome() == "B better")
        #expect(comparison(0.0024).sentence.hasPrefix("A reaches a lower final loss than B"))
        #expect(comparison(0.0024).problemName == "test")
    }
}
