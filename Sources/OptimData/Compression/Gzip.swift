import OptimKit
/// The gzip container (RFC 1952) around DEFLATE data.
///
/// A member is: magic `1f 8b`, method 8 (deflate), a flag byte, modification time,
/// extra flags and OS; then, as the flags say, an extra field (FEXTRA), a
/// zero-terminated file name (FNAME) and comment (FCOMMENT), and a header CRC16 (FHCRC);
/// then the deflate stream and an 8-byte trailer with the CRC-32 and the length
/// (mod 2^32) of the original data, both checked here. Several members in a row (as
/// `cat a.gz b.gz` makes) decode to the concatenation of their contents.
///
/// ```swift
/// if Gzip.isGzip(bytes) { bytes = try Gzip.decompress(bytes) }
/// ```
public enum Gzip {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case notGzip
        case truncatedHeader
        case unsupportedMethod(UInt8)
        case reservedFlags(UInt8)
        case headerChecksumMismatch
        case deflate(InflateError)
        case truncatedTrailer
        case checksumMismatch(stored: UInt32, computed: UInt32)
        case sizeMismatch(stored: UInt32, actual: UInt32)
        case trailingGarbage(bytes: Int)

        public var description: String {
            switch self {
            case .notGzip: return "not gzip data (the magic bytes 1f 8b are missing)"
            case .truncatedHeader: return "gzip header is truncated"
            case .unsupportedMethod(let m): return "gzip compression method \(m) is not supported (only 8, deflate)"
            case .reservedFlags(let f): return "gzip header has reserved flag bits set (flags 0x\(String(f, radix: 16)))"
            case .headerChecksumMismatch: return "gzip header checksum (FHCRC) does not match"
            case .deflate(let e): return e.description
            case .truncatedTrailer: return "gzip data is truncated: the CRC-32/size trailer is missing"
            case let .checksumMismatch(stored, computed):
                return "gzip CRC-32 mismatch: stored 0x\(String(stored, radix: 16)), data gives 0x\(String(computed, radix: 16))"
            case let .sizeMismatch(stored, actual):
                return "gzip size mismatch: trailer says \(stored) bytes, decoded \(actual)"
            case .trailingGarbage(let n): return "\(n) bytes of non-gzip data follow the compressed data"
            }
        }
    }

    /// Whether `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses all members of a gzip file; output above `limit` bytes is refused.
    public static func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        guard isGzip(bytes) else { throw Failure.notGzip }
        var output = [UInt8]()
        var position = 0
        while position < bytes.count {
            let rest = bytes.count - position
            if rest >= 2 && bytes[position] == 0x1F && bytes[position + 1] == 0x8B {
                position = try member(bytes, at: position, into: &output, limit: limit)
            } else if bytes[position...].allSatisfy({ $0 == 0 }) {
                break  // zero padding after the last member (tape-style), as gzip accepts
            } else {
                throw Failure.trailingGarbage(bytes: rest)
            }
        }
        return output
    }

    /// Decodes one member starting at `start`, appends its data, returns the next position.
    private static func member(_ bytes: [UInt8], at start: Int, into output: inout [UInt8], limit: Int) throws -> Int {
        let p = try dataStart(bytes, member: start)
        let decoded: [UInt8]
        let end: Int
        do {
            let room = limit - output.count
            (decoded, end) = try Inflate.decompress(bytes, start: p, limit: room, sizeHint: sizeHint(bytes))
        } catch let error as InflateError {
            throw Failure.deflate(error)
        }
        return try checkTrailer(bytes, end: end, decoded: decoded, into: &output)
    }

    /// Checks a member's header starting at `start` and returns where its deflate data begin.
    private static func dataStart(_ bytes: [UInt8], member start: Int) throws -> Int {
        var p = start
        func need(_ n: Int) throws { if bytes.count - p < n { throw Failure.truncatedHeader } }
        try need(10)
        guard bytes[p + 2] == 8 else { throw Failure.unsupportedMethod(bytes[p + 2]) }
        let flags = bytes[p + 3]
        guard flags & 0xE0 == 0 else { throw Failure.reservedFlags(flags) }
        p += 10
        if flags & 0x04 != 0 {  // FEXTRA
            try need(2)
            let extraLength = Int(bytes[p]) | Int(bytes[p + 1]) << 8
            p += 2
            try need(extraLength)
            p += extraLength
        }
        for flag in [UInt8(0x08), 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT
            while true {
                try need(1)
                p += 1
                if bytes[p - 1] == 0 { break }
            }
        }
        if flags & 0x02 != 0 {  // FHCRC: low 16 bits of the CRC-32 of the header so far
            try need(2)
            let stored = UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8
            let computed = UInt16(truncatingIfNeeded: CRC32.checksum(Array(bytes[start..<p])))
            guard stored == computed else { throw Failure.headerChecksumMismatch }
            p += 2
        }
        return p
    }

    /// Checks the CRC-32/size trailer at `end`, appends the member's data, returns the next position.
    private static func checkTrailer(_ bytes: [UInt8], end: Int, decoded: [UInt8], into output: inout [UInt8]) throws -> Int {
        guard bytes.count - end >= 8 else { throw Failure.truncatedTrailer }
        let storedCRC = littleEndian32(bytes, end)
        let storedSize = littleEndian32(bytes, end + 4)
        let computedCRC = CRC32.checksum(decoded)
        guard storedCRC == computedCRC else { throw Failure.checksumMismatch(stored: storedCRC, computed: computedCRC) }
        let actualSize = UInt32(truncatingIfNeeded: decoded.count)
        guard storedSize == actualSize else { throw Failure.sizeMismatch(stored: storedSize, actual: actualSize) }
        if output.isEmpty { output = decoded } else { output.append(contentsOf: decoded) }
        return end + 8
    }

    /// The size the last trailer claims, used only to reserve memory (capped, since it
    /// may be wrong or hostile).
    private static func sizeHint(_ bytes: [UInt8]) -> Int {
        guard bytes.count >= 18 else { return 0 }
        let claimed = Int(littleEndian32(bytes, bytes.count - 4))
        return min(claimed, bytes.count * 20 + 4096)
    }

    private static func littleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

extension Gzip {
    /// The first `count` bytes of the first member's data (fewer when it is shorter), without
    /// inflating the rest: a reader checks a header before committing to the whole file.
    public static func decompressedPrefix(_ bytes: [UInt8], count: Int) throws -> [UInt8] {
        guard isGzip(bytes) else { throw Failure.notGzip }
        let start = try dataStart(bytes, member: 0)
        do {
            return try Inflate.decompressPrefix(bytes, start: start, count: count)
        } catch let error as InflateError {
            throw Failure.deflate(error)
        }
    }
}
