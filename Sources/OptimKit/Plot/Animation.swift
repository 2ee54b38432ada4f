import Foundation

/// One moving marker of an animated figure: the iterates of an optimizer run, visited in
/// order.
///
/// `BookFigures.trace2D` attaches one track per path to its panel, so every 2-D trace figure
/// knows how to play itself back. The static rendering ignores tracks; the animated twin
/// (`Figure.animatedTwin`) draws them.
///
/// ```swift
/// var ax = Axes(xLabel: "x1", yLabel: "x2")
/// ax.plot(xs, ys, "-o", color: .tabOrange)
/// ax.animationTracks.append(AnimationTrack(points: trace.points, color: .tabOrange))
/// let twin = Figure(ax).animatedTwin     // an AnimatedFigure
/// ```
public struct AnimationTrack: Sendable, Equatable {
    /// The iterates, start included. Non-finite points are replaced by the last finite one
    /// (a diverging run freezes where it left the plane).
    public var points: [Point2D]
    public var color: PlotColor
    public var label: String?

    public init(points: [Point2D], color: PlotColor, label: String? = nil) {
        self.points = points; self.color = color; self.label = label
    }

    /// Number of steps (moves between consecutive iterates).
    public var steps: Int { max(points.count - 1, 0) }
}

/// How fast an animated figure plays.
///
/// Step k is reached at `k · stepSeconds`; after the last step the picture rests for
/// `holdSeconds`, then the loop restarts. Long runs are sped up so that one pass never takes
/// more than `maxPlaySeconds` (plus the hold).
///
/// - `stepSeconds`: default 0.25. `holdSeconds`: default 1.5. `maxPlaySeconds`: default 12.
public struct AnimationTiming: Sendable, Equatable {
    public var stepSeconds: Double
    public var holdSeconds: Double
    public var maxPlaySeconds: Double

    public init(stepSeconds: Double = 0.25, holdSeconds: Double = 1.5, maxPlaySeconds: Double = 12) {
        self.stepSeconds = stepSeconds; self.holdSeconds = holdSeconds; self.maxPlaySeconds = maxPlaySeconds
    }

    /// Seconds per step for a run of `steps` steps.
    func secondsPerStep(_ steps: Int) -> Double {
        guard steps > 0 else { return stepSeconds }
        return min(stepSeconds, maxPlaySeconds / Double(steps))
    }

    /// Length of one loop for a run of `steps` steps.
    func duration(_ steps: Int) -> Double { Double(steps) * secondsPerStep(steps) + holdSeconds }
}

/// The animated twin of a figure: the same panels, with the static paths drawn faintly and,
/// for each `AnimationTrack`, a marker that walks from iterate to iterate while the path
/// behind it is drawn in, plus a step counter. Pure SVG animation (SMIL `<animate>`), no
/// scripts, looping forever, byte-for-byte deterministic; it plays in any browser that
/// opens the file.
///
/// ```swift
/// let fig = BookFigures.trace2D(.ellipse(a: 1, b: 2), points: trace.points)
/// let svg = fig.animatedTwin?.svg(maskVolatile: false)   // write as gd-2d-animated.svg
/// ```
public struct AnimatedFigure: SVGRenderable, Sendable {
    public var figure: Figure
    public var timing: AnimationTiming

    public init(figure: Figure, timing: AnimationTiming = AnimationTiming()) {
        self.figure = figure; self.timing = timing
    }

    public func svg(maskVolatile: Bool) -> String {
        figure.svg(maskVolatile: maskVolatile, animation: timing)
    }
}

extension Figure: SVGAnimatedTwin {
    /// The animated version of this figure when some panel carries animation tracks.
    public var animatedTwin: SVGRenderable? {
        guard panels.contains(where: { !$0.animationTracks.isEmpty }) else { return nil }
        return AnimatedFigure(figure: self)
    }
}

/// Writes the SMIL parts of an animated panel.
struct AnimationRenderer {
    let timing: AnimationTiming
    /// Steps of the longest track of the panel (all tracks share one clock).
    let steps: Int

    var duration: Double { timing.duration(steps) }

    /// Key time (fraction of the loop) at which step `k` is reached.
    func keyTime(_ k: Int) -> Double {
        Double(k) * timing.secondsPerStep(steps) / duration
    }

    /// Key times need more precision than coordinates: up to five decimals, trimmed.
    static func fraction(_ v: Double) -> String {
        let scaled = Int64((min(max(v, 0), 1) * 100_000).rounded())
        if scaled == 0 { return "0" }
        if scaled == 100_000 { return "1" }
        var s = String(scaled)
        s = String(repeating: "0", count: 5 - s.count) + s
        while s.hasSuffix("0") { s.removeLast() }
        return "0." + s
    }

    static func seconds(_ v: Double) -> String {
        let ms = Int64((v * 1000).rounded())
        return "\(ms)ms"
    }

