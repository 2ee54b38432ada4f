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

@Suite struct MNISTTests {
    @Test func shippedDigitsLoadAndVerify() throws {
        let digits = try MNISTDigits.loadShipped()
        #expect(digits.count == 10_000 && digits.rows == 28 && digits.columns == 28)
        #expect(digits.images.count == 10_000 * 784)
        #expect(digits.images.min() == 0 && digits.images.max() == 1)
        // The class counts of the MNIST test split.
        #expect(digits.classCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(Array(digits.labels.prefix(5)) == [7, 2, 1, 0, 4])
    }

    @Test func checksumMismatchIsReported() throws {
        let path = try MNISTDigits.resourcePath(MNISTDigits.labelsFile)
        do {
            _ = try MNISTDigits.verifiedContents(path: path, sha256: String(repeating: "0", count: 64))
            Issue.record("a wrong checksum was accepted")
        } catch let error as IDXError {
            guard case let .checksumMismatch(_, actual) = error.problem else { Issue.record("\(error)"); return }
            #expect(actual == MNISTDigits.labelsSHA256)
            #expect(error.description.contains(MNISTDigits.labelsFile))
        }
    }

    @Test func seededSplit() throws {
        let digits = try MNISTDigits.loadShipped()
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let first = digits.split(trainCount: 8000, generator: &a)
        let second = digits.split(trainCount: 8000, generator: &b)
        #expect(first.train == second.train && first.heldOut == second.heldOut)
        #expect(first.train.count == 8000 && first.heldOut.count == 2000)
        let together = zip(first.train.classCounts, first.heldOut.classCounts).map { $0 + $1 }
        #expect(together == digits.classCounts)
        #expect(first.train.labels != Array(digits.labels.prefix(8000)))
    }
}
