import OptimKit
/// A network that applies its layers one after the other.
///
/// `forward` runs a minibatch (NCHW, `batch * inputShape.count` numbers) through every
/// layer; `backward` takes the loss gradient with respect to the final output and
/// *adds* each layer's parameter gradients to its gradient buffers (call
/// `zeroGradients()` first). Parameters are exposed tensor by tensor (weights and bias
/// of every layer, in layer order) so any `Optimizer` can update them with one state per
/// tensor (`NetworkOptimizer`).
///
/// All buffers are kept between calls; after the first minibatch of the largest size a
/// training step allocates nothing.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let net = Sequential<Float>(inputShape: TensorShape(features: 4))
/// net.append(.dense(outputs: 8)); net.append(.relu); net.append(.dense(outputs: 3))
/// net.initializeParameters(generator: &rng)
/// let logits = net.forward(batch, batch: 2)
/// ```
public final class Sequential<Scalar: LayerScalar> {
    public let inputShape: TensorShape
    public private(set) var layers: [NetworkLayer<Scalar>] = []
    /// The network input of the latest forward pass (needed again by backward).
    private var lastInput: [Scalar] = []
    private var lastBatch = 0
    /// Whether `inputGradient` (the gradient with respect to the network input) is wanted.
    public var computesInputGradient = false {
        didSet { layers.first?.computesInputGradient = computesInputGradient }
    }

    public init(inputShape: TensorShape) {
        self.inputShape = inputShape
    }

    /// The shape of one output sample.
    public var outputShape: TensorShape { layers.last?.outputShape ?? inputShape }

    /// Adds the layer `spec` describes, sized for the current output shape.
    public func append(_ spec: LayerSpec) {
        append(spec.makeLayer(inputShape: outputShape))
    }

    /// Adds a ready-made layer whose input shape must equal the current output shape.
    public func append(_ layer: NetworkLayer<Scalar>) {
        requireValid(layer.inputShape == outputShape,
                     "Sequential.append: \(layer.name) expects \(layer.inputShape) but the network produces \(outputShape)")
        layer.computesInputGradient = layers.isEmpty ? computesInputGradient : true
        layers.append(layer)
    }

    /// Xavier-uniform weights and zero biases, layer by layer from one generator.
    public func initializeParameters(generator: inout SeededGenerator) {
        for layer in layers { layer.initializeParameters(generator: &generator) }
    }

    /// Makes every buffer large enough for `batch` samples.
    public func reserve(batch: Int) {
        if lastInput.count < batch * inputShape.count {
            lastInput = [Scalar](repeating: 0, count: batch * inputShape.count)
        }
        for layer in layers { layer.reserve(batch: batch) }
    }

    /// Runs `batch` samples from `input` through the network and returns the output
    /// (`batch * outputShape.count` valid numbers; the array may be longer).
    @discardableResult
    public func forward(_ input: [Scalar], batch: Int) -> [Scalar] {
        requireValid(input.count >= batch * inputShape.count,
                     "Sequential.forward: input holds \(input.count) numbers, fewer than \(batch) samples of \(inputShape)")
        input.withUnsafeBufferPointer { forward($0.baseAddress!, batch: batch) }
        return layers.last?.output ?? lastInput
    }

    /// Pointer form of `forward`, used by the trainer to avoid copies.
    package func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        requireValid(batch > 0, "Sequential.forward: batch must be at least 1, got \(batch)")
        reserve(batch: batch)
        lastBatch = batch
        lastInput.withUnsafeMutableBufferPointer { Scalar.copy(input, to: $0.baseAddress!, count: batch * inputShape.count) }
        for index in layers.indices {
            let layer = layers[index]
            if index == 0 {
                lastInput.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batch: batch) }
            } else {
                layers[index - 1].output.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batch: batch) }
            }
        }
    }

    /// The output of the latest forward pass.
    public var output: [Scalar] { layers.last?.output ?? lastInput }

    /// Back-propagates `outputGradient` (gradient of the loss with respect to the output of
    /// the latest forward pass) and accumulates all parameter gradients.
    public func backward(_ outputGradient: [Scalar]) {
        let batch = lastBatch
        requireValid(batch > 0, "Sequential.backward: called before forward")
        requireValid(outputGradient.count >= batch * outputShape.count,
                     "Sequential.backward: gradient holds \(outputGradient.count) numbers, fewer than \(batch) samples of \(outputShape)")
        let last = layers.count - 1
        for index in layers.indices.reversed() {
            let layer = layers[index]
            // Runs this layer's backward given the gradient arriving from above.
            func run(_ gradient: UnsafePointer<Scalar>) {
                if index == 0 {
                    lastInput.withUnsafeBufferPointer {
                        layer.backward($0.baseAddress!, outputGradient: gradient, batch: batch)
                    }
                } else {
                    layers[index - 1].output.withUnsafeBufferPointer {
                        layer.backward($0.baseAddress!, outputGradient: gradient, batch: batch)
                    }
                }
            }
            if index == last {
                outputGradient.withUnsafeBufferPointer { run($0.baseAddress!) }
            } else {
                layers[index + 1].inputGradient.withUnsafeBufferPointer { run($0.baseAddress!) }
            }
        }
    }

    /// Gradient with respect to the network input (only if `computesInputGradient`).
    public var inputGradient: [Scalar] { layers.first?.inputGradient ?? [] }

    public func zeroGradients() {
        for layer in layers { layer.zeroGradients() }
    }

    // MARK: Parameters

    /// Number of parameter tensors over all layers.
    /// (A plain loop: `reduce` over the layers ran unspecialised in the standard library and
    /// allocated on every call, and `NetworkOptimizer.step` asks once per training step.)
    public var parameterTensorCount: Int {
        var total = 0
        for index in layers.indices { total += layers[index].parameterTensorCount }
        return total
    }

    /// Total number of scalar parameters.
    public var parameterCount: Int {
        var total = 0
        updateParameters { _, values, _ in total += values.count }
        return total
    }

    /// Calls `body(tensorIndex, values, gradient)` for every parameter tensor in order;
    /// `body` may change the values in place (an optimizer step), but must not touch the
    /// network itself meanwhile (the arrays are borrowed exclusively during the call).
    public func updateParameters(_ body: (Int, inout [Scalar], [Scalar]) -> Void) {
        var tensor = 0
        for layer in layers {
            for index in 0..<layer.parameterTensorCount {
                layer.withParameter(index) { values, gradient in body(tensor, &values, gradient) }
                tensor += 1
            }
        }
    }

    /// All parameters concatenated in tensor order (a copy).
    public var flatParameters: [Scalar] {
        get {
            var all: [Scalar] = []
            updateParameters { _, values, _ in all.append(contentsOf: values) }
            return all
        }
        set {
            requireValid(newValue.count == parameterCount,
                         "Sequential.flatParameters: expected \(parameterCount) parameters, got \(newValue.count)")
            var offset = 0
            updateParameters { _, values, _ in
                for i in values.indices { values[i] = newValue[offset + i] }
                offset += values.count
            }
        }
    }

    /// All accumulated gradients concatenated in tensor order (a copy).
    public var flatGradients: [Scalar] {
        var all: [Scalar] = []
        updateParameters { _, _, gradient in all.append(contentsOf: gradient) }
        return all
    }

    /// One line per layer: name and output shape.
    public var summary: String {
        layers.map { "\($0.name) -> \($0.outputShape)" }.joined(separator: "\n")
    }
}
