import OptimKit
/// Reads a DEFLATE bit stream: bits are taken from each byte starting at the least
/// significant one, and multi-bit fields are little-endian.
///
/// Up to 64 bits are buffered. Every read checks that the bits exist and throws
/// `InflateError.truncated` otherwise, so corrupt input can never read out of bounds.
struct BitReader {
    let bytes: [UInt8]
    /// Next byte to move into the bit buffer.
    private(set) var position: Int
    private var buffer: UInt64 = 0
    private(set) var bitCount = 0

    init(_ bytes: [UInt8], start: Int = 0) {
        self.bytes = bytes
        position = start
    }

    /// Tops the buffer up to at least 57 bits (or until the input ends).
    @inline(__always)
    mutating func refill() {
        while bitCount <= 56 && position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    /// The next `count` (0...32) bits without consuming them; missing bits read as 0.
    @inline(__always)
    mutating func peek(_ count: Int) -> Int {
        if bitCount < count { refill() }
        return Int(truncatingIfNeeded: buffer & ((UInt64(1) << UInt64(count)) - 1))
    }

    /// Drops `count` bits that are known to be present.
    @inline(__always)
    mutating func consume(_ count: Int) throws {
        if count > bitCount { throw InflateError.truncated }
        buffer >>= UInt64(count)
        bitCount -= count
    }

    /// Reads a `count`-bit little-endian field (0...32 bits).
    @inline(__always)
    mutating func bits(_ count: Int) throws -> Int {
        if bitCount < count {
            refill()
            if bitCount < count { throw InflateError.truncated }
        }
        let value = Int(truncatingIfNeeded: buffer & ((UInt64(1) << UInt64(count)) - 1))
        buffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Skips to the next byte boundary.
    mutating func alignToByte() {
        let drop = bitCount % 8
        buffer >>= UInt64(drop)
        bitCount -= drop
    }

    /// Index of the first byte not yet consumed (after `alignToByte`).
    var bytePosition: Int { position - bitCount / 8 }

    /// Moves to an absolute byte position, discarding buffered bits.
    mutating func seek(toByte index: Int) {
        position = index
        buffer = 0
        bitCount = 0
    }
}
