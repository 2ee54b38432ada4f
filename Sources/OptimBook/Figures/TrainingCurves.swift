import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
/// The picture d2l's `Animator` leaves behind after training a classifier: train loss,
/// train accuracy and test accuracy against the epoch, three series with a legend.
///
/// The series use the book's formats (`-`, `m--`, `g-.`); x runs over the 1-based
/// epochs and the axis spans `[0, epochs]` as the book's `xlim=[0, num_epochs]` does.
/// `testLabel` names the third series (a page that evaluates on held-out images rather than
/// a test set says so). The y axis leaves room above the highest value, and the legend sits
/// there, so it never covers a curve (a run stuck at loss ln 10 spans the whole width).
///
/// ```swift
/// let fig = BookFigures.trainingCurves(history, testLabel: "held-out acc")   // [EpochRecord]
/// nb.figure(fig, name: "lenet-cosine", caption: "…")
/// ```
extension BookFigures {
    public static func trainingCurves(_ records: [EpochRecord], title: String? = nil, testLabel: String = "test acc",
                                      width: Double = 350, height: Double = 250) -> Figure {
        let epochs = records.map { Double($0.epoch) }
        let last = max(epochs.last ?? 1, 1)
        let series = [records.map(\.trainLoss), records.map(\.trainAccuracy), records.map(\.testAccuracy)]
        let finite = series.joined().filter(\.isFinite)
        let low = min(0, finite.min() ?? 0), high = max(1, finite.max() ?? 1)
        // Three legend rows take about a quarter of the panel: keep 30% of it free on top.
        let top = high + 0.43 * (high - low)
        var ax = plotAxes(x: [epochs], series, xLabel: "epoch", legend: ["train loss", "train acc", testLabel],
                          xLimits: 0...last, yLimits: low...top)
        ax.legend = .upperRight
        ax.title = title
        return Figure(width: width, height: height, ax)
    }
}

extension BookFigures {
    /// The book's `train_ch11` plot: the loss over all examples against epochs, on
    /// `[0, epochs] × [0.22, 0.35]`, one series per run (labelled when `labels` is not empty).
    ///
    /// ```swift
    /// nb.figure(BookFigures.lossCurves([scratch, concise], labels: ["from scratch", "by name"]),
    ///           name: "airfoil-loss", caption: "…")
    /// ```
    public static func lossCurves(_ runs: [TrainingRun], labels: [String] = [], epochs: Double = 2) -> Figure {
        plot(x: runs.map(\.epochs), runs.map(\.losses), xLabel: "epoch", yLabel: "loss", legend: labels,
             xLimits: 0...epochs, yLimits: 0.22...0.35)
    }
}
