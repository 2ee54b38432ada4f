import OptimKit
/// The common base of the network layers: shapes, the reusable output and
/// input-gradient buffers, and the parameter interface.
///
/// A layer works on whole minibatches in NCHW order. `forward` writes the first
/// `batch * outputShape.count` numbers of `output`; `backward` receives the same input
/// again together with the loss gradient with respect to the output, writes the gradient
/// with respect to the input into `inputGradient` (unless `computesInputGradient` is
/// false) and *adds* the parameter gradients to the gradient buffers. Buffers grow
/// when a larger batch arrives and are never shrunk, so a warmed-up training loop
/// allocates nothing.
public class NetworkLayer<Scalar: LayerScalar> {
    public let inputShape: TensorShape
    public let outputShape: TensorShape
    /// Result of the latest forward pass (only the first `batch * outputShape.count` are valid).
    public internal(set) var output: [Scalar] = []
    /// Gradient with respect to the latest input (first `batch * inputShape.count` valid).
    public internal(set) var inputGradient: [Scalar] = []
    /// Set to false for a first layer whose input gradient nobody reads (saves work).
    public var computesInputGradient = true
    /// The largest batch the buffers currently hold.
    public private(set) var batchCapacity = 0
    /// Packing scratch of this layer's matrix products, kept between minibatches.
    let gemmWorkspace = GEMMWorkspace()

    init(inputShape: TensorShape, outputShape: TensorShape) {
        self.inputShape = inputShape
        self.outputShape = outputShape
    }

    /// A short description such as `Conv2D(1->6, 5x5, pad 2, stride 1)`.
    public var name: String { "Layer" }

    /// Makes sure all buffers can hold `batch` samples.
    public final func reserve(batch: Int) {
        if batch <= batchCapacity { return }
        output = [Scalar](repeating: 0, count: batch * outputShape.count)
        inputGradient = [Scalar](repeating: 0, count: batch * inputShape.count)
        reserveWork(batch: batch)
        batchCapacity = batch
    }

    /// Subclasses allocate their scratch buffers here.
    func reserveWork(batch: Int) {}

    /// Computes `output` from `input` (`batch * inputShape.count` numbers).
    func forward(_ input: UnsafePointer<Scalar>, batch: Int) {}

    /// Computes `inputGradient` and accumulates parameter gradients.
    func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {}

    /// Convenience wrapper over arrays (used by tests and small experiments).
    public final func forward(_ input: [Scalar], batch: Int) {
        requireValid(input.count >= batch * inputShape.count,
                     "\(name).forward: input holds \(input.count) numbers, fewer than \(batch) samples of \(inputShape)")
        reserve(batch: batch)
        input.withUnsafeBufferPointer { forward($0.baseAddress!, batch: batch) }
    }

    /// Convenience wrapper over arrays (used by tests and small experiments).
    public final func backward(_ input: [Scalar], outputGradient: [Scalar], batch: Int) {
        requireValid(input.count >= batch * inputShape.count,
                     "\(name).backward: input holds \(input.count) numbers, fewer than \(batch) samples of \(inputShape)")
        requireValid(outputGradient.count >= batch * outputShape.count,
                     "\(name).backward: gradient holds \(outputGradient.count) numbers, fewer than \(batch) samples of \(outputShape)")
        reserve(batch: batch)
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { g in
                backward(x.baseAddress!, outputGradient: g.baseAddress!, batch: batch)
            }
        }
    }

    // MARK: Parameters

    /// How many parameter tensors (for example weights and bias) the layer has.
    public var parameterTensorCount: Int { 0 }

    /// Gives `body` the values and the accumulated gradient of parameter tensor `index`.
    public func withParameter<R>(_ index: Int, _ body: (inout [Scalar], inout [Scalar]) -> R) -> R {
        misuse("\(name): no parameter tensor \(index); it has \(parameterTensorCount)")
    }

    /// Xavier-uniform weights and zero biases.
    public func initializeParameters(generator: inout SeededGenerator) {}

    /// Sets every accumulated parameter gradient to zero.
    public final func zeroGradients() {
        for index in 0..<parameterTensorCount {
            withParameter(index) { _, gradient in
                gradient.withUnsafeMutableBufferPointer { Scalar.fillZero($0.baseAddress!, count: $0.count) }
            }
        }
    }
}
