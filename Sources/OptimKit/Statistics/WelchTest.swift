/// Welch's t test of two means at the two-sided 95 % level, for summaries of repeated runs.
///
/// It does not assume the two methods have the same spread, and it uses Student's t rather than
/// the normal distribution, which matters with a handful of seeds (t = 4.303 for 2 degrees of
/// freedom, 2.776 for 4, against 1.96 for many):
/// ```
/// gap  d  = x̄_A − x̄_B
/// se(d)   = sqrt(s_A²/n_A + s_B²/n_B)
/// ν       = se(d)⁴ / ((s_A²/n_A)²/(n_A − 1) + (s_B²/n_B)²/(n_B − 1))   (Welch–Satterthwaite)
/// different  ⇔  |d| > t₀.₉₇₅(ν) · se(d)
/// ```
/// Only finite values take part (see `RunSummary`). A side with fewer than two finite runs has
/// no spread to measure, so no test is possible (`init` returns nil). When both spreads are
/// zero, ν is taken as n_A + n_B − 2 and any nonzero gap counts as a difference.
///
/// ```swift
/// let test = WelchTest(RunSummary([0.240, 0.241, 0.242]), RunSummary([0.250, 0.251, 0.252]))!
/// test.degreesOfFreedom   // 4
/// test.criticalValue      // 2.776
/// test.isSignificant      // true: the gap 0.01 exceeds 2.776 × 0.000816
/// ```
public struct WelchTest: Sendable, Equatable {
    /// `x̄_A − x̄_B`.
    public let gap: Double
    /// Standard error of the gap, `sqrt(se_A² + se_B²)`.
    public let standardError: Double
    /// Welch–Satterthwaite degrees of freedom (fractional in general).
    public let degreesOfFreedom: Double
    /// Two-sided 95 % critical value of t at `degreesOfFreedom` (`StudentT.criticalValue95`).
    public let criticalValue: Double

    public init?(_ a: RunSummary, _ b: RunSummary) {
        let na = Double(a.finiteValues.count), nb = Double(b.finiteValues.count)
        guard na >= 2, nb >= 2 else { return nil }
        let va = a.standardDeviation * a.standardDeviation / na
        let vb = b.standardDeviation * b.standardDeviation / nb
        gap = a.mean - b.mean
        standardError = (va + vb).squareRoot()
        let denominator = va * va / (na - 1) + vb * vb / (nb - 1)
        degreesOfFreedom = denominator > 0 ? (va + vb) * (va + vb) / denominator : na + nb - 2
        criticalValue = StudentT.criticalValue95(degreesOfFreedom: degreesOfFreedom)
    }

    /// The smallest |gap| the test calls a difference: `criticalValue · standardError`.
    public var threshold: Double { criticalValue * standardError }

    /// True when `|gap| > threshold`.
    public var isSignificant: Bool { abs(gap) > threshold }
}
