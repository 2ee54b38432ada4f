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

@Suite struct ScheduleTests {
    @Test func squareRoot() {
        let s = SquareRootSchedule(learningRate: 1)
        #expect(s(0) == 1)
        #expect(s(3) == 0.5)
        #expect(s(15) == 0.25)
        #expect(abs(s(1) - 1 / 2.0.squareRoot()) <= 2.3e-16)
        #expect(SquareRootSchedule().learningRate == 0.1)
    }

    /// The book's stateful scheduler, transcribed, must agree bit for bit with the pure one.
    @Test func factorMatchesTheStatefulBookVersion() {
        final class BookFactorScheduler {
            var base: Double
            let factor: Double, stop: Double
            init(factor: Double, stop: Double, base: Double) { self.factor = factor; self.stop = stop; self.base = base }
            func callAsFunction(_ numUpdate: Int) -> Double {
                base = max(stop, base * factor)
                return base
            }
        }
        let book = BookFactorScheduler(factor: 0.9, stop: 1e-2, base: 2.0)
        let pure = FactorSchedule(factor: 0.9, stopFactorLR: 1e-2, baseLR: 2.0)
        let bookValues = (0..<50).map { book($0) }
        #expect(pure.values(0..<50) == bookValues)
        #expect(pure(0) == 2.0 * 0.9)
        #expect(pure(1) == 2.0 * 0.9 * 0.9)
        // 2 * 0.9^n reaches the floor 0.01 after n = 51 calls, beyond the book's 50.
        #expect(pure(49) > 0.01)
        #expect(pure(60) == 0.01)
        // Out of order evaluation gives the same numbers.
        #expect(pure(30) == bookValues[30])
        #expect(FactorSchedule(baseLR: 0.3)(1000) == 0.3)
    }

    @Test func multiFactorBoundaries() {
        let s = MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: 0.5)
        for t in 0...15 { #expect(s(t) == 0.5, "t = \(t)") }
        for t in 16...30 { #expect(s(t) == 0.25, "t = \(t)") }
        for t in 31..<40 { #expect(s(t) == 0.125, "t = \(t)") }
    }

    @Test func cosine() {
        let s = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)
        #expect(s(0) == 0.5)
        #expect(abs(s(20) - (0.01 + 0.49 * 0.5)) < 1e-15)
        #expect(abs(s(10) - (0.01 + 0.49 * (1 + 0.5.squareRoot()) / 2)) < 1e-15)
        #expect(s(40) == 0.01)
        #expect(s(41) == 0.01)
        #expect(s(1000) == 0.01)
        // Monotone non-increasing over the schedule.
        let v = s.values(0..<45)
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func cosineWithWarmup() {
        let s = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01, warmupSteps: 5)
        #expect(s(0) == 0)
        #expect(s(1) == 0.1)
        #expect(s(4) == 0.4)
        #expect(s(5) == 0.5)                                       // cosine starts at the base rate
        #expect(abs(s(5 + 35 / 2) - (0.01 + 0.49 * (1 + cos(Double.pi * 17 / 35)) / 2)) < 1e-15)
        #expect(s(40) == 0.01)
        #expect(s(44) == 0.01)
        // The generic wrapper reproduces it exactly.
        let wrapped = Warmup(steps: 5, schedule: CosineSchedule(maxUpdate: 35, baseLR: 0.5, finalLR: 0.01))
        #expect(wrapped.values(0..<50) == s.values(0..<50))
    }

    @Test func warmupWithoutDelayKeepsMilestones() {
        let inner = MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: 0.5)
        let s = Warmup(steps: 5, beginLR: 0.1, delaysSchedule: false, schedule: inner)
        #expect(s(0) == 0.1)
        #expect(abs(s(2) - (0.1 + 0.4 * 2 / 5)) < 1e-16)
        #expect(s(5) == 0.5)
        #expect(s(16) == 0.25)   // milestone unchanged
        let delayed = Warmup(steps: 5, schedule: inner)
        #expect(delayed(16) == 0.5 && delayed(21) == 0.25)   // milestone moved by 5
    }

    @Test func stepDecayAndExponential() {
        let step = StepDecaySchedule(initialLR: 1, gamma: 0.5, stepSize: 10)
        #expect(step(0) == 1 && step(9) == 1 && step(10) == 0.5 && step(29) == 0.25 && step(30) == 0.125)
        let exp = ExponentialSchedule(initialLR: 2, gamma: 0.5)
        #expect(exp(0) == 2 && exp(1) == 1 && exp(4) == 0.125)
        let fromRate = ExponentialSchedule(initialLR: 1, decayRate: 0.1)
        #expect(abs(fromRate(10) - Foundation.exp(-1)) < 1e-15)
    }

    @Test func inverseTimeLinearAndInverseSquareRoot() {
        let inv = InverseTimeSchedule(initialLR: 1, decayRate: 0.5)
        #expect(inv(0) == 1 && inv(2) == 0.5 && inv(6) == 0.25)
        let lin = LinearDecaySchedule(initialLR: 1, totalSteps: 4)
        #expect(lin.values(0..<7) == [1, 0.75, 0.5, 0.25, 0, 0, 0])
        let lin2 = LinearDecaySchedule(initialLR: 0.5, finalLR: 0.1, totalSteps: 2)
        #expect(lin2(1) == 0.5 + (0.1 - 0.5) * 1 / 2 && lin2(5) == 0.1)
        let isr = InverseSquareRootSchedule(initialLR: 1)
        #expect(isr(0) == 1 && isr(1) == 1 && isr(4) == 0.5 && isr(100) == 0.1)
    }

    @Test func triangularCycle() {
        let s = TriangularCyclicalSchedule(lowerLR: 0.1, upperLR: 1.1, stepSize: 10)
        #expect(s(0) == 0.1)
        #expect(abs(s(5) - 0.6) < 1e-15)
        #expect(s(10) == 1.1)
        #expect(abs(s(15) - 0.6) < 1e-15)
        #expect(s(20) == 0.1)
        #expect(s(30) == 1.1)           // second cycle peaks again
        #expect(s(25) == s(5))
    }

    @Test func oneCycle() {
        let s = OneCycleSchedule(maxLR: 1, totalSteps: 101, pctStart: 0.3)
        #expect(abs(s(0) - 1.0 / 25) < 1e-15)   // PyTorch's formula, which rounds at the start
        #expect(s(100) == 1.0 / 25 / 1e4)
        let peak = s.values(0..<101).enumerated().max { $0.element < $1.element }!
        #expect(peak.offset == 29 || peak.offset == 30)
        #expect(peak.element > 0.999)
        let v = s.values(30..<101)
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 >= $1 })
        let linear = OneCycleSchedule(maxLR: 1, totalSteps: 11, pctStart: 0.5, divFactor: 10, finalDivFactor: 10,
                                      annealing: .linear)
        // p = 4.5: climb 0.1 -> 1 over 4.5 steps, then 1 -> 0.01 over 5.5 steps.
        #expect(abs(linear(2) - (0.1 + 0.9 * 2 / 4.5)) < 1e-15)
        #expect(abs(linear(10) - 0.01) < 1e-15)
    }

    @Test func schedulesAreCodableValues() throws {
        let s = Warmup(steps: 3, schedule: CosineSchedule(maxUpdate: 20, baseLR: 0.3, finalLR: 0.01))
        let restored = try JSONDecoder().decode(Warmup<CosineSchedule>.self, from: JSONEncoder().encode(s))
        #expect(restored == s)
        #expect(restored.values(0..<30) == s.values(0..<30))
    }
}
