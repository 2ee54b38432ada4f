import Foundation

/// Fisher's exact test, two-sided, for two shares measured on few runs: did method A succeed
/// (e.g. "learned") in `k_A` of `n_A` runs and method B in `k_B` of `n_B` at the same rate?
///
/// With the margins of the 2×2 table fixed (k = k_A + k_B successes in n = n_A + n_B runs), the
/// number of A's successes x follows the hypergeometric distribution under equal rates. The
/// two-sided p-value adds up every table at least as improbable as the observed one:
/// ```
/// P(x)  = C(n_A, x) · C(n_B, k − x) / C(n, k),     max(0, k − n_B) ≤ x ≤ min(k, n_A)
/// p     = Σ P(x) over all x with P(x) ≤ P(k_A)     (ties within a relative 1e-7 count as ≤)
/// ```
/// It is exact for any counts, so unlike a χ² test it is valid with three or five runs a side;
/// the price is that with so few runs only large differences can reach p < 0.05.
///
/// - Parameters: `successesA` of `runsA` and `successesB` of `runsB`; counts must satisfy
///   0 ≤ successes ≤ runs and runs ≥ 1 (otherwise `misuse`).
///
/// ```swift
/// let test = FisherExact(successesA: 4, of: 5, successesB: 0, of: 3)
/// test.pValue                   // 0.1429 (= 10/70)
/// test.isSignificant()          // false at the 5% level
/// ```
public struct FisherExact: Sendable, Equatable {
    public let successesA: Int, runsA: Int, successesB: Int, runsB: Int
    /// The two-sided p-value.
    public let pValue: Double

    public init(successesA: Int, of runsA: Int, successesB: Int, of runsB: Int) {
        for (k, n) in [(successesA, runsA), (successesB, runsB)] where n < 1 || k < 0 || k > n {
            misuse("FisherExact: successes must lie in 0...runs and runs must be >= 1, got \(k) of \(n)")
        }
        self.successesA = successesA; self.runsA = runsA
        self.successesB = successesB; self.runsB = runsB
        let k = successesA + successesB, n = runsA + runsB
        // log C(a, b) through lgamma: exact enough for the small counts of repeated runs and
        // free of overflow for large ones.
        func logChoose(_ a: Int, _ b: Int) -> Double {
            lgamma(Double(a + 1)) - lgamma(Double(b + 1)) - lgamma(Double(a - b + 1))
        }
        func probability(_ x: Int) -> Double {
            exp(logChoose(runsA, x) + logChoose(runsB, k - x) - logChoose(n, k))
        }
        let observed = probability(successesA)
        let p = (max(0, k - runsB)...min(k, runsA)).reduce(0.0) { sum, x in
            let px = probability(x)
            return px <= observed * (1 + 1e-7) ? sum + px : sum
        }
        pValue = min(1, p)
    }

    /// True when `pValue < level` (default 0.05): equal rates are rejected at that level.
    public func isSignificant(level: Double = 0.05) -> Bool { pValue < level }
}
