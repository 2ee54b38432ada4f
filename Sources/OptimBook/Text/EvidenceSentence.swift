import OptimKit
import OptimNotebook

/// Comparative sentences chosen by the numbers, under a rule the page states.
///
/// The rule (`EvidenceSentence.rule` prints it) is Welch's t test at the two-sided 95 % level
/// (`WelchTest`): A and B are called different only when the gap between their means exceeds
/// `t₀.₉₇₅(ν) · sqrt(se_A² + se_B²)`, with `se = sd / sqrt(n)` and `ν` the Welch–Satterthwaite
/// degrees of freedom (t = 4.303 for ν = 2, 2.776 for ν = 4: with three to five seeds the bar is
/// about twice as high as the "two standard errors" it replaces). A method with more diverged
/// (non-finite) runs is worse whatever its mean; a side with fewer than two finite runs cannot
/// be tested and is reported as indistinguishable.
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

    /// The fixed multiplier of the earlier rule ("two standard errors"), kept so that a page can
    /// show what that rule would have said: pass it as `k` to `verdict`.
    public static let standardErrors = 2.0

    /// The rule in words, for the page.
    public static let rule = "A is called better than B only when Welch's t test rejects equal means at the 95% level, that is when the gap between the two means exceeds t · sqrt(se_A² + se_B²), with se = sd / sqrt(n) and t the two-sided 95% critical value of Student's t at the Welch–Satterthwaite degrees of freedom, rounded down to the conservative side (4.30 for 2 degrees of freedom, 2.78 for 4, 1.96 for very many); a method that diverged (a non-finite result) in more runs is worse whatever its mean, and everything else, including any comparison with fewer than two finite runs on a side, is reported as indistinguishable in these runs."

    /// The verdict of the rule for summaries `a` and `b`.
    ///
    /// - Parameter k: nil (the default) applies the rule above. A number replaces Student's t by
    ///   that fixed multiple of the standard error of the gap (`k = 2` is the earlier, more lenient
    ///   rule); pages use it only to show which verdicts the choice of rule decides.
    public static func verdict(_ a: RunSummary, _ b: RunSummary, better: Better, k: Double? = nil) -> Verdict {
        if a.nonFiniteCount != b.nonFiniteCount {
            return a.nonFiniteCount < b.nonFiniteCount ? .aBetter : .bBetter
        }
        guard let test = WelchTest(a, b) else { return .indistinguishable }
        let threshold = k.map { $0 * test.standardError } ?? test.threshold
        if !(abs(test.gap) > threshold) { return .indistinguishable }
        let aLower = test.gap < 0
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
