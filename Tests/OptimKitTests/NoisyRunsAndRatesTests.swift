import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Testing

/// `train2DNoisy` and `EffectiveLearningRates`: the drivers behind 11.6's noise experiment and
/// the effective-rate plots of 11.7 and 11.8.
@Suite struct NoisyRunsAndRatesTests {
    /// With SGD at a constant rate, the noisy run is section 11.4's simulated SGD, draw for draw.
    @Test func noisySGDMatchesNoisyGradientDescent() {
        let f = Objective2D.ellipse(a: 1, b: 2)
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let run = train2DNoisy(optimizer: SGD(learningRate: 0.1), objective: f, steps: 50, generator: &a)
        let reference = NoisyGradientDescent.run(f, schedule: ConstantSchedule(learningRate: 0.1), steps: 50, generator: &b)
        #expect(run.trace.points == reference.points)
        // The recorded gradient is the noisy one: exact gradient plus the draw.
        let first = run.steps[0]
        #expect(first.gradient != f.gradient(first.point))
    }

    @Test func effectiveRatesFollowTheTrainingLoopExactly() throws {
        let data = try AirfoilData.load()
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        let rates = EffectiveLearningRates.airfoil(optimizer: AdaGrad(learningRate: 0.1), data: data,
                                                   batchSize: 10, epochs: 2, generator: &a)
        let run = trainLinearRegression(optimizer: AdaGrad(learningRate: 0.1), data: data, batchSize: 10, epochs: 2,
                                        generator: &b)
        #expect(rates.parameters == run.parameters)
        #expect(rates.perUpdate.count == 300 && rates.perUpdate.allSatisfy { $0.count == 6 })
        // SGD's effective rate is its learning rate.
        var c = SeededGenerator(seed: 1)
        let sgd = EffectiveLearningRates.airfoil(optimizer: SGD(learningRate: 0.05), data: data, batchSize: 10,
                                                 epochs: 1, generator: &c)
        for row in sgd.perUpdate { for r in row where r.isFinite { #expect(abs(r - 0.05) < 1e-9) } }
        // Adagrad's only decreases.
        for i in 0..<6 {
            let column = rates.perUpdate.map { $0[i] }.filter(\.isFinite)
            #expect(zip(column, column.dropFirst()).allSatisfy { $1 <= $0 * (1 + 1e-9) })
        }
    }

    @Test func effectiveRatesOfA2DRunAreTheAdagradFormula() {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let run = train2DDetailed(optimizer: AdaGrad(learningRate: 0.4), objective: f)
        let rates = EffectiveLearningRates.run2D(run)
        for (row, step) in zip(rates, run.steps) {
            let s = step.state.sumOfSquares
            #expect(abs(row[0] - 0.4 / (s[0] + 1e-6).squareRoot()) < 1e-12)
            #expect(abs(row[1] - 0.4 / (s[1] + 1e-6).squareRoot()) < 1e-12)
        }
    }
}
