import OptimPlot
import OptimIO
/// The numbered sections of a page, found from its headings (`--list`, `--section`).
///
/// The page title's leading number (`11.6` in "11.6 Momentum") is the chapter number. A
/// level-2 heading that starts with it (`11.6.3 Theoretical analysis`) opens section 3. A
/// level-2 heading without a number belongs to the section before it when a numbered heading
/// still follows (an extra inside a book section); after the last numbered heading, each one
/// opens a section of its own, numbered on from the book's (`11.6.4 Beyond the book: …`,
/// `11.6.5 Summary`). Level-3 headings are listed under their section. Text before the first
/// section (the introduction) belongs to no section.
///
/// ```swift
/// let outline = NotebookOutline(title: nb.title, blocks: nb.blocks)
/// print(outline.listing)
/// outline.section(matching: "3")?.number          // "11.6.3"
/// ```
public struct NotebookOutline: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        /// Full number, e.g. `11.6.3`.
        public let number: String
        /// The heading without its number.
        public let title: String
        /// The level-2 headings the section spans, counted from 1 in page order.
        public let headings: ClosedRange<Int>
        /// Headings inside the section: merged level-2 extras and level-3 headings.
        public let subheadings: [String]
        /// Numbers of the figures in the section.
        public let figures: [Int]
    }

    /// The chapter number from the title (`11.6`), empty when the title has none.
    public let chapterNumber: String
    public let title: String
    public let sections: [Section]

    public init(title: String, blocks: [NotebookBlock]) {
        self.title = title
        let first = title.split(separator: " ").first.map(String.init) ?? ""
        let isNumber = !first.isEmpty && first.allSatisfy { $0.isNumber || $0 == "." } && first.first?.isNumber == true
        let chapter = isNumber ? first : ""
        chapterNumber = chapter

        /// The section number a level-2 heading carries, with the rest of the heading.
        func explicit(_ heading: String) -> (Int, String)? {
            let prefix = chapter.isEmpty ? "" : chapter + "."
            guard heading.hasPrefix(prefix) else { return nil }
            let rest = heading.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isNumber }
            guard !digits.isEmpty, let n = Int(digits) else { return nil }
            let after = rest.dropFirst(digits.count)
            guard after.isEmpty || after.first == " " else { return nil }
            return (n, after.drop { $0 == " " }.isEmpty ? heading : String(after.drop { $0 == " " }))
        }

        let level2 = blocks.compactMap { block -> String? in
            if case .heading(let text, let level) = block, level == 2 { return text }
            return nil
        }
        let lastNumbered = level2.lastIndex { explicit($0) != nil }

        struct Building {
            var number: Int
            var title: String
            var first: Int
            var last: Int
            var subheadings: [String]
            var figures: [Int]
        }
        var built: [Building] = []
        var pending: (first: Int, titles: [String])? = nil
        var highest = 0
        var ordinal = 0
        for block in blocks {
            switch block {
            case .heading(let text, let level) where level == 2:
                ordinal += 1
                let index = ordinal - 1
                if let (n, rest) = explicit(text) {
                    highest = max(highest, n)
                    built.append(Building(number: n, title: rest, first: pending?.first ?? ordinal, last: ordinal,
                                          subheadings: pending?.titles ?? [], figures: []))
                    pending = nil
                } else if let lastNumbered, index < lastNumbered {
                    if built.isEmpty {
                        pending = (pending?.first ?? ordinal, (pending?.titles ?? []) + [text])
                    } else {
                        built[built.count - 1].last = ordinal
                        built[built.count - 1].subheadings.append(text)
                    }
                } else {
                    highest += 1
                    built.append(Building(number: highest, title: text, first: ordinal, last: ordinal,
                                          subheadings: [], figures: []))
                }
            case .heading(let text, let level) where level >= 3:
                if !built.isEmpty { built[built.count - 1].subheadings.append(text) }
            case .figure(let number, _, _):
                if !built.isEmpty { built[built.count - 1].figures.append(number) }
            default:
                continue
            }
        }
        sections = built.map {
            Section(number: chapter.isEmpty ? "\($0.number)" : "\(chapter).\($0.number)", title: $0.title,
                    headings: $0.first...$0.last, subheadings: $0.subheadings, figures: $0.figures)
        }
    }

    /// The section `text` names: its full number (`11.6.3`) or the last part alone (`3`).
    public func section(matching text: String) -> Section? {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        if let s = sections.first(where: { $0.number == wanted }) { return s }
        if !chapterNumber.isEmpty, !wanted.contains("."), let n = Int(wanted) {
            return sections.first { $0.number == "\(chapterNumber).\(n)" }
        }
        return nil
    }

    /// The outline as `--list` prints it.
    public var listing: String {
        var lines = ["\(title): \(sections.count) section\(sections.count == 1 ? "" : "s"); print one with --section N"]
        let width = sections.map(\.number.count).max() ?? 0
        let indent = String(repeating: " ", count: width + 4)
        for s in sections {
            var line = "  " + s.number + String(repeating: " ", count: width - s.number.count + 2) + s.title
            if let a = s.figures.first, let b = s.figures.last {
                line += a == b ? "  [figure \(a)]" : "  [figures \(a)–\(b)]"
            }
            lines.append(line)
            for sub in s.subheadings { lines.append(indent + sub) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
