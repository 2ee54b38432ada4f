@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Parses an SVG document and records what the tests look at.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    var comments: [String] = []
    private var currentText = ""
    private(set) var error: Error?

    static func parse(_ svg: String) -> SVGInspector {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        if !parser.parse() { inspector.error = parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return inspector
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        if name == "text" { currentText = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText) }
    }
    func parser(_ parser: XMLParser, foundComment comment: String) { comments.append(comment) }

    func elements(_ name: String, class cls: String? = nil) -> [[String: String]] {
        elements.filter { $0.name == name && (cls == nil || $0.attributes["class"] == cls) }.map(\.attributes)
    }
}

/// All numbers that appear in a path's `d` attribute.
func pathNumbers(_ d: String) -> [Double] {
    var out: [Double] = []
    var current = ""
    for ch in d {
        if ch.isNumber || ch == "." || (ch == "-" && current.isEmpty) {
            current.append(ch)
        } else {
            if let v = Double(current) { out.append(v) }
            current = ch == "-" ? "-" : ""
        }
    }
    if let v = Double(current) { out.append(v) }
    return out
}

@Suite struct PlotTests {
    static func sampleAxes() -> Axes {
        var ax = Axes(xLabel: "x <&> \"q\"", yLabel: "f(x)", title: "demo")
        let xs = stride(from: -2.0, through: 2.0, by: 0.1).map { $0 }
        ax.plot(xs, xs.map { $0 * $0 }, label: "square")
        ax.plot(xs, xs.map { $0 * $0 * $0 }, "m--", label: "cube")
        ax.plot(xs, xs.map { -$0 }, "g-.")
        ax.scatter([0, 1], [0, 1], label: "points")
        return ax
    }

    @Test func wellFormedStandaloneSVG() {
        let svg = Figure(Self.sampleAxes()).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        let root = doc.elements.first
        #expect(root?.name == "svg")
        #expect(root?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root?.attributes["viewBox"] == "0 0 350 250")
        #expect(root?.attributes["width"] == "350")
        #expect(root?.attributes["font-family"] == "sans-serif")
        // The escaped label comes back intact.
        #expect(doc.texts.contains("x <&> \"q\""))
        #expect(doc.texts.contains("demo"))
    }

    @Test func seriesAndLegendCounts() {
        let doc = SVGInspector.parse(Figure(Self.sampleAxes()).svg(maskVolatile: false))
        // Three line series and one scatter (markers only).
        #expect(doc.elements("path", class: "series").count == 3)
        #expect(doc.elements("path", class: "markers").count == 1)
        // Three labelled entries: two lines with a sample line, the scatter with a sample marker.
        #expect(doc.elements("line", class: "legend-line").count == 2)
        #expect(doc.elements("path", class: "legend-marker").count == 1)
        #expect(doc.texts.contains("square") && doc.texts.contains("cube") && doc.texts.contains("points"))
        // Styles from the format strings.
        let series = doc.elements("path", class: "series")
        #expect(series[0]["stroke"] == "#1f77b4")
        #expect(series[1]["stroke"] == "#bf00bf" && series[1]["stroke-dasharray"] != nil)
        #expect(series[2]["stroke"] == "#008000")
    }

    @Test func noLegendWithoutLabelsOrWhenDisabled() {
        var ax = Axes()
        ax.plot([0, 1], [0, 1])
        #expect(!Figure(ax).svg(maskVolatile: false).contains("class=\"legend\""))
        var bx = Self.sampleAxes()
        bx.legend = .none
        #expect(!Figure(bx).svg(maskVolatile: false).contains("class=\"legend\""))
    }

