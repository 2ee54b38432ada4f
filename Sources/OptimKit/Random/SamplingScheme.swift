/// How an epoch of single-example SGD picks the examples of a finite training set.
///
/// - `withReplacement`: `n` independent uniform draws from `0..<n`; some examples come up
///   several times and, for large `n`, a fraction `(1 − 1/n)^n ≈ e⁻¹ ≈ 0.37` not at all.
/// - `withoutReplacement`: a fresh random permutation of `0..<n` (random reshuffling), so
///   every example is used exactly once per epoch.
///
/// ```swift
/// var rng = SeededGenerator(seed: 3)
/// let order = SamplingScheme.withoutReplacement.epochOrder(count: 5, generator: &rng)
/// // a permutation of 0...4
/// ```
public enum SamplingScheme: String, Sendable, Codable, CaseIterable {
    case withReplacement = "with replacement"
    case withoutReplacement = "without replacement"

    /// The indices one epoch visits, in order (`count` of them).
    public func epochOrder(count: Int, generator: inout SeededGenerator) -> [Int] {
        switch self {
        case .withReplacement:
            return (0..<count).map { _ in generator.integer(below: count) }
        case .withoutReplacement:
            return generator.permutation(count)
        }
    }
}
