@testable import OptimKit
import Foundation
import Testing

/// Fisher's exact test against values summed by hand from the hypergeometric probabilities
/// (exact fractions; checked with Python's `math.comb`).
@Suite struct FisherExactTests {
    /// (k_A, n_A, k_B, n_B, p)
    static let cases: [(Int, Int, Int, Int, Double)] = [
        // (k_A, n_A, k_B, n_B, p): 4 of 5 vs 0 of 3: tables x = 1 and 4, each 5/70, are as rare as
        // the observed one, so p = 10/70.
        (4, 5, 0, 3, 10.0 / 70),
        // 5 of 5 vs 1 of 3: only the observed table (3/28) is that rare.
        (5, 5, 1, 3, 3.0 / 28),
        // 0 of 5 vs 1 of 3: the other table (5/8) is more probable, p = 3/8.
        (0, 5, 1, 3, 3.0 / 8),
        // 3 of 5 vs 3 of 3: 10/28 observed plus 3/28.
        (3, 5, 3, 3, 13.0 / 28),
        // 5 of 5 vs 0 of 5: the two extreme tables, 2/252.
        (5, 5, 0, 5, 2.0 / 252),
        // 3 of 3 vs 0 of 3: 2/20.
        (3, 3, 0, 3, 0.1),
    ]

    @Test func pValuesMatchHandComputedSums() {
        for (ka, na, kb, nb, p) in Self.cases { check(ka, na, kb, nb, p) }
    }

    func check(_ ka: Int, _ na: Int, _ kb: Int, _ nb: Int, _ p: Double) {
        let test = FisherExact(successesA: ka, of: na, successesB: kb, of: nb)
        #expect(abs(test.pValue - p) < 1e-12, "\(ka)/\(na) vs \(kb)/\(nb): \(test.pValue) != \(p)")
        // Swapping the two samples, or counting failures instead of successes, is the same test.
        #expect(abs(FisherExact(successesA: kb, of: nb, successesB: ka, of: na).pValue - p) < 1e-12)
        #expect(abs(FisherExact(successesA: na - ka, of: na, successesB: nb - kb, of: nb).pValue - p) < 1e-12)
    }

    @Test func equalSharesGiveOneAndTheLevelDecides() {
        #expect(abs(FisherExact(successesA: 2, of: 4, successesB: 2, of: 4).pValue - 1) < 1e-12)
        #expect(FisherExact(successesA: 0, of: 3, successesB: 0, of: 5).pValue == 1)
        let extreme = FisherExact(successesA: 5, of: 5, successesB: 0, of: 5)
        #expect(extreme.isSignificant())
        #expect(!extreme.isSignificant(level: 0.005))
        #expect(!FisherExact(successesA: 4, of: 5, successesB: 0, of: 3).isSignificant())
    }

    @Test func largeCountsStayFinite() {
        // 60 of 100 vs 40 of 100: p ≈ 0.0072 (two-sided Fisher); only finiteness and range are
        // asserted exactly, the value against a loose band.
        let p = FisherExact(successesA: 60, of: 100, successesB: 40, of: 100).pValue
        #expect(p.isFinite && p > 0.005 && p < 0.01)
    }
}
