import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: Adadelta's 2-D path (with an animated twin), its state (s and Δx) step
/// by step under `--trace`, and a reader-configurable run (`--eta` as the multiplier,
/// `--rho`, `--start`, `--function`, `--steps`).
extension AdadeltaChapter {
    static var options: [OptionSpec] { RunOptions.specs(second: "--rho", secondHelp: "decay ρ") }

    static func extras(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book: the path itself")
        let run = train2DDetailed(optimizer: AdaDelta(rho: 0.9, epsilon: 1e-5), objective: ellipse, steps: 1000)
        let points = run.trace.points
        let settled = points.indices.first { $0 > 0 && abs(points[$0].y) < 1e-3 } ?? 0
        nb.paragraph("""
            The table above reported where the runs were; the figure shows the whole path of the book's \
            setting (ρ = 0.9, ε = 10⁻⁵) over 1000 steps on 0.1x₁² + 2x₂². The steps are short (about 0.01 \
            at first), so the path is drawn as a line with a dot every \(pathDotEvery) steps. x₂ reaches \
            the valley floor first (|x₂| < 0.001 from step \(settled)), then x₁ travels along it. The drift \
            of x₂ is far too small to see at that scale, so the right panel plots x₂ itself against the \
            step from step \(driftPanelStart) on: after a quiet stretch x₂ starts to flip sign every step, \
            with an amplitude that keeps widening, the beginning of the slowly growing swing described \
            above.
            """)
        for k in [200, 500, 1000] {
            let p = points[k]
            nb.output("after \(k) steps: x = (\(p.x, format: "%.4f"), \(p.y, format: "%.4f"))")
        }
        nb.figure(pathFigure(points), name: "adadelta-2d",
                  caption: "Adadelta (ρ = 0.9, ε = 10⁻⁵): 1000 steps on 0.1x₁² + 2x₂² from (−5, −2), a dot every \(pathDotEvery) steps (left), and x₂ against the step from step \(driftPanelStart) on (right).")
        if ctx.trace {
            nb.heading("Step table (--trace)", level: 3)
            nb.paragraph("""
                The first 20 of those steps: point, gradient, the two leaky averages after the step \
                (s of squared gradients, delta of squared updates), and the update.
                """)
            nb.stepTable(train2DDetailed(optimizer: AdaDelta(rho: 0.9, epsilon: 1e-5), objective: ellipse))
        }
        try CustomRun2D.section(nb, ctx, optimizerName: "Adadelta", defaultEta: 1,
                                second: ("--rho", "ρ", 0.9)) { eta, rho in
            AdaDelta(rho: rho ?? 0.9, epsilon: 1e-5, learningRate: eta)
        }
    }
    /// Steps between the dots of the path panel.
    static let pathDotEvery = 25
    /// First step of the x₂-against-step panel.
    static let driftPanelStart = 250

    /// Left: contours, the path as a line with a dot every `pathDotEvery` steps (the whole
    /// path animates in the twin). Right: x₂ against the step, where the widening swing shows.
    static func pathFigure(_ points: [Point2D]) -> Figure {
        var path = Axes(xLabel: "x1", yLabel: "x2")
        path.contour(x: -5.5...1, y: -3...1, step: 0.05, levels: .values([0.1, 0.5, 1, 2, 4, 8]),
                     color: .tabBlue) { a, b in ellipse.value(Point2D(a, b)) }
        path.xLimits = -5.5...1
        path.yLimits = -3...1
        path.plot(points.map(\.x), points.map(\.y), "-", color: .tabOrange)
        let dots = Array(stride(from: 0, to: points.count, by: pathDotEvery))
        path.scatter(dots.map { points[$0].x }, dots.map { points[$0].y }, color: .tabOrange, size: 2.5)
        path.animationTracks = [AnimationTrack(points: points, color: .tabOrange)]
        var drift = Axes(xLabel: "step", yLabel: "x2")
        drift.grid = true
        let steps = Array(driftPanelStart..<points.count)
        drift.plot(steps.map(Double.init), steps.map { points[$0].y }, "-", color: .tabOrange, lineWidth: 0.8)
        drift.axhline(0, format: "-", color: .black)
        return Figure(width: 700, height: 260, panels: [path, drift])
    }
}
