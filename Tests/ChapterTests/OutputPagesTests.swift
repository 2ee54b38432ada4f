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

/// The committed `Output/` is what the code produces now. Most pages and figures are
/// compared with it by the chapters' golden checks (`Golden.checkChapter`, volatile values
/// masked); this suite covers what those do not: the index page, the parts of 11.5 and
/// 11.11 whose default run differs from the tests' reduced one, and stray files.
@Suite struct OutputPagesTests {
    static var output: URL { Golden.outputDirectory }

    static func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: output.appendingPathComponent(relative).path)
            .flatMap { String(data: $0, encoding: .utf8) }
    }

    /// Each chapter folder holds exactly its page and the files the page links, and no
    /// hidden (temporary) file.
    @Test(arguments: ChapterEntry.targets)
    func chapterFolderHoldsExactlyThePageAndItsFigures(_ target: String) throws {
        let folder = Self.output.appendingPathComponent(target).path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let page = try #require(Self.read(target + "/README.md"))
        let linked = Set(page.matches(of: #/\]\(([A-Za-z0-9._-]+\.svg)\)/#).map { String($0.1) })
        #expect(Set(files) == linked.union(["README.md"]), "Output/\(target): \(Set(files).symmetricDifference(linked.union(["README.md"])).sorted())")
    }

    /// 11.5's default run times a 1024 × 1024 product (the tests' reduced run: 256): run that
    /// configuration and compare the page and every figure without wall-clock coordinates.
    @Test func minibatchPageInItsDefaultConfiguration() throws {
        let nb = try Book.notebook(MinibatchSGDChapter.self, reduced: false)
        let target = nb.target
        let page = try #require(Self.read(target + "/README.md"))
        #expect(MaskedText.matches(masked: nb.markdown(maskVolatile: true), actual: page),
                "Output/\(target)/README.md is stale:\n\(LineDiff.diff(expected: page, actual: nb.markdown(maskVolatile: true)))")
        for (name, figure) in nb.files + nb.animations {
            let svg = figure.svg(maskVolatile: true)
            let committed = try #require(Self.read(target + "/" + name))
            if svg.contains("series with volatile x masked") {
                // Wall-clock axes: the committed figure is checked for being complete only.
                #expect(committed.hasSuffix("</svg>\n"), "\(name) is truncated")
            } else {
                #expect(svg == committed, "Output/\(target)/\(name) is stale")
            }
        }
    }

    /// 11.11's default run trains LeNet for 12 epochs on 8,000 digits, minutes of work that
    /// the tests do not repeat: the reduced run has the same headings, figures and formulas
    /// in the same order, and its schedule figures (which do not depend on training) are
    /// compared byte for byte by the chapter's golden check. The committed training numbers
    /// are pinned by the release run that wrote them, not re-derived here.
    @Test func schedulingPageHasTheCurrentStructure() throws {
        let nb = try Book.notebook(LRSchedulingChapter.self)
        let page = try #require(Self.read(nb.target + "/README.md"))
        func skeleton(_ markdown: String) -> [String] {
            markdown.split(separator: "\n").map(String.init).filter {
                $0.hasPrefix("#") || $0.hasPrefix("![Figure") || $0.hasPrefix("[▶") || $0.contains("\\tag{")
            }
        }
        let now = skeleton(nb.markdown(maskVolatile: true))
        #expect(now.count > 20)
        #expect(skeleton(page) == now, "Output/\(nb.target)/README.md is out of date:\n\(LineDiff.diff(expected: skeleton(page).joined(separator: "\n"), actual: now.joined(separator: "\n")))")
    }

    @Test func maskedComparisonAcceptsValuesAndRejectsChanges() {
        #expect(MaskedText.matches(masked: "loss 0.25, <volatile> s\nnext", actual: "loss 0.25, 1.7 s\nnext"))
        #expect(MaskedText.matches(masked: "| <volatile> | <volatile> |", actual: "| 3.8079 | 0.564 |"))
        #expect(!MaskedText.matches(masked: "loss 0.25, <volatile> s", actual: "loss 0.26, 1.7 s"))
        #expect(!MaskedText.matches(masked: "a <volatile> b", actual: "a 1\n2 b"))
        #expect(!MaskedText.matches(masked: "a <volatile> b", actual: "a 1 b c"))
        #expect(MaskedText.matches(masked: "same", actual: "same"))
    }
}
