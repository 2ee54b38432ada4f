import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
/// A step-by-step table of a 2-D optimizer run, so a reader can redo the arithmetic: per
/// step k the point x before the step, the gradient g there, every state vector after the
/// step (`v`, `s`, `delta`, ... from `Optimizer.stateComponents`), and the update Δx that
/// was applied (x_k = x_{k−1} + Δx).
///
/// Numbers use C's `%.6g`. Chapters print it only under `--trace` (`ChapterContext.trace`),
/// so default pages and their goldens are unchanged.
///
/// ```swift
/// let run = train2DDetailed(optimizer: Momentum(learningRate: 0.6, momentum: 0.5),
///                           objective: .ellipse(a: 0.1, b: 2))
/// if ctx.trace { nb.stepTable(run, maxRows: 5) }
/// // k | x1 | x2 | g1 | g2 | v1 | v2 | Δx1 | Δx2
/// // 1 | -5 | -2 | -1 | -8 | -1 | -8 | 0.6 | 4.8
/// ```
public enum StepTable {
    public static func header<O: InspectableOptimizer>(_ run: OptimizerRun2D<O>) -> [String] {
        var h = ["k", "x1", "x2", "g1", "g2"]
        if let state = run.steps.first?.state {
            for c in run.optimizer.stateComponents(state) where c.values.count == 2 {
                h += [c.name + "1", c.name + "2"]
            }
        }
        return h + ["Δx1", "Δx2"]
    }

    /// The first `maxRows` steps (all when nil), plus the last step when rows were skipped.
    public static func rows<O: InspectableOptimizer>(_ run: OptimizerRun2D<O>, maxRows: Int? = nil) -> [[String]] {
        func g(_ v: Double) -> String { CFormat.format("%.6g", v) }
        var picked = run.steps
        if let m = maxRows, run.steps.count > m {
            picked = Array(run.steps.prefix(max(m - 1, 0))) + [run.steps[run.steps.count - 1]]
        }
        return picked.map { s in
            var row = [String(s.step), g(s.point.x), g(s.point.y), g(s.gradient.x), g(s.gradient.y)]
            for c in run.optimizer.stateComponents(s.state) where c.values.count == 2 {
                row += [g(c.values[0]), g(c.values[1])]
            }
            return row + [g(s.update.x), g(s.update.y)]
        }
    }
}

extension Notebook {
    /// Adds the step table of a 2-D run (see `StepTable`); with `maxRows`, long runs show
    /// their first `maxRows − 1` steps and the last one.
    public func stepTable<O: InspectableOptimizer>(_ run: OptimizerRun2D<O>, maxRows: Int? = 20) {
        table(header: StepTable.header(run),
              rows: StepTable.rows(run, maxRows: maxRows).map { $0.map { NotebookText($0) } })
    }
}
