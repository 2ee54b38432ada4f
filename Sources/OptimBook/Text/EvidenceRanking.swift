import OptimKit
import OptimNotebook

/// Which of several methods measured over the same seeds comes out on top, decided by
/// `EvidenceSentence.verdict` (the page's stated rule) and not by the raw ordering of means.
///
/// The leader is the method with the fewest non-finite runs and, among those, the best mean.
/// Every other method is then put in one of two groups: `separated` (the rule calls the
/// leader better) or `tied` (the rule cannot tell it from the leader).
///
/// ```swift
/// let r = EvidenceRanking([("A", a), ("B", b), ("C", c)], better: .higher)
/// r.leader     // "A"
/// r.tied       // ["B"] when the gap to B is within two standard errors
/// r.sentence(metric: "held-out accuracy", format: "%.3f")
/// ```
public struct EvidenceRanking: Sendable {
    public let leader: String
    public let leaderSummary: RunSummary
    /// Methods the rule places below the leader, in the order given.
    public let separated: [String]
    /// Methods the rule cannot tell from the leader, in the order given.
    public let tied: [String]

    public init(_ entries: [(name: String, summary: RunSummary)], better: EvidenceSentence.Better) {
        if entries.isEmpty { misuse("EvidenceRanking: needs at least one method") }
        func key(_ s: RunSummary) -> Double {
            s.finiteValues.isEmpty ? -Double.infinity : (better == .higher ? s.mean : -s.mean)
        }
        var best = 0
        for i in entries.indices.dropFirst() {
            let a = entries[i].summary, b = entries[best].summary
            if a.nonFiniteCount < b.nonFiniteCount || (a.nonFiniteCount == b.nonFiniteCount && key(a) > key(b)) { best = i }
        }
        leader = entries[best].name
        leaderSummary = entries[best].summary
        var separated: [String] = [], tied: [String] = []
        for (i, e) in entries.enumerated() where i != best {
            if EvidenceSentence.verdict(entries[best].summary, e.summary, better: better) == .aBetter {
                separated.append(e.name)
            } else {
                tied.append(e.name)
            }
        }
        self.separated = separated
        self.tied = tied
    }

    /// `A, B and C`.
    public static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// One sentence: the leader on `metric` and what the rule says about the others.
    public func sentence(metric: String, format: String = "%.4f") -> String {
        let numbers = "\(EvidenceSentence.describe(leaderSummary, format: format)), mean ± sd over \(leaderSummary.runs) seeds"
        if separated.isEmpty && !tied.isEmpty {
            return "No method is ahead on \(metric) by the rule: \(leader) has the best mean (\(numbers)), but it is indistinguishable in these runs from \(Self.list(tied))."
        }
        var text = "\(leader) has the best \(metric) (\(numbers))"
        if !separated.isEmpty { text += "; by the rule it is ahead of \(Self.list(separated))" }
        if !tied.isEmpty { text += ", and indistinguishable in these runs from \(Self.list(tied))" }
        return text + "."
    }
}
