import Foundation
import Testing
import OptimBook
import OptimNotebook
@testable import BookChapters

/// Issue 14: every code block of a page is a literate cell, a `// cell: NAME` … `// end cell`
/// region of a Swift file compiled into the package, so the code the reader sees is the code that ran.
@Suite struct LiterateCellsTests {
    /// The chapters whose pages are fully converted: every ```swift block of their `Output/` page
    /// must be, byte for byte, a cell of the current sources. Add a chapter here once its
    /// `nb.code("…")` literals have become `nb.code(cell: …)`.
    static let literateChapters: Set<String> = [
        "Ch11_1_OptimizationAndDeepLearning",
        "Ch11_2_Convexity",
        "Ch11_3_GradientDescent",
        "Ch11_4_SGD",
        "Ch11_5_MinibatchSGD",
        "Ch11_6_Momentum",
        "Ch11_7_Adagrad",
        "Ch11_8_RMSProp",
        "Ch11_9_Adadelta",
        "Ch11_12_ChoosingAnOptimizer",
        "Ch11_11_LRScheduling",
        "Ch11_10_Adam",
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The ```swift blocks of a Markdown page, in order.
    static func swiftBlocks(ofPage markdown: String) -> [String] {
        var blocks: [String] = [], current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func generatedTableIsFresh() throws {
        let cells = try SourceCells.scan(packageRoot: Self.root)
        let expected = SourceCells.generatedTable(cells)
        let path = Self.root + "/" + SourceCells.generatedFile
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        if committed != expected {
            Issue.record("""
                \(SourceCells.generatedFile) is stale: run `swift run CellTable` (- committed, + from the sources):
                \(LineDiff.diff(expected: committed, actual: expected))
                """)
        }
        // And the table compiled into BookChapters is that of the sources.
        let scanned = Dictionary(uniqueKeysWithValues: cells.map { ($0.name, $0.text) })
        for name in scanned.keys.sorted() where Cells.source[name] != scanned[name] {
            Issue.record("compiled cell '\(name)' differs from its source region: rebuild after `swift run CellTable`")
        }
        #expect(Cells.source.keys.sorted() == scanned.keys.sorted())
    }

    @Test func everyCodeBlockOfAConvertedPageIsACell() throws {
        let cells = try SourceCells.scan(packageRoot: Self.root)
        let texts = Set(cells.map(\.text))
        var report: [String] = []
        for target in Book.targets {
            let page = try String(contentsOfFile: Self.root + "/Output/\(target)/README.md", encoding: .utf8)
            let blocks = Self.swiftBlocks(ofPage: page)
            let stray = blocks.enumerated().filter { !texts.contains($0.element) }
            report.append("\(target): \(blocks.count - stray.count) of \(blocks.count) code blocks are cells"
                          + (stray.isEmpty ? "" : "; not yet: block(s) \(stray.map { "\($0.offset + 1)" }.joined(separator: ", "))"))
            guard Self.literateChapters.contains(target) else { continue }
            for (index, block) in stray {
                // The nearest cell helps to see whether the page or the source is behind.
                let firstLine = block.prefix { $0 != "\n" }
                let near = cells.first { $0.text.hasPrefix(firstLine) }
                let diff = near.map { "\n(- page, + cell '\($0.name)' in \($0.file))\n" + LineDiff.diff(expected: block, actual: $0.text) } ?? ""
                Issue.record("""
                    Output/\(target)/README.md code block \(index + 1) is not a cell of the sources: mark the \
                    code that runs `// cell: NAME` … `// end cell`, show it with nb.code(cell:), and regenerate \
                    the page (scripts/regenerate-output.sh \(target)).\(diff)
                    """)
            }
        }
        // The state of the pages not converted yet, for the lead (shown in the test log).
        print("Literate cells, per page:\n" + report.joined(separator: "\n"))
    }

    @Test func scannerDedentsAndRejectsMalformedMarkers() throws {
        let source = """
            func f() {
                // cell: demo
                let x = 1

                    print(x)   // indented more
                // end cell
            }
            """
        let cells = try SourceCells.cells(in: source, file: "F.swift")
        #expect(cells == [SourceCell(name: "demo", file: "F.swift", line: 2, text: "let x = 1\n\n    print(x)   // indented more")])
        #expect(throws: CellError.self) { try SourceCells.cells(in: "// cell: a\nx\n", file: "F.swift") }
        #expect(throws: CellError.self) { try SourceCells.cells(in: "// cell: a\n// cell: b\n// end cell\n", file: "F.swift") }
        #expect(throws: CellError.self) { try SourceCells.cells(in: "x\n// end cell\n", file: "F.swift") }
        #expect(throws: CellError.self) { try SourceCells.cells(in: "// cell: a b\nx\n// end cell\n", file: "F.swift") }
        #expect(throws: CellError.self) { try SourceCells.cells(in: "// cell: a\n\n// end cell\n", file: "F.swift") }
    }

    @Test func generatedTableRoundTripsAwkwardText() throws {
        // Raw-string delimiters and backslashes in a cell must survive the generated literal.
        let cell = SourceCell(name: "awkward", file: "F.swift", line: 1, text: ##"let s = "\(x) \#(y) """#"##)
        let table = SourceCells.generatedTable([cell])
        #expect(table.contains("##\"\"\""))
        #expect(table.contains(##"let s = "\(x) \#(y) """#"##))
    }
}
