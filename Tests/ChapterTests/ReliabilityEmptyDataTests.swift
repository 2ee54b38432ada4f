import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Foundation
import Testing

/// 11.11 on a Fashion-MNIST directory whose test set holds no images: refused before any
/// training with a message naming the file and the count, not trained into
/// "test acc 0.000".
extension ReliabilityExecutableTests {
    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryWithAnEmptyTestSet() throws {
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let dir = try Self.fashionDirectory { files in
            files["t10k-images-idx3-ubyte"] = [0, 0, 8, 3] + be(0) + be(28) + be(28)
            files["t10k-labels-idx1-ubyte"] = [0, 0, 8, 1] + be(0)
        }
        try expectDataFailure(dir, "\(dir)/t10k-images-idx3-ubyte: holds 0 images; a data set needs at least 1")
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func helpStatesTheMemoryCap() throws {
        let r = try ChapterExecutable.run(Self.dataChapter, ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("1 GiB"), "\(r.stdout)")
    }
}
