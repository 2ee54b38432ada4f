/// The record of one `trainLinearRegression` run: the loss curve for the loss-vs-epoch
/// figure, cumulative training time for the loss-vs-time figure, and the book's line.
public struct TrainingRun: Sendable {
    /// x of each recorded point, in epochs (examples processed / examples per epoch).
    public let epochs: [Double]
    /// Loss over all examples at each recorded point.
    public let losses: [Double]
    /// Training seconds elapsed (loss evaluations excluded) at each recorded point.
    public let cumulativeSeconds: [Double]
    /// Training seconds of each completed epoch, loss evaluations excluded.
    public let epochSeconds: [Double]
    /// Loss over all examples after the last update (for the book's runs this is also the
    /// last recorded point, which the book prints).
    public let finalLoss: Double
    /// True when the loss became NaN or infinite and training stopped early.
    public let diverged: Bool
    /// Parameters after the last update, `[w…, b]`.
    public let parameters: [Double]
    /// Updates applied and examples processed.
    public let updates: Int
    public let examplesProcessed: Int

    public init(epochs: [Double], losses: [Double], cumulativeSeconds: [Double], epochSeconds: [Double],
                finalLoss: Double, diverged: Bool, parameters: [Double], updates: Int, examplesProcessed: Int) {
        self.epochs = epochs; self.losses = losses; self.cumulativeSeconds = cumulativeSeconds
        self.epochSeconds = epochSeconds; self.finalLoss = finalLoss; self.diverged = diverged
        self.parameters = parameters; self.updates = updates; self.examplesProcessed = examplesProcessed
    }

    /// Mean training seconds per epoch (0 when no epoch completed).
    public var secondsPerEpoch: Double {
        epochSeconds.isEmpty ? 0 : epochSeconds.reduce(0, +) / Double(epochSeconds.count)
    }

    /// Total training seconds (loss evaluations excluded).
    public var trainingSeconds: Double { epochSeconds.reduce(0, +) }

    /// The loss the book's line reports: the last recorded point, as the book prints
    /// (equal to `finalLoss` when the run ends on a recording point, as all the book's
    /// runs do). A diverged run, or one too short to record anything, reports `finalLoss`.
    public var reportedLoss: Double {
        if diverged { return finalLoss }
        return losses.last ?? finalLoss
    }

    /// The book's closing line with the time in a unit that shows it (`readableDuration`):
    /// `loss: 0.243, 21.9 µs/epoch` where the book printed `loss: 0.243, 0.042 sec/epoch`
    /// (its `%.3f` seconds read 0.000 for compiled code). The time, unit included, is volatile.
    /// A diverged run prints its non-finite loss the way Python would (`nan`, `inf`).
    public var summary: NotebookText {
        "loss: \(reportedLoss, format: "%.3f"), \(volatile: readableDuration(secondsPerEpoch))/epoch"
    }
}
