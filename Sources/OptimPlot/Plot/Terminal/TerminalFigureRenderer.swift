import Foundation

/// How a figure is drawn for a terminal.
///
/// - `width`: columns available (default 100); the drawing is at most this wide. Values are
///   brought into 20…400.
/// - `height`: total lines, or nil (default) to follow the figure's aspect ratio with terminal
///   cells twice as tall as wide, at most `maxPlotRows` rows of plot per panel (a wide
///   terminal then gets a drawing narrower than the window rather than a squashed one).
/// - `colour`: ANSI colours (default false: glyphs and line patterns tell series apart).
/// - `maskVolatile`: leave out series whose x values are wall-clock times, as the masked SVG does.
///
/// ```swift
/// let text = figure.terminalDrawing(TerminalFigureOptions(width: 80, colour: true))
/// print(text)
/// ```
public struct TerminalFigureOptions: Sendable, Equatable {
    public var width: Int
    public var height: Int?
    public var colour: Bool
    public var maskVolatile: Bool
    public var maxPlotRows: Int

    public init(width: Int = 100, height: Int? = nil, colour: Bool = false, maskVolatile: Bool = false,
                maxPlotRows: Int = 24) {
        self.width = width; self.height = height; self.colour = colour
        self.maskVolatile = maskVolatile; self.maxPlotRows = maxPlotRows
    }
}

/// Anything that can draw itself as text for a terminal (implemented by `Figure`).
public protocol TerminalDrawable {
    /// The drawing as lines joined by newlines, without a final newline.
    func terminalDrawing(_ options: TerminalFigureOptions) -> String
}

extension Figure: TerminalDrawable {
    /// The figure drawn with Unicode braille dots and box-drawing characters, from the same
    /// panels, limits and ticks as `svg(maskVolatile:)`. Several panels stand side by side
    /// while each keeps at least 40 columns, otherwise they wrap onto further rows.
    public func terminalDrawing(_ options: TerminalFigureOptions = TerminalFigureOptions()) -> String {
        TerminalFigureRenderer(figure: self, options: options).lines().joined(separator: "\n")
    }
}

/// Lays out a figure's panels in the terminal and composes their drawings.
struct TerminalFigureRenderer {
    let figure: Figure
    let options: TerminalFigureOptions

    static let minimumPanelWidth = 40
    static let gap = 2
    /// Columns a panel needs besides its plot area (tick labels and frame), for sizing.
    static let typicalMargin = 9

    func panelGrid(_ ax: Axes, width: Int, plotRows: Int) -> CellGrid {
        if let surface = ax.surface {
            return TerminalSurfaceRenderer(surface: surface, title: ax.title, colour: options.colour)
                .render(width: width, rows: plotRows + 3)
        }
        return TerminalPanelRenderer(axes: ax, maskVolatile: options.maskVolatile, colour: options.colour)
            .render(width: width, plotRows: plotRows)
    }

    func grid() -> CellGrid {
        let total = min(max(options.width, 20), 400)
        let panels = figure.panels
        guard !panels.isEmpty else { return CellGrid(width: 0, height: 0) }
        let n = panels.count
        let perRow = max(1, min(n, (total + Self.gap) / (Self.minimumPanelWidth + Self.gap)))
        let panelRows = (n + perRow - 1) / perRow
        var panelWidth = (total - Self.gap * (perRow - 1)) / perRow
        let titleRows = figure.title == nil ? 0 : 1

        var plotRows: Int
        if let height = options.height {
            // Fit the given height: measure what a panel needs besides its plot rows.
            let available = (height - titleRows - (panelRows - 1)) / panelRows
            let overhead = panels.map { panelGrid($0, width: panelWidth, plotRows: 4).height - 4 }.max() ?? 0
            plotRows = max(available - overhead, 3)
        } else {
            // Follow the figure's aspect ratio: a cell is about twice as tall as it is wide.
            let w = figure.width.isFinite && figure.width > 10 ? figure.width : 350
            let h = figure.height.isFinite && figure.height > 10 ? figure.height : 250
            let ratio = (h - (figure.title == nil ? 0 : 20)) / (w / Double(n))
            let cap = max(options.maxPlotRows, 4)
            let wanted = Double(panelWidth - Self.typicalMargin) * ratio * 0.5
            plotRows = min(max(Int(wanted.rounded()), 5), cap)
            if wanted > Double(cap) {
                panelWidth = min(panelWidth, Int((Double(cap) / (ratio * 0.5)).rounded()) + Self.typicalMargin)
            }
        }

        let usedWidth = perRow * panelWidth + Self.gap * (perRow - 1)
        var out = CellGrid(width: usedWidth, height: 0)
        if let t = figure.title {
            let text = TerminalText.fit(t, usedWidth)
            out.addRows(1)
            out.write(text, column: max(0, (usedWidth - text.count) / 2), row: 0)
        }
        for r in 0..<panelRows {
            if r > 0 { out.addRows(1) }
            let top = out.height
            for c in 0..<perRow {
                let k = r * perRow + c
                guard k < n else { break }
                out.paste(panelGrid(panels[k], width: panelWidth, plotRows: plotRows),
                          column: c * (panelWidth + Self.gap), row: top)
            }
        }
        if let height = options.height {
            if out.height < height { out.addRows(height - out.height) }
        }
        return out
    }

    func lines() -> [String] {
        var lines = grid().lines(colour: options.colour)
        if let height = options.height, lines.count > height { lines = Array(lines.prefix(height)) }
        return lines
    }
}
