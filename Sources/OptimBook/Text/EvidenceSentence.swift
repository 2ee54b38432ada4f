import OptimKit
import OptimNotebook

/// Comparative sentences chosen by the numbers, under a rule the page states.
///
/// The rule (`EvidenceSentence.rule` prints it): two methods measured over the same number
/// of seeds are called different only when the gap between their means exceeds
/// `k` standard errors of that gap, `|x̄_A − x̄_B| > k · sqrt(se_A² + se_B²)` with `k = 2`;
/// otherwise they are "indistinguishable in these runs". A method with a diverged (non-finite)
/// run is compared by its number of finite runs first: more finite runs wins outright.
/// "Learned" means the run met a criterion the caller names (e.g. final loss below 0.25).
///
/// ```swift
/// let sentence = EvidenceSentence.compare("Adam", adam, "SGD", sgd, metric: "final loss",
///                                         better: .lower)
/// // "Adam reaches a lower final loss than SGD (0.2431 ± 0.0004 against 0.2502 ± 0.0011; …)"
/// ```
public enum EvidenceSentence {
    /// Which direction of a metric is better.
    public enum Better: Sendable { case lower, higher }

    /// What the rule concluded about A against B.
    public enum Verdict: Sendable, Equatable {
        case aBetter, bBetter, indistinguishable
    }

    /// Standard errors of the gap needed to call a difference (2 by default).
    public static let standardErrors = 2.0

    /// The rule in words, for the page.
    public static let rule = "A is called better than B only when the gap between the two means is larger than twice the standard error of that gap, sqrt(se_A² + se_B²), where se = sd / sqrt(n); a method that diverged in more runs is worse whatever its mean; everything else is reported as indistinguishable in these runs."

    /// The verdict of the rule for summaries `a` and `b`.
    public static func verdict(_ a: RunSummary, _ b: RunSummary, better: Better, k: Double = standardErrors) -> Verdict {
        if a.nonFiniteCount != b.nonFiniteCount {
            return a.nonFiniteCount < b.nonFiniteCount ? .aBetter : .bBetter
        }
        if a.finiteValues.isEmpty { return .indistinguishable }
        let gap = a.mean - b.mean
        let se = (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot()
        if !(abs(gap) > k * se) { return .indistinguishable }
        let aLower = gap < 0
        return (aLower == (better == .lower)) ? .aBetter : .bBetter
    }

    /// `0.2431 ± 0.0004` (mean ± sd) or `diverged in 2 of 3 runs` style text.
    public static func describe(_ s: RunSummary, format: String = "%.4f") -> String {
        let spread = s.finiteValues.isEmpty ? "no finite run"
            : "\(CFormat.format(format, s.mean)) ± \(CFormat.format(format, s.standardDeviation))"
        return s.nonFiniteCount == 0 ? spread : "\(spread), diverged in \(s.nonFiniteCount) of \(s.runs) runs"
    }

    /// One sentence comparing `nameA` with `nameB` on `metric`.
    public static func compare(_ nameA: String, _ a: RunSummary, _ nameB: String, _ b: RunSummary,
                               metric: String, better: Better, format: String = "%.4f") -> String {
        // The numbers follow the order in which the sentence names the two methods.
        func numbers(_ x: RunSummary, _ y: RunSummary) -> String {
            "\(describe(x, format: format)) against \(describe(y, format: format)), mean ± sd over \(x.runs) and \(y.runs) seeds"
        }
        let word = better == .lower ? "lower" : "higher"
        switch verdict(a, b, better: better) {
        case .aBetter: return "\(nameA) reaches a \(word) \(metric) than \(nameB) (\(numbers(a, b)))."
        case .bBetter: return "\(nameB) reaches a \(word) \(metric) than \(nameA) (\(numbers(b, a)))."
        case .indistinguishable: return "\(nameA) and \(nameB) are indistinguishable in these runs on \(metric) (\(numbers(a, b)))."
        }
    }

    /// `Adam learned in 3 of 3 runs (final loss below 0.25).`
    public static func learned(_ name: String, _ s: RunSummary, criterion: String,
                               _ meets: (Double) -> Bool) -> String {
        "\(name) learned in \(s.count(where: meets)) of \(s.runs) runs (\(criterion))."
    }
}
