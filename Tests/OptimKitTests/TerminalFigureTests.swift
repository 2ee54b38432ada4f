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

/// The terminal rendering of figures: braille dots, frames, ticks and legends in text, colour
/// or glyphs, panels, 3-D wireframes, and the width rules.
@Suite struct TerminalFigureTests {
    static func lines(_ figure: Figure, width: Int = 100, colour: Bool = false, maskVolatile: Bool = false) -> [String] {
        figure.terminalDrawing(TerminalFigureOptions(width: width, colour: colour, maskVolatile: maskVolatile))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Cells a line takes on screen (ANSI escape sequences take none).
    static func visible(_ line: String) -> Int {
        line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count
    }

    /// The characters inside the frame (between `│` or `┤` and the closing `│`).
    static func plotArea(_ lines: [String]) -> [String] {
        lines.compactMap { line -> String? in
            let chars = Array(line)
            guard let left = chars.firstIndex(where: { $0 == "│" || $0 == "┤" }),
                  let right = chars.lastIndex(of: "│"), right > left else { return nil }
            return String(chars[(left + 1)..<right])
        }
    }

    @Test func brailleDotsFollowUnicodeNumbering() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(0, 0, ink: .plain)          // dot 1
        canvas.set(3, 3, ink: .plain)          // dot 8 of the second cell
        let row = canvas.cells().lines(colour: false)[0]
        #expect(row == "⠁⢀")
        var full = BrailleCanvas(columns: 1, rows: 1)
        for x in 0..<2 { for y in 0..<4 { full.set(x, y, ink: .plain) } }
        #expect(full.cells().lines(colour: false)[0] == "⣿")
    }

    @Test func dashedLinesLeaveGapsAndSolidLinesDoNot() {
        var solid = BrailleCanvas(columns: 10, rows: 1), dashed = BrailleCanvas(columns: 10, rows: 1)
        var p = 0, q = 0
        solid.line(from: (0, 1), to: (19, 1), ink: .plain, pattern: .solid, phase: &p)
        dashed.line(from: (0, 1), to: (19, 1), ink: .plain, pattern: .dashed, phase: &q)
        #expect((0..<20).allSatisfy { solid.isSet($0, 1) })
        #expect((0..<20).filter { dashed.isSet($0, 1) }.count == 12)   // on 4, off 3, from dot 0
        #expect(!dashed.isSet(4, 1) && dashed.isSet(7, 1))
    }

    @Test func markersLandInTheCellsOfTheirDataPoints() {
        var ax = Axes(xLabel: "x", yLabel: "y")
        ax.xLimits = 0...10; ax.yLimits = 0...5
        ax.scatter([0, 10, 5], [0, 5, 2.5], color: .tabRed, marker: .square)
        let area = Self.plotArea(Self.lines(Figure(ax), width: 60))
        #expect(area.first?.last == "■", "top right")
        #expect(area.last?.first == "■", "bottom left")
        let middle = area[area.count / 2]
        let column = Array(middle).firstIndex(of: "■")
        #expect(column != nil && abs(column! - area[0].count / 2) <= 1, "centre")
    }

