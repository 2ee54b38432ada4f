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

@Suite struct Ch11_10_AdamTests {
    /// Every `loss: x.xxx` in order (Adam from scratch, Adam by name, Yogi, AMSGrad, AdaMax).
    static func losses(_ nb: Notebook) -> [Double] {
        nb.outputLines.map { $0.rendered(maskVolatile: true) }.compactMap { line in
            guard let range = line.range(of: "loss: ") else { return nil }
            return Double(line[range.upperBound...].prefix(5))
        }
    }

    @Test func airfoilLossesArePinnedAndTheBookRunsAreInsideTheSpecRange() throws {
        let nb = try Book.notebook(AdamChapter.self)
        let losses = Self.losses(nb)
        // Pinned values of the default seed. Book: Adam 0.244, Adam by name 0.244, Yogi 0.244.
        #expect(losses == [0.246, 0.243, 0.243, 0.242, 0.249])
        for loss in losses.prefix(3) { #expect((0.240...0.255).contains(loss), "loss \(loss) outside [0.240, 0.255]") }
    }

    @Test func rareSpikesSendAdamToTheWorstPointButNotYogi() {
        let runs = AdamChapter.spikeRuns()
        let steps = AdamChapter.spikeSteps, period = AdamChapter.RareSpikeProblem().period
        func ratio(_ run: AdamChapter.SpikeRun) -> Double {
            let last = run.effectiveSteps[(steps - period)...]
            return (last.max() ?? 0) / (last.min() ?? 1)
        }
        let adam = runs[0].run, yogi = runs[1].run, ams = runs[2].run
        #expect(adam.positions[steps - 1] == 1)
        #expect(ratio(adam) > 1.5)
        #expect(yogi.positions[steps - 1] < -0.95)
        #expect(ratio(yogi) < 1.01)
        #expect(ams.positions.suffix(period).min() == -1)
        #expect(AdamChapter.frequentSpikeAdam().meanX < -0.9)
        #expect(AdamChapter.frequentSpikeAdam().ratio < 1.1)
        #expect(AdamChapter.unprojectedAdam() > 10)     // unconstrained, Adam runs off towards +∞
        // Every iterate stays in the feasible interval.
        for entry in runs { #expect(entry.run.positions.allSatisfy { (-1...1).contains($0) }) }
    }

    @Test func spikeProblemAveragesToAPositiveSlope() {
        let problem = AdamChapter.RareSpikeProblem()
        let total = (1...problem.period).map { problem.gradient(step: $0) }.reduce(0, +)
        #expect(total / Double(problem.period) == problem.meanSlope)
        #expect(problem.meanSlope > 0)
    }

    /// Issue 15: the page's comparative sentences follow the numbers; changing the inputs changes them.
    @Test func comparativeSentencesFollowTheNumbers() {
        // The Rosenbrock race credits the scaled step only when the tuned race splits that way.
        let split = AdamChapter.rosenbrockMechanism(["rmsprop", "adam", "yogi"])
        #expect(split.contains("which the race supports"))
        let mixed = AdamChapter.rosenbrockMechanism(["momentum", "adam", "yogi"])
        #expect(mixed.contains("credits no mechanism") && mixed.contains("momentum, adam and yogi"))
        #expect(AdamChapter.rosenbrockMechanism(["adam"]).contains("only some of the scaled methods (adam)"))

        // Multi-seed comparisons go through EvidenceSentence's rule.
        let low = SpreadOverSeeds([0.240, 0.241, 0.242, 0.241, 0.240])
        let high = SpreadOverSeeds([0.250, 0.251, 0.252, 0.251, 0.250])
        let noisy = SpreadOverSeeds([0.230, 0.260, 0.235, 0.255, 0.245])
        #expect(AdamChapter.compare(("A", low), ("B", high)) == "A below B")
        #expect(AdamChapter.compare(("A", high), ("B", low)) == "A above B")
        #expect(AdamChapter.compare(("A", noisy), ("B", low)) == "A and B indistinguishable in these runs")

        // The rare-spike verdicts follow the mean of x over the last period.
        let period = 4
        func run(_ xs: [Double]) -> AdamChapter.SpikeRun { AdamChapter.SpikeRun(positions: xs, effectiveSteps: xs) }
        #expect(AdamChapter.spikeVerdict("A", run([1, 1, 0.9, 1]), period: period).contains("worst side"))
        #expect(AdamChapter.spikeVerdict("A", run([-1, -1, -0.95, -1]), period: period).contains("at the optimum"))
        #expect(AdamChapter.spikeVerdict("A", run([-1, -0.5, -0.6, -0.7]), period: period).contains("pushed back"))
        #expect(AdamChapter.spikeVerdict("A", run([0, 0.1, -0.1, 0]), period: period).contains("between"))
    }

    @Test func everyRaceOnThePageIsTunedBySearch() throws {
        let nb = try Book.notebook(AdamChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }.filter { $0.hasPrefix("chosen: ") }
        #expect(lines.count == RaceSurface.allCases.count)
        for (line, surface) in zip(lines, RaceSurface.allCases) {
            let (_, tuning) = surface.race.tuned(by: surface.search)
            #expect(line == "chosen: " + OptimizerRace.chosenRates(tuning))
        }
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        let nb = try Book.notebook(AdamChapter.self)
        Golden.checkChapter(nb)
        ExerciseStructure.check(nb)
    }
}
