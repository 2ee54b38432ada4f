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

/// The book's exact 2-D traces (spec 11.6–11.8), reproduced through the generic optimizers.
@Suite struct OptimizerTraceTests {
    let ellipse = Objective2D.ellipse(a: 0.1, b: 2)

    @Test func gradientDescentOnTheIllConditionedEllipse() {
        #expect(train2D(optimizer: SGD(learningRate: 0.4), objective: ellipse).summary
                == "epoch 20, x1 -0.943467, x2 -0.000073")
        #expect(train2D(optimizer: SGD(learningRate: 0.6), objective: ellipse).summary
                == "epoch 20, x1 -0.387814, x2 -1673.365109")
    }

    @Test func momentumTraces() {
        #expect(train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.5), objective: ellipse).summary
                == "epoch 20, x1 0.007188, x2 0.002553")
        #expect(train2D(optimizer: Momentum(learningRate: 0.6, momentum: 0.25), objective: ellipse).summary
                == "epoch 20, x1 -0.126340, x2 -0.186632")
    }

    @Test func adagradTraces() {
        #expect(train2D(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse).summary
                == "epoch 20, x1 -2.382563, x2 -0.158591")
        #expect(train2D(optimizer: AdaGrad(learningRate: 2), objective: ellipse).summary
                == "epoch 20, x1 -0.002295, x2 -0.000000")
    }

    @Test func rmspropTrace() {
        #expect(train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9), objective: ellipse).summary
                == "epoch 20, x1 -0.010599, x2 0.000000")
    }

    /// The generic path must agree bit for bit with the book's hand-written trainers.
    @Test func bitIdenticalToHandWrittenTrainers() {
        let eta = 0.6, beta = 0.5
        let byHand = train2D { s in
            let v1 = beta * s.s1 + 0.2 * s.x1
            let v2 = beta * s.s2 + 4 * s.x2
            return State2D(x1: s.x1 - eta * v1, x2: s.x2 - eta * v2, s1: v1, s2: v2)
        }
        let generic = train2DDetailed(optimizer: Momentum(learningRate: eta, momentum: beta), objective: ellipse)
        #expect(generic.trace.points == byHand.points)
        // The typed state after each step is the book's state slot.
        #expect(generic.steps.map { $0.state.velocity } == byHand.states.dropFirst().map { [$0.s1, $0.s2] })

        let adagradByHand = train2D { s in
            let eps = 1e-6
            let g1 = 0.2 * s.x1, g2 = 4 * s.x2
            let s1 = s.s1 + g1 * g1, s2 = s.s2 + g2 * g2
            return State2D(x1: s.x1 - 0.4 / (s1 + eps).squareRoot() * g1,
                           x2: s.x2 - 0.4 / (s2 + eps).squareRoot() * g2, s1: s1, s2: s2)
        }
        let adagrad = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse)
        #expect(adagrad.trace.points == adagradByHand.points)
        #expect(adagrad.steps.map { $0.state.sumOfSquares } == adagradByHand.states.dropFirst().map { [$0.s1, $0.s2] })
    }

    @Test func detailedRunRecordsEveryStep() {
        let run = train2DDetailed(optimizer: Adam(learningRate: 0.1), objective: ellipse, steps: 5)
        #expect(run.steps.count == 5)
        #expect(run.trace.points.count == 6)
        for (k, row) in run.steps.enumerated() {
            #expect(row.step == k + 1)
            #expect(row.point == run.trace.points[k])
            #expect(row.point + row.update == run.trace.points[k + 1])
            #expect(row.gradient == ellipse.gradient(row.point))
            #expect(row.state.step == k + 1)
        }
    }
}
