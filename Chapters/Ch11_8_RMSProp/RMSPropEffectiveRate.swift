import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// Beyond the book: RMSProp's effective per-coordinate learning rate over time, against
/// Adagrad's, on the noise-free quadratic and on the airfoil regression.
extension RMSPropChapter {
    static func logLogSlope(_ xs: [Double], _ ys: [Double]) -> Double {
        let lx = xs.map { Foundation.log($0) }, ly = ys.map { Foundation.log($0) }
        let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
        var num = 0.0, den = 0.0
        for (a, b) in zip(lx, ly) { num += (a - mx) * (b - my); den += (a - mx) * (a - mx) }
        return num / den
    }

    static let effectiveRateHeading = "Beyond the book: the effective learning rate over time"

    static func effectiveRate(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading(effectiveRateHeading)
        nb.paragraph("""
            Section 11.7 followed Adagrad's effective rate η/√(s + ε) per coordinate: on the \
            noise-free quadratic it levels off, on the airfoil data it falls like t^(−½). The same \
            measurement for RMSProp, with Adagrad's curves (thin, dashed) for comparison: 200 steps \
            on 0.1x₁² + 2x₂² (η = 0.4, γ = 0.9; Adagrad η = 0.4), and 20 epochs on the airfoil \
            regression (η = 0.01, γ = 0.9; Adagrad η = 0.1), coordinates w₀ and b:
            """)
        nb.code(cell: "rmsprop-effective-rate")
        // cell: rmsprop-effective-rate
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let quadratic = EffectiveLearningRates.run2D(train2DDetailed(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9),
                                                                     objective: f, steps: 200))
        let quadraticAdagrad = EffectiveLearningRates.run2D(train2DDetailed(optimizer: AdaGrad(learningRate: 0.4),
                                                                            objective: f, steps: 200))
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "effective-rate"), rngAdagrad = ctx.generator(stream: "effective-rate")
        let airfoil = EffectiveLearningRates.airfoil(optimizer: RMSProp(learningRate: 0.01, gamma: 0.9), data: data,
                                                     batchSize: 10, epochs: 20, generator: &rng)
        let airfoilAdagrad = EffectiveLearningRates.airfoil(optimizer: AdaGrad(learningRate: 0.1), data: data,
                                                            batchSize: 10, epochs: 20, generator: &rngAdagrad)
        // end cell
        let steps = (1...quadratic.count).map(Double.init)
        var left = Axes(xLabel: "step", yLabel: "η / √(s + ε)", title: "0.1x₁² + 2x₂² (no noise)")
        left.yScale = .log; left.grid = true
        left.plot(steps, quadratic.map { $0[0] }, "-", label: "RMSProp x₁", color: .tabBlue)
        left.plot(steps, quadratic.map { $0[1] }, "-", label: "RMSProp x₂", color: .tabOrange)
        left.plot(steps, quadraticAdagrad.map { $0[0] }, "--", label: "Adagrad x₁", color: .tabBlue, lineWidth: 1)
        left.plot(steps, quadraticAdagrad.map { $0[1] }, "--", label: "Adagrad x₂", color: .tabOrange, lineWidth: 1)
        left.legend = .lowerRight
        let updates = (1...airfoil.perUpdate.count).map(Double.init)
        var right = Axes(xLabel: "update", yLabel: "η / √(s + ε)", title: "airfoil, batch 10")
        right.xScale = .log; right.yScale = .log; right.grid = true
        right.plot(updates, airfoil.perUpdate.map { $0[0] }, "-", label: "RMSProp w₀", color: .tabBlue, lineWidth: 1)
        right.plot(updates, airfoil.perUpdate.map { $0[5] }, "-", label: "RMSProp b", color: .tabOrange, lineWidth: 1)
        right.plot(updates, airfoilAdagrad.perUpdate.map { $0[0] }, "--", label: "Adagrad w₀", color: .tabBlue, lineWidth: 1)
        right.plot(updates, airfoilAdagrad.perUpdate.map { $0[5] }, "--", label: "Adagrad b", color: .tabOrange, lineWidth: 1)
        right.legend = .lowerLeft
        nb.figure(Figure(width: 780, height: 320, panels: [left, right]), name: "rmsprop-effective-rate",
                  caption: "Effective per-coordinate learning rate η/√(s + ε) of RMSProp (solid) and Adagrad (dashed): on the quadratic (left) and on the airfoil data (right).")
        let half = airfoil.perUpdate.count / 2
        let slopeR = [0, 5].map { i in logLogSlope(Array(updates[half...]), airfoil.perUpdate[half...].map { $0[i] }) }
        let slopeA = [0, 5].map { i in logLogSlope(Array(updates[half...]), airfoilAdagrad.perUpdate[half...].map { $0[i] }) }
        let late = airfoil.perUpdate[half...].map { $0[0] }
        let peaks = (0..<2).map { i in quadratic.indices.max { quadratic[$0][i] < quadratic[$1][i] }! }
        nb.paragraph("""
            On the airfoil data RMSProp's rate does not decay: over the second half of the run its \
            log-log slope is \(CFormat.format("%.3f", slopeR[0])) for w₀ and \(CFormat.format("%.3f", slopeR[1])) \
            for b, against Adagrad's \(CFormat.format("%.3f", slopeA[0])) and \(CFormat.format("%.3f", slopeA[1])). \
            It fluctuates instead, between \(CFormat.format("%.3f", late.min()!)) and \
            \(CFormat.format("%.3f", late.max()!)) for w₀, because about ten recent minibatch gradients \
            are a noisy estimate of their mean square; the overall scale is η's, and so is the job of \
            lowering it.
            """)
        nb.paragraph("""
            On the quadratic the two methods part completely. Adagrad's rates level off. RMSProp's \
            grow: once a coordinate has nearly converged, its gradient is tiny, s forgets the old \
            large gradients and shrinks by the factor γ per step, so the rate grows by \
            1/√γ = \(CFormat.format("%.3f", 1 / 0.9.squareRoot())) per step. It keeps growing until the \
            step it produces is large enough to throw the coordinate out again (x₂ at step \
            \(peaks[1] + 1), rate \(CFormat.format("%.2f", quadratic[peaks[1]][1])); x₁ at step \(peaks[0] + 1), \
            rate \(CFormat.format("%.1f", quadratic[peaks[0]][0]))), and after a few bounces it settles at \
            \(CFormat.format("%.2f", quadratic.last![1])) and \(CFormat.format("%.1f", quadratic.last![0])). These are 2/λ for \
            λ = 4 and 0.2: the rate at which the step η·g/|g| = η jumps from −η/2 to +η/2 and back, \
            the two-cycle of the rotation experiment. With a constant η, RMSProp turns \
            convergence into a steady jump of size η around the optimum.
            """)
    }
}
