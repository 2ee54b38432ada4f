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

/// Inputs a chapter might produce by accident (divergence, empty runs, odd sizes) must still
/// give a well-formed figure without NaN or infinity in the bytes.
@Suite struct PlotRobustnessTests {
    func check(_ fig: Figure, sourceLocation: SourceLocation = #_sourceLocation) {
        let svg = fig.svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil, sourceLocation: sourceLocation)
        let lower = svg.lowercased()
        #expect(!lower.contains("nan") && !lower.contains("inf"), sourceLocation: sourceLocation)
        #expect(!svg.contains("e+") && !svg.contains("e-0"), sourceLocation: sourceLocation)
    }

    @Test func emptyAndDegenerateAxes() {
        check(Figure(Axes()))
        var a = Axes(); a.plot([], [])
        check(Figure(a))
        var b = Axes(); b.plot([3], [3], "o")
        check(Figure(b))
        var c = Axes(); c.plot([1, 1, 1], [2, 2, 2]); c.xScale = .log; c.yScale = .log
        check(Figure(c))
        var d = Axes(); d.plot([-1, 0, 1], [-1, 0, 1]); d.xScale = .log
        check(Figure(d))
        var e = Axes(); e.xLimits = 5...5; e.yLimits = -1...(-1); e.plot([5], [-1])
        check(Figure(e))
        check(Figure(width: 20, height: 15, b))
        check(Figure(width: .nan, height: -3, b))
        check(Figure(panels: []))
    }

    @Test func extremeValues() {
        var a = Axes()
        a.plot([0, 1, 2], [-Double.greatestFiniteMagnitude, 0, Double.greatestFiniteMagnitude])
        check(Figure(a))
        var b = Axes()
        b.plot([1e-300, 2e-300], [1e-300, 3e-300])
        check(Figure(b))
        var c = Axes()
        c.contour(x: 0...1, y: 0...1, step: 1e-30) { x, y in x + y }
        c.fillRegion(x: 0...1, y: 0...1, step: 1e-30, color: .tabRed) { x, _ in x < 0.5 }
        check(Figure(c))
        var d = Axes()
        d.contour(x: -1...1, y: -1...1) { _, _ in .nan }
        d.contour(x: -1...1, y: -1...1) { _, _ in 1 }
        check(Figure(d))
        check(BookFigures.trace1D(.square, iterates: [Double.greatestFiniteMagnitude, .infinity, .nan]))
        check(BookFigures.trace1D(.square, iterates: []))
        check(BookFigures.trace2D(.ellipse(a: 0.1, b: 2), points: [Point2D(-5, -2), Point2D(.nan, 1e308), Point2D(.infinity, 3)]))
    }

    @Test func extremeSurfaces() {
        var a = Axes()
        a.surface = Surface3D(x: -1...1, y: -1...1) { x, _ in x > 0 ? .nan : x }
        check(Figure(a))
        var b = Axes()
        var s = Surface3D(x: 0...0, y: 0...1, samples: 1) { _, _ in 0 }
        s.markers = [(x: .nan, y: 0, z: 0, label: "gone")]
        s.contoursBelow = .automatic(5)
        b.surface = s
        check(Figure(b))
    }

    @Test func textIsEscapedAndOffscreenTextDropped() {
        var a = Axes(title: "<b>")
        a.plot([0, 1], [0, 1], label: "a & b")
        a.text("far", at: (1e9, 1e9))
        a.text("x < y", at: (0.5, 0.5))
        a.annotate("note", at: (.nan, 0), textAt: (0.2, 0.8))
        let svg = Figure(a).svg(maskVolatile: false)
        #expect(svg.contains("&lt;b&gt;") && svg.contains("a &amp; b") && svg.contains("x &lt; y"))
        #expect(!svg.contains(">far<") && !svg.contains(">note<"))
        check(Figure(a))
    }
}
