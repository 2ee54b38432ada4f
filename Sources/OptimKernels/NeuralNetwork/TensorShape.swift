import OptimKit
/// The shape of one sample flowing through a network: channels x height x width.
///
/// A minibatch of `n` samples is stored as one flat array in NCHW order (sample,
/// channel, row, column; the last index varies fastest). Feature vectors are
/// `channels x 1 x 1`.
///
/// ```swift
/// let image = TensorShape(channels: 1, height: 28, width: 28)   // count 784
/// let features = TensorShape(features: 120)
/// ```
public struct TensorShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// A flat vector of `features` numbers.
    public init(features: Int) { self.init(channels: features, height: 1, width: 1) }

    /// Numbers per sample.
    public var count: Int { channels * height * width }

    public var description: String { "\(channels)x\(height)x\(width)" }
}
