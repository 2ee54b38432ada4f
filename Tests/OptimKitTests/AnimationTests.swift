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

/// The animated twins of 2-D trace figures.
@Suite struct AnimationTests {
    let points = [Point2D(-5, -2), Point2D(-4, -1.2), Point2D(-3.2, -0.72), Point2D(-2.56, -0.43)]

    @Test func traceFiguresCarryATrackAndStaticOutputIsUnchanged() {
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: points)
        #expect(fig.panels[0].animationTracks.count == 1)
        #expect(fig.panels[0].animationTracks[0].points == points.map { PlotPoint(x: $0.x, y: $0.y) })
        let stat = fig.svg(maskVolatile: false)
        #expect(!stat.contains("<animate"))
        // Removing the track must not change the static bytes.
        var plain = fig
        plain.panels[0].animationTracks = []
        #expect(plain.svg(maskVolatile: false) == stat)
        #expect(plain.animatedTwin == nil)
    }

    @Test func twinIsWellFormedLoopingAndDeterministic() throws {
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: points)
        let twin = try #require(fig.animatedTwin)
        let svg = twin.svg(maskVolatile: true)
        #expect(svg == fig.animatedTwin?.svg(maskVolatile: true))
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        let animates = doc.elements.filter { $0.name == "animate" }
        #expect(!animates.isEmpty)
        #expect(animates.allSatisfy { $0.attributes["repeatCount"] == "indefinite" })
        // 3 steps of 0.25 s plus 1.5 s of rest.
        #expect(animates.allSatisfy { $0.attributes["dur"] == "2250ms" })
        let motion = try #require(doc.elements.first { $0.name == "animateMotion" })
        #expect(motion.attributes["repeatCount"] == "indefinite" && motion.attributes["dur"] == "2250ms")
        let keyPoints = try #require(motion.attributes["keyPoints"]).split(separator: ";").compactMap { Double($0) }
        let keys = try #require(motion.attributes["keyTimes"]).split(separator: ";").compactMap { Double($0) }
        #expect(keyPoints.count == points.count + 1)       // each iterate, then held to the end
        #expect(keys.count == keyPoints.count)
        #expect(keys.first == 0 && keys.last == 1)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(abs(keys[1] - 0.25 / 2.25) < 1e-4)
        // The marker travels the whole path: from arc length 0 to 1, never backwards.
        #expect(keyPoints.first == 0 && keyPoints.last == 1)
        #expect(zip(keyPoints, keyPoints.dropFirst()).allSatisfy { $0 <= $1 })
        // Faint static path and a step counter.
        #expect(svg.contains("<g opacity=\"0.3\">"))
        #expect(doc.texts.contains("step 3 / 3"))
        #expect(!svg.contains("<script"))
    }

    @Test func notebookWritesTheTwinAndLinksIt() throws {
        let nb = Notebook(target: "T", title: "t")
        nb.figure(BookFigures.trace2D(.ellipse(a: 1, b: 2), points: points), name: "path", caption: "A path.")
        nb.figure(BookFigures.plot(x: [0, 1], [[1, 2]]), name: "line", caption: "No twin.")
        #expect(nb.files.map(\.name) == ["path.svg", "line.svg"])
        #expect(nb.animations.map(\.name) == ["path-animated.svg"])
        let md = nb.markdown()
        #expect(md.contains("*Figure 1: A path.* ([SVG](path.svg) · [▶ animated](path-animated.svg))"))
        #expect(md.contains("*Figure 2: No twin.* ([SVG](line.svg))\n"))
        #expect(md.components(separatedBy: "path-animated.svg").count == 2)   // linked once
        #expect(nb.transcript().contains("[▶ animated: path-animated.svg]"))
    }

    @Test func racesAnimateEveryTrackOnOneClock() throws {
        let short = Array(points.prefix(2))
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), traces: [("a", points), ("b", short)])
        let svg = try #require(fig.animatedTwin).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        let markers = doc.elements.filter { $0.attributes["class"] == "animated-marker" }
        #expect(markers.count == 2)
        let durations = Set(doc.elements.filter { $0.name.hasPrefix("animate") }.compactMap { $0.attributes["dur"] })
        #expect(durations == ["2250ms"])
    }

    @Test func divergentPathsStayFinite() throws {
        let wild = [Point2D(-5, -2), Point2D(1e30, -1e30), Point2D(.infinity, .nan)]
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: wild)
        let svg = try #require(fig.animatedTwin).svg(maskVolatile: false)
        #expect(SVGInspector.parse(svg).error == nil)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func longRunsAreShownEveryKthStep() throws {
        let long = (0...1000).map { Point2D(-5 + 0.005 * Double($0), -2 + 0.002 * Double($0)) }
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: long)
        let svg = try #require(fig.animatedTwin).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        #expect(doc.texts.contains("step 1000 / 1000"))
        #expect(doc.texts.contains("step 10 / 1000"))
        #expect(!doc.texts.contains("step 5 / 1000"))
        let motion = try #require(doc.elements.first { $0.name == "animateMotion" })
        #expect(motion.attributes["keyTimes"]?.split(separator: ";").count == 102)   // 101 frames + hold
        #expect(svg.utf8.count < 120_000)
        let renderer = AnimationRenderer(timing: AnimationTiming(), steps: 1000)
        #expect(renderer.stride == 10 && renderer.frames == 100)
        #expect(renderer.frameIndices(count: 5) == [0, 4] + [Int](repeating: 4, count: 99))
    }

    @Test func keyTimeFormatting() {
        #expect(AnimationRenderer.fraction(0) == "0")
        #expect(AnimationRenderer.fraction(1) == "1")
        #expect(AnimationRenderer.fraction(0.5) == "0.5")
        #expect(AnimationRenderer.fraction(1.0 / 3) == "0.33333")
        #expect(AnimationRenderer.fraction(0.00001) == "0.00001")
    }
}
