import Foundation
import Testing
@testable import OptimKit

/// The animated twins of 2-D trace figures.
@Suite struct AnimationTests {
    let points = [Point2D(-5, -2), Point2D(-4, -1.2), Point2D(-3.2, -0.72), Point2D(-2.56, -0.43)]

    @Test func traceFiguresCarryATrackAndStaticOutputIsUnchanged() {
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: points)
        #expect(fig.panels[0].animationTracks.count == 1)
        #expect(fig.panels[0].animationTracks[0].points == points)
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
        let cx = try #require(animates.first { $0.attributes["attributeName"] == "cx" })
        let values = try #require(cx.attributes["values"]).split(separator: ";")
        let keys = try #require(cx.attributes["keyTimes"]).split(separator: ";").compactMap { Double($0) }
        #expect(values.count == points.count + 1)       // each iterate, then held to the end
        #expect(keys.count == values.count)
        #expect(keys.first == 0 && keys.last == 1)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(abs(keys[1] - 0.25 / 2.25) < 1e-4)
        // The marker moves: first and last x differ.
        #expect(values.first != values.last)
        // Faint static path and a step counter.
        #expect(svg.contains("<g opacity=\"0.3\">"))
        #expect(doc.texts.contains("step 3 / 3"))
        #expect(!svg.contains("<script"))
    }

    @Test func notebookWritesTheTwinAndLinksIt() throws {
        let nb = Notebook(target: "T", title: "t")
        nb.figure(BookFigures.trace2D(.ellipse(a: 1, b: 2), points: points), name: "path", caption: "A path.")
        nb.figure(BookFigures.plot(x: [0, 1], [[1, 2]]), name: "line", caption: "No twin.")
        #expect(nb.files.map(\.name) == ["path.svg", "path-animated.svg", "line.svg"])
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
        let durations = Set(doc.elements.filter { $0.name == "animate" }.compactMap { $0.attributes["dur"] })
        #expect(durations == ["2250ms"])
    }

    @Test func divergentPathsStayFinite() throws {
        let wild = [Point2D(-5, -2), Point2D(1e30, -1e30), Point2D(.infinity, .nan)]
        let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: wild)
        let svg = try #require(fig.animatedTwin).svg(maskVolatile: false)
        #expect(SVGInspector.parse(svg).error == nil)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func keyTimeFormatting() {
        #expect(AnimationRenderer.fraction(0) == "0")
        #expect(AnimationRenderer.fraction(1) == "1")
        #expect(AnimationRenderer.fraction(0.5) == "0.5")
        #expect(AnimationRenderer.fraction(1.0 / 3) == "0.33333")
        #expect(AnimationRenderer.fraction(0.00001) == "0.00001")
    }
}
