import OptimNotebook
import Foundation

// Writes Chapters/Generated/Cells.swift, the table of literate cells, from the
// `// cell: NAME` … `// end cell` regions of Chapters/ and Sources/.
//
//   swift run CellTable            regenerate (run from the package root)
//   swift run CellTable --check    exit 1 if the committed table is stale
let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.allSatisfy({ $0 == "--check" }) else {
    FileHandle.standardError.write(Data("usage: CellTable [--check]   (run from the package root)\n".utf8))
    exit(2)
}
let root = FileManager.default.currentDirectoryPath
do {
    let cells = try SourceCells.scan(packageRoot: root)
    let table = SourceCells.generatedTable(cells)
    let path = root + "/" + SourceCells.generatedFile
    let current = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    if arguments.contains("--check") {
        guard current == table else {
            print(LineDiff.diff(expected: current ?? "", actual: table))
            FileHandle.standardError.write(Data("\(SourceCells.generatedFile) is stale: run `swift run CellTable`\n".utf8))
            exit(1)
        }
        print("\(SourceCells.generatedFile) is up to date (\(cells.count) cells)")
    } else if current == table {
        print("\(SourceCells.generatedFile) unchanged (\(cells.count) cells)")
    } else {
        try AtomicFile.prepareDirectory((path as NSString).deletingLastPathComponent)
        try AtomicFile.write(table, to: path)
        print("wrote \(SourceCells.generatedFile) (\(cells.count) cells)")
    }
} catch {
    FileHandle.standardError.write(Data("CellTable: \(error)\n".utf8))
    exit(1)
}
