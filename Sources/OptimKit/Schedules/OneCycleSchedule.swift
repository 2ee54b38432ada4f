import Foundation

/// The one-cycle policy (Smith and Topin 2019), in PyTorch's `OneCycleLR` form: one
/// climb from a low rate to `maxLR`, then a long descent far below the start.
///
/// With `a = maxLR / divFactor`, `z = a / finalDivFactor`, `p = pctStart · T − 1`
/// (end of the climb) and `q = T − 1` (last step):
/// ```
/// t ≤ p:  η_t = anneal(a, maxLR, t / p)
/// t > p:  η_t = anneal(maxLR, z, min(1, (t − p) / (q − p)))
/// cosine anneal(u, v, f) = v + (u − v) (1 + cos(π f)) / 2;  linear: u + (v − u) f
/// ```
///
/// - `maxLR`: no default. `totalSteps` T: no default (≥ 2).
/// - `pctStart`: fraction of steps spent climbing, default 0.3.
/// - `divFactor`: default 25. `finalDivFactor`: default 1e4.
/// - `annealing`: `.cosine` (default) or `.linear`.
///
/// ```swift
/// let s = OneCycleSchedule(maxLR: 1, totalSteps: 101, pctStart: 0.3)
/// s(0)     // 0.04
/// s(29)    // ≈ 1 (the peak sits at step p = 29.3, between 29 and 30)
/// s(100)   // 4e-6
/// ```
public struct OneCycleSchedule: LearningRateSchedule, Equatable {
    public enum Annealing: String, Sendable, Codable, Equatable { case cosine, linear }

    public var maxLR: Double
    public var totalSteps: Int
    public var pctStart: Double
    public var divFactor: Double
    public var finalDivFactor: Double
    public var annealing: Annealing

    public init(maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, divFactor: Double = 25,
                finalDivFactor: Double = 1e4, annealing: Annealing = .cosine) {
        requireValid(totalSteps >= 2, "OneCycleSchedule: totalSteps must be at least 2, got \(totalSteps)")
        requireValid(pctStart > 0 && pctStart < 1, "OneCycleSchedule: pctStart must be in (0, 1), got \(pctStart)")
        requireValid(pctStart * Double(totalSteps) - 1 > 0 && pctStart * Double(totalSteps) - 1 < Double(totalSteps - 1),
                     "OneCycleSchedule: the climb (pctStart × totalSteps − 1 = \(pctStart * Double(totalSteps) - 1) steps) "
                     + "must cover at least one step and end before the last, got pctStart \(pctStart), totalSteps \(totalSteps)")
        self.maxLR = maxLR
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.annealing = annealing
    }

    public var initialLR: Double { maxLR / divFactor }
    public var minimumLR: Double { initialLR / finalDivFactor }

    func anneal(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
        switch annealing {
        case .cosine: return end + (start - end) * (1 + cos(Double.pi * fraction)) / 2
        case .linear: return start + (end - start) * fraction
        }
    }

    public func callAsFunction(_ step: Int) -> Double {
        let t = Double(max(step, 0))
        let peak = pctStart * Double(totalSteps) - 1
        let last = Double(totalSteps - 1)
        if t <= peak { return anneal(initialLR, maxLR, t / peak) }
        return anneal(maxLR, minimumLR, min(1, (t - peak) / (last - peak)))
    }
}
