import OptimPlot
import OptimIO
import Foundation

extension Notebook {
    /// Writes every figure, its animated twin and `README.md` into `set` and commits it, so
    /// the directory switches from the old page and figures to the new ones in one step; on
    /// any failure the set is abandoned and the old files stay as they were.
    ///
    /// ```swift
    /// let set = try StagedDirectory("Output/Ch11_3_GradientDescent")   // before the long run
    /// try notebook.write(into: set)
    /// ```
    public func write(into set: StagedDirectory, maskVolatile: Bool = false) throws {
        do {
            for (name, content) in files + animations {
                try set.write(Data(content.svg(maskVolatile: maskVolatile).utf8), name: name)
            }
            try set.write(Data(markdown(maskVolatile: maskVolatile).utf8), name: "README.md")
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
    }
}
