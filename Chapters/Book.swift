import OptimBook
import Foundation
import OptimNotebook

/// The book's chapters in order: the one registry from which the index page, every page's
/// previous/next links, the tests and the check of Package.swift's list are all derived.
/// A new chapter joins by adding its type here (and its target to Package.swift).
public enum Book {
    static var contents: BookContents { BookContents([
        OptimizationAndDeepLearningChapter.self,
        ConvexityChapter.self,
        GradientDescentChapter.self,
        SGDChapter.self,
        MinibatchSGDChapter.self,
        MomentumChapter.self,
        AdagradChapter.self,
        RMSPropChapter.self,
        AdadeltaChapter.self,
        AdamChapter.self,
        LRSchedulingChapter.self,
        ChoosingAnOptimizerChapter.self,
    ]) }

    /// The executable targets in book order.
    public static var targets: [String] { contents.targets }

    /// The entry point of the chapter executable `target` (each `main.swift` is this call).
    public static func main(_ target: String) -> Never {
        guard let chapter = contents.chapter(named: target) else {
            ChapterMain.writeError("\(target): error: no chapter of that name in the book's registry\n")
            exit(2)
        }
        ChapterMain.run(chapter, contents: contents)
    }

    /// Runs a chapter in-process without printing or writing anything (golden tests).
    static func notebook<C: Chapter>(_ chapter: C.Type, seed: UInt64? = nil, reduced: Bool = true,
                                     flags: Set<String> = [], values: [String: String] = [:]) throws -> Notebook {
        try ChapterMain.notebook(chapter, contents: contents, seed: seed, reduced: reduced, flags: flags, values: values)
    }

    /// `ChapterMain.execute` with this book's contents (tests of statuses and output).
    static func execute<C: Chapter>(_ chapter: C.Type, arguments: [String], renderer: TerminalRenderer? = nil,
                                    errorSink: (String) -> Void = ChapterMain.writeError) -> Int32 {
        ChapterMain.execute(chapter, contents: contents, arguments: arguments, renderer: renderer, errorSink: errorSink)
    }
}
