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

/// `LayerMath.exp(inPlace:count:)` gives exactly the scalar `LayerMath.exp`, element by
/// element, for ordinary inputs across the whole range and for every special case.
@Suite struct BatchedExpTests {
    @Test func sameBitsAsScalar() {
        var rng = SeededGenerator(seed: 17)
        var inputs: [Double] = [0, -0.0, 1, -1, 1e-300, -1e-300, 0.5 * log(2.0), 709.782712893384, 709.7827128933841,
                                -745.2, -745.2000000000001, -800, 800, .infinity, -.infinity, .nan,
                                -708.4, -744.9, 700, -0.6931471805599453]
        inputs += (0..<500).map { _ in rng.uniform(-750, 720) }
        inputs += (0..<500).map { _ in rng.uniform(-30, 0) }
        for count in [1, 3, 10, inputs.count] {
            var start = 0
            while start + count <= inputs.count {
                var values = Array(inputs[start..<(start + count)])
                values.withUnsafeMutableBufferPointer { LayerMath.exp(inPlace: $0.baseAddress!, count: count) }
                for (x, y) in zip(inputs[start..<(start + count)], values) {
                    let want = LayerMath.exp(x)
                    #expect(y.bitPattern == want.bitPattern || (y.isNaN && want.isNaN), "exp(\(x)): \(y) vs \(want)")
                }
                start += count
            }
        }
    }
}
