@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing

@Suite struct LineDiffTests {
    @Test func equalTextsHaveNoDiff() {
        #expect(LineDiff.diff(expected: "a\nb", actual: "a\nb") == "")
    }

    @Test func changedLineShowsBothSides() {
        let d = LineDiff.diff(expected: "a\nb\nc\nd", actual: "a\nB\nc\nd")
        #expect(d.contains("- b"))
        #expect(d.contains("+ B"))
        #expect(d.contains("  a"))
    }

    @Test func insertionIsAPlusLine() {
        let d = LineDiff.diff(expected: "x\ny", actual: "x\nnew\ny")
        #expect(d.contains("+ new"))
        #expect(!d.contains("- x"))
    }
}
