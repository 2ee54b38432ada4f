import OptimPlot
import OptimIO
/// Admits only the blocks of chosen sections while a page is printed (`--section`): the page
/// title, then everything from the first to the last of the chosen level-2 headings
/// (`NotebookOutline.Section.headings`) up to the next level-2 heading.
public struct SectionFilter: Sendable, Equatable {
    public let headings: ClosedRange<Int>
    /// Level-2 headings seen so far.
    public private(set) var seen = 0

    public init(headings: ClosedRange<Int>) { self.headings = headings }

    /// Whether `block` is printed (call once per block, in order).
    public mutating func admits(_ block: NotebookBlock) -> Bool {
        if case .heading(_, let level) = block {
            if level <= 1 { return true }
            if level == 2 { seen += 1 }
        }
        return headings.contains(seen)
    }

    /// Whether a line of program output is printed now.
    public var admitsOutput: Bool { headings.contains(seen) }
}
