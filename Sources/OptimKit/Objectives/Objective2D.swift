import Foundation

/// A point or vector in the plane.
public typealias Point2D = SIMD2<Double>

/// A twice-differentiable function of two variables with its gradient and Hessian.
///
/// ```swift
/// let f = Objective2D.ellipse(a: 1, b: 2)   // x1^2 + 2 x2^2
/// f.gradient([-5, -2])                      // [-10, -8]
/// f.minimizer                               // [0, 0]
/// ```
public struct Objective2D: Sendable {
    public let name: String
    public let value: @Sendable (Point2D) -> Double
    public let gradient: @Sendable (Point2D) -> Point2D
    /// The Hessian as rows `[[f11, f12], [f21, f22]]`.
    public let hessian: (@Sendable (Point2D) -> [[Double]])?
    public let minimizer: Point2D?

    public init(name: String, value: @escaping @Sendable (Point2D) -> Double,
                gradient: @escaping @Sendable (Point2D) -> Point2D,
                hessian: (@Sendable (Point2D) -> [[Double]])? = nil, minimizer: Point2D? = nil) {
        self.name = name; self.value = value; self.gradient = gradient
        self.hessian = hessian; self.minimizer = minimizer
    }

    /// f(x) = a x1^2 + b x2^2. With (1, 2) this is 11.3/11.4's problem, with (0.1, 2) the
    /// ill-conditioned one of 11.6–11.10. The gradient is `(2a x1, 2b x2)` computed as the
    /// book does (`2 * x1`, `4 * x2`, `0.2 * x1`).
    public static func ellipse(a: Double, b: Double) -> Objective2D {
        Objective2D(
            name: "\(a == 1 ? "" : "\(a) ")x1^2 + \(b == 1 ? "" : "\(b) ")x2^2",
            value: { p in a * p.x * p.x + b * p.y * p.y },
            gradient: { p in Point2D((2 * a) * p.x, (2 * b) * p.y) },
            hessian: { _ in [[2 * a, 0], [0, 2 * b]] },
            minimizer: Point2D(0, 0))
    }

    /// A quadratic 0.5 xᵀ A x with symmetric A = [[a11, a12], [a12, a22]].
    public static func quadratic(a11: Double, a12: Double, a22: Double, name: String) -> Objective2D {
        Objective2D(
            name: name,
            value: { p in 0.5 * (a11 * p.x * p.x + 2 * a12 * p.x * p.y + a22 * p.y * p.y) },
            gradient: { p in Point2D(a11 * p.x + a12 * p.y, a12 * p.x + a22 * p.y) },
            hessian: { _ in [[a11, a12], [a12, a22]] },
            minimizer: Point2D(0, 0))
    }
}

/// A twice-differentiable function of a vector.
public struct ObjectiveND: Sendable {
    public let name: String
    public let dimension: Int
    public let value: @Sendable ([Double]) -> Double
    public let gradient: @Sendable ([Double]) -> [Double]
    public let hessian: (@Sendable ([Double]) -> [[Double]])?
    public let minimizer: [Double]?

    public init(name: String, dimension: Int, value: @escaping @Sendable ([Double]) -> Double,
                gradient: @escaping @Sendable ([Double]) -> [Double],
                hessian: (@Sendable ([Double]) -> [[Double]])? = nil, minimizer: [Double]? = nil) {
        self.name = name; self.dimension = dimension; self.value = value; self.gradient = gradient
        self.hessian = hessian; self.minimizer = minimizer
    }

    /// The n-D view of a 2-D objective.
    public init(_ f: Objective2D) {
        var hessian: (@Sendable ([Double]) -> [[Double]])? = nil
        if let h = f.hessian {
            hessian = { (v: [Double]) -> [[Double]] in h(Point2D(v[0], v[1])) }
        }
        var minimizer: [Double]? = nil
        if let m = f.minimizer { minimizer = [m.x, m.y] }
        self.init(name: f.name, dimension: 2,
                  value: { (v: [Double]) -> Double in f.value(Point2D(v[0], v[1])) },
                  gradient: { (v: [Double]) -> [Double] in
                      let g = f.gradient(Point2D(v[0], v[1]))
                      return [g.x, g.y]
                  },
                  hessian: hessian, minimizer: minimizer)
    }
}
