import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// The ways of reading a chapter other than straight through: `--list` (its sections),
/// `--section N` (one of them), `--no-figures` (captions without drawings) and `--explore`
/// (the interactive explorer of chapters that have one).
extension ChapterMain {
    /// Options every chapter accepts for choosing what is printed.
    public static let viewOptions: [OptionSpec] = [
        OptionSpec(flag: "--no-figures", help: "print each figure's caption without drawing the figure in the terminal"),
        OptionSpec(flag: "--list", help: "list the page's numbered sections and exit (nothing is written)"),
        OptionSpec(value: "--section", placeholder: "N",
                   help: "print only section N, e.g. 11.6.3 or 3 (the whole chapter still runs and writes its files)") { text in
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                return "expects a section number such as 11.6.3 or 3, got '\(text)'"
            }
            return nil
        },
    ]

    /// The chapter's own options plus `--explore` when it has an explorer.
    static func allOptions<C: Chapter>(_ chapter: C.Type) -> [OptionSpec] {
        C.options + (C.self is any ExplorableChapter.Type ? [Explorer.option] : [])
    }

    /// The page's outline from a run in the quick (test) configuration, which prints nothing,
    /// writes nothing and has the same headings as the full run.
    static func outline<C: Chapter>(_ chapter: C.Type, _ parsed: ChapterArguments) throws -> NotebookOutline {
        let nb = try notebook(C.self, contents: BookContents([C.self]), seed: parsed.seed, reduced: true,
                              flags: parsed.flags, values: parsed.values)
        return NotebookOutline(title: C.title, blocks: nb.blocks)
    }

    /// Acts on the view options before the chapter runs. Returns an exit status when the
    /// process is done (`--list`, `--explore`, a mistake), or nil to run the chapter, with
    /// `live` set up for `--no-figures` and `--section`.
    static func prepareView<C: Chapter>(_ chapter: C.Type, _ parsed: ChapterArguments, live: TerminalRenderer,
                                        usage: String, errorSink: (String) -> Void) -> Int32? {
        func usageError(_ message: String) -> Int32 {
            errorSink("\(C.target): error: \(UsageError(message).message)\n\n" + usage)
            return 2
        }
        let list = parsed.flags.contains("--list"), explore = parsed.flags.contains("--explore")
        let section = parsed.values["--section"]
        let chosen = [list ? "--list" : nil, explore ? "--explore" : nil, section != nil ? "--section" : nil].compactMap { $0 }
        if chosen.count > 1 { return usageError("options \(chosen.joined(separator: " and ")) cannot be combined") }
        if parsed.flags.contains("--no-figures") { live.figures = false }

        if explore, let explorable = C.self as? any ExplorableChapter.Type {
            let context = ChapterContext(seed: parsed.seed ?? C.defaultSeed, flags: parsed.flags, values: parsed.values)
            let state = Explorer.initialState(title: C.title, start: explorable.explorerStart, context: context)
            let status = Explorer.run(state) { errorSink("\(C.target): error: " + $0) }
            return status
        }
        guard list || section != nil else { return nil }
        let outline: NotebookOutline
        do {
            outline = try Self.outline(C.self, parsed)
        } catch {
            errorSink("\(C.target): error: \(error)\n")
            return 1
        }
        if list {
            if let sink = live.sink { sink(outline.listing) } else { live.emitRaw(outline.listing) }
            return 0
        }
        guard let section, let found = outline.section(matching: section) else {
            let range = outline.sections.first.map { first in
                first.number == outline.sections.last?.number ? first.number : "\(first.number) to \(outline.sections.last!.number)"
            } ?? "none"
            return usageError("option --section: \(C.title) has no section '\(section ?? "")'; its sections are \(range) (see --list)")
        }
        live.sectionFilter = SectionFilter(headings: found.headings)
        return nil
    }
}
