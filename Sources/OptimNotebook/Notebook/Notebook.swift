import OptimPlot
import Foundation

/// One block of a chapter page.
public enum NotebookBlock: Sendable, Equatable {
    case heading(String, level: Int)
    /// Prose. Light Markdown only: `code`, *emphasis*, **strong**.
    case paragraph(String)
    /// A display formula: LaTeX for the Markdown page, a plain-text rendering for the terminal,
    /// numbered in order of appearance like the figures.
    case formula(latex: String, plain: String, number: Int)
    /// A code excerpt (what the chapter runs, shown the way the book shows its code).
    case code(String)
    /// Lines the program printed. Consecutive output lines share one block.
    case output([NotebookText])
    /// A figure; `file` is relative to the chapter's output directory.
    case figure(number: Int, file: String, caption: String)
    /// A small table: header and rows of cells, aligned in the terminal.
    case table(header: [String], rows: [[NotebookText]])
    /// The animated twin of the figure just before it (`file` relative to the output directory).
    case animation(file: String)
}

/// A chapter page as one stream of blocks, rendered twice: live to the terminal and,
/// at the end, to `Output/<target>/README.md` with the figures beside it.
///
/// ```swift
/// let nb = Notebook(target: "Ch11_3_GradientDescent", title: "11.3 Gradient Descent")
/// nb.heading("One dimension")
/// nb.paragraph("We start at x = 10 …")
/// nb.output("epoch 10, x: \(x)")
/// nb.figure(fig, name: "gd-eta-0.2", caption: "Ten steps with eta = 0.2.")
/// try nb.write(to: "Output/Ch11_3_GradientDescent")
/// ```
public final class Notebook {
    public let target: String
    public let title: String
    public private(set) var blocks: [NotebookBlock] = []
    /// Figures to write beside the page, in the order they were added (one per numbered figure).
    public private(set) var files: [(name: String, content: SVGRenderable)] = []
    /// Animated twins of figures (`<name>-animated.svg`), also written beside the page. Kept
    /// apart from `files` so that `files` stays one entry per numbered figure.
    public private(set) var animations: [(name: String, content: SVGRenderable)] = []
    /// Links placed at the top and bottom of the Markdown page (previous / next chapter, index).
    public var navigation = PageNavigation()
    private var figureCount = 0
    private var formulaCount = 0
    private let live: TerminalRenderer?

    /// - Parameter live: where to print blocks as they are added; `nil` prints nothing (tests).
    public init(target: String, title: String, live: TerminalRenderer? = nil) {
        self.target = target
        self.title = title
        self.live = live
        append(.heading(title, level: 1))
    }

    private func append(_ block: NotebookBlock, figure: TerminalDrawable? = nil) {
        blocks.append(block)
        live?.emit(block, figure: figure)
    }

    public func heading(_ text: String, level: Int = 2) { append(.heading(text, level: level)) }
    public func paragraph(_ text: String) { append(.paragraph(text)) }
    public func formula(_ latex: String, plain: String? = nil) {
        formulaCount += 1
        append(.formula(latex: latex, plain: plain ?? latex, number: formulaCount))
    }
    public func code(_ text: String) { append(.code(text)) }

    /// A line the program prints. Consecutive lines are kept in one output block.
    public func output(_ line: NotebookText) {
        if case .output(var lines)? = blocks.last {
            lines.append(line)
            blocks[blocks.count - 1] = .output(lines)
        } else {
            blocks.append(.output([line]))
        }
        live?.emitOutputLine(line)
    }

    public func table(header: [String], rows: [[NotebookText]]) { append(.table(header: header, rows: rows)) }

    /// Adds a figure, numbered in order of appearance, saved as `<name>.svg`. A figure with an
    /// animated twin (a 2-D trace plot) is also saved as `<name>-animated.svg`, linked from the
    /// page next to the static one.
    @discardableResult
    public func figure(_ figure: SVGRenderable, name: String, caption: String) -> Int {
        NotebookMisuse.require(!files.contains { $0.name == name + ".svg" },
                               "Notebook.figure: figure name '\(name)' used twice (each figure is saved as <name>.svg)")
        figureCount += 1
        files.append((name + ".svg", figure))
        append(.figure(number: figureCount, file: name + ".svg", caption: caption), figure: figure as? TerminalDrawable)
        if let twin = (figure as? SVGAnimatedTwin)?.animatedTwin {
            let file = name + "-animated.svg"
            NotebookMisuse.require(!files.contains { $0.name == file } && !animations.contains { $0.name == file },
                                   "Notebook.figure: figure name '\(name)-animated' used twice")
            animations.append((file, twin))
            append(.animation(file: file))
        }
        return figureCount
    }

    /// Every output line, in order (what the book's code printed).
    public var outputLines: [NotebookText] {
        blocks.flatMap { block -> [NotebookText] in
            if case .output(let lines) = block { return lines } else { return [] }
        }
    }

    /// The plain terminal rendering (no colour), as the golden tests compare it: figures are
    /// drawn under their captions at `width` columns unless `figures` is false.
    public func transcript(maskVolatile: Bool = true, width: Int = 100, figures: Bool = true) -> String {
        let renderer = TerminalRenderer(width: width, colour: false, maskVolatile: maskVolatile)
        renderer.figures = figures
        return blocks.map { block -> String in
            guard case .figure(_, let file, _) = block else { return renderer.render(block) }
            return renderer.render(block, figure: files.first { $0.name == file }?.content as? TerminalDrawable)
        }.joined()
    }

    /// The Markdown page.
    public func markdown(maskVolatile: Bool = false) -> String {
        MarkdownRenderer(target: target, maskVolatile: maskVolatile)
            .render(blocks: blocks, navigation: navigation)
    }

    /// Replaces the page and figures in `directory` as one set (`StagedDirectory`).
    public func write(to directory: String, maskVolatile: Bool = false) throws {
        try write(into: StagedDirectory(directory), maskVolatile: maskVolatile)
    }
}
