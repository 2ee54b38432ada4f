@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// Two steps of every optimizer on a 2-element vector, each compared with the update
/// rule written out by hand in the test (same operation order, so equality is exact).
@Suite struct OptimizerTests {
    let w0 = [1.0, -2.0]
    let g1 = [0.5, -4.0]
    let g2 = [-0.25, 3.0]

    func twoSteps<O: Optimizer>(_ o: O) -> (after1: [Double], after2: [Double], state: O.State) {
        var w = w0
        var s = o.initialState(count: 2)
        o.update(&w, gradient: g1, state: &s)
        let after1 = w
        o.update(&w, gradient: g2, state: &s)
        return (after1, w, s)
    }

    @Test func sgd() {
        let r = twoSteps(SGD(learningRate: 0.1))
        for i in 0..<2 {
            let a = w0[i] - 0.1 * g1[i]
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - 0.1 * g2[i])
        }
    }

    @Test func momentum() {
        let (lr, beta) = (0.1, 0.9)
        let r = twoSteps(Momentum(learningRate: lr, momentum: beta))
        for i in 0..<2 {
            let v1 = g1[i]
            let a = w0[i] - lr * v1
            let v2 = beta * v1 + g2[i]
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - lr * v2)
            #expect(r.state.velocity[i] == v2)
        }
    }

    @Test func nesterov() {
        let (lr, beta) = (0.1, 0.9)
        let r = twoSteps(Nesterov(learningRate: lr, momentum: beta))
        for i in 0..<2 {
            let v1 = g1[i]
            let a = w0[i] - lr * (g1[i] + beta * v1)
            let v2 = beta * v1 + g2[i]
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - lr * (g2[i] + beta * v2))
        }
        // Concretely: w = 1, g = 0.5 -> v = 0.5, step 0.1 * 0.95.
        #expect(abs(r.after1[0] - 0.905) < 1e-15)
    }

    @Test func adagrad() {
        let (lr, eps) = (0.4, 1e-6)
        let r = twoSteps(AdaGrad(learningRate: lr))
        for i in 0..<2 {
            let s1 = g1[i] * g1[i]
            let a = w0[i] - lr / (s1 + eps).squareRoot() * g1[i]
            let s2 = s1 + g2[i] * g2[i]
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - lr / (s2 + eps).squareRoot() * g2[i])
            #expect(r.state.sumOfSquares[i] == s2)
        }
        let outside = twoSteps(AdaGrad(learningRate: lr, epsilon: 1e-10, epsilonPlacement: .outsideRoot))
        let s1 = g1[0] * g1[0]
        #expect(outside.after1[0] == w0[0] - lr / (s1.squareRoot() + 1e-10) * g1[0])
    }

    @Test func rmsprop() {
        let (lr, gamma, eps) = (0.01, 0.9, 1e-6)
        let r = twoSteps(RMSProp(learningRate: lr, gamma: gamma))
        for i in 0..<2 {
            let s1 = gamma * 0 + (1 - gamma) * (g1[i] * g1[i])
            let a = w0[i] - lr / (s1 + eps).squareRoot() * g1[i]
            let s2 = gamma * s1 + (1 - gamma) * (g2[i] * g2[i])
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - lr / (s2 + eps).squareRoot() * g2[i])
        }
    }

    @Test func adadelta() {
        let (rho, eps) = (0.9, 1e-5)
        let r = twoSteps(AdaDelta(rho: rho))
        for i in 0..<2 {
            let s1 = (1 - rho) * (g1[i] * g1[i])
            let u1 = ((0 + eps).squareRoot() / (s1 + eps).squareRoot()) * g1[i]
            let d1 = (1 - rho) * u1 * u1
            let a = w0[i] - u1
            let s2 = rho * s1 + (1 - rho) * (g2[i] * g2[i])
            let u2 = ((d1 + eps).squareRoot() / (s2 + eps).squareRoot()) * g2[i]
            let d2 = rho * d1 + (1 - rho) * u2 * u2
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == a - u2)
            #expect(r.state.meanSquareUpdate[i] == d2)
            #expect(r.state.meanSquareGradient[i] == s2)
        }
        // The first step is tiny: sqrt(eps / s) in size, the reason Adadelta starts slowly.
        #expect(abs(r.after1[0] - w0[0]) < 0.01)
    }

    @Test func adam() {
        let (lr, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-6)
        let r = twoSteps(Adam(learningRate: lr))
        for i in 0..<2 {
            let v1 = (1 - b1) * g1[i], s1 = (1 - b2) * (g1[i] * g1[i])
            let a = w0[i] - lr * (v1 / (1 - b1)) / ((s1 / (1 - b2)).squareRoot() + eps)
            let v2 = b1 * v1 + (1 - b1) * g2[i], s2 = b2 * s1 + (1 - b2) * (g2[i] * g2[i])
            let b = a - lr * (v2 / (1 - b1 * b1)) / ((s2 / (1 - b2 * b2)).squareRoot() + eps)
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == b)
        }
        #expect(r.state.step == 2)
        // Adam's first step is about lr * sign(g): the bias correction makes v̂ = g, ŝ = g².
        #expect(abs(abs(r.after1[0] - w0[0]) - 0.01) < 1e-7)
    }

    @Test func yogi() {
        let (lr, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-3)
        let r = twoSteps(Yogi(learningRate: lr))
        for i in 0..<2 {
            let q1 = g1[i] * g1[i], q2 = g2[i] * g2[i]
            let v1 = (1 - b1) * g1[i]
            let s1 = 0 + (1 - b2) * 1 * q1                  // g² > s = 0
            let a = w0[i] - lr * (v1 / (1 - b1)) / ((s1 / (1 - b2)).squareRoot() + eps)
            let v2 = b1 * v1 + (1 - b1) * g2[i]
            let sign: Double = q2 > s1 ? 1 : -1
            let s2 = s1 + (1 - b2) * sign * q2
            let b = a - lr * (v2 / (1 - b1 * b1)) / ((s2 / (1 - b2 * b2)).squareRoot() + eps)
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == b)
            #expect(r.state.secondMoment[i] == s2)
        }
    }

    @Test func yogiShrinksSecondMomentWhenGradientIsSmall() {
        let yogi = Yogi(learningRate: 0.01)
        var w = [0.0]
        var s = Adam.State(step: 5, firstMoment: [0], secondMoment: [4])
        yogi.update(&w, gradient: [1], state: &s)   // g² = 1 < s = 4: s decreases by 0.001 * 1
        let expected: Double = 4.0 + (1.0 - 0.999) * -1.0 * 1.0
        #expect(s.secondMoment[0] == expected)
    }

    @Test func amsgrad() {
        let (lr, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-6)
        let r = twoSteps(AMSGrad(learningRate: lr))
        for i in 0..<2 {
            let v1 = (1 - b1) * g1[i], s1 = (1 - b2) * (g1[i] * g1[i])
            let m1 = max(0, s1)
            let a = w0[i] - lr * (v1 / (1 - b1)) / ((m1 / (1 - b2)).squareRoot() + eps)
            let v2 = b1 * v1 + (1 - b1) * g2[i], s2 = b2 * s1 + (1 - b2) * (g2[i] * g2[i])
            let m2 = max(m1, s2)
            let b = a - lr * (v2 / (1 - b1 * b1)) / ((m2 / (1 - b2 * b2)).squareRoot() + eps)
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == b)
        }
        // The first step coincides with Adam's.
        #expect(r.after1 == twoSteps(Adam(learningRate: lr)).after1)
        // The running maximum never decreases.
        #expect(r.state.maxSecondMoment[1] >= r.state.secondMoment[1])
    }

    @Test func adamax() {
        let (lr, b1, b2, eps) = (0.002, 0.9, 0.999, 1e-8)
        let r = twoSteps(AdaMax())
        for i in 0..<2 {
            let v1 = (1 - b1) * g1[i]
            let u1 = max(0, abs(g1[i]) + eps)
            let a = w0[i] - (lr / (1 - b1)) * v1 / u1
            let v2 = b1 * v1 + (1 - b1) * g2[i]
            let u2 = max(b2 * u1, abs(g2[i]) + eps)
            let b = a - (lr / (1 - b1 * b1)) * v2 / u2
            #expect(r.after1[i] == a)
            #expect(r.after2[i] == b)
        }
    }

    @Test func clippingLeavesSmallGradientsAlone() {
        let base = Adam(learningRate: 0.01)
        let clipped = twoSteps(ClippedByNorm(maxNorm: 100, base: base))
        let plain = twoSteps(base)
        #expect(clipped.after1 == plain.after1)
        #expect(clipped.after2 == plain.after2)
        #expect(clipped.state.clippedSteps == 0)
        #expect(clipped.state.base == plain.state)
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let opt = ClippedByNorm(maxNorm: 1, base: SGD(learningRate: 0.1))
        var w = [0.0, 0.0]
        var s = opt.initialState(count: 2)
        opt.update(&w, gradient: [3, 4], state: &s)
        #expect(s.lastNorm == 5)
        #expect(s.clippedSteps == 1)
        #expect(abs(w[0] + 0.06) < 1e-15 && abs(w[1] + 0.08) < 1e-15)
        // A schedule sets the base optimizer's rate through the wrapper.
        var scheduled = opt
        scheduled.learningRate = 0.5
        #expect(scheduled.base.learningRate == 0.5)
    }

    @Test func integerPowerMatchesRepeatedMultiplicationClosely() {
        var p = 1.0
        for t in 0..<200 {
            #expect(abs(integerPower(0.999, t) - p) <= 1e-13)
            #expect(integerPower(0.5, t) == Foundation.pow(0.5, Double(t)))   // exact powers of two
            p *= 0.999
        }
    }
}

