import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// Everything the explorer shows, as a value: the frame drawn is a function of it alone
/// (`ExplorerFrame`), and each key press maps it to the next state (`handle(_:)`).
///
/// Each optimizer keeps its own learning rate and second hyperparameter, and each surface its
/// own start point, so switching away and back returns to the same run.
///
/// Keys: arrows or h/j/k/l move the start point by a nice step (about 1/32 of the view);
/// `+`/`-` step the learning rate along 1, 1.5, 2, 3, 4, 5, 6, 8 × 10ᵏ; `]`/`[` step the second
/// hyperparameter along 0, 0.1, …, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999; `o`/`O` next/previous
/// optimizer; `f`/`F` next/previous function; `>`/`<` more/fewer steps; `r` resets the current
/// optimizer and surface; `?` shows the keys; `q`, Ctrl-C or Ctrl-D quits.
///
/// ```swift
/// var state = ExplorerState(title: "11.6 Momentum", start: ExplorerStart(optimizer: .momentum))
/// state.handle(.character("+"))       // η 0.6 → 0.8
/// state.handle(.character("o"))       // momentum → Nesterov (η 0.3, β 0.5)
/// ```
public struct ExplorerState: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        public var eta: Double
        public var second: Double?
    }

    public let title: String
    public private(set) var optimizer: ExplorerOptimizer
    public private(set) var surfaceIndex: Int
    /// Per optimizer, in `ExplorerOptimizer.allCases` order.
    public private(set) var settings: [Settings]
    /// Per surface, in `ExplorerSurface.all` order.
    public private(set) var starts: [Point2D]
    public private(set) var steps: Int
    public private(set) var showHelp = false
    public private(set) var quit = false
    /// A one-line note about the last key (e.g. why it did nothing); cleared by the next key.
    public private(set) var message: String?

    private let initialSettings: [Settings]
    private let initialSteps: Int

    public static let etaMantissas: [Double] = [1, 1.5, 2, 3, 4, 5, 6, 8]
    public static let secondLadder: [Double] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999]
    public static let stepLadder: [Int] = [1, 2, 5, 10, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000]
    public static let etaRange: ClosedRange<Double> = 1e-5...100

    public init(title: String, start: ExplorerStart, startPoint: Point2D? = nil) {
        self.title = title
        optimizer = start.optimizer
        var settings = ExplorerOptimizer.allCases.map { Settings(eta: $0.defaultEta, second: $0.defaultSecond) }
        let k = start.optimizer.rawValue
        if let eta = start.eta { settings[k].eta = min(max(eta, Self.etaRange.lowerBound), Self.etaRange.upperBound) }
        if let second = start.second, settings[k].second != nil { settings[k].second = min(max(second, 0), 0.9999) }
        self.settings = settings
        initialSettings = settings
        surfaceIndex = ExplorerSurface.all.firstIndex { $0.name == start.function.lowercased() } ?? 1
        var starts = ExplorerSurface.all.map(\.start)
        if let p = startPoint, p.x.isFinite, p.y.isFinite { starts[surfaceIndex] = p }
        self.starts = starts
        steps = min(max(start.steps, 1), 100_000)
        initialSteps = steps
    }

    public var surface: ExplorerSurface { ExplorerSurface.all[surfaceIndex] }
    public var current: Settings { settings[optimizer.rawValue] }
    public var startPoint: Point2D { starts[surfaceIndex] }

    /// The run the frame shows.
    public func run() -> ExplorerRun {
        optimizer.run(surface.objective, start: startPoint, steps: steps, eta: current.eta, second: current.second)
    }

    /// How far one arrow key moves the start: a nice step near 1/32 of the view.
    public var startStep: Point2D {
        let s = surface
        return Point2D(Self.niceStep(atLeast: (s.xRange.upperBound - s.xRange.lowerBound) / 32),
                       Self.niceStep(atLeast: (s.yRange.upperBound - s.yRange.lowerBound) / 32))
    }

    /// 10ᵏ for integer k by repeated multiplication (exact for small k on every platform).
    static func power10(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<min(abs(k), 300) { r *= 10 }
        return k >= 0 ? r : 1 / r
    }

    /// The smallest of 1, 2, 5 × 10ᵏ that is at least `raw` (positive).
    static func niceStep(atLeast raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var k = Int(log10(raw).rounded(.down)) - 1
        while true {
            for m in [1.0, 2, 5] where m * power10(k) >= raw * (1 - 1e-12) { return m * power10(k) }
            k += 1
        }
    }

    public mutating func handle(_ key: ExplorerKey) {
        message = nil
        switch key {
        case .interrupt, .endOfInput, .character("q"), .character("Q"):
            quit = true
        case .character("?"):
            showHelp.toggle()
        case .escape:
            showHelp = false
        case .left, .character("h"): moveStart(dx: -1, dy: 0)
        case .right, .character("l"): moveStart(dx: 1, dy: 0)
        case .up, .character("k"): moveStart(dx: 0, dy: 1)
        case .down, .character("j"): moveStart(dx: 0, dy: -1)
        case .character("+"), .character("="): stepEta(up: true)
        case .character("-"), .character("_"): stepEta(up: false)
        case .character("]"): stepSecond(up: true)
        case .character("["): stepSecond(up: false)
        case .character("o"): cycleOptimizer(1)
        case .character("O"): cycleOptimizer(-1)
        case .character("f"): cycleSurface(1)
        case .character("F"): cycleSurface(-1)
        case .character(">"), .character("."): stepSteps(up: true)
        case .character("<"), .character(","): stepSteps(up: false)
        case .character("r"):
            settings[optimizer.rawValue] = initialSettings[optimizer.rawValue]
            starts[surfaceIndex] = surface.start
            steps = initialSteps
            message = "reset \(optimizer.name) and the start on \(surface.name)"
        case .enter, .ignored:
            break
        case .character(let c):
            message = "no key '\(c)'; press ? for the keys"
        }
    }

    private mutating func moveStart(dx: Double, dy: Double) {
        let step = startStep
        var p = starts[surfaceIndex]
        // Rounded to a millionth so repeated steps do not accumulate float noise.
        p.x = ((p.x + dx * step.x) * 1e6).rounded() / 1e6
        p.y = ((p.y + dy * step.y) * 1e6).rounded() / 1e6
        starts[surfaceIndex] = p
    }

    /// The next value up or down on the ladder m × 10ᵏ, m in `etaMantissas`.
    static func nextEta(_ eta: Double, up: Bool) -> Double {
        var candidates: [Double] = []
        for k in -6...3 {
            for m in etaMantissas { candidates.append((m * power10(k) * 1e9).rounded() / 1e9) }
        }
        if up {
            return candidates.first { $0 > eta * (1 + 1e-9) } ?? eta
        }
        return candidates.last { $0 < eta * (1 - 1e-9) } ?? eta
    }

    private mutating func stepEta(up: Bool) {
        let next = Self.nextEta(current.eta, up: up)
        guard Self.etaRange.contains(next) else { message = "η stays within \(Self.etaRange.lowerBound)…\(Self.etaRange.upperBound)"; return }
        settings[optimizer.rawValue].eta = next
    }

    private mutating func stepSecond(up: Bool) {
        guard let value = current.second, let symbol = optimizer.secondSymbol else {
            message = "\(optimizer.name) has no second hyperparameter"
            return
        }
        let ladder = Self.secondLadder
        let next = up ? ladder.first { $0 > value + 1e-12 } : ladder.last { $0 < value - 1e-12 }
        guard let next else { message = "\(symbol) stays within \(ladder[0])…\(ladder[ladder.count - 1])"; return }
        settings[optimizer.rawValue].second = next
    }

    private mutating func cycleOptimizer(_ direction: Int) {
        let all = ExplorerOptimizer.allCases
        optimizer = all[(optimizer.rawValue + direction + all.count) % all.count]
    }

    private mutating func cycleSurface(_ direction: Int) {
        let n = ExplorerSurface.all.count
        surfaceIndex = (surfaceIndex + direction + n) % n
    }

    private mutating func stepSteps(up: Bool) {
        let ladder = Self.stepLadder
        let next = up ? ladder.first { $0 > steps } : ladder.last { $0 < steps }
        guard let next else { message = "steps stay within \(ladder[0])…\(ladder[ladder.count - 1])"; return }
        steps = next
    }
}
