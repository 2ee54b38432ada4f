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

/// Every chapter in the package, with type-erased entry points for the checks below.
/// A chapter joins by adding its import and one `add` line (the coverage test fails until then).
struct ChapterEntry {
    let target: String
    let options: [OptionSpec]
    let notebook: () throws -> Notebook
    /// The configuration the executable runs (not reduced).
    let fullNotebook: () throws -> Notebook
    let execute: ([String], (String) -> Void) -> Int32

    init<C: Chapter>(_ chapter: C.Type) {
        target = C.target
        options = C.options
        notebook = { try Book.notebook(C.self) }
        fullNotebook = { try Book.notebook(C.self, reduced: false) }
        execute = { arguments, sink in
            Book.execute(C.self, arguments: arguments, renderer: TerminalRenderer(), errorSink: sink)
        }
    }

    /// Every chapter of the book's registry, in order.
    static var all: [ChapterEntry] {
        Book.contents.chapters.map { ChapterEntry($0) }
    }

    static var targets: [String] { all.map(\.target) }
    static func named(_ target: String) -> ChapterEntry? { all.first { $0.target == target } }
}

@Suite struct ReliabilityChapterTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyChapterFolderIsCovered() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot.appendingPathComponent("Chapters").path)
            .filter { $0.hasPrefix("Ch11_") }.sorted()
        #expect(!folders.isEmpty)
        for folder in folders {
            #expect(ChapterEntry.targets.contains(folder),
                    "\(folder) is not in the book's registry (Chapters/Book.swift): add its type there")
        }
    }

    /// The same seed gives the same page: run twice in one process and compare the masked
    /// transcript, the Markdown page and every figure byte for byte.
    @Test(arguments: ChapterEntry.targets)
    func chapterRunsAreByteIdentical(_ target: String) throws {
        let entry = try #require(ChapterEntry.named(target))
        let first = try entry.notebook()
        let second = try entry.notebook()
        #expect(first.transcript(maskVolatile: true) == second.transcript(maskVolatile: true), "transcript of \(target) differs")
        #expect(first.markdown(maskVolatile: true) == second.markdown(maskVolatile: true), "page of \(target) differs")
        #expect(first.files.map(\.name) == second.files.map(\.name))
        for ((name, a), (_, b)) in zip(first.files, second.files) {
            #expect(a.svg(maskVolatile: true) == b.svg(maskVolatile: true), "\(target)/\(name) differs")
            let svg = a.svg(maskVolatile: true)
            #expect(!svg.contains("NaN") && !svg.contains("\"nan") && !svg.contains("\"inf"), "\(target)/\(name) has a non-finite coordinate")
        }
    }

    @Test(arguments: ChapterEntry.targets)
    func chapterRejectsBadCommandLines(_ target: String) throws {
        let entry = try #require(ChapterEntry.named(target))
        var cases: [([String], String)] = [
            (["--bogus"], "unknown option '--bogus'"),
            (["--seed", "abc"], "option --seed expects a whole number from 0 to 18446744073709551615, got 'abc'"),
            (["--seed", "-1"], "option --seed expects a whole number from 0 to 18446744073709551615, got '-1'"),
            (["--output"], "option --output needs a value"),
            (["--seed", "1", "--seed", "2"], "option --seed given more than once"),
        ]
        for option in entry.options {
            #expect(option.name.hasPrefix("--") && !["--help", "--seed", "--output"].contains(option.name),
                    "\(target) declares \(option.name)")
            switch option.kind {
            case .flag: cases.append(([option.name + "=1"], "option \(option.name) takes no value"))
            case .value: cases.append(([option.name], "option \(option.name) needs a value"))
            }
        }
        #expect(Set(entry.options.map(\.name)).count == entry.options.count, "\(target) declares an option twice")
        for (arguments, message) in cases {
            var errors = ""
            let status = entry.execute(arguments) { errors += $0 }
            #expect(status == 2, "\(target) \(arguments)")
            #expect(errors.hasPrefix("\(target): error: \(message)\n\nusage: swift run \(target) [options]\n"), "\(errors)")
        }
    }

    /// The book's divergent examples are reported as divergence in the text, next to the
    /// runaway numbers (11.3: eta = 1.1; 11.6: eta = 0.6 on the ellipse).
    @Test(arguments: [
        ("Ch11_3_GradientDescent", "epoch 10, x: 61.917364224000096"),
        ("Ch11_6_Momentum", "epoch 20, x1 -0.387814, x2 -1673.365109"),
    ])
    func divergentBookRunsAreCalledDivergent(_ target: String, _ line: String) throws {
        guard let entry = ChapterEntry.named(target) else { return }   // chapter not in this checkout
        let nb = try entry.notebook()
        let outputs = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        #expect(outputs.contains(line))
        #expect(nb.transcript(maskVolatile: true).lowercased().contains("diverge"))
    }
}
