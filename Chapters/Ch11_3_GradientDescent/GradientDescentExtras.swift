import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: blobs
/// Three Gaussian blobs in the plane, 40 points each: the toy data of both experiments of 11.3.
func blobs(_ ctx: ChapterContext) -> LabeledPoints {
    var rng = ctx.generator(stream: "blobs")
    return GaussianBlobs.make(perClass: 40, centers: [[-1.5, 0], [1.5, 0], [0, 2]], spread: 0.7, generator: &rng)
}
// end cell

/// Beyond the book: two experiments from the lecture notes (random search against following
/// the slope; the gradient check and its step size), step tables under `--trace`, and a
/// reader-configurable run (`--eta`, `--start`, `--function`, `--steps`).
extension GradientDescentChapter {
    static var options: [OptionSpec] { RunOptions.specs() }

    static func extras(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Beyond the book")
        randomSearchVersusSlope(nb, ctx)
        gradientCheck(nb, ctx)
        if ctx.trace { stepTable(nb) }
        try CustomRun2D.section(nb, ctx, optimizerName: "gradient descent", defaultEta: 0.1,
                                defaultFunction: "ellipse", condition: { _ in .gradientDescent }) { eta, _ in SGD(learningRate: eta) }
    }

    static func randomSearchVersusSlope(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Why follow the slope at all?", level: 3)
        nb.paragraph("""
            Gradient descent is not the only conceivable way to lower a loss. The crudest alternative \
            is to guess: draw parameters at random, evaluate the loss, and keep the best guess so far. \
            To compare the two fairly we give both the same budget of 100 loss evaluations on a small \
            problem: a linear softmax classifier (scores s = Wx + b, cross-entropy loss plus \
            0.001·ΣW²) for 120 points in three Gaussian clusters in the plane. Random search draws \
            all nine parameters from a standard normal; gradient descent starts at zero and takes 99 \
            steps with η = 0.5.
            """)
        nb.code(cell: "blobs")
        nb.code(cell: "random-search")
        // cell: random-search
        let data = blobs(ctx)        // 120 points in three clusters: this page's helper, shown above
        let model = LinearClassifier(classes: 3, dimension: 2)           // softmax, λ = 0.001
        var rng = ctx.generator(stream: "random-search")
        let search = RandomSearch.run(tries: 100, parameterCount: model.parameterCount, generator: &rng) {
            model.loss($0, on: data)
        }
        let slope = model.descend(SGD(learningRate: 0.5), from: [Double](repeating: 0, count: model.parameterCount),
                                  steps: 99, on: data)
        let f4 = { (v: Double) in CFormat.format("%.4f", v) }
        nb.output(NotebookText("random search: best loss \(f4(search.bestLoss)) (try \(search.bestTry + 1) of 100), accuracy \(f4(model.accuracy(search.bestParams, on: data)))"))
        nb.output(NotebookText("gradient descent: loss \(f4(slope.losses.last ?? .nan)) after 99 steps, accuracy \(f4(model.accuracy(slope.params, on: data)))"))
        // end cell
        nb.figure(BookFigures.plot(x: [(1...100).map(Double.init), (1...100).map(Double.init)],
                                   [search.bestSoFar, slope.losses], xLabel: "loss evaluations", yLabel: "loss",
                                   legend: ["random search (best so far)", "gradient descent"]),
                  name: "random-search-vs-slope",
                  caption: "Best loss of random search against the loss of gradient descent, per loss evaluation.")
        nb.paragraph("""
            A lucky guess can land a decent classifier, because three well separated clusters are an \
            easy problem, but the best-so-far curve of random search flattens into long plateaus: \
            each new guess ignores everything the previous ones revealed. The gradient tells every \
            step which way is downhill, so the loss keeps falling, and with nine parameters the gap is \
            already large. It only widens with dimension, since the chance that a random direction is \
            a good one shrinks quickly as the number of parameters grows. (Counting a gradient step \
            as one evaluation flatters gradient descent slightly: with backpropagation a gradient \
            costs a small constant multiple of a loss evaluation, which does not change the picture.)
            """)
    }

    static func gradientCheck(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("Checking a gradient, and choosing h", level: 3)
        nb.paragraph("""
            Every method in this chapter trusts the gradient it is handed, so a wrong derivative is a \
            silent disaster. The standard safeguard is a gradient check: compare the analytic gradient \
            with finite differences, coordinate by coordinate, through the relative error \
            |a − n| / (|a| + |n|). The lecture notes use the one-sided difference \
            (f(x + h) − f(x)) / h with h = 10⁻⁵; the central difference (f(x + h) − f(x − h)) / 2h \
            costs twice the evaluations and is much more accurate. Both suffer from two errors that \
            pull in opposite directions: truncation (of order h for the one-sided, h² for the central \
            difference) shrinks with h, while cancellation in f(x + h) − f(x), about ε|f|/h with \
            machine precision ε ≈ 10⁻¹⁶, grows as h shrinks. Here is the largest relative error over \
            the nine parameters of the classifier above, at a random point, as h goes from 10⁻¹ to 10⁻¹²:
            """)
        let data = blobs(ctx)
        let model = LinearClassifier(classes: 3, dimension: 2)
        var rng = ctx.generator(stream: "gradient-check")
        let w = rng.normals(model.parameterCount, standardDeviation: 0.5)
        let rows = GradientCheckSweep.run({ model.loss($0, on: data) }, gradient: { model.gradient($0, on: data) }, at: w)
        let e = { (v: Double) in CFormat.format("%.2e", v) }
        nb.table(header: ["h", "one-sided difference", "central difference"],
                 rows: rows.map { [NotebookText(CFormat.format("%.0e", $0.h)), NotebookText(e($0.forwardError)),
                                   NotebookText(e($0.centralError))] })
        let bestForward = rows.min { $0.forwardError < $1.forwardError }!
        let bestCentral = rows.min { $0.centralError < $1.centralError }!
        nb.output(NotebookText("best h: one-sided \(CFormat.format("%.0e", bestForward.h)) (error \(e(bestForward.forwardError))), central \(CFormat.format("%.0e", bestCentral.h)) (error \(e(bestCentral.centralError)))"))
        nb.figure(BookFigures.plot(x: rows.map(\.h), [rows.map(\.forwardError), rows.map(\.centralError)],
                                   xLabel: "h", yLabel: "max relative error", legend: ["one-sided", "central"],
                                   xScale: .log, yScale: .log),
                  name: "gradient-check-step-size",
                  caption: "Relative error of finite-difference gradients against the analytic one, as a function of the step h.")
        nb.paragraph("""
            Both curves are V-shaped, as the two error sources predict: the one-sided difference is best \
            around h ≈ √ε ≈ 10⁻⁸, the central one around h ≈ ε^(1/3) ≈ 10⁻⁵, where its best error is \
            orders of magnitude below the one-sided method's best. That is why our tests use central differences with h near \
            10⁻⁵ and call a gradient correct when the relative error is below 10⁻⁶; a genuine bug \
            typically shows up as an error of order one.
            """)
    }

    static func stepTable(_ nb: Notebook) {
        nb.heading("Step table (--trace)", level: 3)
        nb.paragraph("""
            The 2-D run of Section 11.3.2 one step at a time: the point before the step, the gradient \
            there and the update −η g with η = 0.1 on f(x) = x₁² + 2x₂².
            """)
        nb.stepTable(train2DDetailed(optimizer: SGD(learningRate: 0.1), objective: .ellipse(a: 1, b: 2)))
    }
}
