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

@Suite struct Ch11_2_ConvexityTests {
    static func notebook() throws -> Notebook { try Book.notebook(ConvexityChapter.self) }

    @Test func printsTheDeterministicNumbersInOrder() throws {
        let expected = [
            "0.5 x^2: 0 violations in 14400 triples (most negative gap 0.0000)",
            "exp(0.5 x): 0 violations in 14400 triples (most negative gap 0.0000)",
            "E[-log P(x|y)] = 1.1582 >= -log P(x) = -log 0.41 = 0.8916",
            "f'(1) = 0, f''(1) = 4 (local minimum), f(1) = 0, f(-2) = -9",
            "f(0, -0.5) = -0.50, f(0, 0.5) = -0.50, but at their midpoint f(0, 0) = 0.50",
            "x* = (0.8944, 0.4472), alpha = 2.4721, |grad f + alpha grad c| = 0.0e+00",
            "lambda = 2.4721: x = (0.8944, 0.4472), |x| = 1.0000",
            "l1 ball: x after 30 steps = (1.0000, 0.0000), f = 1.5000",
        ]
        let lines = try Self.notebook().outputLines.map { $0.rendered(maskVolatile: true) }
        var position = 0
        for line in expected {
            guard let found = lines[position...].firstIndex(of: line) else {
                Issue.record("missing or out of order: \(line)")
                continue
            }
            position = found + 1
        }
        #expect(lines.contains { $0.hasPrefix("cos(pi x): ") && !$0.hasPrefix("cos(pi x): 0 violations") })
    }

    /// Spec 11.2: projections onto the ℓ₂ and ℓ₁ balls printed (the table of the page).
    @Test func projectionTableRows() throws {
        let md = try Self.notebook().markdown(maskVolatile: true)
        #expect(md.contains("| (2.0000, 1.0000) | 2.2361 | (0.8944, 0.4472) | 3.0000 | (1.0000, 0.0000) |"))
        #expect(md.contains("| (0.3000, -1.6000) | 1.6279 | (0.1843, -0.9829) | 1.9000 | (0.0000, -1.0000) |"))
        #expect(md.contains("| (0.4000, 0.3000) | 0.5000 | (0.4000, 0.3000) | 0.7000 | (0.4000, 0.3000) |"))
    }

    /// Jensen on seeded samples: the convex cases hold with values near the exact ones, the
    /// cosine case fails.
    @Test func jensenSamplesAreInRange() throws {
        let lines = try Self.notebook().outputLines.map { $0.rendered(maskVolatile: true) }.filter { $0.hasPrefix("f = ") }
        #expect(lines.count == 3)
        func numbers(_ s: String) -> [Double] {
            s.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        }
        guard lines.count == 3 else { return }
        let square = numbers(lines[0]), exponential = numbers(lines[1]), cosine = numbers(lines[2])
        #expect(lines[0].hasSuffix("holds") && lines[1].hasSuffix("holds") && lines[2].hasSuffix("FAILS"))
        #expect(square.count >= 2 && square[square.count - 2] > 0.95 && square[square.count - 2] < 1.05)
        #expect(exponential.count >= 2 && exponential[exponential.count - 2] > 1.58 && exponential[exponential.count - 2] < 1.72)
        #expect(cosine.count >= 2 && abs(cosine[cosine.count - 2]) < 0.05)
    }

    @Test func transcriptPageAndFiguresMatchGoldens() throws {
        Golden.checkChapter(try Self.notebook())
    }

    @Test func everyBookFigureIsThere() throws {
        let nb = try Self.notebook()
        #expect(nb.files.map(\.name) == ["intersection-union.svg", "convex-nonconvex.svg", "local-minimum-cubic.svg",
                                         "below-sets-3d.svg", "second-derivative.svg", "projections.svg",
                                         "projected-gradient-descent.svg"])
        let page = nb.markdown()
        for (i, file) in nb.files.enumerated() { #expect(page.contains("![Figure \(i + 1)](\(file.name))")) }
        let surface = nb.files[3].content.svg(maskVolatile: true)
        #expect(surface.contains("class=\"contour\"") && surface.contains("class=\"surface\""))
    }
}
