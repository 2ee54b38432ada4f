import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// One screen of the explorer, as a pure function of its state and the window size: a title
/// line, the settings, the contour plot of the function with the optimizer's path (drawn by
/// the plot layer's terminal renderer) beside a table of the last steps, where the run ended,
/// and a line of key hints. `?` replaces plot and table by the list of keys.
///
/// Exactly `height` lines come back, none wider than `width` cells (ANSI colour codes aside).
///
/// ```swift
/// let state = ExplorerState(title: "11.6 Momentum", start: ExplorerStart(optimizer: .momentum))
/// let screen = ExplorerFrame.lines(state, width: 100, height: 30, colour: false)
/// ```
public enum ExplorerFrame {
    public static let minimumWidth = 40
    public static let minimumHeight = 12
    /// Rows of the step table at most.
    public static let tableRows = 12

    public static func lines(_ state: ExplorerState, width: Int, height: Int, colour: Bool) -> [String] {
        guard width >= minimumWidth, height >= minimumHeight else {
            let text = ["The window is too small for the explorer", "(it needs \(minimumWidth) × \(minimumHeight); q quits)."]
            return (0..<max(height, 0)).map { $0 < text.count ? fit(text[$0], max(width, 0)) : "" }
        }
        let run = state.run()
        var out: [String] = []
        out.append(titleLine(state, width: width, colour: colour))
        out.append(fit(settingsLine(state), width))
        let bodyHeight = height - 4
        if state.showHelp {
            let help = helpLines()
            for k in 0..<bodyHeight { out.append(k < help.count ? fit(help[k], width) : "") }
        } else {
            out += body(state, run, width: width, height: bodyHeight, colour: colour)
        }
        out.append(fit(resultLine(state, run), width))
        out.append(fit(state.message ?? hintLine(state), width))
        return out
    }

    // MARK: Lines

    static func titleLine(_ state: ExplorerState, width: Int, colour: Bool) -> String {
        let left = "OptimBook explorer · " + state.title
        let right = "? keys · q quit"
        let gap = width - left.count - right.count
        let text = gap >= 2 ? left + String(repeating: " ", count: gap) + right : fit(left, width)
        return colour ? "\u{1B}[1m" + text + "\u{1B}[0m" : text
    }

    static func g(_ v: Double) -> String { CFormat.format("%g", v) }

    static func settingsLine(_ state: ExplorerState) -> String {
        let s = state.current
        var text = state.optimizer.name + ": η = " + g(s.eta)
        if let symbol = state.optimizer.secondSymbol, let v = s.second { text += ", \(symbol) = " + g(v) }
        let f = state.surface
        let formula = f.objective.name == f.name ? "" : " (\(f.objective.name))"
        text += " · \(f.name)\(formula) · start (\(g(state.startPoint.x)), \(g(state.startPoint.y))) · \(state.steps) step\(state.steps == 1 ? "" : "s")"
        return text
    }

    static func resultLine(_ state: ExplorerState, _ run: ExplorerRun) -> String {
        if let k = run.divergedAt {
            return "diverged: the iterate left |x| ≤ 10⁶ at step \(k); try a smaller η (−)"
        }
        let p = run.points[run.points.count - 1]
        let f = state.surface.objective
        var text = "after \(run.points.count - 1) steps: x = (\(CFormat.format("%.6g", p.x)), \(CFormat.format("%.6g", p.y))), f(x) = \(CFormat.format("%.4g", f.value(p)))"
        if let m = f.minimizer {
            let d = p - m
            text += ", \(CFormat.format("%.3g", (d.x * d.x + d.y * d.y).squareRoot())) from the minimum at (\(g(m.x)), \(g(m.y)))"
        }
        return text
    }

    static func hintLine(_ state: ExplorerState) -> String {
        let second = state.optimizer.secondSymbol.map { "]/[ \($0) · " } ?? ""
        return "←↑↓→ start · +/- η · \(second)o optimizer · f function · >/< steps · r reset · ? keys · q quit"
    }

