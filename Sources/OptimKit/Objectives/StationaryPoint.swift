import Foundation

/// What kind of point a zero of the gradient is, read off the signs of the Hessian's
/// eigenvalues there (the second-order test).
///
/// - all eigenvalues > `tolerance`: a strict local minimum;
/// - all < −`tolerance`: a strict local maximum;
/// - some > `tolerance` and some < −`tolerance`: a saddle point;
/// - otherwise (some eigenvalue within `tolerance` of 0 and no sign change): the test is
///   inconclusive (x³ at 0 is the standard example).
///
/// ```swift
/// let h = Objective2D.saddle.hessian!(Point2D(0, 0))
/// StationaryPoint.classify(hessian: h)   // .saddle
/// StationaryPoint.classify(secondDerivative: 0)   // .inconclusive
/// ```
public enum StationaryPoint: String, Sendable, Equatable, CaseIterable {
    case minimum = "local minimum"
    case maximum = "local maximum"
    case saddle = "saddle point"
    case inconclusive = "inconclusive"

    /// Classifies by the eigenvalues of a symmetric Hessian; `tolerance` defaults to 1e-12.
    public static func classify(hessian: [[Double]], tolerance: Double = 1e-12) -> StationaryPoint {
        classify(eigenvalues: SymmetricEigenvalues.of(hessian), tolerance: tolerance)
    }

    /// The one-dimensional case: the Hessian is the 1 × 1 matrix [f''(x)].
    public static func classify(secondDerivative: Double, tolerance: Double = 1e-12) -> StationaryPoint {
        classify(eigenvalues: [secondDerivative], tolerance: tolerance)
    }

    public static func classify(eigenvalues: [Double], tolerance: Double = 1e-12) -> StationaryPoint {
        let positive = eigenvalues.contains { $0 > tolerance }
        let negative = eigenvalues.contains { $0 < -tolerance }
        let flat = eigenvalues.contains { abs($0) <= tolerance }
        if positive && negative { return .saddle }
        if flat || eigenvalues.isEmpty { return .inconclusive }
        return positive ? .minimum : .maximum
    }
}
