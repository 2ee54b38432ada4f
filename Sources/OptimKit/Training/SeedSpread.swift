/// The spread of one result over several seeded runs: mean, sample standard deviation,
/// smallest and largest value. Comparisons on the chapter pages rest on this rather than on
/// a single run.
///
/// The sum is taken in the order given, so equal inputs give bit-identical outputs.
///
/// ```swift
/// let losses = SeedSpread([0.244, 0.246, 0.243])
/// losses.mean                          // 0.2443…
/// losses.text("%.3f")                  // "0.244 ± 0.002 (0.243–0.246, 3 seeds)"
/// ```
public struct SeedSpread: Sendable, Equatable {
    public let values: [Double]
    public let mean: Double
    /// Sample standard deviation (n − 1 in the denominator); 0 for a single value.
    public let standardDeviation: Double
    public let min: Double
    public let max: Double

    public init(_ values: [Double]) {
        requireValid(!values.isEmpty, "SeedSpread: no values")
        self.values = values
        let n = Double(values.count)
        var sum = 0.0
        for v in values { sum += v }
        mean = sum / n
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        standardDeviation = values.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        min = values.min()!
        max = values.max()!
    }
}
