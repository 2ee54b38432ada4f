import OptimKit
import OptimKernels
import OptimTraining
import OptimNotebook

// The text forms of results from the algorithms core. The core computes; how a result reads
// on a page (the book's `printf` formats included) is decided here, in the book layer.

extension Trace2D {
    /// The book's closing line, `epoch 20, x1 -0.057646, x2 -0.000073` (C `%f`).
    public var summary: String {
        "epoch \(steps), x1 \(CFormat.format("%f", final.x)), x2 \(CFormat.format("%f", final.y))"
    }
}

extension GradientCheck: CustomStringConvertible {
    /// `max relative error 1.23e-09`.
    public var description: String {
        "max relative error \(CFormat.format("%.2e", maxRelativeError))"
    }
}

extension MatrixMultiplyPerformance {
    /// `Performance in Gigaflops: element E, column C, full F` (values volatile, `%.3f`).
    public var performanceLine: NotebookText {
        "Performance in Gigaflops: element \(volatile: element.gigaflops, format: "%.3f"), column \(volatile: column.gigaflops, format: "%.3f"), full \(volatile: full.gigaflops, format: "%.3f")"
    }

    /// `Performance in Gigaflops: block B` (value volatile, `%.3f`).
    public var blockLine: NotebookText {
        "Performance in Gigaflops: block \(volatile: block.gigaflops, format: "%.3f")"
    }
}

extension EpochRecord {
    /// The book's closing line, `train loss 0.271, train acc 0.902, test acc 0.893`.
    public var summary: NotebookText {
        "train loss \(trainLoss, format: "%.3f"), train acc \(trainAccuracy, format: "%.3f"), test acc \(testAccuracy, format: "%.3f")"
    }
}

extension TrainingRun {
    /// The book's closing line, `loss: 0.243, 0.042 sec/epoch`, with the time volatile.
    /// A diverged run prints its non-finite loss the way Python would (`nan`, `inf`).
    public var summary: NotebookText {
        "loss: \(reportedLoss, format: "%.3f"), \(volatile: secondsPerEpoch, format: "%.3f") sec/epoch"
    }
}
