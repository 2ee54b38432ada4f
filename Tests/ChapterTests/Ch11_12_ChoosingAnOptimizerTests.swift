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
        let verdictLines = page.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.contains(" against ") }
        #expect(!verdictLines.isEmpty)
        for line in verdictLines {
            #expect(line.contains("reaches a lower") || line.contains("reaches a higher") || line.contains("indistinguishable in these runs"))
        }
        #expect(page.contains("## Exercises"))
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
}
