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

/// A reader's own run that diverges is called diverged in one sentence, with the step and,
/// where the chapter knows it, the stability condition that was broken; its numbers stay
/// readable (no 50-digit coordinates).
@Suite struct ReliabilityDivergenceTests {
    /// The "Your run" part of the Markdown page (one line per paragraph, unlike the wrapped transcript).
    static func yourRun(_ nb: Notebook) -> String {
        let text = nb.markdown(maskVolatile: true)
        guard let start = text.range(of: "\n## Your run\n") else { return "" }
        return String(text[start.lowerBound...])
    }

    /// The longest run of digits in `text`.
    static func longestDigitRun(_ text: String) -> Int {
        var longest = 0, current = 0
        for c in text { current = c.isASCII && c.isNumber ? current + 1 : 0; longest = max(longest, current) }
        return longest
    }

    /// The case: 11.6 with `--eta 100` (f reaches 8e104 after 20 steps).
    @Test func momentumWithAHugeRate() throws {
        let nb = try Book.notebook(MomentumChapter.self, values: ["--eta": "100"])
        let section = Self.yourRun(nb)
        #expect(section.contains("This run diverged: at step 3 "), "\(section.prefix(1500))")
        #expect(section.contains("ηλ = 400 breaks the stability condition 0 < ηλ < 2 + 2β = 3 of momentum"), "\(section.prefix(1500))")
        #expect(Self.longestDigitRun(section) <= 12, "\(section.prefix(1500))")
    }

    /// A rate inside the stable region is not called diverged.
    @Test func momentumWithAStableRate() throws {
        let nb = try Book.notebook(MomentumChapter.self, values: ["--eta": "0.3"])
        let section = Self.yourRun(nb)
        #expect(!section.isEmpty)
        #expect(!section.contains("diverg"))
    }

    /// Gradient descent just past ηλ < 2 on x1² + 2x2² (λ = 4): the iterates grow by 1.4 per
    /// step, far from any bound in 20 steps, but the broken condition says it all.
    @Test func gradientDescentJustPastTheLimit() throws {
        let nb = try Book.notebook(GradientDescentChapter.self, values: ["--eta": "0.6"])
        let section = Self.yourRun(nb)
        #expect(section.contains("This run is diverging: "), "\(section.prefix(1500))")
        #expect(section.contains("ηλ = 2.4 breaks the stability condition 0 < ηλ < 2 of gradient descent"), "\(section.prefix(1500))")
    }

    @Test func gradientDescentToInfinity() throws {
        let nb = try Book.notebook(GradientDescentChapter.self, values: ["--eta": "1e10", "--steps": "60"])
        let section = Self.yourRun(nb)
        #expect(section.contains("This run diverged: at step 1 "), "\(section.prefix(1500))")
        #expect(section.contains("no longer finite"), "\(section.prefix(1500))")
        #expect(Self.longestDigitRun(section) <= 12, "\(section.prefix(1500))")
    }

    /// Without a known condition the sentence names the step and the bound only.
    @Test func adagradOnRosenbrockWithAHugeRate() throws {
        let nb = try Book.notebook(AdagradChapter.self, values: ["--eta": "1e8", "--function": "rosenbrock"])
        let section = Self.yourRun(nb)
        #expect(section.contains("This run diverged: at step "), "\(section.prefix(1500))")
        #expect(!section.contains("stability condition"))
        #expect(Self.longestDigitRun(section) <= 12, "\(section.prefix(1500))")
    }
}
