/// Gradient descent preconditioned by the diagonal of the Hessian (a cheap stand-in for
/// Newton's method):
///
///     x ← x − η · diag(|H_f(x)|)⁻¹ ∇f(x)
///
/// Taking absolute values keeps every step pointing downhill where the curvature is
/// negative. On an axis-aligned quadratic the diagonal *is* the Hessian, so with η = 1 the
/// minimum is reached in one step; rotate the problem and the off-diagonal curvature the
/// diagonal ignores comes back (exercise 5 of the book's section).
///
/// ```swift
/// let trace = PreconditionedDescent.run(.ellipse(a: 0.1, b: 2), learningRate: 0.5)
/// ```
public enum PreconditionedDescent {
    /// - Parameters:
    ///   - learningRate: η, default 1.
    ///   - floor: curvatures smaller than this in magnitude are raised to it, so a flat
    ///     direction cannot produce an infinite step (default 1e-8).
    public static func run(_ f: Objective2D, learningRate eta: Double = 1, start: Point2D = Point2D(-5, -2),
                           steps: Int = 20, floor: Double = 1e-8) -> Trace2D {
        guard let hessian = f.hessian else {
            misuse("PreconditionedDescent.run: diagonal preconditioning needs the Hessian of \(f.name), which gives none")
        }
        var x = start
        var points = [x]
        for _ in 0..<steps {
            let h = hessian(x)
            let d = Point2D(Swift.max(abs(h[0][0]), floor), Swift.max(abs(h[1][1]), floor))
            x = x - eta * f.gradient(x) / d
            points.append(x)
        }
        return Trace2D(points: points)
    }

    /// `f` seen in coordinates rotated by `angle` radians: g(x) = f(R x), with
    /// ∇g(x) = Rᵀ ∇f(R x) and H_g(x) = Rᵀ H_f(R x) R.
    public static func rotated(_ f: Objective2D, by angle: Double, name: String? = nil) -> Objective2D {
        let c = cosine(angle), s = sine(angle)
        let rotate: @Sendable (Point2D) -> Point2D = { p in Point2D(c * p.x - s * p.y, s * p.x + c * p.y) }
        let rotateBack: @Sendable (Point2D) -> Point2D = { p in Point2D(c * p.x + s * p.y, -s * p.x + c * p.y) }
        var hessian: (@Sendable (Point2D) -> [[Double]])? = nil
        if let h = f.hessian {
            hessian = { p in
                let m = h(rotate(p))
                // Rᵀ M R for R = [[c, -s], [s, c]].
                let a = m[0][0], b = m[0][1], d = m[1][1]
                let h11 = c * c * a + 2 * c * s * b + s * s * d
                let h22 = s * s * a - 2 * c * s * b + c * c * d
                let h12 = -c * s * a + (c * c - s * s) * b + c * s * d
                return [[h11, h12], [h12, h22]]
            }
        }
        return Objective2D(
            name: name ?? "\(f.name) rotated",
            value: { p in f.value(rotate(p)) },
            gradient: { p in rotateBack(f.gradient(rotate(p))) },
            hessian: hessian,
            minimizer: f.minimizer.map(rotateBack))
    }
}

import Foundation
private func cosine(_ x: Double) -> Double { Foundation.cos(x) }
private func sine(_ x: Double) -> Double { Foundation.sin(x) }
