import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
/// The one sentence a page gives a run that diverged (`Divergence`), naming the step and,
/// when the method's step-size condition is known and broken on a convex quadratic
/// (`StepSizeCondition`), that condition.
///
/// ```swift
/// DivergenceReport.sentence(points: path, objective: f, eta: 100, condition: .momentum(beta: 0.5))
/// // "This run diverged: at step 3 the iterate was 1.26723e+08 away from the minimizer, past the
/// //  bound of 5.38516e+06 (a million times its starting distance); ηλ = 400 breaks the stability
/// //  condition 0 < ηλ < 2 + 2β = 3 of momentum on this quadratic (λ = 4 is its largest curvature)."
/// ```
public enum DivergenceReport {
    static func g(_ value: Double) -> String { CFormat.format("%g", value) }

    /// The sentence, or nil when the run neither diverged nor breaks a known condition.
    public static func sentence(points: [Point2D], objective: Objective2D, eta: Double,
                                condition: StepSizeCondition?) -> String? {
        let divergence = Divergence.detect(points: points, objective: objective)
        let violation = condition.flatMap { c in c.violation(eta: eta, objective: objective).map { (c, $0) } }
        let reference = objective.minimizer == nil ? "the start" : "the minimizer"
        var because = ""
        if let (c, v) = violation {
            let limit = c.formula == g(c.limit) ? c.formula : "\(c.formula) = \(g(c.limit))"
            because = "ηλ = \(g(v.etaLambda)) breaks the stability condition 0 < ηλ < \(limit) of \(c.method) on this quadratic (λ = \(g(v.lambda)) is its largest curvature)"
        }
        if let d = divergence {
            var text = "This run diverged: at step \(d.step) "
            switch d.reason {
            case .nonFinite:
                text += "the iterate was no longer a finite number"
            case let .beyondBound(distance, bound):
                let start = bound / Divergence.defaultGrowth
                text += "the iterate was \(g(distance)) away from \(reference), past the bound of \(g(bound)) "
                text += start > 1 ? "(a million times its starting distance)" : "(a million, as it started closer than 1)"
                if let later = d.firstNonFiniteStep { text += ", and from step \(later) on it was no longer finite" }
            }
            return text + (because.isEmpty ? "." : "; " + because + ".")
        }
        guard !because.isEmpty, let first = points.first, let last = points.last else { return nil }
        let target = objective.minimizer ?? first
        func distance(_ p: Point2D) -> Double { let d = p - target; return (d.x * d.x + d.y * d.y).squareRoot() }
        if distance(last) > distance(first) {
            return "This run is diverging: its distance to \(reference) grew from \(g(distance(first))) to \(g(distance(last))) in \(points.count - 1) steps, because " + because + "."
        }
        return "These settings break the condition for convergence, so this run would not converge however long it ran: " + because + "."
    }
}

extension Trace2D {
    /// `summary` (`epoch 20, x1 -0.057646, x2 -0.000073`) with `ReadableNumber` coordinates:
    /// the same text for moderate values, exponents for a runaway run.
    public var readableSummary: String {
        "epoch \(steps), x1 \(ReadableNumber.format(final.x)), x2 \(ReadableNumber.format(final.y))"
    }
}
