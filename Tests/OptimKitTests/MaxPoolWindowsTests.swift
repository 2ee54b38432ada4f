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

/// The branch-free 2x2 / stride-2 max pooling (vectors of 16 windows in `Float`) against a
/// plain reference written here: the same maxima, bit for bit, and the same winners (seen
/// through the backward pass, which routes each gradient to its window's winner), with
/// ties, NaNs, signed zeros, odd sizes, rows shorter and longer than a vector.
@Suite struct MaxPoolWindowsTests {
    /// Reference forward: maximum and winning index per window, first strict maximum wins.
    static func reference(_ x: [Float], channels: Int, height: Int, width: Int, batch: Int) -> ([Float], [Int]) {
        let outH = height / 2, outW = width / 2
        var values: [Float] = [], winners: [Int] = []
        for n in 0..<batch {
            for c in 0..<channels {
                for i in 0..<outH {
                    for j in 0..<outW {
                        let origin = ((n * channels + c) * height + 2 * i) * width + 2 * j
                        var best = x[origin], index = origin
                        for (du, dv) in [(0, 1), (1, 0), (1, 1)] where x[origin + du * width + dv] > best {
                            best = x[origin + du * width + dv]
                            index = origin + du * width + dv
                        }
                        values.append(best)
                        winners.append(index)
                    }
                }
            }
        }
        return (values, winners)
    }

    @Test(arguments: [(6, 28, 28), (16, 10, 10), (3, 7, 9), (2, 40, 66), (1, 2, 2), (2, 5, 35)])
    func matchesReference(shape: (Int, Int, Int)) {
        let (channels, height, width) = shape
        let batch = 3
        var rng = SeededGenerator(seed: UInt64(channels * 1000 + height * 10 + width))
        // Few distinct values, so ties are common; some NaNs and signed zeros.
        var x = (0..<(batch * channels * height * width)).map { _ in Float(rng.integer(below: 5)) - 2 }
        for i in stride(from: 3, to: x.count, by: 17) { x[i] = -0.0 }
        for i in stride(from: 7, to: x.count, by: 29) { x[i] = .nan }
        let layer = MaxPool2D<Float>(inputShape: TensorShape(channels: channels, height: height, width: width))
        layer.forward(x, batch: batch)
        let (values, winners) = Self.reference(x, channels: channels, height: height, width: width, batch: batch)
        let count = values.count
        #expect(layer.output[0..<count].map { $0.isNaN ? UInt32.max : $0.bitPattern }
                == values.map { $0.isNaN ? UInt32.max : $0.bitPattern })
        // Distinct gradients show where each window's gradient lands.
        let gradient = (0..<count).map { Float($0 + 1) }
        layer.backward(x, outputGradient: gradient, batch: batch)
        var expected = [Float](repeating: 0, count: x.count)
        for (o, index) in winners.enumerated() { expected[index] += gradient[o] }
        #expect(Array(layer.inputGradient[0..<x.count]) == expected)
        // The Double layer (select path) agrees with the Float one (vector path).
        let double = MaxPool2D<Double>(inputShape: layer.inputShape)
        double.forward(x.map(Double.init), batch: batch)
        #expect(double.output[0..<count].map { $0.isNaN ? UInt64.max : Double(Float($0)).bitPattern }
                == values.map { $0.isNaN ? UInt64.max : Double($0).bitPattern })
    }
}
