import Foundation

/// Checks an API precondition in every build configuration: when `condition` is false the
/// message goes to standard error before the process traps. (`precondition` keeps its
/// message only in debug builds, and OptimKit is optimised even there.)
///
/// ```swift
/// requireValid(momentum >= 0 && momentum < 1, "MomentumVariant: momentum must be in [0, 1)")
/// ```
@inline(__always)
func requireValid(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data(("OptimKit: " + message() + "\n").utf8))
        fatalError(message())
    }
}
