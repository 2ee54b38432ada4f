import Foundation

/// Classic 2-D test surfaces for optimizers, each with its exact gradient, Hessian and
/// known minimizer (nil when the function has none), so a run can be scored by its distance
/// to the answer.
///
/// | name | f(x, y) | minimizer | what it tests |
/// |---|---|---|---|
/// | `rosenbrock` | (a − x)² + b (y − x²)² (a = 1, b = 100) | (a, a²), f = 0 | a long curved valley |
/// | `beale` | (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)² | (3, 0.5), f = 0 | flat plateaus, steep walls |
/// | `booth` | (x + 2y − 7)² + (2x + y − 5)² | (1, 3), f = 0 | a mildly tilted quadratic |
/// | `saddle` | x² − y² | none (saddle point at 0) | escaping a saddle (in TestFunctions.swift) |
/// | `himmelblau` | (x² + y − 11)² + (x + y² − 7)² | (3, 2) (one of four), f = 0 | several minima |
///
/// The book's quadratics stay `Objective2D.ellipse(a:b:)` and `.quadratic(...)`.
///
/// ```swift
/// let f = Objective2D.rosenbrock()
/// f.value(Point2D(1, 1))            // 0
/// f.gradient(Point2D(0, 0))         // (-2, 0)
/// let g = try Objective2D.named("beale")
/// ```
extension Objective2D {
    /// Rosenbrock's banana valley, f = (a − x)² + b (y − x²)²; defaults a = 1, b = 100.
    public static func rosenbrock(a: Double = 1, b: Double = 100) -> Objective2D {
        Objective2D(
            name: "rosenbrock",
            value: { p in
                let u = a - p.x, w = p.y - p.x * p.x
                return u * u + b * w * w
            },
            gradient: { p in
                let w = p.y - p.x * p.x
                return Point2D(-2 * (a - p.x) - 4 * b * p.x * w, 2 * b * w)
            },
            hessian: { p in
                let h11 = 2 - 4 * b * (p.y - p.x * p.x) + 8 * b * p.x * p.x
                let h12 = -4 * b * p.x
                return [[h11, h12], [h12, 2 * b]]
            },
            minimizer: Point2D(a, a * a))
    }

    /// Beale's function: three squared residuals rᵢ = cᵢ − x + x yⁱ with c = (1.5, 2.25, 2.625).
    public static var beale: Objective2D {
        let c = [1.5, 2.25, 2.625]
        return Objective2D(
            name: "beale",
            value: { p in
                var s = 0.0, yi = 1.0
                for i in 0..<3 {
                    yi *= p.y
                    let r = c[i] - p.x + p.x * yi
                    s += r * r
                }
                return s
            },
            gradient: { p in
                // d rᵢ/dx = yⁱ − 1, d rᵢ/dy = i x yⁱ⁻¹.
                var gx = 0.0, gy = 0.0, yPrev = 1.0
                for i in 1...3 {
                    let yi = yPrev * p.y
                    let r = c[i - 1] - p.x + p.x * yi
                    gx += 2 * r * (yi - 1)
                    gy += 2 * r * Double(i) * p.x * yPrev
                    yPrev = yi
                }
                return Point2D(gx, gy)
            },
            hessian: { p in
                // Sum of 2 (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ); ∇²rᵢ = [[0, i yⁱ⁻¹], [i yⁱ⁻¹, i (i−1) x yⁱ⁻²]].
                var h11 = 0.0, h12 = 0.0, h22 = 0.0
                for i in 1...3 {
                    let yim1 = pow(p.y, Double(i - 1)), yi = yim1 * p.y
                    let yim2 = i >= 2 ? pow(p.y, Double(i - 2)) : 0
                    let r = c[i - 1] - p.x + p.x * yi
                    let rx = yi - 1, ry = Double(i) * p.x * yim1
                    h11 += 2 * rx * rx
                    h12 += 2 * (rx * ry + r * Double(i) * yim1)
                    h22 += 2 * (ry * ry + r * Double(i * (i - 1)) * p.x * yim2)
                }
                return [[h11, h12], [h12, h22]]
            },
            minimizer: Point2D(3, 0.5))
    }

    /// Booth's function, (x + 2y − 7)² + (2x + y − 5)²: a quadratic with minimum 0 at (1, 3).
    public static var booth: Objective2D {
        Objective2D(
            name: "booth",
            value: { p in
                let r1 = p.x + 2 * p.y - 7, r2 = 2 * p.x + p.y - 5
                return r1 * r1 + r2 * r2
            },
            gradient: { p in
                let r1 = p.x + 2 * p.y - 7, r2 = 2 * p.x + p.y - 5
                return Point2D(2 * r1 + 4 * r2, 4 * r1 + 2 * r2)
            },
            hessian: { _ in [[10, 8], [8, 10]] },
            minimizer: Point2D(1, 3))
    }

    /// Himmelblau's function, (x² + y − 11)² + (x + y² − 7)², with four minima of value 0;
    /// `minimizer` is the one at (3, 2).
    public static var himmelblau: Objective2D {
        Objective2D(
            name: "himmelblau",
            value: { p in
                let a = p.x * p.x + p.y - 11, b = p.x + p.y * p.y - 7
                return a * a + b * b
            },
            gradient: { p in
                let a = p.x * p.x + p.y - 11, b = p.x + p.y * p.y - 7
                return Point2D(4 * p.x * a + 2 * b, 2 * a + 4 * p.y * b)
            },
            hessian: { p in
                let a = p.x * p.x + p.y - 11, b = p.x + p.y * p.y - 7
                let h11 = 4 * a + 8 * p.x * p.x + 2
                let h12 = 4 * p.x + 4 * p.y
                let h22 = 2 + 4 * b + 8 * p.y * p.y
                return [[h11, h12], [h12, h22]]
            },
            minimizer: Point2D(3, 2))
    }

    /// Names accepted by `named(_:)`, in a fixed order.
    public static let testFunctionNames = ["ellipse", "ill-conditioned", "rosenbrock", "beale", "booth", "saddle", "himmelblau"]

    /// A test surface by name (for `--function NAME` options): `ellipse` is the book's
    /// x1² + 2 x2², `ill-conditioned` its 0.1 x1² + 2 x2², the others as above.
    public static func named(_ name: String) throws -> Objective2D {
        switch name.lowercased() {
        case "ellipse": return .ellipse(a: 1, b: 2)
        case "ill-conditioned": return .ellipse(a: 0.1, b: 2)
        case "rosenbrock": return .rosenbrock()
        case "beale": return .beale
        case "booth": return .booth
        case "saddle": return .saddle
        case "himmelblau": return .himmelblau
        default: throw UnknownTestFunction(name: name)
        }
    }
}

/// `Objective2D.named` was given a name it does not know.
public struct UnknownTestFunction: Error, Equatable, CustomStringConvertible {
    public let name: String
    public var description: String {
        "unknown function '\(name)'; known: \(Objective2D.testFunctionNames.joined(separator: ", "))"
    }
}
