@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Splitting the input into pieces of any size must not change the digest.
    @Test func incrementalUpdatesAgree() {
        var rng = SeededGenerator(seed: 4)
        let message = (0..<1000).map { _ in UInt8(rng.integer(below: 256)) }
        let whole = SHA256.hash(message)
        for piece in [1, 7, 63, 64, 65, 200] {
            var h = SHA256()
            var i = 0
            while i < message.count {
                h.update(Array(message[i..<min(message.count, i + piece)]))
                i += piece
            }
            #expect(h.finalize() == whole, "pieces of \(piece)")
        }
        // Lengths around the padding boundary.
        for length in 54...66 {
            var h = SHA256()
            h.update(Array(message.prefix(length)))
            #expect(h.finalize() == SHA256.hash(Array(message.prefix(length))))
        }
    }
}
