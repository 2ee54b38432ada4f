import Foundation

/// A literate cell: a region of compiled Swift source, marked
///
/// ```swift
/// // cell: gd-1d
/// let run = Descent1D.gradientDescent(.square, learningRate: 0.2)
/// nb.output(NotebookText(run.summary))
/// // end cell
/// ```
///
/// that a page shows as its code block. `text` is the region between the two marker lines,
/// dedented by the smallest indentation of its non-blank lines (blank lines become empty), so
/// what the reader sees is exactly what the compiler compiled.
public struct SourceCell: Sendable, Equatable {
    public let name: String
    /// Path relative to the package root, e.g. `Chapters/Ch11_3_GradientDescent/GradientDescentChapter.swift`.
    public let file: String
    /// 1-based line of the `// cell:` marker.
    public let line: Int
    public let text: String

    public init(name: String, file: String, line: Int, text: String) {
        self.name = name; self.file = file; self.line = line; self.text = text
    }
}

/// A malformed cell marker, with where it is.
public struct CellError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Finds the `// cell: NAME` … `// end cell` regions of Swift sources and writes them as a
/// Swift table (`Chapters/Generated/Cells.swift`, made by `swift run CellTable`).
///
/// Names are letters, digits, `-`, `_` and `.`; a name is used once in the whole package;
/// cells do not nest. The marker lines themselves are not part of the cell.
public enum SourceCells {
    static let startMarker = "// cell:"
    static let endMarker = "// end cell"

    /// The cells of one file's text, in order.
    public static func cells(in source: String, file: String) throws -> [SourceCell] {
        var cells: [SourceCell] = []
        var open: (name: String, line: Int, body: [Substring])?
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(startMarker) {
                let name = trimmed.dropFirst(startMarker.count).trimmingCharacters(in: .whitespaces)
                guard open == nil else {
                    throw CellError("\(file):\(index + 1): cell '\(name)' starts inside cell '\(open!.name)' (cells do not nest)")
                }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                    throw CellError("\(file):\(index + 1): bad cell name '\(name)' (letters, digits, - _ . only)")
                }
                open = (name, index + 1, [])
            } else if trimmed == endMarker {
                guard let cell = open else { throw CellError("\(file):\(index + 1): '// end cell' without a cell") }
                guard cell.body.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else {
                    throw CellError("\(file):\(cell.line): cell '\(cell.name)' is empty")
                }
                cells.append(SourceCell(name: cell.name, file: file, line: cell.line, text: dedent(cell.body)))
                open = nil
            } else if open != nil {
                open!.body.append(raw)
            }
        }
        if let cell = open { throw CellError("\(file):\(cell.line): cell '\(cell.name)' has no '// end cell'") }
        return cells
    }

    /// Removes the common leading spaces; blank lines become empty, trailing spaces are kept.
    public static func dedent(_ lines: [Substring]) -> String {
        func isBlank(_ line: Substring) -> Bool { line.allSatisfy(\.isWhitespace) }
        let indent = lines.filter { !isBlank($0) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { isBlank($0) ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
    }

    /// The folders whose Swift files are compiled into the package and may hold cells.
    public static let scannedFolders = ["Chapters", "Sources"]
    /// Where the generated table lives (never scanned itself).
    public static let generatedFile = "Chapters/Generated/Cells.swift"

    /// Every cell of every `.swift` file under `scannedFolders` of the package at `root`, files
    /// in sorted path order. Throws on malformed markers and on a name used twice.
    public static func scan(packageRoot root: String) throws -> [SourceCell] {
        let manager = FileManager.default
        var files: [String] = []
        for folder in scannedFolders {
            guard let walker = manager.enumerator(atPath: root + "/" + folder) else {
                throw CellError("\(root)/\(folder): cannot read the folder")
            }
            while let path = walker.nextObject() as? String {
                let relative = folder + "/" + path
                if path.hasSuffix(".swift"), relative != generatedFile, !relative.contains("/Resources/") {
                    files.append(relative)
                }
            }
        }
        var found: [SourceCell] = []
        var seen: [String: SourceCell] = [:]
        for file in files.sorted() {
            guard let data = manager.contents(atPath: root + "/" + file), let text = String(data: data, encoding: .utf8) else {
                throw CellError("\(file): cannot read the file as UTF-8")
            }
            for cell in try cells(in: text, file: file) {
                if let first = seen[cell.name] {
                    throw CellError("\(cell.file):\(cell.line): cell name '\(cell.name)' already used at \(first.file):\(first.line)")
                }
                seen[cell.name] = cell
                found.append(cell)
            }
        }
        return found
    }

    /// The Swift source of the generated table: `enum Cells` with `source[name]`, entries sorted by
    /// name (each with the file it comes from) so the file is stable.
    public static func generatedTable(_ cells: [SourceCell]) -> String {
        var out = """
            // Generated by `swift run CellTable` from the `// cell: NAME` … `// end cell` regions of
            // Chapters/ and Sources/. Do not edit: change the marked source and run the generator again
            // (a test fails while this file is stale).

            /// The literate cells of the package: name → the region's dedented source text.
            enum Cells {
                static let source: [String: String] = [

            """
        for cell in cells.sorted(by: { $0.name < $1.name }) {
            var hashes = "#"
            while cell.text.contains("\"\"\"" + hashes) || cell.text.contains("\\" + hashes) { hashes += "#" }
            out += "        // from \(cell.file)\n"     // no line number: edits above a cell keep the table fresh
            out += "        \"\(cell.name)\": \(hashes)\"\"\"\n"
            for line in cell.text.split(separator: "\n", omittingEmptySubsequences: false) {
                out += line.isEmpty ? "\n" : "        " + line + "\n"
            }
            out += "        \"\"\"\(hashes),\n"
        }
        out += """
                ]
            }

            """
        return out
    }
}
