/// A complex number, as far as the 2 × 2 eigenvalue code needs one.
public struct Complex2: Sendable, Equatable {
    public var real: Double
    public var imaginary: Double

    public init(_ real: Double, _ imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    /// |z|, computed without intermediate overflow.
    public var magnitude: Double {
        let a = abs(real), b = abs(imaginary)
        let big = max(a, b), small = min(a, b)
        if big == 0 || !big.isFinite { return big }
        let r = small / big
        return big * (1 + r * r).squareRoot()
    }
}

/// Eigenvalues of a real 2 × 2 matrix `[[a, b], [c, d]]` in closed form.
///
/// They are the roots of `μ² − (a + d) μ + (ad − bc) = 0`. Writing `m = (a + d)/2` and
/// `Δ = ((a − d)/2)² + bc` (the discriminant over four, arranged so that a nearly
/// triangular matrix loses no digits), the roots are `m ± √Δ` when `Δ ≥ 0` and the
/// conjugate pair `m ± i√(−Δ)` otherwise. For real roots the larger one in magnitude is
/// taken first and the other comes from the determinant (`μ₁ μ₂ = ad − bc`), which avoids
/// cancellation when the two roots differ greatly in size.
///
/// The spectral radius `ρ = max |μᵢ|` decides the fate of the linear recursion
/// `s ← M s`: `Mᵗ s → 0` for every start exactly when `ρ < 1`.
///
/// ```swift
/// let e = Eigen2x2(a: 0, b: 1, c: -1, d: 0)   // a rotation by 90°
/// e.values          // [0 + 1i, 0 - 1i]
/// e.spectralRadius  // 1
/// ```
public struct Eigen2x2: Sendable, Equatable {
    /// The two eigenvalues; for a complex pair the one with positive imaginary part comes first,
    /// for real ones the larger in magnitude.
    public let values: [Complex2]

    public init(a: Double, b: Double, c: Double, d: Double) {
        let mean = (a + d) / 2
        let half = (a - d) / 2
        let delta = half * half + b * c
        if delta >= 0 {
            let root = delta.squareRoot()
            let first = mean >= 0 ? mean + root : mean - root
            let determinant = a * d - b * c
            let second = first != 0 ? determinant / first : mean - root
            values = [Complex2(first), Complex2(second)]
        } else {
            let root = (-delta).squareRoot()
            values = [Complex2(mean, root), Complex2(mean, -root)]
        }
    }

    /// The matrix given by rows, `[[a, b], [c, d]]`.
    public init(rows: [[Double]]) {
        requireValid(rows.count == 2 && rows.allSatisfy { $0.count == 2 },
                     "Eigen2x2: expected a 2 × 2 matrix, got rows of lengths \(rows.map(\.count))")
        self.init(a: rows[0][0], b: rows[0][1], c: rows[1][0], d: rows[1][1])
    }

    /// `max |μᵢ|`.
    public var spectralRadius: Double { max(values[0].magnitude, values[1].magnitude) }

    /// True when the eigenvalues form a complex-conjugate pair (the recursion spirals).
    public var isComplexPair: Bool { values[0].imaginary != 0 }
}
