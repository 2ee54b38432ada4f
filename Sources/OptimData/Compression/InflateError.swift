import OptimKit
/// Why a DEFLATE stream could not be decoded. The messages name the problem; callers
/// that read files add the file name.
public enum InflateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended in the middle of the stream.
    case truncated
    /// Block type 3 does not exist.
    case invalidBlockType
    /// A stored block's length and its complement disagree.
    case storedLengthMismatch
    /// A dynamic block's code-length description is impossible.
    case invalidCodeLengths(String)
    /// A bit pattern matched no code, or decoded to a symbol that may not occur.
    case invalidSymbol
    /// A back-reference points before the start of the output.
    case distanceTooFar(distance: Int, available: Int)
    /// The output would exceed the caller's size limit.
    case outputTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .truncated: return "compressed data ends unexpectedly (truncated file?)"
        case .invalidBlockType: return "corrupt compressed data: invalid block type 3"
        case .storedLengthMismatch: return "corrupt compressed data: stored block length check failed"
        case .invalidCodeLengths(let why): return "corrupt compressed data: bad Huffman code lengths (\(why))"
        case .invalidSymbol: return "corrupt compressed data: invalid Huffman code"
        case let .distanceTooFar(distance, available):
            return "corrupt compressed data: back-reference distance \(distance) with only \(available) bytes decoded"
        case .outputTooLarge(let limit): return "decompressed data would exceed \(limit) bytes"
        }
    }
}
