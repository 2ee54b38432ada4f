import Foundation

extension ContourLevels {
    /// Levels that grow by a constant factor, `low, low·ratio, low·ratio², …` up to `high`.
    ///
    /// Evenly spaced levels suit a plane; a bowl such as x₁² + 2x₂² needs levels that crowd
    /// towards the bottom, or the picture shows nothing where f is small, which is exactly
    /// where an optimizer's path ends. Doubling levels give ellipses whose sizes grow by √2.
    ///
    /// - `low` > 0: the innermost level, no default. `high` ≥ `low`: the largest level
    ///   drawn, no default. `ratio` > 1: default 2.
    ///
    /// ```swift
    /// ContourLevels.geometric(from: 0.25, to: 32)   // .values([0.25, 0.5, 1, 2, 4, 8, 16, 32])
    /// ```
    public static func geometric(from low: Double, to high: Double, ratio: Double = 2) -> ContourLevels {
        guard low > 0, high >= low, ratio > 1, low.isFinite, high.isFinite, ratio.isFinite else {
            let message = "ContourLevels.geometric: need 0 < low ≤ high and ratio > 1 (got low \(low), high \(high), ratio \(ratio))"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            fatalError(message)
        }
        var levels: [Double] = []
        var level = low
        // A relative tolerance keeps `high` itself when rounding leaves the product a hair above it.
        while level <= high * (1 + 1e-12) {
            levels.append(level)
            level *= ratio
        }
        return .values(levels)
    }
}
