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

/// The direct stride-1 convolution kernels against the im2col path they replace: every
/// output, weight gradient, bias gradient and input gradient must be the same bits (NaNs
/// compare as NaN), in both precisions, for LeNet's two layers and for shapes that reach
/// every edge of the kernels (several channel groups, more than 256 taps or output
/// channels, rows longer than one vector, 256-position blocks that straddle samples, the
/// forward pass with lanes over output columns).
@Suite struct DirectConvolutionTests {
    struct Case: Sendable, CustomStringConvertible {
        var channels: Int, height: Int, width: Int
        var outputs: Int, kernel: Int, padding: Int, batch: Int
        var description: String {
            "\(channels)x\(height)x\(width) -> \(outputs), \(kernel)x\(kernel) pad \(padding), batch \(batch)"
        }
    }

    static let cases: [Case] = [
        Case(channels: 1, height: 28, width: 28, outputs: 6, kernel: 5, padding: 2, batch: 3),   // LeNet conv 1
        Case(channels: 6, height: 14, width: 14, outputs: 16, kernel: 5, padding: 0, batch: 5),  // LeNet conv 2
        Case(channels: 2, height: 5, width: 5, outputs: 3, kernel: 3, padding: 1, batch: 2),
        Case(channels: 3, height: 7, width: 9, outputs: 17, kernel: 3, padding: 1, batch: 4),    // 2 channel groups
        Case(channels: 12, height: 6, width: 6, outputs: 5, kernel: 5, padding: 2, batch: 3),    // 300 taps
        Case(channels: 1, height: 4, width: 4, outputs: 300, kernel: 2, padding: 0, batch: 2),   // 300 outputs
        Case(channels: 2, height: 9, width: 37, outputs: 4, kernel: 4, padding: 3, batch: 2),    // 40-wide rows
        Case(channels: 3, height: 5, width: 6, outputs: 9, kernel: 1, padding: 0, batch: 7),     // 1x1
        Case(channels: 1, height: 3, width: 3, outputs: 2, kernel: 5, padding: 2, batch: 1),     // kernel > input
        // Lanes over output columns (`forwardRows`) for rows of one to two pixel vectors, in
        // one build or another (16/8 lanes with AVX-512, 8/4 without, for Float/Double):
        Case(channels: 1, height: 12, width: 20, outputs: 8, kernel: 5, padding: 2, batch: 2),   // 6 + 2 channels
        Case(channels: 2, height: 6, width: 10, outputs: 3, kernel: 3, padding: 1, batch: 2),
        Case(channels: 1, height: 7, width: 16, outputs: 7, kernel: 5, padding: 2, batch: 2),    // rows of exactly 16
        Case(channels: 2, height: 5, width: 6, outputs: 2, kernel: 3, padding: 1, batch: 3),
        // 90 output pixels: six pixel vectors of D per tap with 16 lanes (two passes of three),
        // twelve with 8 (three passes of four); an odd number of input rows.
        Case(channels: 2, height: 9, width: 10, outputs: 5, kernel: 3, padding: 1, batch: 3),
    ]

    /// Bit patterns, with every NaN mapped to one value (NaN payloads are not part of the
    /// contract; NaN-ness is).
    static func exactBits(_ values: ArraySlice<Float>) -> [UInt32] { values.map { $0.isNaN ? UInt32.max : $0.bitPattern } }
    static func exactBits(_ values: ArraySlice<Double>) -> [UInt64] { values.map { $0.isNaN ? UInt64.max : $0.bitPattern } }

