import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// A test function as the explorer shows it: the region drawn, where runs start until the
/// reader moves the start, and which contour lines are drawn. One per name of
/// `Objective2D.testFunctionNames`, in that order (the `f` key cycles through them).
///
/// The quadratics use the chapters' region (−5.5…1 × −3…1, start (−5, −2)); Rosenbrock and
/// the saddle use the races' courses of Section 11.10; the others a box around their minima.
/// Functions that grow steeply get contour levels spaced by factors, so their valleys show.
///
/// ```swift
/// let s = ExplorerSurface.named("rosenbrock")!
/// s.start      // (−1.5, 2)
/// ```
public struct ExplorerSurface: Sendable {
    public let name: String
    public let objective: Objective2D
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let start: Point2D
    public let levels: ContourLevels

    public static let all: [ExplorerSurface] = Objective2D.testFunctionNames.map { name in
        // `named` knows every name of `testFunctionNames`.
        let f = (try? Objective2D.named(name)) ?? .ellipse(a: 1, b: 2)
        switch name {
        case "rosenbrock":
            return ExplorerSurface(name: name, objective: f, xRange: -2...2, yRange: -1...3, start: Point2D(-1.5, 2),
                                   levels: .values([0.5, 2, 8, 32, 128, 512]))
        case "beale":
            return ExplorerSurface(name: name, objective: f, xRange: -1...4.5, yRange: -1.5...2, start: Point2D(1, 1.5),
                                   levels: .values([0.1, 0.5, 2, 8, 32, 128]))
        case "booth":
            return ExplorerSurface(name: name, objective: f, xRange: -4...6, yRange: -2...8, start: Point2D(-3, -1),
                                   levels: .automatic(8))
        case "saddle":
            return ExplorerSurface(name: name, objective: f, xRange: -2.5...2.5, yRange: -2.5...2.5, start: Point2D(-2, 0.01),
                                   levels: .values([-4, -2, -1, 0, 1, 2, 4]))
        case "himmelblau":
            return ExplorerSurface(name: name, objective: f, xRange: -5...5, yRange: -5...5, start: Point2D(0, 0),
                                   levels: .values([2, 10, 30, 80, 160, 320]))
        default: // the book's quadratics
            return ExplorerSurface(name: name, objective: f, xRange: -5.5...1.0, yRange: -3.0...1.0, start: Point2D(-5, -2),
                                   levels: .automatic(8))
        }
    }

    public static func named(_ name: String) -> ExplorerSurface? {
        all.first { $0.name == name.lowercased() }
    }
}
