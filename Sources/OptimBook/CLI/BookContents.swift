import OptimNotebook

/// The book's table of contents: its chapters in order, each the single source of its own
/// target name, title, summary and key figure (`Chapter`).
///
/// The chapters live in the `BookChapters` module, which hands its registry to every run;
/// from it come the previous/next links of each page and the index page `Output/README.md`.
///
/// ```swift
/// let contents = BookContents([GradientDescentChapter.self, SGDChapter.self])
/// contents.navigation(for: "Ch11_4_SGD").previous?.title   // "11.3 Gradient Descent"
/// ```
public struct BookContents {
    public let chapters: [any Chapter.Type]

    public init(_ chapters: [any Chapter.Type]) {
        self.chapters = chapters
    }

    /// The target names in book order.
    public var targets: [String] { chapters.map { $0.target } }

    public func chapter(named target: String) -> (any Chapter.Type)? {
        chapters.first { $0.target == target }
    }

    /// The neighbours of `target` for the links at the top and bottom of its page.
    public func navigation(for target: String) -> PageNavigation {
        guard let i = chapters.firstIndex(where: { $0.target == target }) else { return PageNavigation() }
        func link(_ c: any Chapter.Type) -> PageNavigation.Link { PageNavigation.Link(title: c.title, target: c.target) }
        return PageNavigation(previous: i > 0 ? link(chapters[i - 1]) : nil,
                              next: i + 1 < chapters.count ? link(chapters[i + 1]) : nil)
    }

    /// The index page, `Output/README.md`.
    public func indexMarkdown() -> String {
        var out = """
            # OptimBook: Optimization Algorithms

            Chapter 11 of *Dive into Deep Learning* as runnable Swift. Each section below is a \
            program (`swift run <target>`) that printed this page and drew its figures; the \
            numbers are pinned by the project's golden tests.


            """
        for c in chapters {
            out += "## [\(c.title)](\(c.target)/README.md)\n\n"
            out += c.summary + "\n\n"
            if let figure = c.keyFigure {
                out += "[![\(c.title)](\(c.target)/\(figure))](\(c.target)/README.md)\n\n"
                if c.keyFigureIsAnimated {
                    let twin = String(figure.dropLast(4)) + "-animated.svg"
                    out += "[▶ animated](\(c.target)/\(twin))\n\n"
                }
            }
            out += "`swift run \(c.target)`\n\n"
        }
        return out
    }
}
