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

/// A chapter with numbered sections, extras between and after them, and a figure.
enum SectionedChapter: Chapter {
    static let target = "Sectioned"
    static let title = "9.4 Sectioned"
    static let summary = "A chapter with sections, used by the tests."
    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("introduction")
        nb.heading("9.4.1 First")
        nb.paragraph("text of the first section")
        nb.heading("A detail", level: 3)
        nb.heading("Beyond the book: an extra inside the first")
        nb.output("printed in the extra")
        nb.heading("9.4.2 Second")
        var ax = Axes(); ax.plot([0, 1], [0, 1], label: "line")
        nb.figure(Figure(ax), name: "line", caption: "A line.")
        nb.heading("Beyond the book: after the book")
        nb.paragraph("text of the third section")
        nb.heading("Summary")
        nb.paragraph("the summary")
    }
}

@Suite struct ChapterViewTests {
    static func notebook() throws -> Notebook {
        let nb = Notebook(target: SectionedChapter.target, title: SectionedChapter.title)
        try SectionedChapter.run(nb, ChapterContext(seed: 1))
        return nb
    }

    @Test func outlineNumbersBookSectionsExtrasAndWhatFollows() throws {
        let outline = NotebookOutline(title: SectionedChapter.title, blocks: try Self.notebook().blocks)
        #expect(outline.chapterNumber == "9.4")
        #expect(outline.sections.map(\.number) == ["9.4.1", "9.4.2", "9.4.3", "9.4.4"])
        #expect(outline.sections.map(\.title) == ["First", "Second", "Beyond the book: after the book", "Summary"])
        #expect(outline.sections[0].headings == 1...2)
        #expect(outline.sections[0].subheadings == ["A detail", "Beyond the book: an extra inside the first"])
        #expect(outline.sections[1].figures == [1])
        #expect(outline.section(matching: "2")?.number == "9.4.2")
        #expect(outline.section(matching: "9.4.3")?.title == "Beyond the book: after the book")
        #expect(outline.section(matching: "5") == nil)
        #expect(outline.section(matching: "9.3.1") == nil)
        #expect(outline.listing.contains("  9.4.2  Second  [figure 1]"))
    }

    @Test func sectionFilterAdmitsTheTitleAndTheChosenSectionOnly() throws {
        let nb = try Self.notebook()
        var filter = SectionFilter(headings: 1...2)
        let admitted = nb.blocks.filter { filter.admits($0) }
        #expect(admitted.first == .heading("9.4 Sectioned", level: 1))
        #expect(admitted.contains(.paragraph("text of the first section")))
        #expect(admitted.contains(.output(["printed in the extra"])))
        #expect(!admitted.contains(.paragraph("introduction")))
        #expect(!admitted.contains(.paragraph("the summary")))
    }

    func run(_ args: [String]) -> (status: Int32, out: String, errors: String, dir: String) {
        var out = "", errors = ""
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-view-\(UUID().uuidString)").path
        let renderer = TerminalRenderer(sink: { out += $0 })
        let status = ChapterMain.execute(SectionedChapter.self, contents: BookContents([SectionedChapter.self]), arguments: args + ["--output", dir],
                                         renderer: renderer, errorSink: { errors += $0 })
        return (status, out, errors, dir)
    }

    @Test func listPrintsTheOutlineAndWritesNothing() {
        let r = run(["--list"])
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("9.4 Sectioned: 4 sections; print one with --section N\n  9.4.1  First\n"))
        #expect(!FileManager.default.fileExists(atPath: r.dir))
    }

    @Test func sectionPrintsOnlyThatSectionButWritesThePage() throws {
        let r = run(["--section", "9.4.2"])
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("9.4 Sectioned\n"))
        #expect(r.out.contains("9.4.2 Second") && r.out.contains("[Figure 1: A line."))
        #expect(r.out.contains("┌"), "the figure is drawn")
        #expect(!r.out.contains("introduction") && !r.out.contains("the summary") && !r.out.contains("printed in the extra"))
        let page = try String(contentsOfFile: r.dir + "/README.md", encoding: .utf8)
        #expect(page.contains("introduction") && page.contains("the summary"))
        let short = run(["--section", "1"])
        defer { try? FileManager.default.removeItem(atPath: short.dir) }
        #expect(short.out.contains("printed in the extra") && !short.out.contains("9.4.2 Second"))
    }

    @Test(arguments: [
        (["--section", "99"], "has no section '99'; its sections are 9.4.1 to 9.4.4 (see --list)"),
        (["--section", "9.3.1"], "has no section '9.3.1'"),
        (["--section", "three"], "option --section expects a section number such as 11.6.3 or 3, got 'three'"),
        (["--section", "1..2"], "expects a section number"),
        (["--list", "--section", "1"], "options --list and --section cannot be combined"),
    ])
    func badSectionsExitWithStatusTwo(_ args: [String], _ message: String) {
        let r = run(args)
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        #expect(r.status == 2)
        #expect(r.errors.hasPrefix("Sectioned: error: "))
        #expect(r.errors.contains(message), "\(r.errors)")
        #expect(r.out.isEmpty)
    }

    @Test func noFiguresKeepsCaptionsAndDropsDrawings() {
        let r = run(["--no-figures"])
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        #expect(r.status == 0)
        #expect(r.out.contains("[Figure 1: A line."))
        #expect(!r.out.contains("┌"))
        let nb = try? Self.notebook()
        #expect(nb?.transcript(figures: false).contains("┌") == false)
        #expect(nb?.transcript().contains("┌") == true)
    }

    @Test func helpListsTheViewOptionsAndExploreOnlyWhereItExists() {
        let usage = ArgumentParser.usage(target: "Sectioned", summary: "s", options: ChapterMain.allOptions(SectionedChapter.self),
                                         defaultSeed: 1)
        for option in ["--no-figures", "--list", "--section N"] { #expect(usage.contains("  " + option + " "), "\(option)") }
        #expect(!usage.contains("--explore"))
        let r = run(["--explore"])
        #expect(r.status == 2)
        #expect(r.errors.contains("unknown option '--explore'"))
    }

    @Test func transcriptDrawsEachFigureRightUnderItsCaption() throws {
        let text = try Self.notebook().transcript()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let caption = try #require(lines.firstIndex { $0.hasPrefix("[Figure 1: A line.") })
        #expect(lines[caption + 1] == "")
        #expect(lines[caption + 2].hasPrefix("   ┌") || lines[caption + 2].hasPrefix("  ┌") || lines[caption + 2].contains("┌"))
        #expect(lines.allSatisfy { $0.count <= 100 })
    }
}
