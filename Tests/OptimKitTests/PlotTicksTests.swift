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

@Suite struct PlotTicksTests {
    func values(_ t: [Tick]) -> [Double] { t.map(\.value) }
    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }
    }

    @Test func unitInterval() {
        let t = Ticks.linear(0, 1, bins: 6)
        #expect(close(values(t), [0, 0.2, 0.4, 0.6, 0.8, 1.0]))
        #expect(t.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func narrowLossRange() {
        // matplotlib with about six bins: 0.225, 0.250, ..., 0.350.
        let t = Ticks.linear(0.22, 0.35, bins: 6)
        #expect(close(values(t), [0.225, 0.25, 0.275, 0.3, 0.325, 0.35]))
        #expect(t.map(\.label) == ["0.225", "0.250", "0.275", "0.300", "0.325", "0.350"])
        // With room for more: steps of 0.02 and no float noise in labels.
        let u = Ticks.linear(0.22, 0.35, bins: 8)
        #expect(u.map(\.label) == ["0.22", "0.24", "0.26", "0.28", "0.30", "0.32", "0.34"])
    }

    @Test func negativeRangeUsesMinusSign() {
        let t = Ticks.linear(-5.5, 1, bins: 7)
        #expect(t.map(\.label) == ["\u{2212}5", "\u{2212}4", "\u{2212}3", "\u{2212}2", "\u{2212}1", "0", "1"])
        #expect(Ticks.linear(-5.5, 1, bins: 6).map(\.label) == ["\u{2212}4", "\u{2212}2", "0"])
        let u = Ticks.linear(-0.3, 0.3, bins: 6)
        #expect(u.map(\.label) == ["\u{2212}0.3", "\u{2212}0.2", "\u{2212}0.1", "0.0", "0.1", "0.2", "0.3"])
    }

    @Test func tickCountStaysModerate() {
        for (lo, hi) in [(0.0, 1.0), (-10.0, 10.0), (0.22, 0.35), (3.0, 1000.0), (-1e-3, 2e-3), (1.0, 40.0)] {
            let t = Ticks.linear(lo, hi, bins: 6)
            #expect(t.count >= 3 && t.count <= 8, "\(lo)...\(hi) gave \(t.count)")
            #expect(t.allSatisfy { $0.value >= lo - 1e-12 && $0.value <= hi + 1e-12 })
        }
    }

    @Test func hugeValuesGetAMultiplier() {
        let (t, m) = Ticks.linearWithMultiplier(0, 3e6, bins: 6)
        #expect(m == 6)
        #expect(t.map(\.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
    }

    @Test func logDecades() {
        let t = Ticks.log(1e-3, 10)
        let major = t.filter(\.major)
        #expect(close(major.map { log10($0.value) }, [-3, -2, -1, 0, 1]))
        #expect(major[0].label == "10<tspan dy=\"-4\" font-size=\"7\">\u{2212}3</tspan>")
        #expect(major[3].label.hasPrefix("10<tspan") && major[3].label.contains(">0<"))
        // Minor ticks 2..9 in each of the four full decades.
        #expect(t.filter { !$0.major }.count == 32)
        #expect(t.filter { !$0.major }.allSatisfy { $0.label.isEmpty })
    }

    @Test func shortLogRangeLabelsMinorTicks() {
        let t = Ticks.log(2, 9)
        #expect(t.count == 8 && t.allSatisfy { !$0.label.isEmpty })
    }

    @Test func aShortLogRangeAcrossOnePowerOfTenUsesOneFormat() {
        // 0.2 … 2 holds the single power 10⁰: it is labelled "1" like its neighbours, not "10⁰".
        let t = Ticks.log(0.2, 2)
        #expect(t.map(\.label) == ["0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1", "2"])
        #expect(t.allSatisfy { !$0.label.contains("tspan") })
    }

    @Test func panelUsesMatplotlibLikeAutoLimits() {
        var ax = Axes()
        ax.plot([0, 10], [0, 100])
        let r = PanelRenderer(axes: ax, region: PixelRect(x0: 0, y0: 0, x1: 350, y1: 250), maskVolatile: false, clipID: "c")
        let (xlo, xhi) = r.limits(x: true)
        #expect(abs(xlo + 0.5) < 1e-12 && abs(xhi - 10.5) < 1e-12)
        // Contours are sticky: no margin.
        var bx = Axes()
        bx.contour(x: -2...2, y: -1...1) { x, y in x * x + y * y }
        let s = PanelRenderer(axes: bx, region: PixelRect(x0: 0, y0: 0, x1: 350, y1: 250), maskVolatile: false, clipID: "c")
        #expect(s.limits(x: true) == (-2, 2) && s.limits(x: false) == (-1, 1))
    }
}

@Suite struct PlotLegendOutsideTests {
    /// `.outsideRight` narrows the plot area by the legend's width and draws the box beyond it,
    /// so that it cannot cover a line; the default keeps the full width.
    @Test func outsideLegendSitsRightOfThePlotArea() throws {
        var ax = Axes()
        ax.plot([0, 1], [0, 1], label: "first series")
        ax.plot([0, 1], [1, 0], label: "second")
        let region = PixelRect(x0: 0, y0: 0, x1: 400, y1: 250)
        let inside = PanelRenderer(axes: ax, region: region, maskVolatile: false, clipID: "c").layout().plot
        ax.legend = .outsideRight
        let renderer = PanelRenderer(axes: ax, region: region, maskVolatile: false, clipID: "c")
        let plot = renderer.layout().plot
        let width = try #require(renderer.legendSize()).width
        #expect(abs((inside.x1 - plot.x1) - (width + PanelRenderer.legendGap)) < 1e-9)
        var w = SVGWriter()
        renderer.drawLegend(renderer.layout(), &w)
        let svg = w.text
        let x = try #require(svg.firstRange(of: "<rect x=\"").map { svg[$0.upperBound...].prefix { $0 != "\"" } })
        #expect(Double(x)! >= plot.x1 + PanelRenderer.legendGap - 0.01)
    }
}

@Suite struct PlotLogTicksTests {
    @Test func manyDecadesUseEveryOtherPower() {
        let t = Ticks.log(1e-14, 2)
        let major = t.filter(\.major).map { Int(log10($0.value).rounded()) }
        #expect(major == [-14, -12, -10, -8, -6, -4, -2, 0])
        // The skipped powers stay as unlabelled minor ticks.
        #expect(t.filter { !$0.major }.count == 7)
    }
}

@Suite struct PlotFixedTicksTests {
    @Test func handPickedTicks() {
        #expect(Ticks.fixed([-1, 0, 1], -1, 1).map(\.label) == ["\u{2212}1", "0", "1"])
        #expect(Ticks.fixed([0.1, 0.3, 5], 0, 2).map(\.label) == ["0.1", "0.3"])
        var ax = Axes()
        ax.plot([0, 1], [0, 1])
        ax.xTicks = [0, 0.5, 1]
        let doc = SVGInspector.parse(Figure(ax).svg(maskVolatile: false))
        #expect(doc.texts.contains("0.5") && doc.texts.contains("0.0") && doc.texts.contains("1.0"))
    }
}
