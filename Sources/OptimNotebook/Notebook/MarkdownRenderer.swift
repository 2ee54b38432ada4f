import OptimPlot
/// Renders notebook blocks as the chapter's Markdown page in `Output/<target>/README.md`.
struct MarkdownRenderer {
    let target: String
    let maskVolatile: Bool

    func render(blocks: [NotebookBlock],
                navigation: PageNavigation) -> String {
        var out = ""
        let nav = navigationLine(navigation)
        if !nav.isEmpty { out += nav + "\n\n" }
        var merged = Set<Int>()
        for (i, block) in blocks.enumerated() where !merged.contains(i) {
            // A figure followed by its animated twin gets both links on its caption line.
            if case .figure(let number, let file, let caption) = block, i + 1 < blocks.count,
               case .animation(let animated) = blocks[i + 1] {
                out += "![Figure \(number)](\(file))\n\n*Figure \(number): \(caption)* ([SVG](\(file)) · [▶ animated](\(animated)))\n\n"
                merged.insert(i + 1)
                continue
            }
            out += render(block)
        }
        if !nav.isEmpty { out += "---\n\n" + nav + "\n" }
        return out
    }

    private func navigationLine(_ navigation: PageNavigation) -> String {
        var parts: [String] = []
        if let p = navigation.previous { parts.append("[← \(p.title)](../\(p.target)/README.md)") }
        if navigation.previous != nil || navigation.next != nil { parts.append("[Index](../README.md)") }
        if let n = navigation.next { parts.append("[\(n.title) →](../\(n.target)/README.md)") }
        return parts.joined(separator: " · ")
    }

    private func render(_ block: NotebookBlock) -> String {
        switch block {
        case .heading(let text, let level):
            return String(repeating: "#", count: max(1, min(6, level))) + " " + text + "\n\n"
        case .paragraph(let text):
            return text + "\n\n"
        case .formula(let latex, _, let number):
            return "$$\n" + latex + " \\tag{\(number)}\n$$\n\n"
        case .code(let text):
            return "```swift\n" + text + "\n```\n\n"
        case .output(let lines):
            return "```text\n" + lines.map { $0.rendered(maskVolatile: maskVolatile) }.joined(separator: "\n") + "\n```\n\n"
        case .figure(let number, let file, let caption):
            return "![Figure \(number)](\(file))\n\n*Figure \(number): \(caption)* ([SVG](\(file)))\n\n"
        case .animation(let file):
            return "[▶ animated](\(file))\n\n"
        case .table(let header, let rows):
            func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
            var out = "| " + header.map(escape).joined(separator: " | ") + " |\n"
            out += "|" + header.map { _ in " --- |" }.joined() + "\n"
            for row in rows {
                out += "| " + row.map { escape($0.rendered(maskVolatile: maskVolatile)) }.joined(separator: " | ") + " |\n"
            }
            return out + "\n"
        }
    }
}
