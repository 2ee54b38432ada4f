import Foundation

/// A figure: one or more panels side by side, written as a standalone SVG document.
///
/// The default size is the book's `figsize=(3.5, 2.5)` at 100 pixels per inch. Output is
/// deterministic: fixed number formatting (at most two decimals), elements in the order
/// they were added, no dates or random ids.
///
/// ```swift
/// var ax = Axes(xLabel: "epoch", yLabel: "loss")
/// ax.plot([1, 2, 3], [0.30, 0.26, 0.245], label: "sgd")
/// let fig = Figure(ax)
/// let svg = fig.svg(maskVolatile: false)
///
/// let three = Figure(width: 900, height: 250, panels: [a, b, c])   // subplots in one row
/// ```
public struct Figure: SVGRenderable, Sendable {
    public var width: Double
    public var height: Double
    /// Panels, left to right, each given the same width.
    public var panels: [Axes]
    /// A title above all panels.
    public var title: String?

    public init(width: Double = 350, height: Double = 250, panels: [Axes]) {
        self.width = width; self.height = height; self.panels = panels
    }

    public init(width: Double = 350, height: Double = 250, _ axes: Axes) {
        self.init(width: width, height: height, panels: [axes])
    }

    public func svg(maskVolatile: Bool) -> String { svg(maskVolatile: maskVolatile, animation: nil) }

    /// The document; with `animation`, the panels' animation tracks are played (see
    /// `AnimatedFigure`).
    func svg(maskVolatile: Bool, animation: AnimationTiming?) -> String {
        let w = width.isFinite && width > 10 ? width : 350
        let h = height.isFinite && height > 10 ? height : 250
        let n = SVGFormat.number
        var out = SVGWriter()
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(w))\" height=\"\(n(h))\" viewBox=\"0 0 \(n(w)) \(n(h))\" font-family=\"sans-serif\" font-size=\"10\">")
        out.raw("<rect width=\"\(n(w))\" height=\"\(n(h))\" fill=\"#ffffff\"/>")
        var top = 0.0
        if let t = title {
            out.text(markup: SVGFormat.escape(t), x: w / 2, y: 15, anchor: .middle, fontSize: 12)
            top = 20
        }
        let count = max(panels.count, 1)
        let panelWidth = w / Double(count)
        for (k, ax) in panels.enumerated() {
            let region = PixelRect(x0: Double(k) * panelWidth, y0: top, x1: Double(k + 1) * panelWidth, y1: h)
            out.raw("<g class=\"panel\">")
            if let surface = ax.surface {
                SurfaceRenderer(surface: surface, title: ax.title, region: region).render(into: &out)
            } else {
                PanelRenderer(axes: ax, region: region, maskVolatile: maskVolatile, clipID: "clip\(k)",
                              animation: animation).render(into: &out)
            }
            out.raw("</g>")
        }
        out.raw("</svg>")
        return out.text
    }
}