    static func helpLines() -> [String] {
        let names = ExplorerOptimizer.allCases.map(\.name).joined(separator: ", ")
        let functions = ExplorerSurface.all.map(\.name).joined(separator: ", ")
        var lines = [
            "",
            "Keys",
            "",
            "  ← → ↑ ↓  or  h l k j   move the start point",
            "  + / -                  larger / smaller learning rate η",
            "  ] / [                  larger / smaller β, γ, ρ or β₁",
            "  o / O                  next / previous optimizer",
            "  f / F                  next / previous function",
            "  > / <                  more / fewer steps",
            "  r                      reset this optimizer, this start, the steps",
            "  ?  or  Esc             close this help",
            "  q  or  Ctrl-C          quit",
            "",
        ]
        lines += TextWrap.wrap("Optimizers: \(names).", width: 76).map { "  " + $0 }
        lines += TextWrap.wrap("Functions: \(functions).", width: 76).map { "  " + $0 }
        lines += [""] + TextWrap.wrap("Every key recomputes the path through the same train2D loop the chapters use.", width: 76).map { "  " + $0 }
        return lines
    }

    // MARK: Plot and table

    static func figure(_ state: ExplorerState, _ run: ExplorerRun) -> Figure {
        let s = state.surface
        let f = s.objective
        var ax = Axes(xLabel: "x1", yLabel: "x2")
        ax.contour(x: s.xRange, y: s.yRange, levels: s.levels, color: .tabBlue) { a, b in f.value(Point2D(a, b)) }
        ax.xLimits = s.xRange
        ax.yLimits = s.yRange
        ax.legend = .none
        if let m = f.minimizer { ax.scatter([m.x], [m.y], color: .gray, marker: .cross, size: 3) }
        // Long runs are drawn as a line only: a marker per step would fill the plot.
        ax.plot(run.points.map(\.x), run.points.map(\.y), run.points.count <= 101 ? "-o" : "-", color: .tabOrange)
        ax.scatter([state.startPoint.x], [state.startPoint.y], color: .black, marker: .square, size: 3)
        return Figure(width: 350, height: 250, ax)
    }

    static func tableLines(_ state: ExplorerState, _ run: ExplorerRun, rows: Int) -> [String] {
        let f = state.surface.objective
        func cell(_ v: Double) -> String {
            let t = CFormat.format("%.4g", v)
            return String(repeating: " ", count: max(0, 10 - t.count)) + t
        }
        var lines = ["  step        x1        x2      f(x)", "  " + String(repeating: "─", count: 36)]
        let last = run.points.count - 1
        let first = max(0, last - max(rows, 1) + 1)
        for k in first...last {
            let p = run.points[k]
            let step = String(k)
            lines.append(String(repeating: " ", count: max(0, 6 - step.count)) + step + cell(p.x) + cell(p.y) + cell(f.value(p)))
        }
        return lines
    }

    static func body(_ state: ExplorerState, _ run: ExplorerRun, width: Int, height: Int, colour: Bool) -> [String] {
        let tableWidth = 38
        let side = width >= 90
        // Below a narrow plot the table gets what the plot can spare (nothing in a small window).
        let tableRowCount = side ? min(tableRows, height - 2) : (height >= 26 ? 5 : (height >= 18 ? 2 : 0))
        let table = tableRowCount > 0 ? tableLines(state, run, rows: tableRowCount) : []
        let plotWidth = side ? width - tableWidth - 1 : width
        let plotHeight = side || table.isEmpty ? height : height - table.count - 1
        let drawing = figure(state, run).terminalDrawing(TerminalFigureOptions(width: plotWidth, height: plotHeight, colour: colour))
        var plot = drawing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if plot.count < plotHeight { plot += Array(repeating: "", count: plotHeight - plot.count) }
        plot = Array(plot.prefix(plotHeight))
        if side {
            return (0..<height).map { k in
                let left = plot[k] + String(repeating: " ", count: max(0, plotWidth - visibleWidth(plot[k])))
                let right = k < table.count ? table[k] : ""
                return fit(left + " " + right, width, visible: visibleWidth(left) + 1 + right.count)
            }
        }
        return table.isEmpty ? plot : plot + [""] + table.map { fit($0, width) }
    }

    // MARK: Text helpers

    /// Cells of `text` on screen: characters outside ANSI escape sequences.
    static func visibleWidth(_ text: String) -> Int {
        var n = 0
        var inEscape = false
        for ch in text {
            if inEscape { if ch.isLetter { inEscape = false }; continue }
            if ch == "\u{1B}" { inEscape = true; continue }
            n += 1
        }
        return n
    }

    /// `text` cut to `width` cells (plain text only; lines with colour are built to fit).
    static func fit(_ text: String, _ width: Int, visible: Int? = nil) -> String {
        if (visible ?? text.count) <= width { return text }
        if text.contains("\u{1B}") { return text }
        return String(text.prefix(max(width - 1, 0))) + "…"
    }
}
