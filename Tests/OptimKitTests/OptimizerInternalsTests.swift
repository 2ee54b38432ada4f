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
        #expect(count(svg, "boxes") == 1 && count(svg, "arrows") == 1)
        // The box data: x2 has curvature 4 against 0.2, so its accumulator dominates.
        let boxes = ax.elements.compactMap { e -> BoxSet? in if case .boxes(let b) = e { return b } else { return nil } }
        let first = try #require(boxes.first?.halfSizes.first)
        // Half-sizes are sqrt(s) scaled per axis (x span 6.5, y span 4): ratio check.
        let s = run.steps[0].state.sumOfSquares
        #expect(abs(first.x / first.y - (s[0].squareRoot() * 6.5) / (s[1].squareRoot() * 4)) < 1e-12)
        #expect(boxes[0].centers.count == 20)
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
