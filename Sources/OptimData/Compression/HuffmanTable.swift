import OptimKit
/// A canonical Huffman code (RFC 1951, section 3.2.2) as a lookup table.
///
/// The table is indexed by the next `maxLength` stream bits (the stream stores codes
/// starting from their most significant bit, so each code is entered bit-reversed) and
/// holds `symbol << 4 | length`; a zero entry means "no code has this prefix". Codes may
/// be incomplete (DEFLATE allows that for a distance code with one symbol), but never
/// over-subscribed.
struct HuffmanTable {
    private var entries: [UInt32]
    let maxLength: Int

    /// `lengths[s]` is the code length of symbol `s` (0 = unused, at most 15).
    init(lengths: [Int]) throws {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard length >= 0 && length <= 15 else { throw InflateError.invalidCodeLengths("length \(length) above 15") }
            counts[length] += 1
        }
        counts[0] = 0
        // Kraft inequality: more codes of a length than remain available is impossible.
        var left = 1
        for length in 1...15 {
            left <<= 1
            left -= counts[length]
            if left < 0 { throw InflateError.invalidCodeLengths("over-subscribed code") }
        }
        var longest = 0
        for length in stride(from: 15, through: 1, by: -1) where counts[length] > 0 {
            longest = length
            break
        }
        maxLength = max(longest, 1)
        entries = [UInt32](repeating: 0, count: 1 << maxLength)
        // First canonical code of each length.
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let canonical = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where canonical & (1 << (length - 1 - bit)) != 0 {
                reversed |= 1 << bit
            }
            let entry = UInt32(symbol << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
    }

    /// Decodes one symbol from `reader`.
    @inline(__always)
    func decode(_ reader: inout BitReader) throws -> Int {
        let entry = entries[reader.peek(maxLength)]
        let length = Int(entry & 15)
        if length == 0 {
            // Either a prefix no code uses, or the stream ended before a full code.
            reader.refill()
            if reader.bitCount < maxLength { throw InflateError.truncated }
            throw InflateError.invalidSymbol
        }
        try reader.consume(length)
        return Int(entry >> 4)
    }
}
