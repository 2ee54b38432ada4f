import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation
import Testing

@Suite struct MomentumVariantTests {
    let f = Objective2D.ellipse(a: 0.1, b: 2)

    @Test func oneStepByHandInEachConvention() {
        for (convention, v, w) in [(MomentumVariant.Convention.rateOutside, 2.0, 0.8),
                                   (.rateInside, 0.2, 0.8), (.leakyAverage, 0.2, 0.98)] {
            let opt = MomentumVariant(learningRate: 0.1, momentum: 0.9, convention: convention)
            var params = [1.0]; var state = opt.initialState(count: 1)
            opt.update(&params, gradient: [2], state: &state)
            #expect(abs(state.velocity[0] - v) < 1e-15 && abs(params[0] - w) < 1e-15, "\(convention)")
            // Second step: the old velocity is carried with weight β.
            opt.update(&params, gradient: [1], state: &state)
            let v2 = convention == .rateOutside ? 0.9 * 2 + 1 : (convention == .rateInside ? 0.9 * 0.2 + 0.1 : 0.9 * 0.2 + 0.1)
            #expect(abs(state.velocity[0] - v2) < 1e-15)
        }
    }

    /// The book's form is `Momentum`, bit for bit.
    @Test func rateOutsideIsTheBooksMomentum() {
        let a = train2D(optimizer: MomentumVariant(learningRate: 0.6, momentum: 0.5), objective: f)
        let b = train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: f)
        #expect(a.points == b.points)
        #expect(a.summary == "epoch 20, x1 0.007188, x2 0.002553")
    }

    /// At a constant rate all three conventions follow the same path (up to rounding), the
    /// leaky average with η/(1 − β) in place of η.
    @Test func conventionsAgreeAtAConstantRate() {
        let outside = train2D(optimizer: MomentumVariant(learningRate: 0.1, momentum: 0.9), objective: f, steps: 100)
        let inside = train2D(optimizer: MomentumVariant(learningRate: 0.1, momentum: 0.9, convention: .rateInside),
                             objective: f, steps: 100)
        let leaky = train2D(optimizer: MomentumVariant(learningRate: 0.1 / (1 - 0.9), momentum: 0.9, convention: .leakyAverage),
                            objective: f, steps: 100)
        for (p, q) in Array(zip(outside.points, inside.points)) + Array(zip(outside.points, leaky.points)) {
            #expect(abs(p.x - q.x) < 1e-12 && abs(p.y - q.y) < 1e-12)
        }
    }

    /// Under a schedule, rate inside and rate outside part ways from the first changed step on.
    @Test func conventionsDifferUnderASchedule() {
        func run(_ convention: MomentumVariant.Convention) -> [Point2D] {
            var opt = MomentumVariant(learningRate: 0.1, momentum: 0.9, convention: convention)
            var params = [-5.0, -2.0]; var state = opt.initialState(count: 2)
            var points = [Point2D(-5, -2)]
            for t in 0..<30 {
                opt.learningRate = t < 10 ? 0.1 : 0.01
                let g = f.gradient(Point2D(params[0], params[1]))
                opt.update(&params, gradient: [g.x, g.y], state: &state)
                points.append(Point2D(params[0], params[1]))
            }
            return points
        }
        let outside = run(.rateOutside), inside = run(.rateInside)
        for k in 0...10 { #expect(abs(outside[k].x - inside[k].x) < 1e-12) }
        #expect(abs(outside[11].x - inside[11].x) > 1e-3)
    }

    @Test func stateRoundTripsThroughCodable() throws {
        let opt = MomentumVariant(learningRate: 0.1, convention: .leakyAverage)
        var params = [1.0, 2.0]; var state = opt.initialState(count: 2)
        opt.update(&params, gradient: [0.5, -1], state: &state)
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(MomentumVariant.State.self, from: data) == state)
        #expect(try JSONDecoder().decode(MomentumVariant.self, from: JSONEncoder().encode(opt)) == opt)
    }
}
