import Dispatch

/// A raw pointer that may be handed to Dispatch worker threads.
///
/// The code that creates one promises that concurrent iterations touch disjoint
/// elements (or only read), which is what makes the `@unchecked Sendable` sound.
struct SendableMutablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// A read-only raw pointer that may be handed to Dispatch worker threads.
struct SendablePointer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ base: UnsafePointer<Element>) { self.base = base }
}

/// Runs `body(i)` for `i` in `0..<count`, on several threads when the total work
/// (`count * costPerIteration`, roughly in multiply-adds) is worth the hand-off.
///
/// Iterations must be independent: each writes only its own outputs. Every output is
/// then computed by the same sequence of operations whichever thread runs it, so the
/// results are bit-identical with one core or many.
@inline(__always)
func parallelFor(_ count: Int, costPerIteration: Int, _ body: @Sendable (Int) -> Void) {
    if count > 1 && count * costPerIteration >= 200_000 {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
        for i in 0..<count { body(i) }
    }
}
