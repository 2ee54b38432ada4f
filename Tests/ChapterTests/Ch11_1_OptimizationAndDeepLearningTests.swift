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

@Suite struct Ch11_1_OptimizationAndDeepLearningTests {
    static func lines() throws -> [String] {
        try Book.notebook(OptimizationAndDeepLearningChapter.self).outputLines.map { $0.rendered(maskVolatile: true) }
    }

    /// Spec 11.1: f'(4) = 0.0013 printed from the computation; the Hessian test computed in code.
    @Test func printsTheComputedNumbersInOrder() throws {
        let expected = [
            "minimum of the expected risk f on the grid: x = 1.09, f = -1.0467",
            "local minimum:  x = -0.2739, f(x) = -0.1786, f''(x) = 6.5258",
            "global minimum: x = 1.0904, f(x) = -1.0467, f''(x) = 12.0914",
            "x^3 at 0: f'(0) = 0, f''(0) = 0, second-order test: inconclusive",
            "Hessian of x^2 - y^2 at (0, 0): [[2, 0], [0, -2]]",
            "eigenvalues: -2, 2 -> saddle point",
            "f'(4) = 1 - tanh(4)^2 = 0.0013",
        ]
        let lines = try Self.lines()
        var position = 0
        for line in expected {
            guard let found = lines[position...].firstIndex(of: line) else {
                Issue.record("missing or out of order: \(line)")
                continue
            }
            position = found + 1
        }
    }

    @Test func tanhSlopeComesFromTheFormula() {
        let t = tanh(4.0)
        #expect(CFormat.format("%.4f", 1 - t * t) == "0.0013")
        #expect(abs(Objective1D.tanh.derivative(4) - (1 - t * t)) == 0)
    }

    /// The race: adaptive methods leave the saddle first, plain GD last, at the predicted step.
    @Test func saddleRaceOrdering() {
        let start = Point2D(-1, 1e-3)
        func escape<O: Optimizer>(_ o: O) -> Int? {
            // As the chapter's `saddle-race` cell does it (its table is pinned by the golden).
            train2D(optimizer: o, objective: .saddle, steps: 200, start: start).points.firstIndex { abs($0.y) >= 1 }
        }
        let gd = escape(SGD(learningRate: 0.1)), mom = escape(Momentum(learningRate: 0.1, momentum: 0.9))
        let rms = escape(RMSProp(learningRate: 0.1, gamma: 0.9)), adam = escape(Adam(learningRate: 0.1))
        #expect(gd == 38)   // ⌈ln 1000 / ln 1.2⌉
        if let gd, let mom, let rms, let adam {
            #expect(rms < adam && adam < mom && mom < gd)
        } else {
            Issue.record("some optimizer never escaped")
        }
        // GD after 20 steps follows the closed form (0.8^20 · (−1), 1.2^20 · 0.001).
        let gdTrace = train2D(optimizer: SGD(learningRate: 0.1), objective: .saddle, steps: 20, start: start)
        #expect(abs(gdTrace.final.x + pow(0.8, 20)) < 1e-12)
        #expect(abs(gdTrace.final.y - 1e-3 * pow(1.2, 20)) < 1e-12)
    }

    /// The random-Hessian table: k = 1 is a fair coin, and minima vanish quickly with k.
    @Test func randomHessianFractionsAreInRange() throws {
        let nb = try Book.notebook(OptimizationAndDeepLearningChapter.self)
        let md = nb.markdown(maskVolatile: true)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 8 |") }
        #expect(rows.count == 2)
        let cells = rows.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        if cells.count == 2, let p1 = Double(cells[0][1]), let s8 = Double(cells[1][3]) {
            #expect(p1 > 0.45 && p1 < 0.55)
            #expect(s8 > 0.99)
        } else {
            Issue.record("could not parse the random-Hessian table: \(rows)")
        }
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        Golden.checkChapter(try Book.notebook(OptimizationAndDeepLearningChapter.self))
    }

    @Test func everyBookFigureIsThere() throws {
        let nb = try Book.notebook(OptimizationAndDeepLearningChapter.self)
        let names = nb.files.map(\.name)
        #expect(names == ["risk.svg", "local-global-minimum.svg", "saddle-x3.svg", "saddle-3d.svg",
                          "saddle-race.svg", "vanishing-gradient.svg"])
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() { #expect(page.contains("![Figure \(i + 1)](\(file.name))")) }
        // The wireframe carries its marker and surface; annotations carry their arrows.
        let saddle = nb.files[3].content.svg(maskVolatile: true)
        #expect(saddle.contains("marker3d") && saddle.contains("class=\"surface\""))
        let arrows = nb.files.map { $0.content.svg(maskVolatile: true).components(separatedBy: "class=\"arrow\"").count - 1 }
        #expect(arrows == [2, 2, 1, 0, 0, 1])
    }

    /// The exercise answers' enumerations: 4! orderings, and the sign counts of all symmetric
    /// 2 × 2 and 3 × 3 matrices with entries in {−1, 0, 1}.
    @Test func exerciseEnumerations() {
        #expect(OptimizationAndDeepLearningChapter.permutations(4).count == 24)
        #expect(Set(OptimizationAndDeepLearningChapter.permutations(4)).count == 24)
        let two = OptimizationAndDeepLearningChapter.eigenvalueSigns(2)
        #expect(two.matrices == 27 && two.positive == two.negative && two.positive + two.negative + two.zero == 54)
        // [[a, b], [b, c]] is singular when ac = b²: 9 of the 27 matrices; the zero matrix has two
        // zero eigenvalues and the other 8 one each, 10 in all.
        #expect(two.zero == 10)
        let three = OptimizationAndDeepLearningChapter.eigenvalueSigns(3)
        #expect(three.matrices == 729 && three.positive == three.negative)
    }
}
