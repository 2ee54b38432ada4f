@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing

/// Clipping by global norm when the norm is not a finite number, checked against what
/// `torch.nn.utils.clip_grad_norm_` and optax's `clip_by_global_norm` compute: the gradient
/// is multiplied by `maxNorm / norm` whenever the norm is not at most `maxNorm`, so a NaN
/// anywhere makes every coordinate NaN, and an infinite norm turns finite coordinates into
/// zeros and infinite ones into NaN. Nothing takes a step on the finite part as if all
/// were well.
@Suite struct ClippedByNormNonFiniteTests {
    @Test func aNaNCoordinateMakesTheWholeStepNaN() {
        let opt = ClippedByNorm(maxNorm: 1, base: SGD(learningRate: 0.1))
        var w = [1.0, 2.0, 3.0]
        var s = opt.initialState(count: 3)
        opt.update(&w, gradient: [0.5, .nan, 0.25], state: &s)
        #expect(s.lastNorm.isNaN)
        #expect(w.allSatisfy { $0.isNaN }, "\(w)")
        #expect(s.clippedSteps == 1)
    }

    @Test func anInfiniteCoordinateZeroesTheFiniteOnes() {
        let opt = ClippedByNorm(maxNorm: 1, base: SGD(learningRate: 0.1))
        var w = [1.0, 2.0]
        var s = opt.initialState(count: 2)
        opt.update(&w, gradient: [.infinity, 3], state: &s)
        #expect(s.lastNorm == .infinity)
        // scale = 1 / inf = 0: inf * 0 is NaN, 3 * 0 is 0.
        #expect(w[0].isNaN)
        #expect(w[1] == 2)
    }

    /// The adaptive state sees the NaN too, as it would in torch or optax.
    @Test func adamStateBecomesNaN() {
        let opt = ClippedByNorm(maxNorm: 1, base: Adam(learningRate: 0.01))
        var w = [1.0, 2.0]
        var s = opt.initialState(count: 2)
        opt.update(&w, gradient: [.nan, 1], state: &s)
        #expect(w.allSatisfy { $0.isNaN }, "\(w)")
    }
}
