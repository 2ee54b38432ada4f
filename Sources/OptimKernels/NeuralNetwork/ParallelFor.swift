import OptimKit

/// A raw pointer that may be handed to `WorkerPool` threads.
///
/// The code that creates one promises that concurrent iterations touch disjoint
/// elements (or only read), which is what makes the `@unchecked Sendable` sound.
struct SendableMutablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// A read-only raw pointer that may be handed to `WorkerPool` threads.
struct SendablePointer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ base: UnsafePointer<Element>) { self.base = base }
}

/// Runs `body(context, i)` for `i` in `0..<count`, on several threads when the total work
/// (`count * costPerIteration`, roughly in multiply-adds) is worth the hand-off.
///
/// Iterations must be independent: each writes only its own outputs. Every output is
/// then computed by the same sequence of operations whichever thread runs it, so the
/// results are bit-identical with one core or many.
///
/// `body` must capture nothing: everything it needs comes in through `context` (pointers
/// wrapped in `SendablePointer`, sizes, geometry). A capture-free closure is a bare function
/// pointer, so handing it to `WorkerPool` allocates nothing.
@inline(__always)
func parallelFor<Context>(_ count: Int, costPerIteration: Int, context: Context,
                          _ body: @escaping @Sendable (Context, Int) -> Void) {
    if count > 1 && count * costPerIteration >= 200_000 {
        concurrentFor(count, context: context, body)
    } else {
        for i in 0..<count { body(context, i) }
    }
}

/// Runs `body(context, i)` for `i` in `0..<count` on the caller and the `WorkerPool`
/// threads (no size threshold); `body` must capture nothing, as for `parallelFor`.
@inline(__always)
func concurrentFor<Context>(_ count: Int, context: Context, _ body: @escaping @Sendable (Context, Int) -> Void) {
    withUnsafePointer(to: LoopArguments(context: context, body: body)) { arguments in
        WorkerPool.shared.run(count, arguments: UnsafeRawPointer(arguments)) { raw, i in
            let loop = raw.assumingMemoryBound(to: LoopArguments<Context>.self)
            loop.pointee.body(loop.pointee.context, i)
        }
    }
}

/// A loop's context and body, kept on the caller's stack while `WorkerPool` runs the loop.
struct LoopArguments<Context> {
    let context: Context
    let body: (Context, Int) -> Void
}
