import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Testing

@Suite struct Ch11_3_GradientDescentTests {
    /// The eight outputs the book printed, verbatim (spec 11.3).
    static let bookOutputs = [
        "epoch 10, x: 0.06046617599999997",
        "epoch 10, x: 3.4867844009999995",
        "epoch 10, x: 61.917364224000096",
        "epoch 10, x: -1.528165927635083",
        "epoch 20, x1 -0.057646, x2 -0.000073",
        "epoch 10, x: 0.0",
        "epoch 10, x: 26.83413291324767",
        "epoch 10, x: 7.269860168684531",
    ]

    @Test func printsEveryBookOutputVerbatimAndInOrder() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        var position = 0
        for expected in Self.bookOutputs {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("book output missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        Golden.checkChapter(nb)
    }

    @Test func everyFigureIsNumberedAndCaptioned() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        #expect(nb.files.count >= 10)
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() {
            #expect(page.contains("![Figure \(i + 1)](\(file.name))"))
        }
    }

    /// The corrected statements about the runs on x cos(0.15πx) (issue 16): what the iterates do.
    @Test func nonconvexRunsBehaveAsThePageSays() {
        let f = Objective1D.xCos(c: 0.15 * Double.pi)
        // η = 2 jumps over the deep minimum near 7.27 and oscillates around the one at −1.826.
        let gd = Descent1D.gradientDescent(f, learningRate: 2)
        let shallow = LineSearch.bisection(f.derivative, in: -2.5 ... -1.0, tolerance: 1e-12).minimizer
        #expect(abs(shallow + 1.826) < 1e-3)
        #expect(gd.iterates[1] > 0 && gd.iterates[1] < 1)
        for k in 6..<10 { #expect((gd.iterates[k] - shallow) * (gd.iterates[k + 1] - shallow) < 0, "sides alternate at step \(k)") }
        #expect(abs(2 * f.secondDerivative!(shallow) - 1.96) < 0.01)
        // Undamped Newton ends at a local maximum.
        let newton = Descent1D.newton(f)
        #expect(f.secondDerivative!(newton.final) < 0 && abs(f.derivative(newton.final)) < 1e-9)
        // With |f''| every step points downhill, but f rises on step 2 (from −3.54 to 17.63).
        let absolute = Descent1D.newton(f, absoluteCurvature: true)
        let a = absolute.iterates
        for k in 0..<10 { #expect((a[k + 1] - a[k]) * f.derivative(a[k]) <= 0, "step \(k + 1) points downhill") }
        let rises = (1...10).filter { f.value(a[$0]) > f.value(a[$0 - 1]) }
        #expect(rises == [2])
        #expect(abs(f.value(a[1]) + 3.54) < 0.01 && abs(f.value(a[2]) - 17.63) < 0.01)
        #expect(f.secondDerivative!(absolute.final) > 0)
    }

    /// The O(1/T) bound holds along the whole run of the rate section and T·f stays flat in the middle.
    @Test func smoothConvexRateRun() {
        let f = GradientDescentChapter.SpreadQuadratic(dimension: 50, smallest: 1e-4)
        var x = [Double](repeating: 1, count: 50)
        var middle: [Double] = []
        for t in 1...2000 {
            let g = f.gradient(x)
            for i in x.indices { x[i] -= g[i] }
            let value = f.value(x)
            #expect(value <= SmoothConvexGDBound.value(distanceSquared: 50, learningRate: 1, steps: t))
            if (10...1000).contains(t) { middle.append(Double(t) * value) }
        }
        #expect(middle.max()! / middle.min()! < 1.5)
    }
}
