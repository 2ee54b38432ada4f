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

/// API misuse stops the program with its message in every build configuration.
///
/// Each test misuses one API inside an exit test (Swift Testing runs the closure in a child
/// process) and reads the child's standard error. The message must follow `Fatal error: `,
/// the prefix of `fatalError`, which prints in optimised builds too; a check still written
/// as `precondition` would print `Precondition failed: ` here (and nothing at all in a
/// release build), so these tests fail if a check goes back to `precondition`. (Not if it
/// goes back to `preconditionFailure`: unoptimised, that prints `Fatal error: ` as well.)
/// One sample per library target that has such checks.
@Suite struct MisuseMessageTests {
    /// Checks that the child failed and printed `Fatal error: <message>`.
    static func expectMessage(_ result: ExitTest.Result?, _ message: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        guard let result else {
            Issue.record("the misuse did not stop the child process", sourceLocation: sourceLocation)
            return
        }
        let standardError = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(standardError.contains("Fatal error: " + message),
                "standard error was: \(standardError.prefix(2000))", sourceLocation: sourceLocation)
    }

    // MARK: OptimKit

    @Test func requireValidBuildsTheMessageOnlyWhenTheCheckFails() {
        var built = 0
        func message() -> String { built += 1; return "unused" }
        for i in 0..<3 { requireValid(i >= 0, message()) }
        #expect(built == 0)
    }

    @Test func scheduleWithNoSteps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LinearDecaySchedule(initialLR: 1, totalSteps: 0)
        }
        Self.expectMessage(result, "LinearDecaySchedule: totalSteps must be at least 1, got 0")
    }

    @Test func oneCycleWithAClimbOfNoSteps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = OneCycleSchedule(maxLR: 1, totalSteps: 4, pctStart: 0.25)
        }
        Self.expectMessage(result, "OneCycleSchedule: the climb (pctStart × totalSteps − 1 = 0.0 steps) must cover at least "
                           + "one step and end before the last, got pctStart 0.25, totalSteps 4")
    }

    @Test func newtonWithoutSecondDerivative() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Descent1D.newton(Objective1D(name: "x", value: { $0 }, derivative: { _ in 1 }))
        }
        Self.expectMessage(result, "Descent1D.newton: Newton's method needs the second derivative of x, which gives none")
    }

    // MARK: OptimKernels

    @Test func matmulWithMismatchedInnerDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Matrix<Double>(rows: 2, columns: 3, repeating: 1)
            _ = matmul(a, a)
        }
        Self.expectMessage(result, "matmul: inner dimensions differ, op(A) is 2 × 3 and op(B) is 2 × 3")
    }

    @Test func matrixIndexOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Matrix<Float>(rows: 2, columns: 3, repeating: 1)
            _ = a[2, 0]
        }
        Self.expectMessage(result, "Matrix: index (2, 0) out of range for 2 × 3")
    }

    @Test func labelOutsideTheClasses() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var loss = SoftmaxCrossEntropy<Float>(classes: 3)
            _ = loss.evaluate(logits: [0, 0, 0, 0, 0, 0], labels: [1, 3], batch: 2)
        }
        Self.expectMessage(result, "SoftmaxCrossEntropy.evaluate: label 3 of row 1 outside 0..<3")
    }

    @Test func layerAskedForAMissingParameterTensor() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let dense = Dense<Float>(inputShape: TensorShape(channels: 1, height: 1, width: 4), outputs: 2)
            dense.withParameter(2) { _, _ in }
        }
        Self.expectMessage(result, "Dense(4->2): no parameter tensor 2; it has 2 (0 weights, 1 bias)")
    }

    // MARK: OptimData

    @Test func imageIndexOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let data = ImageDataset(images: [Float](repeating: 0, count: 8), labels: [0, 1], rows: 2, columns: 2)
            _ = data.subset([0, 2])
        }
        Self.expectMessage(result, "ImageDataset.subset: image index 2 outside 0..<2")
    }

    // MARK: OptimTraining

    @Test func trainerWithBatchSizeZero() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = SeededGenerator(seed: 0)
            _ = LeNetTrainer(network: LeNet.make(generator: &generator), batchSize: 0)
        }
        Self.expectMessage(result, "LeNetTrainer: batchSize must be positive, got 0")
    }

    // MARK: OptimNotebook (its own check: it cannot import OptimKit)

    @Test func figureNameUsedTwice() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let nb = Notebook(target: "T", title: "t")
            var axes = Axes()
            axes.plot([0, 1], [0, 1], label: "line")
            nb.figure(Figure(axes), name: "loss", caption: "First.")
            nb.figure(Figure(axes), name: "loss", caption: "Second.")
        }
        Self.expectMessage(result, "Notebook.figure: figure name 'loss' used twice (each figure is saved as <name>.svg)")
    }
}
