@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing
import Foundation

/// L2 penalty vs decoupled weight decay, AdamW, and Adam without bias correction: first
/// steps computed by hand, the identities that hold between them, and their validation.
@Suite struct WeightDecayTests {
    @Test func addedWeightDecayAddsTheL2GradientBeforeTheBaseStep() {
        // w = 2, g = 1, λ = 0.1, η = 0.5: g + λw = 1.2, w = 2 − 0.6 = 1.4.
        let sgd = AddedWeightDecay(weightDecay: 0.1, base: SGD(learningRate: 0.5))
        var w = [2.0]
        var s = sgd.initialState(count: 1)
        sgd.update(&w, gradient: [1.0], state: &s)
        #expect(abs(w[0] - 1.4) < 1e-15)

        // Under Adam the first step is η · ĝ/|ĝ| with ĝ = g + λw: w = [1, −3], g = [0.5, 0.1],
        // λ = 0.2: ĝ = [0.7, −0.5], so each coordinate moves by η (1 − tiny) against sign(ĝ).
        let adam = AddedWeightDecay(weightDecay: 0.2, base: Adam(learningRate: 0.01))
        var v = [1.0, -3.0]
        var state = adam.initialState(count: 2)
        adam.update(&v, gradient: [0.5, 0.1], state: &state)
        #expect(abs(v[0] - (1 - 0.01 * 0.7 / (0.7 + 1e-6))) < 1e-15)
        #expect(abs(v[1] - (-3 + 0.01 * 0.5 / (0.5 + 1e-6))) < 1e-15)
        #expect(state.step == 1)
        #expect(abs(state.firstMoment[0] - 0.07) < 1e-15)   // the moments see the penalised gradient
    }

    @Test func decoupledWeightDecayShrinksThenStepsWithTheRawGradient() {
        // w = 2, g = 1, λ = 0.1, η = 0.5: w = 2 · (1 − 0.05) − 0.5 = 1.4.
        let sgdw = DecoupledWeightDecay(weightDecay: 0.1, base: SGD(learningRate: 0.5))
        var w = [2.0]
        var s = sgdw.initialState(count: 1)
        sgdw.update(&w, gradient: [1.0], state: &s)
        #expect(abs(w[0] - 1.4) < 1e-15)
    }

    @Test func adamWFirstStepByHand() {
        // w = [1, −2], g = [4, −0.5], η = 0.01, λ = 0.1: decay factor 1 − 0.001 = 0.999, then Adam's
        // first step moves each coordinate by η |g| / (|g| + ε) against sign(g).
        let adamw = AdamW(learningRate: 0.01, weightDecay: 0.1)
        var w = [1.0, -2.0]
        var s = adamw.initialState(count: 2)
        adamw.update(&w, gradient: [4, -0.5], state: &s)
        #expect(abs(w[0] - (0.999 - 0.01 * 4 / (4 + 1e-6))) < 1e-15)
        #expect(abs(w[1] - (-1.998 + 0.01 * 0.5 / (0.5 + 1e-6))) < 1e-15)
        #expect(s.step == 1)
        #expect(abs(s.firstMoment[0] - 0.4) < 1e-15 && abs(s.firstMoment[1] + 0.05) < 1e-15)
        #expect(abs(s.secondMoment[1] - 0.00025) < 1e-18)
    }

    /// A gradient sequence that changes sign and scale, for multi-step comparisons.
    static func gradients(_ t: Int, _ w: [Double]) -> [Double] {
        [2 * w[0] + sin(Double(t)), 0.1 * w[1] - 3 * cos(0.5 * Double(t)), w[2] * w[2] - 1]
    }

    @Test func adamWWithoutDecayIsAdamBitForBit() {
        let adam = Adam(learningRate: 0.05)
        let adamw = AdamW(learningRate: 0.05, weightDecay: 0)
        var a = [1.0, -2.0, 0.5], b = a
        var sa = adam.initialState(count: 3), sb = adamw.initialState(count: 3)
        for t in 1...200 {
            adam.update(&a, gradient: Self.gradients(t, a), state: &sa)
            adamw.update(&b, gradient: Self.gradients(t, b), state: &sb)
        }
        #expect(a == b)
        #expect(sa == sb)
    }

