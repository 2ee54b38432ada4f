import Foundation

/// Euclidean projections onto norm balls: the closest point of the ball to x,
/// `Proj_X(x) = argmin_{x' ∈ X} ‖x − x'‖₂`.
///
/// - **ℓ₂ ball** `{x' : ‖x'‖₂ ≤ r}`: `x · min(1, r / ‖x‖₂)`. Points inside stay put; points
///   outside are scaled back along their own direction (this is gradient clipping by norm).
/// - **ℓ₁ ball** `{x' : ‖x'‖₁ ≤ r}` (a diamond in 2-D): soft thresholding
///   `sign(xᵢ) · max(|xᵢ| − θ, 0)` with the unique θ ≥ 0 that lands on the boundary, found by
///   sorting |x| in decreasing order (Duchi, Shalev-Shwartz, Singer and Chandra 2008): with
///   u₁ ≥ u₂ ≥ … and partial sums Sⱼ, ρ is the largest j with uⱼ > (Sⱼ − r)/j and
///   θ = (S_ρ − r)/ρ. O(n log n). Small coordinates become exactly zero, which is why ℓ₁
///   projections produce sparse vectors and, unlike the ℓ₂ case, change the direction.
///
/// `radius` r must be finite and ≥ 0 (r = 0 projects everything to the origin).
///
/// ```swift
/// Projection.ontoL2Ball([3, 4], radius: 1)     // [0.6, 0.8]
/// Projection.ontoL1Ball([2, 0.5], radius: 1)   // [1, 0]  (θ = 1: the small coordinate hits 0)
/// Projection.ontoL1Ball([1, 1], radius: 1)     // [0.5, 0.5]
/// ```
public enum Projection {
    /// Closest point of the ℓ₂ ball of radius `radius` (default 1) centred at the origin.
    public static func ontoL2Ball(_ x: [Double], radius: Double = 1) -> [Double] {
        requireValid(radius >= 0 && radius.isFinite, "Projection.ontoL2Ball: radius must be finite and >= 0, got \(radius)")
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > radius else { return x }
        // Divide first: for radius 1 each coordinate is then the correctly rounded xᵢ/‖x‖.
        return x.map { $0 / norm * radius }
    }

    /// Closest point of the ℓ₁ ball of radius `radius` (default 1) centred at the origin.
    public static func ontoL1Ball(_ x: [Double], radius: Double = 1) -> [Double] {
        requireValid(radius >= 0 && radius.isFinite, "Projection.ontoL1Ball: radius must be finite and >= 0, got \(radius)")
        let l1 = x.reduce(0) { $0 + abs($1) }
        guard l1 > radius else { return x }
        let theta = l1Threshold(x.map(abs), radius: radius)
        return x.map { v in
            let shrunk = max(abs(v) - theta, 0)
            return v < 0 ? -shrunk : shrunk
        }
    }

    /// The soft-threshold θ of the ℓ₁ projection for magnitudes `u` whose sum exceeds `radius`.
    static func l1Threshold(_ magnitudes: [Double], radius: Double) -> Double {
        let u = magnitudes.sorted(by: >)
        var partial = 0.0
        var theta = 0.0
        for (j, uj) in u.enumerated() {
            partial += uj
            let candidate = (partial - radius) / Double(j + 1)
            if uj > candidate { theta = candidate } else { break }
        }
        return max(theta, 0)
    }

    /// 2-D convenience forms.
    public static func ontoL2Ball(_ p: Point2D, radius: Double = 1) -> Point2D {
        let q = ontoL2Ball([p.x, p.y], radius: radius); return Point2D(q[0], q[1])
    }

    public static func ontoL1Ball(_ p: Point2D, radius: Double = 1) -> Point2D {
        let q = ontoL1Ball([p.x, p.y], radius: radius); return Point2D(q[0], q[1])
    }
}
