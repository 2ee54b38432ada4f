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
    public var points: [PlotPoint]
    public var color: PlotColor
    public var label: String?

    public init(points: [PlotPoint], color: PlotColor, label: String? = nil) {
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
///
/// Runs longer than `maxFrames` steps are shown every `stride`-th iterate (the last one
/// always included), which keeps a 1000-step figure small; the counter shows true step
/// numbers.
struct AnimationRenderer {
    static let maxFrames = 100
    static let maxDotFrames = 50

    let timing: AnimationTiming
    /// Steps of the longest track of the panel (all tracks share one clock).
    let steps: Int
    /// Iterates per frame.
    let stride: Int
    /// Frames after the first (the moves the marker makes).
    let frames: Int

    init(timing: AnimationTiming, steps: Int) {
        self.timing = timing
        self.steps = steps
        stride = max(1, (steps + Self.maxFrames - 1) / Self.maxFrames)
        frames = (steps + stride - 1) / stride
    }

    var duration: Double { timing.duration(frames) }

    /// Key time (fraction of the loop) at which frame `k` is shown.
    func keyTime(_ k: Int) -> Double {
        Double(k) * timing.secondsPerStep(frames) / duration
    }

    /// The true step shown by frame `k`.
    func step(ofFrame k: Int) -> Int { min(k * stride, steps) }

    /// The iterates of a run of `count` points that frames 0...frames show (a short run
    /// repeats its last point).
    func frameIndices(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        return (0...frames).map { min(step(ofFrame: $0), count - 1) }
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

    /// Pixel positions of every iterate of a track, with non-finite points replaced by the
    /// previous finite one and far-away points pulled onto a box around the plot.
    func pixels(_ track: AnimationTrack, map: (PlotPoint) -> (Double, Double)?, box: PixelRect) -> [(Double, Double)] {
        var all: [(Double, Double)] = []
        var last: (Double, Double)? = nil
        for p in track.points {
            if let q = map(p) {
                last = (min(max(q.0, box.x0), box.x1), min(max(q.1, box.y0), box.y1))
            }
            all.append(last ?? (box.x0, box.y0))
        }
        // Leading gaps take the first finite position.
        if let firstFinite = track.points.firstIndex(where: { map($0) != nil }) {
            for i in 0..<firstFinite { all[i] = all[firstFinite] }
        }
        return all
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

    /// The revealed path and the moving marker of one track. `all` holds the pixel position
    /// of every iterate; frame k shows iterate `frameIndices(count:)[k]`.
    ///
    /// The marker rides along the path itself (`<animateMotion>` with `keyPoints` at the
    /// frames' arc lengths), so with a stride it still follows every bend, and the path is
    /// drawn in by animating its dash offset with the same key times.
    func draw(_ track: AnimationTrack, pixels all: [(Double, Double)], into w: inout SVGWriter) {
        guard !all.isEmpty else { return }
        let n = SVGFormat.number
        // Work on the coordinates as written, so lengths match what the browser measures, and
        // drop points within half a pixel of the last one kept (long runs crawl in place);
        // `slot[i]` is the kept point that stands for iterate i.
        var pts: [(Double, Double)] = []
        var slot: [Int] = []
        for p in all {
            let q = (Self.rounded(p.0), Self.rounded(p.1))
            if let last = pts.last, abs(q.0 - last.0) < 0.5 && abs(q.1 - last.1) < 0.5 {
                slot.append(pts.count - 1)
                continue
            }
            pts.append(q)
            slot.append(pts.count - 1)
        }
        let first = pts[0]
        var cumulative = [0.0]
        for i in 1..<pts.count {
            let dx = pts[i].0 - pts[i - 1].0, dy = pts[i].1 - pts[i - 1].1
            cumulative.append(cumulative[i - 1] + (dx * dx + dy * dy).squareRoot())
        }
        let total = cumulative[cumulative.count - 1]
        let frameIndex = frameIndices(count: all.count).map { slot[$0] }
        let colour = track.color.svg
        let moves = pts.count > 1 && total > 0.01
        if moves {
            let length = (total + 1).rounded(.up)
            let d = pts.enumerated().map { (i, p) in (i == 0 ? "M" : "L") + n(p.0) + " " + n(p.1) }.joined(separator: " ")
            let offsets = frameIndex.map { n(length - cumulative[$0]) }
            w.raw("<path class=\"animated-path\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"butt\" stroke-dasharray=\"\(n(length)) \(n(length))\" stroke-dashoffset=\"\(n(length))\">")
            w.raw(animate("stroke-dashoffset", offsets))
            w.raw("</path>")
        }
        // Dots appear at the shown iterates as the marker reaches them (short runs only: beyond
        // `maxDotFrames` they would crowd the path and bloat the file).
        var dots = ""
        for (k, i) in frameIndex.enumerated() where frames <= Self.maxDotFrames {
            if k > 0 && i == frameIndex[k - 1] { continue }
            let p = pts[i]
            let visibility = k == 0
                ? ""
                : "<animate attributeName=\"visibility\" dur=\"\(Self.seconds(duration))\" repeatCount=\"indefinite\" calcMode=\"discrete\" keyTimes=\"0;\(Self.fraction(keyTime(k)))\" values=\"hidden;visible\"/>"
            dots += "<circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"2\" fill=\"\(colour)\"" + (visibility.isEmpty ? "/>" : " visibility=\"hidden\">" + visibility + "</circle>")
        }
        if !dots.isEmpty { w.raw("<g class=\"animated-dots\">" + dots + "</g>") }
        // The marker sits at the start (where non-animating viewers show it) and moves along
        // the path relative to there.
        let marker = "<circle class=\"animated-marker\" cx=\"0\" cy=\"0\" r=\"4.5\" fill=\"\(colour)\" stroke=\"#000000\" stroke-width=\"1\" transform=\"translate(\(n(first.0)) \(n(first.1)))\""
        guard moves else {
            w.raw(marker + "/>")
            return
        }
        let relative = pts.enumerated().map { (i, p) in (i == 0 ? "M" : "L") + n(p.0 - first.0) + " " + n(p.1 - first.1) }.joined(separator: " ")
        var keyPoints = frameIndex.map { Self.fraction(cumulative[$0] / total) }
        var keyTimes = frameIndex.indices.map { Self.fraction(keyTime($0)) }
        keyPoints.append(keyPoints[keyPoints.count - 1])
        keyTimes.append("1")
        w.raw(marker + ">")
        w.raw("<animateMotion dur=\"\(Self.seconds(duration))\" repeatCount=\"indefinite\" calcMode=\"linear\" keyPoints=\"\(keyPoints.joined(separator: ";"))\" keyTimes=\"\(keyTimes.joined(separator: ";"))\" path=\"\(relative)\"/>")
        w.raw("</circle>")
    }

    /// A coordinate rounded the way `SVGFormat.number` writes it.
    static func rounded(_ v: Double) -> Double {
        Double(SVGFormat.number(v)) ?? 0
    }

    /// "step k / n" in the bottom-left corner of the panel (left of the x label, below the
    /// y tick labels), one text element per step shown in turn.
    func drawCounter(region: PixelRect, into w: inout SVGWriter) {
        guard steps > 0 else { return }
        let n = SVGFormat.number
        let dur = Self.seconds(duration)
        w.raw("<g class=\"animated-counter\" font-size=\"9\" fill=\"#333333\">")
        for k in 0...frames {
            let text = "step \(step(ofFrame: k)) / \(steps)"
            var keys = ["0"], vals = ["hidden"]
            if k == 0 {
                vals = ["visible"]
            } else {
                keys.append(Self.fraction(keyTime(k))); vals.append("visible")
            }
            if k < frames { keys.append(Self.fraction(keyTime(k + 1))); vals.append("hidden") }
            w.raw("<text x=\"\(n(region.x0 + 4))\" y=\"\(n(region.y1 - 4))\" visibility=\"\(k == 0 ? "visible" : "hidden")\">\(text)<animate attributeName=\"visibility\" dur=\"\(dur)\" repeatCount=\"indefinite\" calcMode=\"discrete\" keyTimes=\"\(keys.joined(separator: ";"))\" values=\"\(vals.joined(separator: ";"))\"/></text>")
        }
        w.raw("</g>")
    }
}
