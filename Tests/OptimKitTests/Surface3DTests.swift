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

@Suite struct Surface3DTests {
    static func svg(_ s: Surface3D) -> String {
        var ax = Axes(); ax.surface = s
        return Figure(width: 400, height: 350, ax).svg(maskVolatile: true)
    }

    static func count(_ needle: String, in hay: String) -> Int { hay.components(separatedBy: needle).count - 1 }

    @Test func wireStrideStrokesOnlyTheWireLines() {
        var s = Surface3D(x: -1...1, y: -1...1, samples: 31) { x, y in x * x - y * y }
        let full = Self.svg(s)
        #expect(Self.count("stroke=\"none\"", in: full) == 0)
        s.wireStride = 3
        let strided = Self.svg(s)
        // 30 × 30 cells, each filled without stroke.
        #expect(Self.count("stroke=\"none\"", in: strided) == 900)
        // Eleven wire lines each way (indices 0, 3, …, 30). Each boundary wire is an edge of 30
        // cells, each interior wire of 60 (drawn by the cells on both sides): 2 · (2·30 + 9·60).
        let edgePaths = strided.components(separatedBy: "<path d=\"").filter { $0.contains("fill=\"none\"/>") && !$0.contains("stroke=") }
        let segments = edgePaths.reduce(0) { $0 + Self.count("M", in: String($1.prefix { $0 != "\"" })) }
        #expect(segments == 1200)
    }

    @Test func zLimitsSetTheBoxRange() {
        var s = Surface3D(x: -1...1, y: -1...1, samples: 11) { x, y in x * x + 0.5 * cos(2 * Double.pi * y) }
        let auto = Self.svg(s)
        s.zLimits = -1...1.5
        let fixed = Self.svg(s)
        #expect(auto != fixed)
        // z tick labels are right-aligned: the data range (above −0.5) has no tick at −1,
        // the limits −1 to 1.5 give −1, 0, 1.
        func zTicks(_ svg: String) -> [String] {
            svg.components(separatedBy: "anchor=\"end\" font-size=\"8\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        }
        #expect(zTicks(fixed) == ["−1", "0", "1"])
        #expect(!zTicks(auto).isEmpty && !zTicks(auto).contains("−1") && !zTicks(auto).contains("−1.0"))
    }
}
