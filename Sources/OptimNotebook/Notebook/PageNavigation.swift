/// The links at the top and bottom of a page: the previous and the next page of the book.
///
/// ```swift
/// nb.navigation = PageNavigation(previous: .init(title: "11.5 Minibatch SGD", target: "Ch11_5_MinibatchSGD"))
/// ```
public struct PageNavigation: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public let title: String
        /// The folder of the linked page beside this one (its executable target's name).
        public let target: String
        public init(title: String, target: String) { self.title = title; self.target = target }
    }

    public var previous: Link?
    public var next: Link?

    public init(previous: Link? = nil, next: Link? = nil) {
        self.previous = previous; self.next = next
    }
}