/// Saving optimizer state and resuming must give the same run, bit for bit.
@Suite struct OptimizerStateTests {
    func gradients(_ count: Int) -> [[Double]] {
        var rng = SeededGenerator(seed: 7)
        return (0..<count).map { _ in rng.normals(3) }
    }

    func checkResume<O: Optimizer>(_ optimizer: O) throws {
        let grads = gradients(20)
        let start = [0.5, -1.5, 2.0]
        // Uninterrupted.
        var w = start
        var s = optimizer.initialState(count: 3)
        for g in grads { optimizer.update(&w, gradient: g, state: &s) }
        // Ten steps, save everything as JSON, restore into fresh values, ten more.
        var w2 = start
        var s2 = optimizer.initialState(count: 3)
        for g in grads.prefix(10) { optimizer.update(&w2, gradient: g, state: &s2) }
        let savedState = try JSONEncoder().encode(s2)
        let savedOptimizer = try JSONEncoder().encode(optimizer)
        let savedParams = try JSONEncoder().encode(w2)
        let restoredOptimizer = try JSONDecoder().decode(O.self, from: savedOptimizer)
        var restoredState = try JSONDecoder().decode(O.State.self, from: savedState)
        var restoredParams = try JSONDecoder().decode([Double].self, from: savedParams)
        #expect(restoredOptimizer == optimizer)
        #expect(restoredState == s2)
        for g in grads.suffix(10) { restoredOptimizer.update(&restoredParams, gradient: g, state: &restoredState) }
        #expect(restoredParams == w, "\(O.self)")
        #expect(restoredState == s, "\(O.self)")
    }

    @Test func resumeEqualsUninterruptedRun() throws {
        try checkResume(SGD(learningRate: 0.1))
        try checkResume(Momentum(learningRate: 0.1, momentum: 0.9))
        try checkResume(Nesterov(learningRate: 0.1))
        try checkResume(AdaGrad(learningRate: 0.1))
        try checkResume(RMSProp(learningRate: 0.01))
        try checkResume(AdaDelta())
        try checkResume(Adam(learningRate: 0.01))
        try checkResume(Yogi(learningRate: 0.01))
        try checkResume(AMSGrad(learningRate: 0.01))
        try checkResume(AdaMax())
        try checkResume(ClippedByNorm(maxNorm: 1, base: Adam(learningRate: 0.01)))
    }

    @Test func adamStateCarriesTheStepCounter() throws {
        let adam = Adam(learningRate: 0.01)
        var w = [1.0, 1.0, 1.0]
        var s = adam.initialState(count: 3)
        for g in gradients(3) { adam.update(&w, gradient: g, state: &s) }
        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        #expect(json.contains("\"step\":3"))
    }
}
