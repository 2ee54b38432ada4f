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

@Suite struct Eigen2x2Tests {
    /// Each eigenvalue must be a root of μ² − (a + d)μ + (ad − bc).
    func residual(_ m: [[Double]], _ mu: Complex2) -> Double {
        let t = m[0][0] + m[1][1], d = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        // (x + iy)² − t(x + iy) + d
        let re = mu.real * mu.real - mu.imaginary * mu.imaginary - t * mu.real + d
        let im = 2 * mu.real * mu.imaginary - t * mu.imaginary
        return Complex2(re, im).magnitude
    }

    @Test func rootsOfTheCharacteristicPolynomial() {
        let matrices: [[[Double]]] = [
            [[2, 1], [1, 2]], [[0, 1], [-1, 0]], [[0.5, 4], [-0.3, 0.2]], [[1e8, 1], [0, 1e-8]],
            [[3, 0], [0, -7]], [[0, 0], [0, 0]], [[0.9, 1], [-0.54, -0.2]],
        ]
        for m in matrices {
            let e = Eigen2x2(rows: m)
            for mu in e.values {
                let scale = max(1, mu.magnitude * mu.magnitude)
                #expect(residual(m, mu) <= 1e-12 * scale, "matrix \(m), eigenvalue \(mu)")
            }
        }
    }

    @Test func knownCases() {
        let symmetric = Eigen2x2(a: 2, b: 1, c: 1, d: 2)
        #expect(symmetric.values == [Complex2(3), Complex2(1)])
        #expect(!symmetric.isComplexPair)
        let rotation = Eigen2x2(a: 0, b: 1, c: -1, d: 0)
        #expect(rotation.values == [Complex2(0, 1), Complex2(0, -1)])
        #expect(rotation.isComplexPair)
        #expect(rotation.spectralRadius == 1)
        // Triangular with very different diagonal entries: both eigenvalues to full precision.
        let triangular = Eigen2x2(a: 1e8, b: 5, c: 0, d: 1e-8)
        #expect(triangular.values[0].real == 1e8)
        #expect(abs(triangular.values[1].real - 1e-8) <= 1e-22)
        #expect(Eigen2x2(a: 3, b: 0, c: 0, d: -7).spectralRadius == 7)
    }

    /// Gelfand's formula: ‖Mᵗ‖^(1/t) → ρ(M). A slow but independent estimate.
    @Test func spectralRadiusAgreesWithMatrixPowers() {
        let cases: [[[Double]]] = [[[0.5, 4], [-0.3, 0.2]], [[0.9, 1], [-0.54, -0.2]], [[0.25, 1], [-0.15, -1.4]]]
        for m in cases {
            var p = [[1.0, 0.0], [0.0, 1.0]]
            let t = 400
            var logScale = 0.0
            for _ in 0..<t {
                p = [[p[0][0] * m[0][0] + p[0][1] * m[1][0], p[0][0] * m[0][1] + p[0][1] * m[1][1]],
                     [p[1][0] * m[0][0] + p[1][1] * m[1][0], p[1][0] * m[0][1] + p[1][1] * m[1][1]]]
                let norm = p.flatMap { $0 }.map(abs).max()!
                logScale += log(norm)
                p = p.map { $0.map { $0 / norm } }
            }
            let estimate = exp(logScale / Double(t))
            let rho = Eigen2x2(rows: m).spectralRadius
            #expect(abs(estimate - rho) < 0.02 * rho, "matrix \(m): powers give \(estimate), eigenvalues \(rho)")
        }
    }
}

@Suite struct MomentumStabilityTests {
    /// R must reproduce the optimizers' own iterates on f(x) = λx²/2 exactly (up to rounding).
    @Test func iterationMatrixMatchesTheOptimizers() {
        for (eta, beta, lambda) in [(0.6, 0.5, 4.0), (0.6, 0.25, 0.2), (0.05, 0.9, 3.0)] {
            for method in MomentumStability.Method.allCases {
                let r = MomentumStability.iterationMatrix(method, beta: beta, learningRate: eta, curvature: lambda)
                var v = 0.0, x = 1.0
                var params = [1.0]
                var momentumState = Momentum(learningRate: eta, momentum: beta).initialState(count: 1)
                var nesterovState = Nesterov(learningRate: eta, momentum: beta).initialState(count: 1)
                for _ in 0..<15 {
                    (v, x) = (r[0][0] * v + r[0][1] * x, r[1][0] * v + r[1][1] * x)
                    let g = [lambda * params[0]]
                    switch method {
                    case .heavyBall: Momentum(learningRate: eta, momentum: beta).update(&params, gradient: g, state: &momentumState)
                    case .nesterov: Nesterov(learningRate: eta, momentum: beta).update(&params, gradient: g, state: &nesterovState)
                    }
                    #expect(abs(params[0] - x) <= 1e-12 * max(1, abs(x)), "\(method) η=\(eta) β=\(beta) λ=\(lambda)")
                }
            }
        }
    }

