/// Gradient descent and Newton's method in one dimension, as in the book's `gd(eta)` and
/// `newton(eta)`: start at `x = 10`, take 10 steps, keep every iterate.
///
/// Gradient descent: `x ← x − η f'(x)`. Newton: `x ← x − η f'(x) / f''(x)`.
///
/// ```swift
/// let run = Descent1D.gradientDescent(.square, learningRate: 0.2)
/// run.summary   // "epoch 10, x: 0.06046617599999997"
/// ```
public struct Descent1D: Sendable {
    /// Every iterate, the start included (`steps + 1` values).
    public let iterates: [Double]

    public var final: Double { iterates[iterates.count - 1] }
    public var steps: Int { iterates.count - 1 }

    /// The book's closing line, `epoch 10, x: <shortest round-trip double>`.
    public var summary: String { "epoch \(steps), x: \(Descent1D.bookDescription(final))" }

    /// Python prints floats with the shortest round-trip digits, like Swift, but spells
    /// non-finite values `nan`, `inf`.
    public static func bookDescription(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }

    public static func gradientDescent(_ f: Objective1D, learningRate eta: Double,
                                       start: Double = 10, steps: Int = 10) -> Descent1D {
        var x = start
        var iterates = [x]
        for _ in 0..<steps {
            x -= eta * f.derivative(x)
            iterates.append(x)
        }
        return Descent1D(iterates: iterates)
    }

    /// Newton's method with an optional damping `eta`. `absoluteCurvature` divides by
    /// |f''(x)| instead of f''(x), which points every step downhill on a nonconvex function
    /// (the step can still overshoot and raise f where |f''| is small).
    public static func newton(_ f: Objective1D, learningRate eta: Double = 1, start: Double = 10,
                              steps: Int = 10, absoluteCurvature: Bool = false) -> Descent1D {
        guard let hess = f.secondDerivative else {
            misuse("Descent1D.newton: Newton's method needs the second derivative of \(f.name), which gives none")
        }
        var x = start
        var iterates = [x]
        for _ in 0..<steps {
            let h = absoluteCurvature ? abs(hess(x)) : hess(x)
            x -= eta * f.derivative(x) / h
            iterates.append(x)
        }
        return Descent1D(iterates: iterates)
    }

    /// The plotting window of the book's `show_trace`: `[-n, n]` with n = max |x| reached.
    public var traceWindow: Double {
        let finite = iterates.filter { $0.isFinite }
        return max(abs(finite.min() ?? 1), abs(finite.max() ?? 1))
    }
}
