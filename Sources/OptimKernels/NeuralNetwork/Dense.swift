import OptimKit
/// A fully connected layer, `y = x W + b`.
///
/// `x` is the flattened sample (`inputs = inputShape.count` numbers), `W` is stored
/// `inputs x outputs` row-major and `b` has `outputs` entries. For a batch `X`
/// (`batch x inputs`): `Y = X W + 1 b^T`, `dW += X^T dY`, `db += column sums of dY`,
/// `dX = dY W^T`. Weights start Xavier-uniform (`fanIn = inputs`, `fanOut = outputs`),
/// biases at zero.
///
/// ```swift
/// let dense = Dense<Float>(inputShape: TensorShape(features: 400), outputs: 120)
/// ```
public final class Dense<Scalar: LayerScalar>: NetworkLayer<Scalar> {
    public let inputs: Int
    public let outputs: Int
    public internal(set) var weights: [Scalar]
    public internal(set) var weightGradient: [Scalar]
    public internal(set) var bias: [Scalar]
    public internal(set) var biasGradient: [Scalar]

    public init(inputShape: TensorShape, outputs: Int) {
        requireValid(outputs > 0 && inputShape.count > 0,
                     "Dense: needs at least one input and one output, got input \(inputShape) and \(outputs) outputs")
        inputs = inputShape.count
        self.outputs = outputs
        weights = [Scalar](repeating: 0, count: inputs * outputs)
        weightGradient = weights
        bias = [Scalar](repeating: 0, count: outputs)
        biasGradient = bias
        super.init(inputShape: inputShape, outputShape: TensorShape(features: outputs))
    }

    public override var name: String { "Dense(\(inputs)->\(outputs))" }

    public override var parameterTensorCount: Int { 2 }

    public override func withParameter<R>(_ index: Int, _ body: (inout [Scalar], inout [Scalar]) -> R) -> R {
        switch index {
        case 0: return body(&weights, &weightGradient)
        case 1: return body(&bias, &biasGradient)
        default: misuse("\(name): no parameter tensor \(index); it has \(parameterTensorCount) (0 weights, 1 bias)")
        }
    }

    public override func initializeParameters(generator: inout SeededGenerator) {
        XavierUniform.fill(&weights, fanIn: inputs, fanOut: outputs, generator: &generator)
        for i in bias.indices { bias[i] = 0 }
    }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let inputs = self.inputs, outputs = self.outputs
        output.withUnsafeMutableBufferPointer { out in
            let y = out.baseAddress!
            bias.withUnsafeBufferPointer { b in
                Scalar.broadcastRows(b.baseAddress!, rows: batch, columns: outputs, into: y)
            }
            weights.withUnsafeBufferPointer { w in
                Scalar.gemm(transA: false, transB: false, m: batch, n: outputs, k: inputs,
                            alpha: 1, a: input, lda: inputs, b: w.baseAddress!, ldb: outputs,
                            beta: 1, c: y, ldc: outputs, workspace: gemmWorkspace)
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        let inputs = self.inputs, outputs = self.outputs
        weightGradient.withUnsafeMutableBufferPointer { dw in
            Scalar.gemm(transA: true, transB: false, m: inputs, n: outputs, k: batch,
                        alpha: 1, a: input, lda: inputs, b: outputGradient, ldb: outputs,
                        beta: 1, c: dw.baseAddress!, ldc: outputs, workspace: gemmWorkspace)
        }
        biasGradient.withUnsafeMutableBufferPointer { db in
            Scalar.accumulateColumnSums(outputGradient, rows: batch, columns: outputs, into: db.baseAddress!)
        }
        if !computesInputGradient { return }
        inputGradient.withUnsafeMutableBufferPointer { dx in
            weights.withUnsafeBufferPointer { w in
                Scalar.gemm(transA: false, transB: true, m: batch, n: inputs, k: outputs,
                            alpha: 1, a: outputGradient, lda: outputs, b: w.baseAddress!, ldb: outputs,
                            beta: 0, c: dx.baseAddress!, ldc: inputs, workspace: gemmWorkspace)
            }
        }
    }
}
