/// The first step at which a run stopped making sense.
///
/// Rule: with `d_t` the distance of iterate `t` from a reference point (the minimizer when
/// it is known, else the start) and `f_t` its objective value, step `t` has diverged when
/// `d_t` or `f_t` is NaN or ±∞, or when `d_t > B` with the bound
///
///     B = growth · max(1, d_0),   growth = 10⁶ by default,
///
/// that is, once the iterate is a million times further away than where it started (or a
/// million units, when it started closer than 1). Pure functions of the path; what to say
/// about it is `DivergenceReport`'s business.
///
/// ```swift
/// let f = Objective2D.ellipse(a: 0.1, b: 2)
/// let path = train2D(optimizer: Momentum(learningRate: 100, momentum: 0.5), objective: f).points
/// Divergence.detect(points: path, objective: f)      // step 3, beyondBound(1.27e8, 5.39e6)
/// ```
public struct Divergence: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// An iterate or its value was NaN or ±∞.
        case nonFinite
        /// The iterate was `distance` from the reference point, more than `bound`.
        case beyondBound(distance: Double, bound: Double)
    }

    /// The first divergent step (0 is the start).
    public let step: Int
    public let reason: Reason
    /// The first step with a non-finite number, if any (it may come after `step`).
    public let firstNonFiniteStep: Int?

    public static let defaultGrowth = 1e6

    /// The first divergent step given, per step, the distance from the reference point and
    /// the objective value (`values` may be empty: distances only); nil when every step is fine.
    public static func detect(distances: [Double], values: [Double] = [], bound: Double) -> Divergence? {
        var first: (step: Int, reason: Reason)? = nil
        var nonFinite: Int? = nil
        for t in distances.indices {
            let finite = distances[t].isFinite && (t >= values.count || values[t].isFinite)
            if !finite {
                nonFinite = t
                if first == nil { first = (t, .nonFinite) }
                break
            }
            if first == nil && distances[t] > bound {
                first = (t, .beyondBound(distance: distances[t], bound: bound))
            }
        }
        return first.map { Divergence(step: $0.step, reason: $0.reason, firstNonFiniteStep: nonFinite) }
    }

    /// The bound for a run that starts `startDistance` from the reference point.
    public static func bound(startDistance: Double, growth: Double = defaultGrowth) -> Double {
        growth * max(1, startDistance)
    }

    /// Detection on a 2-D path (`points[0]` is the start).
    public static func detect(points: [Point2D], objective: Objective2D, growth: Double = defaultGrowth) -> Divergence? {
        guard let start = points.first else { return nil }
        let reference = objective.minimizer ?? start
        let distances = points.map { p -> Double in
            let d = p - reference
            return (d.x * d.x + d.y * d.y).squareRoot()
        }
        return detect(distances: distances, values: points.map(objective.value),
                      bound: bound(startDistance: distances[0], growth: growth))
    }
}

/// A method's step-size condition on a convex quadratic: it converges from every start
/// exactly when `0 < ηλ < limit` for every curvature λ (eigenvalue of the Hessian).
///
/// - gradient descent: `limit = 2`;
/// - heavy-ball momentum with `0 ≤ β < 1`: `limit = 2 + 2β` (`MomentumStability`).
///
/// ```swift
/// let c = StepSizeCondition.momentum(beta: 0.5)                 // 0 < ηλ < 2 + 2β = 3
/// c.violation(eta: 100, objective: .ellipse(a: 0.1, b: 2))     // (etaLambda: 400, lambda: 4)
/// ```
public struct StepSizeCondition: Sendable, Equatable {
    /// The method's name as the text uses it.
    public let method: String
    /// The upper end of the stable range of ηλ.
    public let limit: Double
    /// How the limit is written, e.g. `2 + 2β`.
    public let formula: String

    public init(method: String, limit: Double, formula: String) {
        self.method = method; self.limit = limit; self.formula = formula
    }

    public static let gradientDescent = StepSizeCondition(method: "gradient descent", limit: 2, formula: "2")

    public static func momentum(beta: Double) -> StepSizeCondition {
        StepSizeCondition(method: "momentum", limit: MomentumStability.predictedLimit(.heavyBall, beta: beta),
                          formula: "2 + 2β")
    }

    /// The smallest and largest curvature of `objective` when it is a convex quadratic: its
    /// Hessian is the same at several points and positive definite. Nil otherwise.
    public static func curvatures(of objective: Objective2D) -> (smallest: Double, largest: Double)? {
        guard let hessian = objective.hessian else { return nil }
        let probes = [Point2D(0, 0), Point2D(1.5, -2.5), Point2D(-7, 3)]
        let h = hessian(probes[0])
        guard h.count == 2, h.allSatisfy({ $0.count == 2 }), probes.dropFirst().allSatisfy({ hessian($0) == h }) else { return nil }
        let a = h[0][0], b = 0.5 * (h[0][1] + h[1][0]), d = h[1][1]
        let mean = 0.5 * (a + d)
        let radius = (0.25 * (a - d) * (a - d) + b * b).squareRoot()
        let smallest = mean - radius, largest = mean + radius
        guard smallest > 0, largest.isFinite else { return nil }
        return (smallest, largest)
    }

    /// The product ηλ that breaks the condition, with its λ (the largest curvature), or nil
    /// when the condition holds or the objective is not a convex quadratic.
    public func violation(eta: Double, objective: Objective2D) -> (etaLambda: Double, lambda: Double)? {
        guard let (_, largest) = Self.curvatures(of: objective) else { return nil }
        let product = eta * largest
        return product > 0 && product < limit ? nil : (product, largest)
    }
}