    @Test func radiusDependsOnlyOnTheProductEtaLambda() {
        let a = MomentumStability.spectralRadius(.heavyBall, beta: 0.7, learningRate: 0.1, curvature: 20)
        let b = MomentumStability.spectralRadius(.heavyBall, beta: 0.7, etaLambda: 2)
        #expect(abs(a - b) < 1e-12)
    }

    @Test func bisectionFindsTheClosedFormBoundary() {
        for beta in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
            for method in MomentumStability.Method.allCases {
                let found = MomentumStability.stabilityLimit(method, beta: beta)
                let predicted = MomentumStability.predictedLimit(method, beta: beta)
                #expect(abs(found - predicted) < 1e-9, "\(method) β=\(beta): \(found) vs \(predicted)")
            }
        }
        // Without momentum both reduce to gradient descent's limit ηλ < 2.
        #expect(MomentumStability.predictedLimit(.heavyBall, beta: 0) == 2)
        #expect(MomentumStability.predictedLimit(.nesterov, beta: 0) == 2)
    }

    @Test func gridHasNoDisagreements() {
        let xs = (0...450).map { Double($0) / 100 }
        let betas = (0..<100).map { Double($0) / 100 }
        for method in MomentumStability.Method.allCases {
            let check = MomentumStability.gridCheck(method, etaLambdas: xs, betas: betas)
            #expect(check.disagreements == 0)
            #expect(check.stablePoints > 0 && check.stablePoints < check.points)
            #expect(check.largestRadiusInside < 1 && check.smallestRadiusOutside >= 1)
        }
    }

    /// The book's 2-D example at η = 0.6, β = 0.5: the steep direction (λ = 4, ηλ = 2.4) is
    /// stable for heavy ball but not for Nesterov, which the traces confirm.
    @Test func steepDirectionOfTheBookExample() {
        #expect(MomentumStability.spectralRadius(.heavyBall, beta: 0.5, etaLambda: 2.4) < 1)
        #expect(MomentumStability.spectralRadius(.nesterov, beta: 0.5, etaLambda: 2.4) > 1)
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let nesterov = train2D(optimizer: Nesterov(learningRate: 0.6, momentum: 0.5), objective: f)
        #expect(abs(nesterov.final.y) > 2)
    }
}

@Suite struct GradientNoiseTests {
    @Test func followsTheSamplingWithoutReplacementLaw() throws {
        let data = try AirfoilData.load()
        var initRNG = SeededGenerator(seed: 3), batchRNG = SeededGenerator(seed: 4)
        let noise = MinibatchGradientNoise.measure(data: data, batchSizes: [1, 10, 100, 1500], batches: 3000,
                                          parameterGenerator: &initRNG, batchGenerator: &batchRNG)
        #expect(noise.totalVariance > 0)
        // b = 1 over exactly two epochs visits every example twice: measured equals predicted.
        #expect(abs(noise.rows[0].measured - noise.rows[0].predicted) < 1e-9 * noise.rows[0].predicted)
        // b = 10, 100: within a few per cent (3000 draws).
        for row in noise.rows[1...2] {
            #expect(abs(row.measured / row.predicted - 1) < 0.05, "b = \(row.batchSize): \(row.measured) vs \(row.predicted)")
        }
        // The whole data set: the batch gradient is the full gradient.
        #expect(noise.rows[3].predicted == 0)
        #expect(noise.rows[3].measured < 1e-12)
        // Halving √b relation between b = 10 and b = 100, up to the finite-population factor.
        let ratio = noise.rows[1].predicted / noise.rows[2].predicted
        #expect(abs(ratio - (10 * (1500.0 - 10) / (1500 - 100)).squareRoot()) < 1e-9)
    }
}
