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
    /// The book's closing line with the time in a unit that shows it (`readableDuration`):
    /// `loss: 0.243, 21.9 µs/epoch` where the book printed `loss: 0.243, 0.042 sec/epoch`
    /// (its `%.3f` seconds read 0.000 for compiled code). The time, unit included, is volatile.
    /// A diverged run prints its non-finite loss the way Python would (`nan`, `inf`).
    public var summary: NotebookText {
        "loss: \(reportedLoss, format: "%.3f"), \(volatile: readableDuration(secondsPerEpoch))/epoch"
    }
}

extension SeedSpread {
    /// `mean ± sd (min–max, n seeds)` with every number in `format`.
    public func text(_ format: String) -> String {
        "\(CFormat.format(format, mean)) ± \(CFormat.format(format, standardDeviation)) "
            + "(\(CFormat.format(format, min))–\(CFormat.format(format, max)), \(values.count) seeds)"
    }

    /// `mean ± sd` only.
    public func short(_ format: String) -> String {
        "\(CFormat.format(format, mean)) ± \(CFormat.format(format, standardDeviation))"
    }
}

extension SpreadOverSeeds {
    /// `mean (min–max)` with each number in the C `format`.
    public func summary(format: String) -> String {
        CFormat.format(format, mean) + " (" + CFormat.format(format, min) + "–" + CFormat.format(format, max) + ")"
    }
}

extension RunSummary {
    /// `mean ± sd` over the finite runs, each number in the C `format` (`–` without any).
    public func meanAndDeviation(_ format: String) -> String {
        finiteValues.isEmpty ? "–" : "\(CFormat.format(format, mean)) ± \(CFormat.format(format, standardDeviation))"
    }

    /// `min–max` over the finite runs (`–` without any).
    public func range(_ format: String) -> String {
        finiteValues.isEmpty ? "–" : "\(CFormat.format(format, minimum))–\(CFormat.format(format, maximum))"
    }

    /// The median in `format` (`–` without a finite run).
    public func medianText(_ format: String) -> String {
        finiteValues.isEmpty ? "–" : CFormat.format(format, median)
    }

    /// `k of n`: the runs meeting `criterion` out of all runs.
    public func countText(where criterion: (Double) -> Bool) -> String {
        "\(count(where: criterion)) of \(runs)"
    }
}
