import Foundation

/// Regularized least squares as a finite sum, one term per example:
///
///     fᵢ(x) = ½ (aᵢᵀx − bᵢ)² + (λ/2) ‖x‖²,    ∇fᵢ(x) = (aᵢᵀx − bᵢ) aᵢ + λx,
///     f(x) = (1/n) Σᵢ fᵢ(x),                   H = AᵀA/n + λI.
///
/// f is a convex quadratic, so everything an analysis needs is exact: the minimizer solves
/// H x* = Aᵀb/n (by Cholesky), the smoothness constant L is the largest eigenvalue of H, the
/// strong-convexity constant μ the smallest, and the largest per-term smoothness is
/// L_max = maxᵢ ‖aᵢ‖² + λ (what a single-example step has to respect).
///
/// - `rows` a₁ … aₙ: no default (n ≥ 1 rows of equal length d ≥ 1). `targets` b: no default
///   (length n). `regularization` λ ≥ 0: no default (λ > 0 or full-rank A for a unique x*).
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let problem = LeastSquaresSum.random(terms: 500, dimension: 5, smallestScale: 0.2,
///                                      noise: 0.5, regularization: 1e-3, generator: &rng)
/// let xStar = problem.minimizer          // exact, by Cholesky
/// problem.value(xStar)                   // f*
/// ```
public struct LeastSquaresSum: FiniteSumObjective, Equatable {
    public let rows: [[Double]]
    public let targets: [Double]
    public let regularization: Double

    public init(rows: [[Double]], targets: [Double], regularization: Double) {
        let d = rows.first?.count ?? 0
        guard !rows.isEmpty, d >= 1, rows.allSatisfy({ $0.count == d }), targets.count == rows.count,
              regularization >= 0, regularization.isFinite else {
            let message = "LeastSquaresSum: need n ≥ 1 rows of one length d ≥ 1, n targets and λ ≥ 0 (got \(rows.count) rows, \(targets.count) targets, λ = \(regularization))"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            fatalError(message)
        }
        self.rows = rows; self.targets = targets; self.regularization = regularization
    }

    /// n examples with features aᵢⱼ ~ N(0, sⱼ²), the scales sⱼ falling geometrically from 1 to
    /// `smallestScale` (so the problem is moderately ill-conditioned), a planted x ~ N(0, I)
    /// and targets bᵢ = aᵢᵀx + N(0, noise²). The features are drawn first, row by row, then x,
    /// then the noise.
    public static func random(terms n: Int, dimension d: Int, smallestScale: Double, noise: Double,
                              regularization: Double, generator: inout SeededGenerator) -> LeastSquaresSum {
        let scales = (0..<d).map { j in d == 1 ? 1 : Foundation.pow(smallestScale, Double(j) / Double(d - 1)) }
        let rows = (0..<n).map { _ in scales.map { $0 * generator.normal() } }
        let planted = generator.normals(d)
        let targets = rows.map { a in
            var s = 0.0
            for j in 0..<d { s += a[j] * planted[j] }
            return s + noise * generator.normal()
        }
        return LeastSquaresSum(rows: rows, targets: targets, regularization: regularization)
    }

    public var termCount: Int { rows.count }
    public var dimension: Int { rows[0].count }

    func residual(_ i: Int, _ x: [Double]) -> Double {
        var s = -targets[i]
        for j in 0..<dimension { s += rows[i][j] * x[j] }
        return s
    }

    func squaredNorm(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v * v }
        return s
    }

    public func value(_ x: [Double]) -> Double {
        var total = 0.0
        for i in 0..<termCount {
            let r = residual(i, x)
            total += 0.5 * r * r
        }
        return total / Double(termCount) + 0.5 * regularization * squaredNorm(x)
    }

    public func termGradient(_ i: Int, at x: [Double]) -> [Double] {
        let r = residual(i, x)
        return (0..<dimension).map { j in r * rows[i][j] + regularization * x[j] }
    }

    /// H = AᵀA/n + λI, row-major d × d.
    public var hessian: [Double] {
        let d = dimension, n = Double(termCount)
        var h = [Double](repeating: 0, count: d * d)
        for a in rows {
            for p in 0..<d { for q in 0..<d { h[p * d + q] += a[p] * a[q] } }
        }
        for p in 0..<d { for q in 0..<d { h[p * d + q] /= n } }
        for p in 0..<d { h[p * d + p] += regularization }
        return h
    }

    /// The exact minimizer, H⁻¹ Aᵀb / n.
    public var minimizer: [Double] {
        let d = dimension, n = Double(termCount)
        var rhs = [Double](repeating: 0, count: d)
        for (a, b) in zip(rows, targets) { for j in 0..<d { rhs[j] += a[j] * b } }
        let factor: Cholesky
        do { factor = try Cholesky(matrix: hessian, dimension: d) } catch {
            let message = "LeastSquaresSum.minimizer: \(error) (use λ > 0 or full-rank rows)"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            fatalError(message)
        }
        return factor.solve(rhs.map { $0 / n })
    }

    /// Eigenvalues of H, ascending: the first is μ, the last is L.
    public var hessianEigenvalues: [Double] {
        let d = dimension, h = hessian
        return SymmetricEigenvalues.of((0..<d).map { p in Array(h[(p * d)..<(p * d + d)]) })
    }

    /// L_max = maxᵢ ‖aᵢ‖² + λ, the largest smoothness constant of a single term.
    public var largestTermSmoothness: Double {
        rows.map(squaredNorm).max()! + regularization
    }
}