    @Test func adamWIsDecoupledDecayAroundAdam() {
        let adamw = AdamW(learningRate: 0.05, weightDecay: 0.3)
        let wrapped = DecoupledWeightDecay(weightDecay: 0.3, base: Adam(learningRate: 0.05))
        var a = [1.0, -2.0, 0.5], b = a
        var sa = adamw.initialState(count: 3), sb = wrapped.initialState(count: 3)
        for t in 1...200 {
            adamw.update(&a, gradient: Self.gradients(t, a), state: &sa)
            wrapped.update(&b, gradient: Self.gradients(t, b), state: &sb)
        }
        for i in a.indices { #expect(a[i] == b[i]) }   // same operations in the same order
    }

    @Test func l2AndDecoupledDecayCoincideUnderSGDButNotUnderAdam() {
        func run<O: Optimizer>(_ opt: O) -> [Double] {
            var w = [1.0, -2.0, 0.5]
            var s = opt.initialState(count: 3)
            for t in 1...300 { opt.update(&w, gradient: Self.gradients(t, w), state: &s) }
            return w
        }
        let l2SGD = run(AddedWeightDecay(weightDecay: 0.2, base: SGD(learningRate: 0.05)))
        let decoupledSGD = run(DecoupledWeightDecay(weightDecay: 0.2, base: SGD(learningRate: 0.05)))
        for i in l2SGD.indices { #expect(abs(l2SGD[i] - decoupledSGD[i]) < 1e-12) }
        let l2Adam = run(AddedWeightDecay(weightDecay: 0.2, base: Adam(learningRate: 0.05)))
        let adamW = run(AdamW(learningRate: 0.05, weightDecay: 0.2))
        #expect(zip(l2Adam, adamW).map { abs($0 - $1) }.max()! > 0.01)
    }

    @Test func adamWithoutBiasCorrectionFirstStepByHand() {
        // g = 4: v = 0.4, s = 0.016, step = η · 0.4 / (sqrt(0.016) + ε) ≈ 3.16 η.
        let opt = AdamWithoutBiasCorrection(learningRate: 0.01)
        var w = [1.0]
        var s = opt.initialState(count: 1)
        opt.update(&w, gradient: [4], state: &s)
        let expected = 1 - 0.01 * (0.1 * 4) / ((0.001 * 16).squareRoot() + 1e-6)
        #expect(abs(w[0] - expected) < 1e-15)
        #expect(abs((1 - w[0]) / 0.01 - 0.1 / 0.001.squareRoot()) < 1e-4)   // √1000 / 10 ≈ 3.16 (ε shifts the 5th digit)
    }

    @Test func biasCorrectionOnlyMattersEarly() {
        // Steady gradient: the uncorrected step over the corrected one is (1 − β₁ᵗ)/sqrt(1 − β₂ᵗ).
        let corrected = Adam(learningRate: 0.001, epsilon: 1e-12)
        let plain = AdamWithoutBiasCorrection(learningRate: 0.001, epsilon: 1e-12)
        var a = [0.0], b = [0.0]
        var sa = corrected.initialState(count: 1), sb = plain.initialState(count: 1)
        for t in 1...3000 {
            let (a0, b0) = (a[0], b[0])
            corrected.update(&a, gradient: [1], state: &sa)
            plain.update(&b, gradient: [1], state: &sb)
            let ratio = (b0 - b[0]) / (a0 - a[0])
            let predicted = (1 - pow(0.9, Double(t))) / (1 - pow(0.999, Double(t))).squareRoot()
            if [1, 12, 100, 3000].contains(t) { #expect(abs(ratio - predicted) < 1e-6, "t = \(t)") }
        }
    }

    @Test func badHyperparametersAreNamed() {
        #expect(AdamW.problems(learningRate: 0.01, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8).isEmpty)
        let problems = AdamW.problems(learningRate: -1, weightDecay: .nan, beta1: 1, beta2: -0.1, epsilon: 0)
        #expect(problems.count == 5)
        for name in ["learningRate", "weightDecay", "beta1", "beta2", "epsilon"] {
            #expect(problems.contains { $0.hasPrefix(name + " must") }, "no message for \(name)")
        }
        #expect(AddedWeightDecay<SGD>.problems(weightDecay: -0.1) == ["weightDecay must be finite and at least 0, got -0.1"])
        #expect(DecoupledWeightDecay<SGD>.problems(weightDecay: .infinity).count == 1)
        #expect(AdamWithoutBiasCorrection.problems(learningRate: 0.1, beta1: 0.9, beta2: 1, epsilon: 1e-6).count == 1)
    }

    @Test func wrappersForwardTheLearningRate() {
        var l2 = AddedWeightDecay(weightDecay: 0.1, base: Adam(learningRate: 0.01))
        l2.learningRate = 0.5
        #expect(l2.base.learningRate == 0.5)
        var decoupled = DecoupledWeightDecay(weightDecay: 0.1, base: SGD(learningRate: 0.01))
        decoupled.learningRate = 0.25
        #expect(decoupled.base.learningRate == 0.25)
        // The decay follows the rate: with η = 0 nothing moves.
        decoupled.learningRate = 0
        var w = [3.0]
        var s = decoupled.initialState(count: 1)
        decoupled.update(&w, gradient: [1], state: &s)
        #expect(w == [3.0])
    }

    @Test func stateRoundTripsThroughJSON() throws {
        let adamw = AdamW(learningRate: 0.01, weightDecay: 0.05)
        var w = [0.3, -0.7, 1.1]
        var s = adamw.initialState(count: 3)
        for t in 1...10 { adamw.update(&w, gradient: Self.gradients(t, w), state: &s) }
        let data = try JSONEncoder().encode(s)
        let back = try JSONDecoder().decode(AdamW.State.self, from: data)
        #expect(back == s)
        let opt = try JSONDecoder().decode(AdamW.self, from: try JSONEncoder().encode(adamw))
        #expect(opt == adamw)
    }
}
