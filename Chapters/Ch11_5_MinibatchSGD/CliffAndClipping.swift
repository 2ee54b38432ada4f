import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book (lecture deck 002): a cliff in the loss makes one gradient enormous and
/// throws the iterate back; clipping the gradient's norm bounds the step.
extension MinibatchSGDChapter {
    /// The landscape and the settings of the experiment.
    static let cliff = Objective1D.cliff()          // ½(x − 2)² plus a wall of height 20 on [0.8, 1.2]
    static let cliffRate = 0.15
    static let clipNorm = 5.0
    static let cliffSteps = 60

    static func cliffAndClipping(_ nb: Notebook) {
        nb.heading("Beyond the book: exploding gradients at a cliff, and clipping")
        nb.paragraph("""
            Minibatch noise is not the only thing that can make a single step misbehave. Some loss \
            surfaces, those of recurrent networks above all, contain cliffs: thin regions where the \
            loss changes by a lot over a tiny distance, because many weights multiply together \
            (Pascanu, Mikolov and Bengio, 2013). On a cliff's face the gradient is huge, and a step \
            of the usual learning rate times that gradient throws the parameters far away, undoing \
            much of the work done so far. The lecture notes name the cure: clip the gradient before \
            the step. The usual form rescales the whole gradient when its norm exceeds a threshold c,
            """)
        nb.formula(#"\boldsymbol{g} \leftarrow \boldsymbol{g} \cdot \min\!\left(1, \frac{c}{\lVert \boldsymbol{g} \rVert}\right)"#,
                   plain: "g ← g · min(1, c / ‖g‖)")
        nb.paragraph("""
            which keeps its direction and caps the step at ηc (Section 11.2 describes this as a \
            projection onto the ball of radius c). OptimKit's `ClippedByNorm` wraps any optimizer \
            this way, like optax's `clip_by_global_norm` or PyTorch's `clip_grad_norm_`. To see \
            the effect in one dimension, take a bowl ½(x − 2)² with a wall of height 20 across \
            [0.8, 1.2]:
            """)
        nb.formula(#"f(x) = \tfrac12 (x - 2)^2 + 20\, S\!\left(\frac{x - 1}{0.2}\right), \qquad S(z) = 3t^2 - 2t^3,\ t = \tfrac{z + 1}{2} \text{ on } |z| < 1"#,
                   plain: "f(x) = ½(x − 2)² + 20 S((x − 1)/0.2),   S(z) = 3t² − 2t³ with t = (z + 1)/2 on |z| < 1 (0 below, 1 above)")
        nb.paragraph("""
            Left of the wall the slope is at most a few units (\(CFormat.format("%g", -cliff.derivative(-4))) at \
            the start x = −4, \(CFormat.format("%g", -cliff.derivative(0.8))) at the wall's foot); on the \
            wall it reaches \(CFormat.format("%g", cliff.derivative(1))). The lowest point is at the foot, \
            since the plateau above the wall lies 20 higher. Sixty steps of gradient descent with \
            η = \(shortNumber(cliffRate)), without and with clipping at c = \(shortNumber(clipNorm)):
            """)
        nb.code(cell: "cliff-runs")
        // cell: cliff-runs
        let f = Objective1D.cliff()     // bowl ½(x − 2)², wall of height 20 on [0.8, 1.2]
        let plain = train1D(optimizer: SGD(learningRate: 0.15), objective: f, start: -4, steps: 60)
        let clipped = train1D(optimizer: ClippedByNorm(maxNorm: 5, base: SGD(learningRate: 0.15)),
                              objective: f, start: -4, steps: 60)
        // end cell
        // The rest of the section (the 21 starts, the captions) uses the same settings.
        if (cliffRate, clipNorm, cliffSteps) != (0.15, 5, 60) || plain.count != cliffSteps + 1 {
            misuse("the cliff runs shown differ from cliffRate, clipNorm and cliffSteps")
        }
        for (name, xs) in [("plain  ", plain), ("clipped", clipped)] {
            let m = CliffMetrics(f, xs)
            nb.output("\(name): longest step \(m.longestStep, format: "%.3f") (at step \(m.longestStepIndex)), leftmost x after the first contact \(m.leftmostAfterWall, format: "%.2f"), mean f over the last 10 steps \(m.finalLoss, format: "%.3f")")
        }
        let p = CliffMetrics(f, plain), c = CliffMetrics(f, clipped)
        let xs = stride(from: -12.0, through: 2.5, by: 0.01).map { $0 }
        var curve = Axes(xLabel: "x", yLabel: "f(x)", title: "the iterates on f")
        curve.plot(xs, xs.map(f.value), "-", color: .tabBlue)
        curve.plot(plain, plain.map(f.value), "-o", label: "no clipping", color: .tabOrange)
        curve.plot(clipped, clipped.map(f.value), "-o", label: "clipped at c = \(shortNumber(clipNorm))", color: .tabGreen)
        curve.yLimits = -2...(plain.map(f.value).max()! * 1.05)
        curve.legend = .upperRight
        var losses = Axes(xLabel: "step", yLabel: "f(x)", title: "loss per step")
        losses.yScale = .log
        losses.grid = true
        let steps = (0...cliffSteps).map(Double.init)
        losses.plot(steps, plain.map(f.value), "-", label: "no clipping", color: .tabOrange)
        losses.plot(steps, clipped.map(f.value), "-", label: "clipped", color: .tabGreen)
        losses.legend = .upperRight
        nb.figure(Figure(width: 760, height: 300, panels: [curve, losses]), name: "cliff-clipping",
                  caption: "Gradient descent (η = \(shortNumber(cliffRate))) from x = −4 on a bowl with a cliff, without and with clipping at c = \(shortNumber(clipNorm)).")
        nb.paragraph("""
            Without clipping the iterate walks down the bowl and reaches the wall at step \
            \(p.firstContact). From then on it bounces: whenever a step ends on the wall's face, the \
            next one throws it back across the bowl, and the loss jumps each time (the spikes on \
            the right). The longest throw, at step \(p.longestStepIndex), covers \
            \(CFormat.format("%.1f", p.longestStep)) and lands at x = \(CFormat.format("%.2f", p.longestStepLanding).replacingOccurrences(of: "-", with: "−"))\
            \(p.longestStepLanding < p.start ? ", further back than the start" : ""). With clipping no step is \
            longer than ηc = \(CFormat.format("%g", cliffRate * clipNorm)): at the wall the iterate is \
            pushed back by at most that, the bowl pulls it in again, and it stays in a small cycle \
            near the foot (mean loss \(CFormat.format("%.3f", c.finalLoss)) over the last ten steps, \
            against \(CFormat.format("%.3f", p.finalLoss)) without clipping). A cycle remains because \
            the learning rate stays constant; a decaying rate would let it settle.
            """)
        nb.paragraph("""
            One start could be lucky or unlucky, so here are 21 starts, x₀ = −5, −4.9, …, −3, with \
            everything else unchanged:
            """)
        let starts = (0...20).map { -5 + 0.1 * Double($0) }
        var rows: [[NotebookText]] = []
        var thrownCounts: [Int] = []
        for (name, clip) in [("no clipping", false), ("clipped at c = \(shortNumber(clipNorm))", true)] {
            let metrics = starts.map { x0 -> CliffMetrics in
                let run = clip
                    ? train1D(optimizer: ClippedByNorm(maxNorm: clipNorm, base: SGD(learningRate: cliffRate)), objective: f,
                              start: x0, steps: cliffSteps)
                    : train1D(optimizer: SGD(learningRate: cliffRate), objective: f, start: x0, steps: cliffSteps)
                return CliffMetrics(f, run)
            }
            let thrown = metrics.filter { $0.leftmostAfterWall < $0.start }.count
            thrownCounts.append(thrown)
            rows.append([NotebookText(name),
                         "\(SeedSpread(metrics.map(\.longestStep)).short("%.2f"))",
                         "\(thrown) of \(starts.count)",
                         "\(SeedSpread(metrics.map(\.finalLoss)).short("%.3f"))",
                         "\(metrics.map(\.finalLoss).max()!, format: "%.3f")"])
        }
        nb.table(header: ["run", "longest step (mean ± sd)", "thrown behind its start", "mean f, last 10 steps (mean ± sd)", "worst"],
                 rows: rows)
        nb.paragraph("""
            \(thrownCounts == [starts.count, 0] ? "The picture holds for every start: every unclipped run is thrown behind its start, no clipped one is." : "Most starts repeat the picture, though not all (the table).") Clipping changes nothing while the gradient is small \
            (it is a no-op below c), and it turns the one catastrophic step into an ordinary one. \
            The threshold is a hyperparameter: set it near the size of typical gradients, which one \
            can log during a few steps of training. The lecture notes write the rule as \
            g ← sign(g)·u when ‖g‖ > u; exercise 5 shows why that is not the same thing in more \
            than one dimension.
            """)
    }

