import OptimPlot
import Foundation

/// Renders notebook blocks for a terminal: prose wrapped to the width, program output
/// verbatim, figures as a line naming the SVG file with the figure drawn under it (braille
/// dots, see `TerminalDrawable`). Colour only when asked for (a TTY without `NO_COLOR`).
public final class TerminalRenderer: @unchecked Sendable {
    public let width: Int
    public let colour: Bool
    public let maskVolatile: Bool
    package let sink: ((String) -> Void)?
    /// Where figure files are said to be written (shown to the reader).
    public var outputDirectory: String = ""
    /// Draw each figure under its caption (`--no-figures` turns this off).
    public var figures: Bool = true
    /// Columns available to figure drawings (prose keeps to `width`).
    public var figureWidth: Int
    /// Only blocks this filter admits are printed (`--section`); nil prints everything.
    public var sectionFilter: SectionFilter?

    public init(width: Int = 100, colour: Bool = false, maskVolatile: Bool = false, sink: ((String) -> Void)? = nil) {
        self.width = max(40, width)
        self.colour = colour
        self.maskVolatile = maskVolatile
        self.sink = sink
        self.figureWidth = self.width
    }

    /// A renderer for this process's standard output: width from `COLUMNS` or the window size
    /// (prose capped at 100, figures up to 300), colour only on a TTY and only when
    /// `NO_COLOR` is not set and `TERM` is not `dumb`. With
    /// `OPTIMBOOK_MASK_VOLATILE=1` volatile values (timings) are masked, as in the goldens.
    public static func standardOutput() -> TerminalRenderer {
        let env = ProcessInfo.processInfo.environment
        let tty = isatty(STDOUT_FILENO) != 0
        let colour = tty && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
        let columns = TerminalSize.current(environment: env).columns
        let renderer = TerminalRenderer(width: min(columns, 100), colour: colour, maskVolatile: NotebookText.maskingRequestedByEnvironment, sink: { text in
            StandardStreams.output.write(text)
        })
        renderer.figureWidth = columns
        return renderer
    }

    /// Program output is printed line by line as it happens; the blank line that closes an
    /// output block is written when the next block starts, as in `render(_:)`.
    private var outputOpen = false

    func emit(_ block: NotebookBlock, figure: TerminalDrawable? = nil) {
        guard sectionFilter?.admits(block) ?? true else { return }
        sink?((outputOpen ? "\n" : "") + render(block, figure: figure))
        outputOpen = false
    }

    func emitOutputLine(_ line: NotebookText) {
        guard sectionFilter?.admitsOutput ?? true else { return }
        sink?(style(line.rendered(maskVolatile: maskVolatile), .output) + "\n")
        outputOpen = true
    }

    enum Style { case heading1, heading2, output, dim, formula }

    func style(_ text: String, _ style: Style) -> String {
        guard colour else { return text }
        let code: String
        switch style {
        case .heading1: code = "1;36"
        case .heading2: code = "1"
        case .output: code = "32"
        case .dim: code = "2"
        case .formula: code = "33"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The block as terminal text; a figure block is followed by `figure` drawn (when
    /// `figures` is on).
    public func render(_ block: NotebookBlock, figure: TerminalDrawable? = nil) -> String {
        switch block {
        case .heading(let text, let level):
            if level == 1 {
                return style(text, .heading1) + "\n" + style(String(repeating: "=", count: text.count), .heading1) + "\n\n"
            }
            return "\n" + style(text, .heading2) + "\n" + style(String(repeating: "-", count: text.count), .heading2) + "\n\n"
        case .paragraph(let text):
            return TextWrap.wrap(TextWrap.plain(text), width: width).joined(separator: "\n") + "\n\n"
        case .formula(_, let plain, let number):
            // The number goes at the end of the formula's last line, as "(3)".
            var lines = plain.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + String($0) }
            let tag = "(\(number))"
            let last = lines[lines.count - 1]
            let pad = max(3, width - last.count - tag.count)
            lines[lines.count - 1] = last + String(repeating: " ", count: pad) + tag
            return lines.map { style($0, .formula) }.joined(separator: "\n") + "\n\n"
        case .code(let text):
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  | " + $0 }.joined(separator: "\n") + "\n\n"
        case .output(let lines):
            return lines.map { style($0.rendered(maskVolatile: maskVolatile), .output) + "\n" }.joined() + "\n"
        case .figure(let number, let file, let caption):
            let where_ = outputDirectory.isEmpty ? file : outputDirectory + "/" + file
            let text = TextWrap.wrap("[Figure \(number): \(TextWrap.plain(caption)) -> \(where_)]", width: width)
            var out = text.map { style($0, .dim) }.joined(separator: "\n") + "\n\n"
            if figures, let figure {
                let options = TerminalFigureOptions(width: figureWidth, colour: colour, maskVolatile: maskVolatile)
                out += figure.terminalDrawing(options) + "\n\n"
            }
            return out
        case .animation(let file):
            let where_ = outputDirectory.isEmpty ? file : outputDirectory + "/" + file
            return style("[▶ animated: \(where_)]", .dim) + "\n\n"
        case .table(let header, let rows):
            let cells = rows.map { $0.map { $0.rendered(maskVolatile: maskVolatile) } }
            var widths = header.map { $0.count }
            for row in cells {
                for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
            }
            func line(_ row: [String]) -> String {
                row.enumerated().map { i, c in
                    let w = i < widths.count ? widths[i] : c.count
                    return c + String(repeating: " ", count: max(0, w - c.count))
                }.joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
            }
            var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            out += cells.map(line)
            return out.map { style($0, .output) }.joined(separator: "\n") + "\n\n"
        }
    }
}

/// Word wrapping and markup stripping for terminal prose.
public enum TextWrap {
    /// Drops the light Markdown markup (`**`, backticks) that reads badly in a terminal, and
    /// keeps only the text of links: `[Preconditioning](#preconditioning)` reads "Preconditioning".
    public static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
            .replacingOccurrences(of: #"\[([^\]\n]+)\]\([^)\s]+\)"#, with: "$1", options: .regularExpression)
    }

    /// Greedy word wrap; words longer than the width stand on their own line.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraphLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraphLine.split(separator: " ") {
                if current.isEmpty {
                    current = String(word)
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
        }
        return lines
    }
}
