import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// The interactive explorer: a full-screen view of a 2-D optimizer run that keys change
/// (see `ExplorerState` for the keys and `ExplorerFrame` for what is drawn).
public enum Explorer {
    /// The `--explore` option.
    public static let option = OptionSpec(flag: "--explore",
                                          help: "explore the 2-D optimizers full-screen: keys change η, β, the optimizer, the function, the start")

    /// The starting state for a chapter, with `--eta`, its second option, `--function`,
    /// `--start` and `--steps` applied when given.
    public static func initialState(title: String, start: ExplorerStart, context: ChapterContext) -> ExplorerState {
        var s = start
        if let eta = context.number(RunOptions.eta) { s.eta = eta }
        if let option = s.secondOption, let v = context.number(option) { s.second = v }
        if let name = context.value(RunOptions.function) { s.function = name }
        if let steps = context.value(RunOptions.steps).flatMap({ Int($0) }) { s.steps = steps }
        return ExplorerState(title: title, start: s, startPoint: context.point(RunOptions.start))
    }

    /// Runs the explorer on this process's terminal until the reader quits. Returns the exit
    /// status: 0, 2 when standard input or output is not a terminal (or `TERM` is `dumb`), 1
    /// when the terminal cannot be set up. Colour unless `NO_COLOR` is set.
    public static func run(_ initial: ExplorerState, errorSink: (String) -> Void) -> Int32 {
        guard RawTerminal.isInteractive else {
            errorSink("--explore needs an interactive terminal: standard input and standard output must both be a terminal, not a pipe or a file\n")
            return 2
        }
        let env = ProcessInfo.processInfo.environment
        guard env["TERM"] != "dumb" else {
            errorSink("--explore needs a terminal that can move the cursor; TERM is 'dumb'\n")
            return 2
        }
        let colour = env["NO_COLOR"] == nil
        do {
            try RawTerminal.enter()
        } catch {
            RawTerminal.leave()
            errorSink("\(error)\n")
            return 1
        }
        defer { RawTerminal.leave() }
        var state = initial
        func draw() {
            let size = TerminalSize.windowSize(STDOUT_FILENO) ?? TerminalSize(columns: 80, rows: 24)
            let lines = ExplorerFrame.lines(state, width: size.columns, height: size.rows, colour: colour)
            RawTerminal.write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
        }
        draw()
        while !state.quit {
            guard let bytes = RawTerminal.read(timeout: 200) else { break }
            var changed = RawTerminal.takeWindowChange()
            for key in ExplorerKey.parse(bytes) {
                state.handle(key)
                changed = true
            }
            if changed && !state.quit { draw() }
        }
        return 0
    }
}
