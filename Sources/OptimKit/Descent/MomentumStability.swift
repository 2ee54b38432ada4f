/// Linear stability of momentum methods on the scalar quadratic `f(x) = λx²/2`.
///
/// On a quadratic the gradient is `λx`, so one step of a momentum method is a linear map
/// of the pair (velocity, position), `(v, x) ← R (v, x)`, and the run converges for every
/// start exactly when the spectral radius of `R` is below 1. By the eigenbasis argument of
/// section 11.6.3 this scalar case covers every convex quadratic, one eigenvalue λ of the
/// Hessian at a time.
///
/// Heavy ball (`Momentum`: `v ← βv + g`, `x ← x − ηv`):
///
///     R = [[ β,    λ     ],
///          [ −ηβ,  1 − ηλ ]]        trace 1 + β − ηλ,  determinant β
///
/// Nesterov (`Nesterov`: `v ← βv + g`, `x ← x − η(g + βv)`):
///
///     R = [[ β,     λ            ],
///          [ −ηβ²,  1 − ηλ(1 + β) ]]   trace 1 + β − ηλ(1 + β),  determinant β(1 − ηλ)
///
/// The eigenvalues depend on η and λ only through the product ηλ. The Schur–Cohn (Jury)
/// conditions for a real quadratic `μ² − Tμ + D` to have both roots inside the unit
/// circle are `|D| < 1`, `1 − T + D > 0` and `1 + T + D > 0`, which give, for 0 ≤ β < 1,
///
/// - heavy ball: `0 < ηλ < 2 + 2β`
/// - Nesterov: `0 < ηλ < (2 + 2β) / (1 + 2β)`
/// - plain gradient descent (β = 0 in either): `0 < ηλ < 2`.
///
/// `predictedLimit` returns these bounds; `stabilityLimit` finds the same boundary from
/// the spectral radius alone (bisection), so the two can be compared.
///
/// ```swift
/// MomentumStability.spectralRadius(.heavyBall, beta: 0.5, etaLambda: 2.4)   // 0.8…  (converges)
/// MomentumStability.spectralRadius(.nesterov, beta: 0.5, etaLambda: 2.4)    // > 1   (diverges)
/// MomentumStability.stabilityLimit(.heavyBall, beta: 0.5)                   // 3.0 (= 2 + 2β)
/// ```
public enum MomentumStability {
    /// Which update the matrix describes.
    public enum Method: String, Sendable, CaseIterable {
        case heavyBall = "momentum"
        case nesterov = "Nesterov"
    }

    /// `R(β, η, λ)` as rows, acting on the column `(v, x)`.
    public static func iterationMatrix(_ method: Method, beta: Double, learningRate eta: Double,
                                       curvature lambda: Double) -> [[Double]] {
        switch method {
        case .heavyBall:
            return [[beta, lambda], [-eta * beta, 1 - eta * lambda]]
        case .nesterov:
            return [[beta, lambda], [-eta * beta * beta, 1 - eta * lambda * (1 + beta)]]
        }
    }

    /// Spectral radius of `R(β, η, λ)`.
    public static func spectralRadius(_ method: Method, beta: Double, learningRate eta: Double,
                                      curvature lambda: Double) -> Double {
        Eigen2x2(rows: iterationMatrix(method, beta: beta, learningRate: eta, curvature: lambda)).spectralRadius
    }

    /// Spectral radius as a function of the product ηλ (taking λ = 1, η = ηλ).
    public static func spectralRadius(_ method: Method, beta: Double, etaLambda: Double) -> Double {
        spectralRadius(method, beta: beta, learningRate: etaLambda, curvature: 1)
    }

    /// The closed-form upper end of the stable range of ηλ for 0 ≤ β < 1.
    public static func predictedLimit(_ method: Method, beta: Double) -> Double {
        switch method {
        case .heavyBall: return 2 + 2 * beta
        case .nesterov: return (2 + 2 * beta) / (1 + 2 * beta)
        }
    }

    /// The largest ηλ at which the spectral radius is still below 1, found by bisection
    /// between ηλ = 1 (stable for every 0 ≤ β < 1 in both methods) and `upper` (default 8,
    /// unstable). Uses only `spectralRadius`, never the closed form.
    public static func stabilityLimit(_ method: Method, beta: Double, upper: Double = 8,
                                      iterations: Int = 80) -> Double {
        var inside = 1.0, outside = upper
        requireValid(spectralRadius(method, beta: beta, etaLambda: inside) < 1
                     && spectralRadius(method, beta: beta, etaLambda: outside) >= 1,
                     "MomentumStability.stabilityLimit: the bracket [1, \(upper)] does not straddle the boundary "
                     + "for \(method) with beta \(beta)")
        for _ in 0..<iterations {
            let mid = (inside + outside) / 2
            if mid == inside || mid == outside { break }
            if spectralRadius(method, beta: beta, etaLambda: mid) < 1 { inside = mid } else { outside = mid }
        }
        return inside
    }

    /// The outcome of comparing "ρ < 1" with "0 < ηλ < predictedLimit" on a grid.
    public struct GridCheck: Sendable, Equatable {
        /// Grid points examined (points within `margin` of the predicted boundary are skipped,
        /// where rounding decides).
        public var points: Int
        /// Points where ρ < 1.
        public var stablePoints: Int
        /// Points where the spectral radius and the closed form disagree.
        public var disagreements: Int
        /// Largest ρ among points the closed form calls stable (should be below 1).
        public var largestRadiusInside: Double
        /// Smallest ρ among points the closed form calls unstable (should be at least 1).
        public var smallestRadiusOutside: Double
    }

    /// Evaluates ρ at every `(ηλ, β)` of the grid and counts disagreements with the closed form.
    public static func gridCheck(_ method: Method, etaLambdas: [Double], betas: [Double],
                                 margin: Double = 1e-9) -> GridCheck {
        var check = GridCheck(points: 0, stablePoints: 0, disagreements: 0,
                              largestRadiusInside: 0, smallestRadiusOutside: .infinity)
        for beta in betas {
            let limit = predictedLimit(method, beta: beta)
            for x in etaLambdas {
                if abs(x - limit) < margin || abs(x) < margin { continue }
                let rho = spectralRadius(method, beta: beta, etaLambda: x)
                let predicted = x > 0 && x < limit
                check.points += 1
                if rho < 1 { check.stablePoints += 1 }
                if (rho < 1) != predicted { check.disagreements += 1 }
                if predicted {
                    check.largestRadiusInside = max(check.largestRadiusInside, rho)
                } else {
                    check.smallestRadiusOutside = min(check.smallestRadiusOutside, rho)
                }
            }
        }
        return check
    }
}