    @Test func ticksAndLabelsAreTheSVGsOwn() throws {
        var ax = Axes(xLabel: "epoch", yLabel: "loss")
        ax.plot([1, 2, 3, 4, 5], [0.30, 0.27, 0.26, 0.25, 0.245], label: "sgd")
        let text = Self.lines(Figure(ax)).joined(separator: "\n")
        let svg = SVGInspector.parse(Figure(ax).svg(maskVolatile: false))
        // Every y tick label of the SVG is a y tick label here too (same limits and locator rule;
        // the terminal may label fewer x ticks where they would crowd).
        let labels = svg.texts.filter { $0.hasPrefix("0.") }
        #expect(!labels.isEmpty)
        for label in labels { #expect(text.contains(label + " ┤"), "y tick \(label)") }
        #expect(text.hasPrefix("loss\n"))
        #expect(text.contains("epoch"))
        #expect(text.contains("─●─ sgd") || text.contains("─── sgd"))
    }

    @Test func logAxesLabelDecadesWithSuperscripts() {
        var ax = Axes(xLabel: "step", yLabel: "|x2|")
        ax.yScale = .log
        ax.plot([0, 1, 2, 3], [1, 10, 100, 1000])
        let text = Self.lines(Figure(ax)).joined(separator: "\n")
        for label in ["10⁰ ┤", "10¹ ┤", "10² ┤", "10³ ┤"] { #expect(text.contains(label), "\(label)") }
        #expect(TerminalText.plain(Ticks.decadeLabel(-2)) == "10⁻²")
        #expect(TerminalText.plain("a &amp; b") == "a & b")
    }

    @Test func withoutColourSeriesCarryDistinctGlyphsAndTheLegendNamesThem() {
        var ax = Axes()
        let xs = (0...50).map { Double($0) / 10 }
        ax.plot(xs, xs.map { $0 }, label: "rising")
        ax.plot(xs, xs.map { 5 - $0 }, label: "falling")
        let lines = Self.lines(Figure(ax))
        let text = lines.joined(separator: "\n")
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("─●─ rising"))
        #expect(text.contains("─■─ falling"))
        let area = Self.plotArea(lines).joined()
        #expect(area.contains("●") && area.contains("■"))
        // With colour the lines are told apart by colour instead: no stamps, colour codes.
        let coloured = Self.lines(Figure(ax), colour: true).joined(separator: "\n")
        #expect(coloured.contains("\u{1B}[38;5;"))
        #expect(!Self.plotArea(Self.lines(Figure(ax), colour: true)).joined().contains("■"))
    }

    @Test func paletteMapsTab10AndLeavesBlackToTheTerminal() {
        #expect(ANSIColor.paletteIndex(.tabOrange) == 208)
        #expect(ANSIColor.paletteIndex(.black) == nil)
        #expect(ANSIColor.paletteIndex(.white) == 231)
    }

    @Test func drawingsKeepToTheWidthFrom40To300Columns() {
        var a = Axes(xLabel: "x", yLabel: "a very long label for the y axis of this panel", title: "first")
        a.plot([0, 1, 2], [3, 1, 2], "-o", label: "a series with a rather long legend label")
        var b = Axes(title: "second"); b.yScale = .log; b.plot([1, 2, 3], [1e-3, 1, 1e3])
        var c = Axes(title: "third"); c.plot([0, 1e6], [0, 1e-6])
        let figure = Figure(width: 900, height: 250, panels: [a, b, c])
        for width in [40, 63, 100, 180, 300] {
            let lines = Self.lines(figure, width: width)
            #expect(lines.allSatisfy { Self.visible($0) <= width }, "width \(width)")
            let coloured = Self.lines(figure, width: width, colour: true)
            #expect(coloured.allSatisfy { Self.visible($0) <= width }, "coloured, width \(width)")
        }
        // Side by side while each panel keeps 40 columns, otherwise stacked.
        let wide = Self.lines(figure, width: 130)
        #expect(wide.contains { $0.contains("first") && $0.contains("second") && $0.contains("third") })
        let medium = Self.lines(figure, width: 100)
        #expect(medium.contains { $0.contains("first") && $0.contains("second") })
        #expect(!medium.contains { $0.contains("second") && $0.contains("third") })
        let narrow = Self.lines(figure, width: 40)
        #expect(!narrow.contains { $0.contains("first") && $0.contains("second") })
    }

    @Test func tallFiguresAreCappedAndWideTerminalsGetAnUnsquashedDrawing() {
        var ax = Axes(); ax.plot([0, 1], [0, 1])
        let lines = Self.lines(Figure(width: 350, height: 250, ax), width: 300)
        let rows = Self.plotArea(lines).count
        #expect(rows == TerminalFigureOptions().maxPlotRows)
        let widest = lines.map(Self.visible).max() ?? 0
        #expect(widest < 120, "a 350 × 250 figure is drawn about 2 × 1.4 × 24 columns wide, not 300")
    }

    @Test func maskedVolatileSeriesAreLeftOutLikeInTheSVG() {
        var with = Axes(); with.plot([0, 1, 2], [1, 2, 3], label: "fixed")
        with.plot([0.1, 0.5, 0.9], [1, 2, 3], label: "timed", volatileX: true)
        var without = Axes(); without.plot([0, 1, 2], [1, 2, 3], label: "fixed")
        without.plot([Double](), [Double](), label: "timed")
        #expect(Self.lines(Figure(with), maskVolatile: true) == Self.lines(Figure(without), maskVolatile: true))
        #expect(Self.lines(Figure(with), maskVolatile: false) != Self.lines(Figure(with), maskVolatile: true))
    }

    @Test func fillsShadeCellsAndAnnotationsWriteTheirText() {
        var ax = Axes()
        ax.fillRegion(x: 0...1, y: 0...1, step: 0.05, color: .tabBlue) { x, _ in x < 0.5 }
        ax.annotate("here", at: (0.75, 0.25), textAt: (0.6, 0.8))
        ax.text("gap", at: (0.1, 0.1))
        let area = Self.plotArea(Self.lines(Figure(ax), width: 60))
        let left = area.map { String($0.prefix(20)) }.joined(), right = area.map { String($0.suffix(20)) }.joined()
        #expect(left.filter { $0 == "░" }.count > 100)
        #expect(!right.contains("░"))
        let text = area.joined(separator: "\n")
        #expect(text.contains("here") && text.contains("gap"))
    }

    @Test func surfacesAreDrawnWithMarkersLabelsAndTicks() {
        var surface = Surface3D(x: -1...1, y: -1...1, samples: 31) { x, y in x * x - y * y }
        surface.wireStride = 3
        surface.markers = [(x: 0, y: 0, z: 0, label: "saddle point")]
        surface.zLabel = "f(x, y)"
        var ax = Axes(); ax.surface = surface
        let lines = Self.lines(Figure(width: 450, height: 380, ax))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("saddle point") && text.contains("×") && text.contains("f(x, y)"))
        #expect(text.contains("−0.5") && text.contains("1.0"))
        #expect(lines.contains { $0.contains("⠀") == false && $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } })
        #expect(lines.allSatisfy { Self.visible($0) <= 100 })
    }

