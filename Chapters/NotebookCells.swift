import OptimKit
import OptimNotebook

extension Notebook {
    /// Shows the literate cell `name`: the text of the source region marked
    /// `// cell: name` … `// end cell` (in a chapter or a library file), dedented, nothing else.
    /// The table is `Chapters/Generated/Cells.swift`, written by `swift run CellTable`.
    ///
    /// ```swift
    /// nb.code(cell: "gd-1d")
    /// // cell: gd-1d
    /// let run = Descent1D.gradientDescent(.square, learningRate: 0.2)
    /// nb.output(NotebookText(run.summary))
    /// // end cell
    /// ```
    func code(cell name: String) {
        guard let text = Cells.source[name] else {
            misuse("no cell named '\(name)': mark it `// cell: \(name)` … `// end cell` and run `swift run CellTable`")
        }
        code(text)
    }
}