    /// Pixel positions of a track's iterates, with non-finite points replaced by the previous
    /// finite one and far-away points pulled onto a box around the plot.
    static func pixels(_ track: AnimationTrack, map: (Point2D) -> (Double, Double)?, box: PixelRect) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var last: (Double, Double)? = nil
        for p in track.points {
            if let q = map(p) {
                let c = (min(max(q.0, box.x0), box.x1), min(max(q.1, box.y0), box.y1))
                last = c
            }
            out.append(last ?? (box.x0, box.y0))
        }
        // Leading gaps take the first finite position.
        if let firstFinite = track.points.firstIndex(where: { map($0) != nil }) {
            for i in 0..<firstFinite { out[i] = out[firstFinite] }
        }
        return out
    }

    /// `<animate>` of one attribute through `values`, one per step (held after the last).
    func animate(_ attribute: String, _ values: [String], discrete: Bool = false) -> String {
        var keys: [String] = []
        var vals: [String] = []
        for (k, v) in values.enumerated() {
            keys.append(Self.fraction(keyTime(k)))
            vals.append(v)
        }
        if !discrete {
            // Hold the final value until the loop ends.
            keys.append("1")
            vals.append(values.last ?? "0")
        }
        let mode = discrete ? " calcMode=\"discrete\"" : ""
        return "<animate attributeName=\"\(attribute)\" dur=\"\(Self.seconds(duration))\" repeatCount=\"indefinite\"\(mode) keyTimes=\"\(keys.joined(separator: ";"))\" values=\"\(vals.joined(separator: ";"))\"/>"
    }

    /// The revealed path and the moving marker of one track.
    func draw(_ track: AnimationTrack, pixels pts: [(Double, Double)], into w: inout SVGWriter) {
        guard let first = pts.first else { return }
        let n = SVGFormat.number
        // Cumulative pixel length along the path, for the dash-offset reveal.
        var cumulative = [0.0]
        for i in 1..<max(pts.count, 1) {
            let dx = pts[i].0 - pts[i - 1].0, dy = pts[i].1 - pts[i - 1].1
            cumulative.append(cumulative[i - 1] + (dx * dx + dy * dy).squareRoot())
        }
        let total = cumulative.last ?? 0
        let colour = track.color.svg
        if pts.count > 1 && total > 0.01 {
            let length = (total + 1).rounded(.up)
            let d = pts.enumerated().map { (i, p) in (i == 0 ? "M" : "L") + n(p.0) + " " + n(p.1) }.joined(separator: " ")
            let offsets = cumulative.map { n(length - $0) }
            w.raw("<path class=\"animated-path\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\" stroke-dasharray=\"\(n(length)) \(n(length))\" stroke-dashoffset=\"\(n(length))\">")
            w.raw(animate("stroke-dashoffset", offsets))
            w.raw("</path>")
        }
        // Dots appear at each iterate as the marker reaches it.
        var dots = ""
        for (k, p) in pts.enumerated() {
            let showAt = Self.fraction(keyTime(k))
            let visibility = k == 0
                ? ""
                : "<animate attributeName=\"visibility\" dur=\"\(Self.seconds(duration))\" repeatCount=\"indefinite\" calcMode=\"discrete\" keyTimes=\"0;\(showAt)\" values=\"hidden;visible\"/>"
            dots += "<circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"2\" fill=\"\(colour)\"" + (visibility.isEmpty ? "/>" : " visibility=\"hidden\">" + visibility + "</circle>")
        }
        w.raw("<g class=\"animated-dots\">" + dots + "</g>")
        w.raw("<circle class=\"animated-marker\" cx=\"\(n(first.0))\" cy=\"\(n(first.1))\" r=\"4.5\" fill=\"\(colour)\" stroke=\"#000000\" stroke-width=\"1\">")
        w.raw(animate("cx", pts.map { n($0.0) }))
        w.raw(animate("cy", pts.map { n($0.1) }))
        w.raw("</circle>")
    }

    /// "step k / n" in the bottom-left corner of the panel (left of the x label, below the
    /// y tick labels), one text element per step shown in turn.
    func drawCounter(region: PixelRect, into w: inout SVGWriter) {
        guard steps > 0 else { return }
        let n = SVGFormat.number
        let dur = Self.seconds(duration)
        w.raw("<g class=\"animated-counter\" font-size=\"9\" fill=\"#333333\">")
        for k in 0...steps {
            let text = "step \(k) / \(steps)"
            var keys = ["0"], vals = ["hidden"]
            if k == 0 {
                vals = ["visible"]
            } else {
                keys.append(Self.fraction(keyTime(k))); vals.append("visible")
            }
            if k < steps { keys.append(Self.fraction(keyTime(k + 1))); vals.append("hidden") }
            w.raw("<text x=\"\(n(region.x0 + 4))\" y=\"\(n(region.y1 - 4))\" visibility=\"\(k == 0 ? "visible" : "hidden")\">\(text)<animate attributeName=\"visibility\" dur=\"\(dur)\" repeatCount=\"indefinite\" calcMode=\"discrete\" keyTimes=\"\(keys.joined(separator: ";"))\" values=\"\(vals.joined(separator: ";"))\"/></text>")
        }
        w.raw("</g>")
    }
}
