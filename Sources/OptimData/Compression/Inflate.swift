import OptimKit
/// A DEFLATE decoder (RFC 1951) in plain Swift: stored, fixed-Huffman and
/// dynamic-Huffman blocks.
///
/// The stream is a sequence of blocks, each starting with a "last block" bit and a
/// 2-bit type. Huffman blocks emit literal bytes and (length, distance) pairs that copy
/// earlier output; lengths run 3...258 and distances 1...32768. Every read is
/// bounds-checked: damaged or hostile input ends in an `InflateError`, never in a
/// crash, and output beyond `limit` bytes (default 1 GiB) is refused so that a tiny
/// input cannot make the decoder run for minutes.
///
/// ```swift
/// let (bytes, end) = try Inflate.decompress(deflateStream)
/// ```
public enum Inflate {
    /// Decodes the stream starting at byte `start` of `input`.
    ///
    /// - Returns: the decoded bytes and the index of the first byte after the stream
    ///   (the stream ends on a byte boundary once its last block is done).
    public static func decompress(_ input: [UInt8], start: Int = 0, limit: Int = 1 << 30,
                                  sizeHint: Int = 0) throws -> (output: [UInt8], end: Int) {
        var reader = BitReader(input, start: start)
        var output = [UInt8]()
        output.reserveCapacity(min(max(sizeHint, 0), limit))
        var last = false
        while !last {
            last = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try storedBlock(&reader, into: &output, limit: limit)
            case 1:
                guard let fixed = fixedTables else { throw InflateError.invalidCodeLengths("fixed code tables") }
                try huffmanBlock(&reader, literals: fixed.literals, distances: fixed.distances, into: &output, limit: limit)
            case 2:
                let (literals, distances) = try dynamicTables(&reader)
                try huffmanBlock(&reader, literals: literals, distances: distances, into: &output, limit: limit)
            default: throw InflateError.invalidBlockType
            }
        }
        reader.alignToByte()
        return (output, reader.bytePosition)
    }

    private static func storedBlock(_ reader: inout BitReader, into output: inout [UInt8], limit: Int) throws {
        reader.alignToByte()
        let length = try reader.bits(16)
        let complement = try reader.bits(16)
        guard length ^ 0xFFFF == complement else { throw InflateError.storedLengthMismatch }
        guard output.count + length <= limit else { throw InflateError.outputTooLarge(limit: limit) }
        // Bytes may still sit in the bit buffer; take whole bytes from there first.
        var remaining = length
        while remaining > 0 && reader.bitCount >= 8 {
            output.append(UInt8(try reader.bits(8)))
            remaining -= 1
        }
        let from = reader.bytePosition
        guard remaining <= reader.bytes.count - from else { throw InflateError.truncated }
        output.append(contentsOf: reader.bytes[from..<(from + remaining)])
        reader.seek(toByte: from + remaining)
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                     3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                      257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                      8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                       7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private static func huffmanBlock(_ reader: inout BitReader, literals: HuffmanTable, distances: HuffmanTable,
                                     into output: inout [UInt8], limit: Int) throws {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                guard output.count < limit else { throw InflateError.outputTooLarge(limit: limit) }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw InflateError.invalidSymbol }
            let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < 30 else { throw InflateError.invalidSymbol }
            let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw InflateError.distanceTooFar(distance: distance, available: output.count)
            }
            guard output.count + length <= limit else { throw InflateError.outputTooLarge(limit: limit) }
            // Byte by byte: the source may overlap what is being written (run-length copies).
            var from = output.count - distance
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
    }

    /// The code of block type 1 (RFC 1951, 3.2.6). Valid by construction, so never nil.
    private static let fixedTables: (literals: HuffmanTable, distances: HuffmanTable)? = {
        var lengths = [Int](repeating: 8, count: 288)
        for s in 144..<256 { lengths[s] = 9 }
        for s in 256..<280 { lengths[s] = 7 }
        guard let literals = try? HuffmanTable(lengths: lengths),
              let distances = try? HuffmanTable(lengths: [Int](repeating: 5, count: 30)) else { return nil }
        return (literals, distances)
    }()

    /// Order in which the code-length code's lengths are stored.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static func dynamicTables(_ reader: inout BitReader) throws -> (HuffmanTable, HuffmanTable) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286 else { throw InflateError.invalidCodeLengths("\(literalCount) literal/length codes") }
        guard distanceCount <= 30 else { throw InflateError.invalidCodeLengths("\(distanceCount) distance codes") }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            codeLengthLengths[codeLengthOrder[i]] = try reader.bits(3)
        }
        let codeLengthCode = try HuffmanTable(lengths: codeLengthLengths)
        let total = literalCount + distanceCount
        var lengths = [Int]()
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try codeLengthCode.decode(&reader)
            switch symbol {
            case 0...15:
                lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else {
                    throw InflateError.invalidCodeLengths("repeat with no previous length")
                }
                let repeats = 3 + (try reader.bits(2))
                guard lengths.count + repeats <= total else { throw InflateError.invalidCodeLengths("repeat past the end") }
                lengths.append(contentsOf: repeatElement(previous, count: repeats))
            case 17, 18:
                let repeats = symbol == 17 ? 3 + (try reader.bits(3)) : 11 + (try reader.bits(7))
                guard lengths.count + repeats <= total else { throw InflateError.invalidCodeLengths("zeros past the end") }
                lengths.append(contentsOf: repeatElement(0, count: repeats))
            default:
                throw InflateError.invalidSymbol
            }
        }
        guard lengths[256] > 0 else { throw InflateError.invalidCodeLengths("no end-of-block code") }
        let literals = try HuffmanTable(lengths: Array(lengths[0..<literalCount]))
        let distances = try HuffmanTable(lengths: Array(lengths[literalCount...]))
        return (literals, distances)
    }
}

extension Inflate {
    /// The first `count` bytes of the stream starting at `start` (fewer when the stream is
    /// shorter). Decoding stops within one block's worth of output past `count`, so reading
    /// a header costs the same whatever the size of the data behind it.
    public static func decompressPrefix(_ input: [UInt8], start: Int = 0, count: Int) throws -> [UInt8] {
        var reader = BitReader(input, start: start)
        var output = [UInt8]()
        // Room for one whole stored block (65,535) or back-reference (258) beyond `count`, so
        // the limit is only ever hit once at least `count` bytes are out.
        let limit = count + 65_535 + 258
        var last = false
        do {
            while !last && output.count < count {
                last = try reader.bits(1) == 1
                switch try reader.bits(2) {
                case 0: try storedBlock(&reader, into: &output, limit: limit)
                case 1:
                    guard let fixed = fixedTables else { throw InflateError.invalidCodeLengths("fixed code tables") }
                    try huffmanBlock(&reader, literals: fixed.literals, distances: fixed.distances, into: &output, limit: limit)
                case 2:
                    let (literals, distances) = try dynamicTables(&reader)
                    try huffmanBlock(&reader, literals: literals, distances: distances, into: &output, limit: limit)
                default: throw InflateError.invalidBlockType
                }
            }
        } catch InflateError.outputTooLarge {
            // Enough decoded: the rest of the block is not needed.
        }
        return Array(output.prefix(count))
    }
}
