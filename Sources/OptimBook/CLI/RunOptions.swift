import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// Command-line options that let a reader rerun a chapter's 2-D experiment with their own
/// settings: `--eta X`, `--beta X` (or another name for the chapter's second
/// hyperparameter), `--start X,Y`, `--function NAME` (see `Objective2D.named`) and
/// `--steps N`. Giving any of them adds a "Your run" section at the end of the page
/// (`CustomRun2D.section`); the book's own runs, and so the goldens, never change.
///
/// ```swift
/// static var options: [OptionSpec] { RunOptions.specs(second: "--beta") }
/// // swift run Ch11_6_Momentum --eta 0.3 --beta 0.9 --function rosenbrock --start -1.5,2 --steps 200
/// ```
public enum RunOptions {
    public static let eta = "--eta"
    public static let start = "--start"
    public static let function = "--function"
    public static let steps = "--steps"

    /// The specs, with `second` naming the optimizer's second hyperparameter (nil: none).
    public static func specs(second: String? = nil, secondHelp: String = "momentum / decay parameter") -> [OptionSpec] {
        var list: [OptionSpec] = [.number(eta, help: "learning rate of an extra 2-D run (adds a 'Your run' section)")]
        if let second { list.append(.number(second, help: "\(secondHelp) of the extra 2-D run")) }
        list.append(OptionSpec(value: start, placeholder: "X,Y", help: "start point of the extra 2-D run (default -5,-2)") { text in
            parsePoint(text) == nil ? "expects two numbers separated by a comma, got '\(text)'" : nil
        })
        list.append(OptionSpec(value: function, placeholder: "NAME",
                               help: "surface of the extra run: \(Objective2D.testFunctionNames.joined(separator: ", "))") { text in
            (try? Objective2D.named(text)) == nil ? "expects one of \(Objective2D.testFunctionNames.joined(separator: ", ")), got '\(text)'" : nil
        })
        list.append(OptionSpec(value: steps, placeholder: "N", help: "steps of the extra 2-D run (default 20)") { text in
            guard let n = Int(text), n >= 1, n <= 100_000 else { return "expects a whole number from 1 to 100000, got '\(text)'" }
            return nil
        })
        return list
    }

    /// `"X,Y"` as a point, or nil when it is not two finite numbers.
    public static func parsePoint(_ text: String) -> Point2D? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x.isFinite, y.isFinite else { return nil }
        return Point2D(x, y)
    }
}

extension ChapterContext {
    /// A `--name X,Y` value as a point.
    public func point(_ name: String) -> Point2D? { value(name).flatMap(RunOptions.parsePoint) }
}