    /// What one run on the cliff did.
    struct CliffMetrics {
        let start: Double
        /// Longest single step and the 1-based step where it happened.
        let longestStep: Double
        let longestStepIndex: Int
        /// Where that step ended.
        let longestStepLanding: Double
        /// First step that ends on or beyond the wall's foot (x > 0.8), 1-based; 0 if never.
        let firstContact: Int
        /// Leftmost iterate after that first contact (the start if there was none).
        let leftmostAfterWall: Double
        /// Mean of f over the last ten iterates.
        let finalLoss: Double

        init(_ f: Objective1D, _ xs: [Double]) {
            start = xs[0]
            let steps = zip(xs, xs.dropFirst()).map { abs($1 - $0) }
            let k = steps.indices.max { steps[$0] < steps[$1] } ?? 0
            longestStep = steps.isEmpty ? 0 : steps[k]
            longestStepIndex = k + 1
            longestStepLanding = xs[k + 1]
            let contact = xs.indices.first { $0 > 0 && xs[$0] > 0.8 }
            firstContact = contact ?? 0
            leftmostAfterWall = contact.map { xs[$0...].min()! } ?? xs[0]
            let tail = xs.suffix(10).map(f.value)
            var sum = 0.0
            for v in tail { sum += v }
            finalLoss = sum / Double(tail.count)
        }
    }
}
