/// One number measured once per seed: its mean and its range, and the rule the pages use to
/// call two settings different.
///
/// A single seeded run is one draw. A comparison between two settings rests on several
/// seeds, and the pages call two settings different only when their ranges over the seeds
/// do not overlap (`separated(from:)`); otherwise they say the difference is within the
/// seed-to-seed spread.
///
/// ```swift
/// let a = SpreadOverSeeds([0.243, 0.245, 0.244])
/// a.summary(format: "%.3f")                        // "0.244 (0.243–0.245)"
/// a.separated(from: SpreadOverSeeds([0.250, 0.252]))   // true
/// ```
public struct SpreadOverSeeds: Sendable, Equatable {
    public let values: [Double]

    public init(_ values: [Double]) {
        requireValid(!values.isEmpty, "SpreadOverSeeds: needs at least one value, got none")
        self.values = values
    }

    public var mean: Double { values.reduce(0, +) / Double(values.count) }
    public var min: Double { values.min()! }
    public var max: Double { values.max()! }

    /// True when the two ranges do not overlap.
    public func separated(from other: SpreadOverSeeds) -> Bool {
        max < other.min || other.max < min
    }
}