    @Test func depthBufferHidesWhatLiesBehindASurface() {
        var buffer = DepthBuffer(width: 40, height: 20)
        buffer.fill((0, 0, 1), (39, 0, 1), (0, 19, 1))            // upper-left half, depth 1
        #expect(!buffer.isVisible(5, 5, depth: 0.5), "behind")
        #expect(buffer.isVisible(5, 5, depth: 1), "on the surface")
        #expect(buffer.isVisible(5, 5, depth: 2), "in front")
        #expect(buffer.isVisible(35, 18, depth: 0.5), "beside the triangle")
        buffer.fill((0, 0, 3), (39, 0, 3), (0, 19, 3))            // a nearer one over it
        #expect(!buffer.isVisible(5, 5, depth: 2))
        buffer.fill((0, 0, 0), (39, 0, 0), (0, 19, 0))            // a farther one changes nothing
        #expect(!buffer.isVisible(5, 5, depth: 2))
        #expect(!buffer.isVisible(-1, 5, depth: 9))
    }

    @Test func terminalSizeFollowsColumnsAndStaysInRange() {
        #expect(TerminalSize.current(environment: ["COLUMNS": "120", "LINES": "50"], fd: -1) == TerminalSize(columns: 120, rows: 50))
        #expect(TerminalSize.current(environment: ["COLUMNS": "20"], fd: -1).columns == 40)
        #expect(TerminalSize.current(environment: ["COLUMNS": "1000"], fd: -1).columns == 300)
        #expect(TerminalSize.current(environment: [:], fd: -1) == TerminalSize(columns: 100, rows: 40))
        #expect(TerminalSize.current(environment: ["COLUMNS": "wide"], fd: -1).columns == 100)
    }
}
