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

/// Saving an optimizer's and a schedule's state mid-run and resuming exactly.
@Suite struct TrainingCheckpointTests {
    static let schedule = CosineSchedule(maxUpdate: 600, baseLR: 0.01, finalLR: 0.0001)

    @Test func theCheckpointLoopIsTrainLinearRegressionsLoop() throws {
        let data = try AirfoilData.load()
        var rng = SeededGenerator(seed: 11)
        let reference = trainLinearRegression(optimizer: Scheduled(Adam(learningRate: 0.01), schedule: Self.schedule),
                                              data: data, batchSize: 10, epochs: 2, generator: &rng)
        var run = TrainingCheckpoint.start(optimizer: Adam(learningRate: 0.01), schedule: Self.schedule,
                                           unit: .update, data: data, generator: SeededGenerator(seed: 11))
        run.train(data: data, batchSize: 10, epochs: 2)
        #expect(run.parameters == reference.parameters)
        #expect(run.updates == reference.updates)
        #expect(run.generator == rng)
    }

    @Test func resumingFromJSONIsBitIdenticalToNeverStopping() throws {
        let data = try AirfoilData.load()
        let begin = TrainingCheckpoint.start(optimizer: Adam(learningRate: 0.01), schedule: Self.schedule,
                                             unit: .update, data: data, generator: SeededGenerator(seed: 5))
        var straight = begin
        straight.train(data: data, batchSize: 10, epochs: 4)

        var first = begin
        first.train(data: data, batchSize: 10, epochs: 2)
        var resumed = try TrainingCheckpoint<Adam, CosineSchedule>(json: try first.json())
        #expect(resumed == first)
        resumed.train(data: data, batchSize: 10, epochs: 2)
        #expect(resumed == straight)

        // Dropping the optimizer state (v, s and t) changes the result.
        var fresh = first
        fresh.state = fresh.optimizer.initialState(count: fresh.parameters.count)
        fresh.train(data: data, batchSize: 10, epochs: 2)
        #expect(fresh.parameters != straight.parameters)
    }

    @Test func perEpochSchedulesResumeToo() throws {
        let data = try AirfoilData.load()
        let schedule = MultiFactorSchedule(steps: [1, 2], factor: 0.5, baseLR: 0.05)
        let begin = TrainingCheckpoint.start(optimizer: Momentum(learningRate: 0.05, momentum: 0.9), schedule: schedule,
                                             unit: .epoch, data: data, generator: SeededGenerator(seed: 2))
        var straight = begin
        let losses = straight.train(data: data, batchSize: 10, epochs: 3)
        #expect(losses.count == 3)
        var part = begin
        part.train(data: data, batchSize: 10, epochs: 1)
        var resumed = try TrainingCheckpoint<Momentum, MultiFactorSchedule>(json: try part.json())
        resumed.train(data: data, batchSize: 10, epochs: 2)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.optimizer.learningRate == schedule(2))
    }
}
