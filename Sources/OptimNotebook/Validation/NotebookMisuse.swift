/// OptimNotebook's check for API misuse (a figure name used twice, a staged directory written
/// after its commit): stops with the message in every build configuration, as OptimKit's
/// `requireValid`/`misuse` do for the algorithms.
///
/// The notebook layer (OptimPlot <- OptimNotebook, beside OptimIO) must not depend on OptimKit,
/// so it keeps this one small copy of the idea. It is internal, and a namespace rather than two
/// free functions named like OptimKit's, so a file that sees both (a test with
/// `@testable import OptimNotebook` and `import OptimKit`) never finds `requireValid` ambiguous.
/// None of its callers is on a hot path, so it needs none of OptimKit's inlining attributes.
///
/// ```swift
/// NotebookMisuse.require(!finished, "StagedDirectory.commit: called twice")
/// ```
enum NotebookMisuse {
    /// Stops with `message` unless `condition` holds; `message` is built only on failure.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if !condition { stop(message(), file: file, line: line) }
    }

    /// Stops with `message`. `fatalError` prints it in optimised builds too, unlike
    /// `precondition`.
    static func stop(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError(message(), file: file, line: line)
    }
}
