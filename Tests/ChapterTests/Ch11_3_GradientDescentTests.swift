import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Testing

@Suite struct Ch11_3_GradientDescentTests {
    /// The eight outputs the book printed, verbatim (spec 11.3).
    static let bookOutputs = [
        "epoch 10, x: 0.06046617599999997",
        "epoch 10, x: 3.4867844009999995",
        "epoch 10, x: 61.917364224000096",
        "epoch 10, x: -1.528165927635083",
        "epoch 20, x1 -0.057646, x2 -0.000073",
        "epoch 10, x: 0.0",
        "epoch 10, x: 26.83413291324767",
        "epoch 10, x: 7.269860168684531",
    ]

    @Test func printsEveryBookOutputVerbatimAndInOrder() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        var position = 0
        for expected in Self.bookOutputs {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("book output missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        Golden.checkChapter(nb)
    }

    @Test func everyFigureIsNumberedAndCaptioned() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        #expect(nb.files.count >= 10)
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() {
            #expect(page.contains("![Figure \(i + 1)](\(file.name))"))
        }
    }
}
