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

@Suite struct PlotContourTests {
    @Test func circlesOfTheParaboloid() {
        let grid = SampledGrid(x: -2...2, y: -2...2, step: 0.05) { x, y in x * x + y * y }
        for level in [0.25, 1.0, 2.25] {
            let lines = MarchingSquares.lines(grid, level: level)
            #expect(lines.count == 1, "level \(level)")
            guard let line = lines.first else { continue }
            // Closed: the last point repeats the first.
            #expect(line.first == line.last)
            #expect(line.count > 20)
            let r = level.squareRoot()
            for p in line {
                let d = (p.x * p.x + p.y * p.y).squareRoot()
                #expect(abs(d - r) < 0.01, "radius \(d) vs \(r)")
            }
        }
    }

    @Test func automaticLevelsAreNiceAndInside() {
        // show_trace_2d's grid for x1^2 + 2 x2^2: values 0 ... 48.25, matplotlib picks 10, 20, 30, 40.
        let grid = SampledGrid(x: -5.5...1, y: -3...1, step: 0.1) { x, y in x * x + 2 * y * y }
        #expect(MarchingSquares.levels(for: grid, .automatic(8)) == [10, 20, 30, 40])
        #expect(MarchingSquares.levels(for: grid, .values([1, 2, .nan])) == [1, 2])
    }

    @Test func saddleCellIsResolvedByTheCentre() {
        // One cell, corners 0 and 2 high, 1 and 3 low.
        let grid = SampledGrid(xs: [0, 1], ys: [0, 1], z: [1, 0, 0, 1].enumerated().map { k, _ in
            // z[j * 2 + i]: (0,0)=1, (1,0)=0, (0,1)=0, (1,1)=1
            [1.0, 0.0, 0.0, 1.0][k]
        })
        // Level 0.4: centre average 0.5 is above, so the high corners connect and the lines cut
        // off the low corners (1, 0) and (0, 1).
        let low = MarchingSquares.lines(grid, level: 0.4)
        #expect(low.count == 2)
        let lowCorners = [SIMD2<Double>(1, 0), SIMD2<Double>(0, 1)]
        for line in low {
            let mid = (line[0] + line[line.count - 1]) / 2
            #expect(lowCorners.contains { ((mid - $0) * (mid - $0)).sum().squareRoot() < 0.5 })
        }
        // Level 0.6: centre is below, the lines cut off the high corners (0, 0) and (1, 1).
        let high = MarchingSquares.lines(grid, level: 0.6)
        #expect(high.count == 2)
        let highCorners = [SIMD2<Double>(0, 0), SIMD2<Double>(1, 1)]
        for line in high {
            let mid = (line[0] + line[line.count - 1]) / 2
            #expect(highCorners.contains { ((mid - $0) * (mid - $0)).sum().squareRoot() < 0.5 })
        }
    }

    @Test func nonFiniteCellsAreSkipped() {
        let grid = SampledGrid(x: -1...1, y: -1...1, step: 0.1) { x, y in x > 0.5 ? .nan : x * x + y * y }
        let lines = MarchingSquares.lines(grid, level: 0.5)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.x <= 0.5 + 1e-9 } })
    }

    @Test func contourPathsInTheFigure() {
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.equalAspect = true
        ax.contour(x: -2...2, y: -2...2, levels: .values([1, 2]), label: "level sets") { x, y in x * x + y * y }
        let doc = SVGInspector.parse(Figure(ax).svg(maskVolatile: false))
        #expect(doc.error == nil)
        let paths = doc.elements("path", class: "contour")
        #expect(paths.map { $0["data-level"] ?? "" } == ["1", "2"])
        #expect(paths.allSatisfy { $0["stroke"] == "#1f77b4" })
        #expect(doc.texts.contains("level sets"))
    }

    @Test func surfaceDrawsCellsMarkersAndFloorContours() {
        var s = Surface3D(x: -1...1, y: -1...1, samples: 11) { x, y in x * x - y * y }
        s.markers = [(x: 0, y: 0, z: 0, label: "saddle point")]
        s.contoursBelow = .automatic(6)
        var ax = Axes(); ax.surface = s
        let svg = Figure(ax).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        // 10 x 10 cells, drawn inside the surface group.
        #expect(svg.components(separatedBy: "<path d=\"M").count - 1 == 100 + 3)   // cells + three panes
        #expect(svg.components(separatedBy: "z\"/>").count - 1 == 100)
        #expect(doc.elements("path", class: "marker3d").count == 1)
        #expect(!doc.elements("path", class: "contour").isEmpty)
        #expect(doc.texts.contains("saddle point"))
        #expect(doc.texts.contains("x") && doc.texts.contains("y") && doc.texts.contains("z"))
    }
}
