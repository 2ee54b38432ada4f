import Foundation

/// A twice-differentiable function of one variable, with its derivatives written out by hand
/// in the same operation order as the book's code (so printed iterates agree to the last bit).
///
/// ```swift
/// let f = Objective1D.square
/// f.value(3)        // 9
/// f.derivative(3)   // 6
/// f.minimizer       // 0
/// ```
public struct Objective1D: Sendable {
    public let name: String
    public let value: @Sendable (Double) -> Double
    public let derivative: @Sendable (Double) -> Double
    public let secondDerivative: (@Sendable (Double) -> Double)?
    /// The global minimizer where one exists and is known; `nil` otherwise.
    public let minimizer: Double?

    public init(name: String, value: @escaping @Sendable (Double) -> Double,
                derivative: @escaping @Sendable (Double) -> Double,
                secondDerivative: (@Sendable (Double) -> Double)? = nil, minimizer: Double? = nil) {
        self.name = name; self.value = value; self.derivative = derivative
        self.secondDerivative = secondDerivative; self.minimizer = minimizer
    }

    /// f(x) = x^2, minimum at 0.
    public static let square = Objective1D(
        name: "x^2", value: { x in x * x }, derivative: { x in 2 * x }, secondDerivative: { _ in 2 }, minimizer: 0)

    /// f(x) = x cos(c x): infinitely many local minima, unbounded below (no global minimizer).
    public static func xCos(c: Double) -> Objective1D {
        Objective1D(
            name: "x cos(\(c) x)",
            value: { x in x * cos(c * x) },
            derivative: { x in cos(c * x) - c * x * sin(c * x) },
            secondDerivative: { x in -2 * c * sin(c * x) - x * (c * c) * cos(c * x) },
            minimizer: nil)
    }

    /// f(x) = cosh(c x): convex, minimum at 0.
    public static func cosh(c: Double) -> Objective1D {
        Objective1D(
            name: "cosh(\(c) x)",
            value: { x in Foundation.cosh(c * x) },
            derivative: { x in c * sinh(c * x) },
            secondDerivative: { x in (c * c) * Foundation.cosh(c * x) },
            minimizer: 0)
    }

    /// f(x) = log(exp(x) + exp(-2x - 3)) (exercise 2 of 11.3): convex, smooth,
    /// minimum where exp(x) = 2 exp(-2x - 3), i.e. x* = (log 2 - 3) / 3.
    public static let logSumExp = Objective1D(
        name: "log(exp(x) + exp(-2x - 3))",
        value: { x in log(exp(x) + exp(-2 * x - 3)) },
        derivative: { x in
            let a = exp(x), b = exp(-2 * x - 3)
            return (a - 2 * b) / (a + b)
        },
        secondDerivative: { x in
            let a = exp(x), b = exp(-2 * x - 3)
            return 9 * a * b / ((a + b) * (a + b))
        },
        minimizer: (log(2.0) - 3) / 3)
}
