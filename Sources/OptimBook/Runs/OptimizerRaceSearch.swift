import OptimKit
import OptimNotebook
import Foundation

/// How a race's learning-rate search scores one run; lower scores are better.
///
/// - `finalValue`: f at the point where the run stopped (after the race's steps).
/// - `firstStepAtOrBelow(v)`: the first step at which f ≤ v; a run that never gets there
///   scores `steps + 1`.
///
/// A run whose path leaves the finite numbers scores +∞ and can never be chosen.
public enum RaceCriterion: Sendable, Equatable {
    case finalValue
    case firstStepAtOrBelow(Double)

    /// The criterion in words, for the page.
    public var description: String {
        switch self {
        case .finalValue: return "the lowest f at the point where the run stops"
        case .firstStepAtOrBelow(let v): return "the fewest steps until f ≤ \(CFormat.format("%g", v))"
        }
    }

    /// The column header of the search table.
    public var columnName: String {
        switch self {
        case .finalValue: return "final f"
        case .firstStepAtOrBelow(let v): return "first step with f ≤ \(CFormat.format("%g", v))"
        }
    }

    /// The score of `trace` on `objective` (lower is better, +∞ for a diverged run).
    public func score(_ trace: Trace2D, on objective: Objective2D) -> Double {
        if trace.diverged { return .infinity }
        switch self {
        case .finalValue:
            let value = objective.value(trace.final)
            return value.isFinite ? value : .infinity
        case .firstStepAtOrBelow(let threshold):
            let step = trace.points.firstIndex { objective.value($0) <= threshold }
            return Double(step ?? trace.steps + 1)
        }
    }

    /// A score as the search table prints it; for `firstStepAtOrBelow`, a run of `steps` steps
    /// that never got there (score `steps + 1`) prints as `>steps`, not as a step it never took.
    public func format(_ score: Double, steps: Int? = nil) -> String {
        guard score.isFinite else { return "diverged" }
        switch self {
        case .finalValue: return CFormat.format("%.3g", score)
        case .firstStepAtOrBelow:
            if let steps, score > Double(steps) { return ">\(steps)" }
            return CFormat.format("%.0f", score)
        }
    }
}

/// The one learning-rate search every optimizer of a race goes through: the same grid of
/// rates, the same criterion, one run per rate (the races are deterministic, so one trial per
/// grid value is the whole budget). Ties go to the smaller rate. Only η is searched; the
/// other hyperparameters stay at the values the entry names.
///
/// ```swift
/// let search = LearningRateSearch(grid: LearningRateSearch.logGrid(from: 1e-4, to: 10, perDecade: 4),
///                                 criterion: .finalValue)
/// let (tuned, table) = RaceSurface.rosenbrock.race.tuned(by: search)
/// ```
public struct LearningRateSearch: Sendable, Equatable {
    /// The rates tried, in increasing order.
    public let grid: [Double]
    public let criterion: RaceCriterion

    public init(grid: [Double], criterion: RaceCriterion) {
        if grid.isEmpty { misuse("LearningRateSearch: the grid is empty") }
        if grid.contains(where: { !($0 > 0) || !$0.isFinite }) { misuse("LearningRateSearch: every rate must be positive and finite") }
        if zip(grid, grid.dropFirst()).contains(where: { $0 >= $1 }) { misuse("LearningRateSearch: the grid must increase") }
        self.grid = grid
        self.criterion = criterion
    }

    /// 10^(k/perDecade) for every k with `from` ≤ 10^(k/perDecade) ≤ `to` (both powers of ten
    /// or grid points themselves), so the grid is evenly spaced on a log axis.
    public static func logGrid(from: Double, to: Double, perDecade: Int) -> [Double] {
        if !(from > 0) || !(to > from) || perDecade < 1 { misuse("logGrid needs 0 < from < to and perDecade ≥ 1") }
        let n = Double(perDecade)
        let first = Int((Foundation.log10(from) * n).rounded()), last = Int((Foundation.log10(to) * n).rounded())
        return (first...last).map { k in Foundation.pow(10, Double(k) / n) }
    }

    /// The grid in words: `21 rates from 0.0001 to 10, 4 per decade` style when it is a log grid.
    public var description: String {
        let lo = CFormat.format("%g", grid[0]), hi = CFormat.format("%g", grid[grid.count - 1])
        guard grid.count > 2 else { return "\(grid.count) rates from \(lo) to \(hi)" }
        let perDecade = Double(grid.count - 1) / Foundation.log10(grid[grid.count - 1] / grid[0])
        return "\(grid.count) rates from \(lo) to \(hi), evenly spaced on a log scale (\(CFormat.format("%.0f", perDecade)) per decade)"
    }
}

/// What the search found for one entry of a race: the score at every grid rate and the choice.
public struct RaceTuning: Sendable {
    public let label: String
    /// `scores[i]` belongs to `search.grid[i]`.
    public let scores: [Double]
    /// The chosen rate's index in the grid, nil when every rate diverged.
    public let chosenIndex: Int?
    public let search: LearningRateSearch
    /// The steps of each search run (a `firstStepAtOrBelow` score above it means "not reached").
    public var steps: Int? = nil

    public var chosenRate: Double? { chosenIndex.map { search.grid[$0] } }

    /// The lowest score, ties to the smaller rate; nil when nothing finite.
    static func choose(_ scores: [Double]) -> Int? {
        var best: Int?
        for (i, s) in scores.enumerated() where s.isFinite {
            if best == nil || s < scores[best!] { best = i }
        }
        return best
    }
}

extension OptimizerRace {
    /// Runs `search` for every entry and returns the race with each entry at its chosen rate,
    /// plus the search results. Every entry must be built with a rate factory.
    public func tuned(by search: LearningRateSearch) -> (race: OptimizerRace, tuning: [RaceTuning]) {
        var tuned = self
        var tuning: [RaceTuning] = []
        tuned.entries = entries.map { entry in
            guard let make = entry.withRate else {
                misuse("OptimizerRace.tuned: entry '\(entry.label)' has a fixed optimizer; build it with a rate factory to tune it")
            }
            let scores = search.grid.map { rate in
                search.criterion.score(make(rate).runner(objective, steps, start), on: objective)
            }
            let choice = RaceTuning.choose(scores)
            tuning.append(RaceTuning(label: entry.label, scores: scores, chosenIndex: choice, search: search, steps: steps))
            // An entry for which every rate diverged keeps its own rate (the table says so).
            return choice.map { make(search.grid[$0]) } ?? entry
        }
        return (tuned, tuning)
    }

    /// The search table: one row per grid rate, one column per optimizer, the chosen rate's
    /// score marked with `*`.
    public static func searchTable(_ tuning: [RaceTuning]) -> (header: [String], rows: [[NotebookText]]) {
        guard let search = tuning.first?.search else { return (["η"], []) }
        let header = ["η"] + tuning.map(\.label)
        let rows = search.grid.indices.map { i -> [NotebookText] in
            [NotebookText(CFormat.format("%.3g", search.grid[i]))] + tuning.map { t in
                NotebookText(search.criterion.format(t.scores[i], steps: t.steps) + (t.chosenIndex == i ? " *" : ""))
            }
        }
        return (header, rows)
    }

    /// `sgd η = 0.00178, momentum η = 0.000316, …` for the page.
    public static func chosenRates(_ tuning: [RaceTuning]) -> String {
        tuning.map { t in "\(t.label) η = \(t.chosenRate.map { CFormat.format("%.3g", $0) } ?? "none (every rate diverged)")" }
            .joined(separator: ", ")
    }
}