    /// Runs forward and two accumulating backward passes through a direct layer and an
    /// im2col layer with the same parameters; returns every difference found.
    static func compare<Scalar: LayerScalar>(_ type: Scalar.Type, _ c: Case, seed: UInt64,
                                             special: Bool = false) -> [String] {
        let shape = TensorShape(channels: c.channels, height: c.height, width: c.width)
        let direct = Conv2D<Scalar>(inputShape: shape, outputChannels: c.outputs, kernelSize: c.kernel, padding: c.padding)
        let reference = Conv2D<Scalar>(inputShape: shape, outputChannels: c.outputs, kernelSize: c.kernel, padding: c.padding)
        reference.usesDirectKernels = false
        var rng = SeededGenerator(seed: seed)
        direct.initializeParameters(generator: &rng)
        direct.bias = direct.bias.map { _ in Scalar(rng.uniform(-0.5, 0.5)) }
        var input = (0..<(c.batch * shape.count)).map { _ in Scalar(rng.normal()) }
        var gradient = (0..<(c.batch * direct.outputShape.count)).map { _ in Scalar(rng.normal()) }
        // Exact zeros in the data, and (on request) infinities and NaNs in weights, inputs
        // and gradients: the padding must still be multiplied in, never skipped.
        for i in stride(from: 0, to: input.count, by: 5) { input[i] = 0 }
        if special {
            direct.weights[0] = .infinity
            direct.weights[direct.weights.count - 1] = -.infinity
            direct.weights[direct.weights.count / 2] = .nan
            input[input.count / 3] = .infinity
            gradient[gradient.count / 2] = .nan
        }
        reference.weights = direct.weights
        reference.bias = direct.bias
        var problems: [String] = []
        func check(_ what: String, _ a: ArraySlice<Scalar>, _ b: ArraySlice<Scalar>) {
            let same: Bool
            if let a = a as? ArraySlice<Float>, let b = b as? ArraySlice<Float> {
                same = exactBits(a) == exactBits(b)
            } else if let a = a as? ArraySlice<Double>, let b = b as? ArraySlice<Double> {
                same = exactBits(a) == exactBits(b)
            } else {
                same = false
            }
            if !same {
                let index = Array(zip(a, b)).firstIndex { !($0 == $1 || ($0.isNaN && $1.isNaN)) } ?? -1
                problems.append("\(Scalar.self) \(c): \(what) differs (first at \(index))")
            }
        }
        // Two steps whose gradients accumulate (the im2col path needs a forward pass before
        // each backward pass: its backward overwrites the columns).
        for layer in [direct, reference] {
            layer.forward(input, batch: c.batch)
            layer.zeroGradients()
            layer.backward(input, outputGradient: gradient, batch: c.batch)
            layer.forward(input, batch: c.batch)
            layer.backward(input, outputGradient: gradient.map { $0 * 0.5 }, batch: c.batch)
        }
        check("output", direct.output[0..<(c.batch * direct.outputShape.count)],
              reference.output[0..<(c.batch * reference.outputShape.count)])
        check("weight gradient", direct.weightGradient[...], reference.weightGradient[...])
        check("bias gradient", direct.biasGradient[...], reference.biasGradient[...])
        check("input gradient", direct.inputGradient[0..<input.count], reference.inputGradient[0..<input.count])
        return problems
    }

    @Test(arguments: cases)
    func matchesIm2colBitwiseFloat(_ c: Case) {
        #expect(Self.compare(Float.self, c, seed: 1) == [])
    }

    @Test(arguments: cases)
    func matchesIm2colBitwiseDouble(_ c: Case) {
        #expect(Self.compare(Double.self, c, seed: 2) == [])
    }

    /// Infinite and NaN weights, inputs and gradients give the same NaNs and infinities.
    @Test(arguments: [cases[0], cases[1], cases[3]])
    func nonFiniteValuesMatch(_ c: Case) {
        #expect(Self.compare(Float.self, c, seed: 3, special: true) == [])
        #expect(Self.compare(Double.self, c, seed: 4, special: true) == [])
    }

    /// The first layer skips its input gradient but must still match in everything else;
    /// a second, smaller minibatch reuses the buffers of the first.
    @Test func withoutInputGradientAndSmallerBatch() {
        let shape = TensorShape(channels: 1, height: 28, width: 28)
        let direct = Conv2D<Float>(inputShape: shape, outputChannels: 6, kernelSize: 5, padding: 2)
        let reference = Conv2D<Float>(inputShape: shape, outputChannels: 6, kernelSize: 5, padding: 2)
        reference.usesDirectKernels = false
        direct.computesInputGradient = false
        reference.computesInputGradient = false
        var rng = SeededGenerator(seed: 7)
        direct.initializeParameters(generator: &rng)
        reference.weights = direct.weights
        for batch in [4, 3] {
            let input = (0..<(batch * 784)).map { _ in Float(rng.uniform()) }
            let gradient = (0..<(batch * direct.outputShape.count)).map { _ in Float(rng.normal()) }
            for layer in [direct, reference] {
                layer.forward(input, batch: batch)
                layer.zeroGradients()
                layer.backward(input, outputGradient: gradient, batch: batch)
            }
            let count = batch * direct.outputShape.count
            #expect(direct.output[0..<count] == reference.output[0..<count])
            #expect(direct.weightGradient.map(\.bitPattern) == reference.weightGradient.map(\.bitPattern))
            #expect(direct.biasGradient.map(\.bitPattern) == reference.biasGradient.map(\.bitPattern))
        }
    }

    /// Central differences on shapes that go through the direct kernels (padding wider than
    /// the kernel's reach from one side, a channel count that needs two channel groups).
    @Test(arguments: [Case(channels: 2, height: 6, width: 5, outputs: 9, kernel: 3, padding: 2, batch: 2),
                      Case(channels: 3, height: 6, width: 6, outputs: 4, kernel: 5, padding: 2, batch: 2)])
    func gradientCheck(_ c: Case) {
        let layer = Conv2D<Double>(inputShape: TensorShape(channels: c.channels, height: c.height, width: c.width),
                                   outputChannels: c.outputs, kernelSize: c.kernel, padding: c.padding)
        let checks = LayerGradientTests.check(layer, batch: c.batch)
        #expect(checks.count == 3)
        for check in checks { #expect(check.passes(), "\(c): \(check)") }
    }
}
