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

/// Internals figures: gradient and velocity arrows, accumulator boxes.
@Suite struct OptimizerInternalsTests {
    let f = Objective2D.ellipse(a: 0.1, b: 2)

    func count(_ svg: String, _ cls: String) -> Int {
        SVGInspector.parse(svg).elements.filter { $0.attributes["class"] == cls }.count
    }

    @Test func momentumGetsGradientAndVelocityArrowsButNoBoxes() throws {
        let run = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
        let fig = BookFigures.internals(f, run: run)
        let svg = fig.svg(maskVolatile: false)
        #expect(SVGInspector.parse(svg).error == nil)
        #expect(count(svg, "arrows") == 2)
        #expect(count(svg, "boxes") == 0)
        let texts = SVGInspector.parse(svg).texts
        #expect(texts.contains("−η·g") && texts.contains("−η·v"))
        #expect(fig.animatedTwin != nil)
    }

    @Test func adaptiveMethodsGetBoxesWiderWhereGradientsWereLarger() throws {
        let run = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: f)
        let ax = BookFigures.internals(f, run: run).panels[0]
        let svg = Figure(ax).svg(maskVolatile: false)
        // The boxes at the iterates and the key box.
        #expect(count(svg, "boxes") == 2 && count(svg, "arrows") == 1)
        // The box data: x2 has curvature 4 against 0.2, so its accumulator dominates.
        let boxes = ax.elements.compactMap { e -> BoxSet? in if case .boxes(let b) = e { return b } else { return nil } }
        let first = try #require(boxes.first?.halfSizes.first)
        // Half-sizes are sqrt(s) scaled by the span of each axis: ratio check.
        let spanX = try #require(ax.xLimits).upperBound - ax.xLimits!.lowerBound
        let spanY = try #require(ax.yLimits).upperBound - ax.yLimits!.lowerBound
        let s = run.steps[0].state.sumOfSquares
        #expect(abs(first.x / first.y - (s[0].squareRoot() * spanX) / (s[1].squareRoot() * spanY)) < 1e-12)
        #expect(boxes[0].centers.count == 20)
        // The key is a box for √s = 10 in both coordinates (largest √s is about 15), on the same scale.
        let largest = run.steps.map { $0.state.sumOfSquares.map { $0.squareRoot() }.max()! }.max()!
        let key = try #require(boxes.last?.halfSizes.first)
        #expect(abs(key.x - 10 * 0.06 * spanX / largest) < 1e-12 && abs(key.y - 10 * 0.06 * spanY / largest) < 1e-12)
        #expect(SVGInspector.parse(svg).texts.contains("key: √s₁ = √s₂ = 10"))
    }

    /// Every arrow of the internals figures ends inside the view (the first gradient steps of
    /// the book's runs used to leave it), and the contours reach down to where the path ends.
    @Test func everyArrowTipIsInsideTheView() throws {
        let momentum = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
        let adagrad = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: f)
        for (run, ax) in [(momentum.trace, BookFigures.internals(f, run: momentum).panels[0]),
                          (adagrad.trace, BookFigures.internals(f, run: adagrad).panels[0])] {
            // The levels reach down to the lowest point of the path, or to 1e-3 of the highest.
            let values = run.points.map(f.value)
            let lowest = max(values.min()!, 1e-3 * values.max()!)
            let xs = try #require(ax.xLimits), ys = try #require(ax.yLimits)
            for case .arrows(let set) in ax.elements {
                for (origin, vector) in zip(set.origins, set.vectors) {
                    let tip = origin + vector
                    #expect(xs.contains(tip.x) && ys.contains(tip.y), "tip \(tip) outside \(xs) × \(ys)")
                }
            }
            for case .contour(let set) in ax.elements {
                // A line within a factor 2 of that height (not just the round 5, 10, 15 of before).
                #expect(set.lines.contains { $0.level <= 2 * lowest && !$0.polylines.isEmpty }, "no contour near f = \(lowest)")
            }
        }
    }

    @Test func roundNumbersAndLevelsAvoidLibm() {
        #expect(BookFigures.roundNumber(15.2) == 10)
        #expect(BookFigures.roundNumber(2.57) == 2)
        #expect(BookFigures.roundNumber(0.07) == 0.05)
        #expect(BookFigures.roundNumber(500) == 500)
        guard case .values(let levels) = BookFigures.pathLevels(f, [Point2D(-5, -2), Point2D(-1, 0.1), Point2D(0.01, 0)]) else {
            Issue.record("expected explicit levels"); return
        }
        #expect(levels.count <= 9 && levels.first! >= 1e-3 && levels.last! <= 10.5)
        #expect(levels == levels.sorted())
    }

    @Test func arrowsAreClippedAndSkipNonFiniteValues() {
        var ax = Axes()
        ax.xLimits = 0...1; ax.yLimits = 0...1
        ax.arrows(from: [SIMD2(0.5, 0.5), SIMD2(0.5, 0.5), SIMD2(.nan, 0)], vectors: [SIMD2(0.2, 0), SIMD2(100, 0), SIMD2(1, 1)],
                  color: .black)
        let svg = Figure(ax).svg(maskVolatile: false)
        #expect(SVGInspector.parse(svg).error == nil)
        #expect(!svg.contains("nan"))
        let d = SVGInspector.parse(svg).elements.first { $0.attributes["class"] == "arrows" }?.attributes["d"] ?? ""
        // Two shafts, one head (the long arrow's tip is outside).
        #expect(d.components(separatedBy: "M").count - 1 == 3)
    }
}
