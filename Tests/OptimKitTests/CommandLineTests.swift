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

/// A tiny chapter to drive the shared entry point in-process.
enum ProbeChapter: Chapter {
    static let target = "Probe"
    static let title = "Probe"
    static let summary = "A chapter used by the tests."
    static var options: [OptionSpec] { [OptionSpec(flag: "--full", help: "long run"), .number("--eta", help: "step size")] }
    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("seed \(ctx.seed)")
        nb.output("eta \(ctx.number("--eta") ?? -1)")
    }
}

@Suite struct CommandLineTests {
    func status(_ args: [String]) -> (Int32, String) {
        var errors = ""
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hasOutput = args.contains { $0.hasPrefix("--output") }
        let code = ChapterMain.execute(ProbeChapter.self, contents: BookContents([ProbeChapter.self]), arguments: hasOutput ? args : args + ["--output", dir],
                                       renderer: TerminalRenderer(), errorSink: { errors += $0 })
        return (code, errors)
    }

    @Test(arguments: [
        (["--bogus"], "unknown option '--bogus'"),
        (["--seed", "abc"], "option --seed expects a whole number"),
        (["--seed", "-1"], "option --seed expects a whole number"),
        (["--seed"], "option --seed needs a value"),
        (["--seed", "1", "--seed", "2"], "given more than once"),
        (["--eta", "fast"], "option --eta expects a number, got 'fast'"),
        (["--full=yes"], "option --full takes no value"),
        (["stray"], "unexpected argument 'stray'"),
    ])
    func malformedArgumentsExitWithStatusTwoAndUsage(_ args: [String], _ message: String) {
        let (code, errors) = status(args)
        #expect(code == 2)
        #expect(errors.contains(message), "\(errors)")
        #expect(errors.contains("usage: swift run Probe"))
        #expect(errors.split(separator: "\n").first?.hasPrefix("Probe: error: ") == true)
    }

    @Test func outputWithoutValueIsAUsageError() {
        let (code, errors) = status(["--output"])
        #expect(code == 2)
        #expect(errors.contains("option --output needs a value"))
    }

    @Test func outputThroughAFileIsAnErrorWithStatusOne() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-file-\(UUID().uuidString)").path
        try AtomicFile.write("x", to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (code, errors) = status(["--output", file + "/sub"])
        #expect(code == 1)
        #expect(errors.contains("cannot create the output directory"))
    }

    @Test func validRunWritesThePageAndNoTemporaryFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-ok-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = ChapterMain.execute(ProbeChapter.self, contents: BookContents([ProbeChapter.self]), arguments: ["--output", dir, "--seed=7", "--eta", "0.5"],
                                       renderer: TerminalRenderer(), errorSink: { _ in })
        #expect(code == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["README.md"])
        let page = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        #expect(page.contains("seed 7"))
        #expect(page.contains("eta 0.5"))
    }

    @Test func parserAcceptsBothSpellings() throws {
        let a = try ArgumentParser.parse(["--seed", "5", "--eta=2"], options: ProbeChapter.options)
        #expect(a.seed == 5)
        #expect(a.values["--eta"] == "2")
        let h = try ArgumentParser.parse(["-h"], options: [])
        #expect(h.help)
    }
}

@Suite struct NotebookTests {
    @Test func volatileValuesAreMaskedOnlyWhereMarked() {
        let t: NotebookText = "loss: \(0.2437, format: "%.3f"), \(volatile: 0.0123, format: "%.3f") sec/epoch"
        #expect(t.rendered(maskVolatile: false) == "loss: 0.244, 0.012 sec/epoch")
        #expect(t.rendered(maskVolatile: true) == "loss: 0.244, <volatile> sec/epoch")
    }

    @Test func transcriptWrapsProseAndKeepsOutputVerbatim() {
        let nb = Notebook(target: "T", title: "Title")
        nb.paragraph(String(repeating: "word ", count: 40))
        nb.output("epoch 10, x: 0.06046617599999997")
        let text = nb.transcript(width: 50)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 50 })
        #expect(text.contains("epoch 10, x: 0.06046617599999997\n"))
    }

    @Test func colourOnlyWhenAsked() {
        let plain = TerminalRenderer(colour: false).render(.heading("H", level: 2))
        let coloured = TerminalRenderer(colour: true).render(.heading("H", level: 2))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}["))
    }

    @Test func markdownHasFormulaTableAndNavigation() {
        let nb = Notebook(target: "Ch11_3_GradientDescent", title: "11.3 Gradient Descent")
        nb.navigation = PageNavigation(previous: .init(title: "11.2 Convexity", target: "Ch11_2_Convexity"),
                                       next: .init(title: "11.4 Stochastic Gradient Descent", target: "Ch11_4_SGD"))
        nb.formula("x^2", plain: "x²")
        nb.table(header: ["a", "b"], rows: [["1", "2|3"]])
        let md = nb.markdown()
        #expect(md.contains("$$\nx^2 \\tag{1}\n$$"))
        #expect(md.contains("| 1 | 2\\|3 |"))
        #expect(md.contains("[← 11.2 Convexity](../Ch11_2_Convexity/README.md)"))
        #expect(md.contains("[11.4 Stochastic Gradient Descent →](../Ch11_4_SGD/README.md)"))
    }

    @Test func consecutiveOutputLinesShareABlock() {
        let nb = Notebook(target: "T", title: "T")
        nb.output("a"); nb.output("b")
        nb.paragraph("p")
        nb.output("c")
        #expect(nb.blocks.count == 4)   // title, output(a, b), paragraph, output(c)
    }
}

@Suite struct OptionSuggestionTests {
    @Test func aTypoGetsOneSuggestion() {
        #expect(throws: UsageError("unknown option '--sed' (did you mean --seed?)")) {
            try ArgumentParser.parse(["--sed", "3"], options: [])
        }
        #expect(throws: UsageError("unknown option '--ful' (did you mean --full?)")) {
            try ArgumentParser.parse(["--ful"], options: ProbeChapter.options)
        }
    }

    @Test func farOffOrAmbiguousNamesGetNone() {
        #expect(ArgumentParser.closestOption(to: "--bogus", among: ["--help", "--seed", "--output"]) == nil)
        #expect(ArgumentParser.closestOption(to: "--et", among: ["--eta", "--beta"]) == "--eta")
        #expect(ArgumentParser.closestOption(to: "--xa", among: ["--xb", "--xc"]) == nil)
    }
}
