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

/// Central-difference checks of every layer's backward pass, run in double precision.
///
/// Each layer is wrapped in the scalar function `L = sum(r * layer(x))` with a fixed
/// random `r`, whose gradient with respect to the input is exactly what `backward`
/// returns when handed `r` as the output gradient (and likewise for the parameters).
@Suite struct LayerGradientTests {
    static func randomArray(_ count: Int, _ rng: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in rng.uniform(-1, 1) }
    }

    /// Checks input and parameter gradients of `layer` on a batch of `batch` samples.
    static func check(_ layer: NetworkLayer<Double>, batch: Int, seed: UInt64 = 1) -> [GradientCheck] {
        var rng = SeededGenerator(seed: seed)
        layer.initializeParameters(generator: &rng)
        // Give biases non-zero values too, so their effect is visible.
        for index in 0..<layer.parameterTensorCount {
            layer.withParameter(index) { values, _ in
                for i in values.indices { values[i] += 0.1 * rng.uniform(-1, 1) }
            }
        }
        let x = randomArray(batch * layer.inputShape.count, &rng)
        let r = randomArray(batch * layer.outputShape.count, &rng)
        func loss(_ input: [Double]) -> Double {
            layer.forward(input, batch: batch)
            var sum = 0.0
            for i in 0..<r.count { sum += r[i] * layer.output[i] }
            return sum
        }
        layer.forward(x, batch: batch)
        layer.zeroGradients()
        layer.backward(x, outputGradient: r, batch: batch)
        var checks = [GradientCheck]()
        if layer.computesInputGradient {
            let analytic = Array(layer.inputGradient[0..<x.count])
            checks.append(GradientCheck(analytic: analytic, numerical: Numerical.gradient(loss, at: x)))
        }
        for index in 0..<layer.parameterTensorCount {
            let (values, gradient) = layer.withParameter(index) { ($0, $1) }
            let numerical = Numerical.gradient({ p in
                layer.withParameter(index) { values, _ in values = p }
                return loss(x)
            }, at: values)
            layer.withParameter(index) { v, _ in v = values }
            checks.append(GradientCheck(analytic: gradient, numerical: numerical))
        }
        return checks
    }

    @Test(arguments: [(1, 1), (1, 2), (0, 2), (2, 1)])
    func conv2D(padding: Int, stride: Int) {
        let layer = Conv2D<Double>(inputShape: TensorShape(channels: 2, height: 5, width: 5),
                                   outputChannels: 3, kernelSize: 3, padding: padding, stride: stride)
        let checks = Self.check(layer, batch: 2)
        #expect(checks.count == 3)
        for c in checks { #expect(c.passes(), "\(layer.name): \(c)") }
    }

    @Test func conv2DNonSquareInput() {
        let layer = Conv2D<Double>(inputShape: TensorShape(channels: 1, height: 6, width: 4),
                                   outputChannels: 2, kernelSize: 3, padding: 1, stride: 2)
        #expect(layer.outputShape == TensorShape(channels: 2, height: 3, width: 2))
        for c in Self.check(layer, batch: 3) { #expect(c.passes(), "\(c)") }
    }

    @Test(arguments: [(2, 2), (3, 2), (2, 1)])
    func maxPool(size: Int, stride: Int) {
        let layer = MaxPool2D<Double>(inputShape: TensorShape(channels: 2, height: 6, width: 5), size: size, stride: stride)
        let checks = Self.check(layer, batch: 2)
        #expect(checks.count == 1)
        for c in checks { #expect(c.passes(), "\(layer.name): \(c)") }
    }

    @Test func dense() {
        let layer = Dense<Double>(inputShape: TensorShape(channels: 2, height: 2, width: 2), outputs: 5)
        let checks = Self.check(layer, batch: 3)
        #expect(checks.count == 3)
        for c in checks { #expect(c.passes(), "\(c)") }
    }

    @Test func reluAndFlatten() {
        for layer in [ReLU<Double>(inputShape: TensorShape(channels: 3, height: 2, width: 2)),
                      Flatten<Double>(inputShape: TensorShape(channels: 3, height: 2, width: 2))] as [NetworkLayer<Double>] {
            let checks = Self.check(layer, batch: 2)
            #expect(checks.count == 1)
            for c in checks { #expect(c.passes(), "\(layer.name): \(c)") }
        }
    }

    @Test func softmaxCrossEntropy() {
        var rng = SeededGenerator(seed: 5)
        let batch = 4, classes = 6
        let logits = Self.randomArray(batch * classes, &rng).map { 3 * $0 }
        let labels = [0, 5, 2, 2]
        var ce = SoftmaxCrossEntropy<Double>(classes: classes)
        _ = ce.evaluate(logits: logits, labels: labels, batch: batch)
        let analytic = ce.gradient
        let check = GradientCheck(analytic: analytic, numerical: Numerical.gradient({ z in
            var probe = SoftmaxCrossEntropy<Double>(classes: classes)
            return probe.evaluate(logits: z, labels: labels, batch: batch).meanLoss
        }, at: logits))
        #expect(check.passes(), "\(check)")
    }

    @Test func softmaxCrossEntropyValuesAndStability() {
        var ce = SoftmaxCrossEntropy<Double>(classes: 3)
        // Uniform logits: loss log 3, whatever their common size.
        let uniform = ce.evaluate(logits: [1000, 1000, 1000], labels: [1], batch: 1)
        #expect(abs(uniform.meanLoss - log(3.0)) < 1e-14)
        #expect(uniform.correct == 0)   // ties go to the first class
        let confident = ce.evaluate(logits: [-1000, 0, 1000], labels: [2], batch: 1)
        #expect(confident.meanLoss == 0 && confident.correct == 1)
        let wrong = ce.evaluate(logits: [0, 0, 800], labels: [0], batch: 1)
        #expect(abs(wrong.meanLoss - 800) < 1e-9)
        #expect(ce.gradient.allSatisfy { $0.isFinite })
    }

    /// The whole chain: conv -> ReLU -> pool -> flatten -> dense -> ReLU -> dense -> CE.
    @Test func tinyNetworkEndToEnd() {
        var rng = SeededGenerator(seed: 9)
        let net = Sequential<Double>(inputShape: TensorShape(channels: 2, height: 6, width: 6))
        for spec: LayerSpec in [.conv2D(outputChannels: 3, kernelSize: 3, padding: 1, stride: 1), .relu,
                                .maxPool2D(), .conv2D(outputChannels: 2, kernelSize: 2, stride: 1), .relu,
                                .flatten, .dense(outputs: 5), .relu, .dense(outputs: 4)] {
            net.append(spec)
        }
        net.computesInputGradient = true
        net.initializeParameters(generator: &rng)
        net.flatParameters = net.flatParameters.map { $0 + 0.05 * rng.uniform(-1, 1) }
        let batch = 3
        let x = Self.randomArray(batch * net.inputShape.count, &rng)
        let labels = [1, 3, 0]
        func loss(_ parameters: [Double], _ input: [Double]) -> Double {
            net.flatParameters = parameters
            net.forward(input, batch: batch)
            var ce = SoftmaxCrossEntropy<Double>(classes: 4)
            return ce.evaluate(logits: net.output, labels: labels, batch: batch).meanLoss
        }
        let p0 = net.flatParameters
        net.forward(x, batch: batch)
        var ce = SoftmaxCrossEntropy<Double>(classes: 4)
        _ = ce.evaluate(logits: net.output, labels: labels, batch: batch)
        net.zeroGradients()
        net.backward(ce.gradient)
        let parameterGradient = net.flatGradients
        let inputGradient = Array(net.inputGradient[0..<x.count])
        let parameterCheck = GradientCheck(analytic: parameterGradient,
                                           numerical: Numerical.gradient({ loss($0, x) }, at: p0))
        let inputCheck = GradientCheck(analytic: inputGradient,
                                       numerical: Numerical.gradient({ loss(p0, $0) }, at: x))
        #expect(parameterCheck.passes(), "parameters: \(parameterCheck)")
        #expect(inputCheck.passes(), "input: \(inputCheck)")
        #expect(parameterGradient.contains { $0 != 0 })
    }

    @Test func gradientsAccumulateUntilZeroed() {
        var rng = SeededGenerator(seed: 2)
        let layer = Dense<Double>(inputShape: TensorShape(features: 3), outputs: 2)
        layer.initializeParameters(generator: &rng)
        let x = Self.randomArray(6, &rng), r = Self.randomArray(4, &rng)
        layer.forward(x, batch: 2)
        layer.backward(x, outputGradient: r, batch: 2)
        let once = layer.weightGradient
        layer.backward(x, outputGradient: r, batch: 2)
        #expect(zip(layer.weightGradient, once).allSatisfy { $0 == 2 * $1 })
        layer.zeroGradients()
        #expect(layer.weightGradient.allSatisfy { $0 == 0 } && layer.biasGradient.allSatisfy { $0 == 0 })
    }

    @Test func xavierBoundsAndZeroBias() {
        var rng = SeededGenerator(seed: 3)
        let conv = Conv2D<Float>(inputShape: TensorShape(channels: 1, height: 28, width: 28),
                                 outputChannels: 6, kernelSize: 5, padding: 2)
        conv.initializeParameters(generator: &rng)
        let bound = Float(XavierUniform.bound(fanIn: 25, fanOut: 150))
        #expect(conv.weights.allSatisfy { abs($0) <= bound })
        #expect(conv.weights.max()! > 0.8 * bound && conv.weights.min()! < -0.8 * bound)
        #expect(conv.bias.allSatisfy { $0 == 0 })
    }
}
