/// The moment bookkeeping Adam, Yogi, AMSGrad and AdaMax share, written once.
///
/// With the step counter `t` (1 for the first update):
/// ```
/// v ← β₁ v + (1 − β₁) g                          first moment (all four)
/// s ← β₂ s + (1 − β₂) g²                         Adam's and AMSGrad's second moment
/// s ← s + (1 − β₂) sign(g² − s) g²               Yogi's second moment
/// step = η (v / (1 − β₁ᵗ)) / denominator(s / (1 − β₂ᵗ), ε)
/// ```
/// Each method keeps the book's operation order, so the optimizers built on it reproduce
/// the book's numbers bit for bit. The corrections use `integerPower`, not `pow`, so they
/// are the same on every platform.
///
/// ```swift
/// let m = MomentEstimates(beta1: 0.9, beta2: 0.999, step: 1)
/// m.firstMoment(0, 4)    // 0.4 (and v̂ = 0.4 / 0.1 = 4)
/// ```
struct MomentEstimates {
    // cell: adam-moments
    let beta1: Double
    let beta2: Double
    /// `1 − β₁ᵗ` and `1 − β₂ᵗ`.
    let firstCorrection: Double
    let secondCorrection: Double

    @inline(__always)
    init(beta1: Double, beta2: Double, step: Int) {
        self.beta1 = beta1
        self.beta2 = beta2
        firstCorrection = 1 - integerPower(beta1, step)
        secondCorrection = 1 - integerPower(beta2, step)
    }

    @inline(__always)
    func firstMoment(_ v: Double, _ g: Double) -> Double { beta1 * v + (1 - beta1) * g }

    @inline(__always)
    func secondMoment(_ s: Double, _ g: Double) -> Double { beta2 * s + (1 - beta2) * (g * g) }

    /// The bias-corrected step `η v̂ / denominator(ŝ, ε)`.
    @inline(__always)
    func step(learningRate: Double, _ v: Double, _ s: Double, epsilon: Double, placement: EpsilonPlacement) -> Double {
        let vHat = v / firstCorrection
        let sHat = s / secondCorrection
        return learningRate * vHat / placement.denominator(sHat, epsilon)
    }
    // end cell

    // cell: yogi-second-moment
    /// Yogi's additive update: `s` moves towards `g²` by at most `(1 − β₂) g²`.
    @inline(__always)
    func yogiSecondMoment(_ s: Double, _ g: Double) -> Double {
        let g2 = g * g
        let difference = g2 - s
        let sign: Double = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
        // The book's order: s + (1 - beta2) * sign(...) * g**2.
        return s + (1 - beta2) * sign * g2
    }
    // end cell
}
