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

/// Every chapter read in the terminal: each figure is drawn under its caption within the
/// transcript's 100 columns, and the section outline (`--list`, `--section`), taken from the
/// quick configuration, is the one the full run prints.
@Suite struct TerminalChapterTests {
    @Test(arguments: ChapterEntry.targets)
    func everyFigureIsDrawnUnderItsCaption(_ target: String) throws {
        let entry = try #require(ChapterEntry.named(target))
        let nb = try entry.notebook()
        let lines = nb.transcript(maskVolatile: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let captions = lines.indices.filter { lines[$0].hasPrefix("[Figure ") }
        #expect(captions.count == nb.files.count, "\(target): one caption per figure")
        for (k, start) in captions.enumerated() {
            // The drawing starts after the caption's blank line and ends at the next blank line
            // that is followed by text (panels on several rows are separated by one blank line).
            let end = k + 1 < captions.count ? captions[k + 1] : lines.count
            let block = lines[(start + 1)..<end]
            // Braille dots, or at least a frame (a masked figure whose only series is timed is empty).
            let braille = block.contains { $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }
            #expect(braille || block.contains { $0.contains("┌") }, "\(target): figure \(k + 1) has no drawing")
            #expect(block.allSatisfy { !$0.contains("┌") || $0.count <= 100 }, "\(target): figure \(k + 1) is wider than 100 columns")
        }
        #expect(!nb.transcript(maskVolatile: true, figures: false).contains("┌"))
    }

    /// The outline `--list` and `--section` use comes from the quick configuration; it must be
    /// the full run's. (11.11's full run trains LeNet for minutes; its quick configuration only
    /// shortens the training, and its headings do not depend on it.)
    // 11.11 and 11.12 train LeNet for minutes in their full configuration.
    @Test(arguments: ChapterEntry.targets.filter { !["Ch11_11_LRScheduling", "Ch11_12_ChoosingAnOptimizer"].contains($0) })
    func quickAndFullRunsHaveTheSameSections(_ target: String) throws {
        let entry = try #require(ChapterEntry.named(target))
        let title = try entry.notebook().title
        let quick = NotebookOutline(title: title, blocks: try entry.notebook().blocks)
        let full = NotebookOutline(title: title, blocks: try entry.fullNotebook().blocks)
        #expect(quick == full)
        #expect(!quick.sections.isEmpty)
        #expect(Set(quick.sections.map(\.number)).count == quick.sections.count, "section numbers are unique")
        #expect(quick.sections.first?.number == quick.chapterNumber + ".1")
    }
}
