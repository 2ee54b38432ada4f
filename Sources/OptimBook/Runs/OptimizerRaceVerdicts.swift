import OptimKit
import OptimNotebook
import Foundation

/// Sentences about a race chosen by its measured numbers, each under a rule a page can state
/// (`reachRule`, `escapeRule`). The races are deterministic, so the rules compare the measured
/// values directly; nothing is averaged.
///
/// ```swift
/// let results = race.run()
/// nb.paragraph(OptimizerRace.reachSentence(results, tolerance: 0.01))
/// ```
extension OptimizerRace {
    /// "a, b and c".
    public static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return ""
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
        }
    }

    /// The rule behind `reachSentence`, for the page.
    public static func reachRule(tolerance: Double) -> String {
        "a run reaches the minimizer when it stops within \(CFormat.format("%g", tolerance)) of it"
    }

    /// The labels of the runs that stop within `tolerance` of the minimizer.
    public static func reached(_ results: [Result], tolerance: Double) -> [String] {
        results.filter { r in r.distance.map { $0 < tolerance } ?? false }.map(\.label)
    }

    /// Which runs reach the minimizer (stop within `tolerance` of it) and how far the others stop.
    public static func reachSentence(_ results: [Result], tolerance: Double) -> String {
        let g = { (v: Double) in CFormat.format("%.3g", v) }
        let reached = Self.reached(results, tolerance: tolerance)
        let missed = results.filter { !reached.contains($0.label) }
        let far = list(missed.map { r in "\(r.label) (\(r.distance.map { $0.isFinite ? g($0) + " away" : "diverged" } ?? "no minimizer"))" })
        if missed.isEmpty { return "Every method reaches the minimizer." }
        if reached.isEmpty { return "No method reaches the minimizer: \(far)." }
        return "\(list(reached)) \(reached.count == 1 ? "reaches" : "reach") the minimizer; \(far) \(missed.count == 1 ? "does" : "do") not.".sentenceCased
    }

    /// The runs with the lowest and the highest final f (ties named together).
    public static func rankingSentence(_ results: [Result]) -> String {
        let finite = results.filter { $0.finalValue.isFinite }
        guard let low = finite.map(\.finalValue).min(), let high = finite.map(\.finalValue).max() else {
            return "Every run diverged."
        }
        let g = { (v: Double) in CFormat.format("%.3g", v) }
        let lowest = finite.filter { $0.finalValue == low }.map(\.label)
        let highest = finite.filter { $0.finalValue == high }.map(\.label)
        if low == high { return "All runs stop at the same f = \(g(low))." }
        return "The lowest final f is \(list(lowest))'s (\(g(low))), the highest \(list(highest))'s (\(g(high)))."
    }

    /// The first step at which f ≤ `threshold` (0 is the start), nil when never.
    public func firstStep(_ result: Result, atOrBelow threshold: Double) -> Int? {
        result.trace.points.firstIndex { objective.value($0) <= threshold }
    }

    /// The rule behind `escapeSentence`, for the page.
    public static func escapeRule(threshold: Double) -> String {
        "a run has left the saddle at the first step with f ≤ \(CFormat.format("%g", threshold))"
    }

    /// The fastest and slowest runs to get f ≤ `threshold`, and those that never do.
    public func escapeSentence(_ results: [Result], threshold: Double) -> String {
        let steps = results.map { (label: $0.label, step: firstStep($0, atOrBelow: threshold)) }
        let escaped = steps.compactMap { s in s.step.map { (s.label, $0) } }
        let never = steps.filter { $0.step == nil }.map(\.label)
        let neverText = never.isEmpty ? "" : " \(Self.list(never)) \(never.count == 1 ? "does" : "do") not get there in \(self.steps) steps."
        guard let fast = escaped.map(\.1).min(), let slow = escaped.map(\.1).max() else {
            return "No method gets off the saddle in \(self.steps) steps."
        }
        let fastest = escaped.filter { $0.1 == fast }.map(\.0), slowest = escaped.filter { $0.1 == slow }.map(\.0)
        func stepsText(_ n: Int) -> String { n == 1 ? "1 step" : "\(n) steps" }
        if fast == slow {
            return "\(Self.list(fastest)) all get off the saddle after \(stepsText(fast)).\(neverText)".sentenceCased
        }
        return "Fastest off the saddle: \(Self.list(fastest)) (\(stepsText(fast))); slowest: \(Self.list(slowest)) (\(stepsText(slow))).\(neverText)"
    }
}
