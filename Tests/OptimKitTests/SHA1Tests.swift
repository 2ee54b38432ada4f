@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

@Suite struct SHA1Tests {
    /// The FIPS 180 examples plus the empty message.
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func knownVectors(message: String, expected: String) {
        #expect(SHA1.hexDigest(of: Data(message.utf8)) == expected)
    }

    @Test func oneMillionAs() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA1.hexDigest(of: data) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// Lengths around the padding boundary (55, 56, 63, 64, 65 bytes) must agree whether
    /// the bytes are fed at once or one at a time.
    @Test func incrementalEqualsOneShot() {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var incremental = SHA1()
            for b in bytes { incremental.update([b]) }
            #expect(incremental.hexDigest() == SHA1.hexDigest(of: Data(bytes)), "length \(length)")
        }
    }

    @Test func paddingBoundaryVectors() {
        // 56 and 64 'a's: cross-checked with the system's sha1sum.
        #expect(SHA1.hexDigest(of: Data(repeating: 0x61, count: 56)) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(SHA1.hexDigest(of: Data(repeating: 0x61, count: 64)) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test func bundledAirfoilFile() throws {
        let data = try AirfoilData.bundledFileContents()
        #expect(SHA1.hexDigest(of: data) == AirfoilData.expectedSHA1)
    }
}