    @Test func nonFiniteValuesSplitLinesAndStayOut() {
        var ax = Axes()
        ax.plot([0, 1, 2, 3, 4, 5, 6], [1, 2, .nan, 3, .infinity, 2, 1], "-o", label: "run")
        ax.plot([0, 1, 2], [-.infinity, 5, 6], label: "other")
        let svg = Figure(ax).svg(maskVolatile: false)
        let lower = svg.lowercased()
        #expect(!lower.contains("nan"))
        #expect(!lower.contains("inf"))
        let doc = SVGInspector.parse(svg)
        #expect(doc.error == nil)
        let d = doc.elements("path", class: "series")[0]["d"] ?? ""
        // Finite runs: [0, 1] and [5, 6] (3 is isolated): two subpaths.
        #expect(d.filter { $0 == "M" }.count == 2)
        // Markers for the five finite points only.
        let markers = doc.elements("path", class: "markers")[0]["d"] ?? ""
        #expect(markers.filter { $0 == "M" }.count == 5)
        // Limits come from finite data: the y ticks stop near 6.
        let yLabels = doc.texts.compactMap { Double($0.replacingOccurrences(of: "\u{2212}", with: "-")) }
        #expect((yLabels.max() ?? 0) <= 7)
    }

    @Test func farPointsAreClippedNotWrittenAsAbsurdCoordinates() {
        var ax = Axes()
        ax.yLimits = 0...1
        ax.plot([0, 1, 2, 3], [0.5, 1e200, -1e250, 0.5], "-o")
        let svg = Figure(ax).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        for p in doc.elements("path") {
            for v in pathNumbers(p["d"] ?? "") { #expect(abs(v) < 2000) }
        }
        #expect(svg.contains("clip-path=\"url(#clip0)\""))
        #expect(!svg.lowercased().contains("e+"))
    }

    @Test func allNaNSeriesStillRenders() {
        var ax = Axes(xLabel: "x")
        ax.plot([0, 1], [.nan, .nan], label: "diverged")
        let svg = Figure(ax).svg(maskVolatile: false)
        #expect(SVGInspector.parse(svg).error == nil)
        #expect(!svg.lowercased().contains("nan<") && !svg.contains("NaN"))
    }

    @Test func deterministicBytes() {
        let f = Objective2D.ellipse(a: 1, b: 2)
        let pts = (0...10).map { k in Point2D(-5 * pow(0.8, Double(k)), -2 * pow(0.6, Double(k))) }
        let a = BookFigures.trace2D(f, points: pts).svg(maskVolatile: false)
        let b = BookFigures.trace2D(f, points: pts).svg(maskVolatile: false)
        #expect(a == b)
        var s = Surface3D(x: -1...1, y: -1...1) { x, y in x * x - y * y }
        s.markers = [(x: 0, y: 0, z: 0, label: "saddle")]
        var ax = Axes(); ax.surface = s
        #expect(Figure(ax).svg(maskVolatile: true) == Figure(ax).svg(maskVolatile: true))
    }

    @Test func maskedVolatileSeriesLeavesNoTrace() {
        func figure(times: [Double]) -> Figure {
            BookFigures.plot(x: [times, times.map { $0 * 2 }], [[0.3, 0.26, 0.25], [0.31, 0.27, 0.24]],
                             xLabel: "time (sec)", yLabel: "loss", legend: ["gd", "sgd"], xScale: .log,
                             volatileX: true)
        }
        let run1 = figure(times: [0.011, 0.052, 0.313])
        let run2 = figure(times: [0.017, 0.049, 0.977])
        #expect(run1.svg(maskVolatile: true) == run2.svg(maskVolatile: true))
        #expect(run1.svg(maskVolatile: false) != run2.svg(maskVolatile: false))
        let masked = SVGInspector.parse(run1.svg(maskVolatile: true))
        #expect(masked.error == nil)
        #expect(masked.elements("path", class: "series").isEmpty)
        #expect(masked.comments.count == 2)
        // The legend still names the runs.
        #expect(masked.texts.contains("gd") && masked.texts.contains("sgd"))
        let unmasked = SVGInspector.parse(run1.svg(maskVolatile: false))
        #expect(unmasked.elements("path", class: "series").count == 2)
    }

    @Test func numberFormatting() {
        #expect(SVGFormat.number(3.14159) == "3.14")
        #expect(SVGFormat.number(2.5) == "2.5")
        #expect(SVGFormat.number(-0.001) == "0")
        #expect(SVGFormat.number(-0.0) == "0")
        #expect(SVGFormat.number(0.1 + 0.2) == "0.3")
        #expect(SVGFormat.number(-12.005) == "-12.01" || SVGFormat.number(-12.005) == "-12")
        #expect(SVGFormat.number(.nan) == "0")
        #expect(SVGFormat.number(1e300) == "1000000")
        #expect(SVGFormat.number(7) == "7")
        #expect(SVGFormat.number(0.05) == "0.05")
        #expect(SVGFormat.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }

    @Test func formatStrings() {
        let a = FormatString("m--")
        #expect(a.color == PlotColor(hex: 0xbf00bf) && a.dash == .dashed && a.marker == .none)
        let b = FormatString("-o")
        #expect(b.color == nil && b.dash == .solid && b.marker == .circle)
        let c = FormatString("o")
        #expect(c.dash == .none && c.marker == .circle)
        let d = FormatString("g-.")
        #expect(d.color == PlotColor(hex: 0x008000) && d.dash == .dashDot)
        let e = FormatString("r:")
        #expect(e.color == PlotColor(hex: 0xff0000) && e.dash == .dotted)
        let k = FormatString("k")
        #expect(k.color == .black && k.dash == .solid && k.marker == .none)
        let bo = FormatString("b-o")
        #expect(bo.color == PlotColor(hex: 0x0000ff) && bo.dash == .solid && bo.marker == .circle)
        #expect(PlotColor(hexString: "#ff7f0e") == .tabOrange)
        #expect(PlotColor(hexString: "xyz") == nil)
        #expect(PlotColor(hex: "#ff7f0e") == PlotColor(hex: 0xff7f0e))
        #expect(PlotColor(hex: "bad") == .black)
        #expect(PlotColor.tab10.count == 10 && PlotColor.tab10[1].svg == "#ff7f0e")
    }

    @Test func colorCycleSkipsExplicitColors() {
        var ax = Axes()
        ax.plot([0, 1], [0, 1])              // blue
        ax.plot([0, 1], [1, 0], "r-")        // explicit: does not advance the cycle
        ax.plot([0, 1], [1, 1])              // orange
        let series = SVGInspector.parse(Figure(ax).svg(maskVolatile: false)).elements("path", class: "series")
        #expect(series.map { $0["stroke"] ?? "" } == ["#1f77b4", "#ff0000", "#ff7f0e"])
    }

    @Test func legendBestAvoidsData() {
        // Data crowd the upper right and upper left; the lower left is empty.
        var ax = Axes()
        let xs = stride(from: 0.0, through: 10.0, by: 0.1).map { $0 }
        ax.plot(xs, xs.map { 8 + 2 * sin($0) }, label: "top")
        ax.plot(xs.filter { $0 > 6 }, xs.filter { $0 > 6 }.map { 10 - $0 }, label: "right")
        ax.yLimits = 0...10
        let svg = Figure(ax).svg(maskVolatile: false)
        let doc = SVGInspector.parse(svg)
        let box = doc.elements.first { $0.name == "rect" && $0.attributes["rx"] == "2" }?.attributes
        let frame = doc.elements("rect", class: "frame").first
        let bx = Double(box?["x"] ?? "") ?? -1, fx = Double(frame?["x"] ?? "") ?? -2
        let by = Double(box?["y"] ?? "") ?? -1, fy = Double(frame?["y"] ?? "") ?? -2
        let fh = Double(frame?["height"] ?? "") ?? 0
        #expect(abs(bx - fx - 5) < 0.5)          // left
        #expect(by > fy + fh / 2)                // lower half
    }

    @Test func subplotsShareTheWidth() {
        let fig = Figure(width: 900, height: 250, panels: [Self.sampleAxes(), Self.sampleAxes(), Self.sampleAxes()])
        let doc = SVGInspector.parse(fig.svg(maskVolatile: false))
        let frames = doc.elements("rect", class: "frame")
        #expect(frames.count == 3)
        let xs = frames.compactMap { Double($0["x"] ?? "") }
        #expect(xs.count == 3 && abs((xs[1] - xs[0]) - 300) < 0.01 && abs((xs[2] - xs[1]) - 300) < 0.01)
        #expect(doc.elements("clipPath").count == 3)
    }
}
