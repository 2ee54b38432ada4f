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

@Suite struct ProjectionTests {
    static func l1(_ v: [Double]) -> Double { v.reduce(0) { $0 + abs($1) } }
    static func l2(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Random points of several sizes and scales, many of them outside the unit balls.
    static func samplePoints() -> [[Double]] {
        var g = SeededGenerator(seed: 7)
        var points: [[Double]] = [[3, 4], [2, 0.5], [1, 1], [0.2, -0.1], [0, 0], [-5, 0], [0.5, 0.5, 0.5, 0.5]]
        for n in [1, 2, 3, 5, 10] {
            for scale in [0.1, 1.0, 4.0] {
                for _ in 0..<6 { points.append(g.normals(n).map { $0 * scale }) }
            }
        }
        return points
    }

    /// A uniformly spread sample of the ball of the given norm and radius (for the optimality test).
    static func sampleBall(dimension n: Int, radius: Double, l1Ball: Bool, _ g: inout SeededGenerator) -> [Double] {
        let v = g.normals(n)
        let norm = l1Ball ? l1(v) : l2(v)
        let r = radius * g.uniform()
        return norm == 0 ? v : v.map { $0 / norm * r }
    }

    @Test func handWorkedExamples() {
        #expect(Projection.ontoL2Ball([3, 4]) == [0.6, 0.8])
        #expect(Projection.ontoL2Ball([0.3, 0.4]) == [0.3, 0.4])
        #expect(Projection.ontoL2Ball([3, 4], radius: 0) == [0, 0])
        #expect(Projection.ontoL1Ball([2, 0.5]) == [1, 0])
        #expect(Projection.ontoL1Ball([1, 1]) == [0.5, 0.5])
        #expect(Projection.ontoL1Ball([-1, 1]) == [-0.5, 0.5])
        #expect(Projection.ontoL1Ball([0.25, -0.5]) == [0.25, -0.5])
        // θ = (3 + 2 + 0.5 − 2) / 2 = 1.75 would leave 0.5 − 1.75 < 0, so ρ = 2 and θ = (5 − 2)/2 = 1.5.
        #expect(Projection.ontoL1Ball([3, -2, 0.5], radius: 2) == [1.5, -0.5, 0])
        #expect(Projection.ontoL1Ball(Point2D(0, 3)) == Point2D(0, 1))
    }

    @Test func resultLiesInTheBallAndOnItsBoundaryWhenOutside() {
        for x in Self.samplePoints() {
            for r in [0.5, 1.0, 2.0] {
                let p2 = Projection.ontoL2Ball(x, radius: r)
                let p1 = Projection.ontoL1Ball(x, radius: r)
                #expect(Self.l2(p2) <= r * (1 + 1e-12))
                #expect(Self.l1(p1) <= r * (1 + 1e-12))
                if Self.l2(x) > r { #expect(abs(Self.l2(p2) - r) < 1e-12 * r) }
                if Self.l1(x) > r { #expect(abs(Self.l1(p1) - r) < 1e-12 * max(r, 1)) }
                // Signs are kept (no coordinate crosses zero).
                for (a, b) in zip(x, p1) { #expect(a * b >= 0) }
            }
        }
    }

    @Test func projectingTwiceChangesNothing() {
        for x in Self.samplePoints() {
            let p2 = Projection.ontoL2Ball(x)
            let p1 = Projection.ontoL1Ball(x)
            let p2again = Projection.ontoL2Ball(p2), p1again = Projection.ontoL1Ball(p1)
            for (a, b) in zip(p2, p2again) { #expect(abs(a - b) <= 1e-15) }
            for (a, b) in zip(p1, p1again) { #expect(abs(a - b) <= 1e-15) }
        }
    }

    /// The variational characterisation of a projection onto a convex set C:
    /// p = Proj_C(x) iff ⟨x − p, y − p⟩ ≤ 0 for every y in C.
    @Test func optimalityConditionHoldsForSampledPointsOfTheBall() {
        var g = SeededGenerator(seed: 11)
        for x in Self.samplePoints() where !x.isEmpty {
            for l1Ball in [false, true] {
                let p = l1Ball ? Projection.ontoL1Ball(x) : Projection.ontoL2Ball(x)
                let residual = zip(x, p).map { $0 - $1 }
                for _ in 0..<200 {
                    let y = Self.sampleBall(dimension: x.count, radius: 1, l1Ball: l1Ball, &g)
                    let inner = Self.dot(residual, zip(y, p).map { $0 - $1 })
                    #expect(inner <= 1e-12, "x = \(x), l1 = \(l1Ball), y = \(y): ⟨x − p, y − p⟩ = \(inner)")
                }
            }
        }
    }

    /// The ℓ₁ projection beats a brute-force search over the 2-D diamond's boundary.
    @Test func l1ProjectionIsTheClosestPointOfTheDiamond() {
        for x in Self.samplePoints() where x.count == 2 && Self.l1(x) > 1 {
            let p = Projection.ontoL1Ball(x)
            let best = Self.l2(zip(x, p).map { $0 - $1 })
            for k in 0..<4000 {
                let t = Double(k) / 4000 * 4
                let seg = Int(t), u = t - Double(seg)
                let corners: [[Double]] = [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]]
                let a = corners[seg], b = corners[seg + 1]
                let y = [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])]
                #expect(best <= Self.l2(zip(x, y).map { $0 - $1 }) + 1e-12)
            }
        }
    }

    @Test func l2ProjectionKeepsTheDirection() {
        for x in Self.samplePoints() where Self.l2(x) > 1 {
            let p = Projection.ontoL2Ball(x)
            let cosine = Self.dot(x, p) / (Self.l2(x) * Self.l2(p))
            #expect(abs(cosine - 1) < 1e-12)
        }
    }
}
