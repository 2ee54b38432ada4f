import OptimKit
import Foundation

/// SHA-1 (FIPS 180-4), used only to check that a data file is the one the book used.
///
/// SHA-1 is no longer collision-resistant against a determined attacker, but it is the
/// checksum the book's data hub publishes, and recognising an accidentally truncated or
/// edited file is all that is asked of it here. Implemented directly because the project
/// takes no dependencies and CryptoKit does not exist on Linux.
///
/// The message is padded with a 1 bit, zeros, and its bit length as a 64-bit big-endian
/// number, to a multiple of 64 bytes; each 64-byte block is expanded to 80 words and
/// mixed into five 32-bit state words over 80 rounds.
///
/// ```swift
/// SHA1.hexDigest(of: Data("abc".utf8))   // "a9993e364706816aba3e25717850c26c9cd0d89d"
/// ```
public struct SHA1: Sendable {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    /// Bytes waiting for a full 64-byte block.
    private var pending: [UInt8] = []
    private var totalBytes: UInt64 = 0

    public init() { pending.reserveCapacity(64) }

    /// Feeds more bytes; may be called any number of times.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            pending.append(byte)
            totalBytes &+= 1
            if pending.count == 64 {
                compress(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The 20-byte digest of everything fed so far.
    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        let used = (pending.count + 1) % 64
        let zeros = used <= 56 ? 56 - used : 120 - used
        tail += [UInt8](repeating: 0, count: zeros)
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        var rest = copy.pending + tail
        // An invariant of the padding above, not something a caller can break: no message needed.
        precondition(rest.count % 64 == 0)
        while !rest.isEmpty {
            copy.compress(Array(rest.prefix(64)))
            rest.removeFirst(64)
        }
        var digest: [UInt8] = []
        for word in [copy.h.0, copy.h.1, copy.h.2, copy.h.3, copy.h.4] {
            for shift in stride(from: 24, through: 0, by: -8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return digest
    }

    /// The digest as 40 lowercase hexadecimal digits.
    public func hexDigest() -> String {
        finalize().map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }

    public static func digest(of data: Data) -> [UInt8] {
        var hasher = SHA1()
        hasher.update(data)
        return hasher.finalize()
    }

    public static func hexDigest(of data: Data) -> String {
        var hasher = SHA1()
        hasher.update(data)
        return hasher.hexDigest()
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    private mutating func compress(_ block: [UInt8]) {
        var w = [UInt32](repeating: 0, count: 80)
        for i in 0..<16 {
            w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16
                | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
        }
        for i in 16..<80 {
            w[i] = SHA1.rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1)
        }
        var (a, b, c, d, e) = h
        for i in 0..<80 {
            let f: UInt32, k: UInt32
            switch i {
            case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
            case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
            case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
            default: f = b ^ c ^ d; k = 0xCA62_C1D6
            }
            let temp = SHA1.rotl(a, 5) &+ f &+ e &+ k &+ w[i]
            e = d; d = c; c = SHA1.rotl(b, 30); b = a; a = temp
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
    }
}
