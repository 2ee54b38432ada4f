/// Stops the program with `message`: API misuse (a length mismatch, a hyperparameter out of
/// range). Unlike `precondition`, whose message optimised builds drop, `fatalError` prints
/// the message in debug and release alike, so the reader always learns what went wrong.
///
/// Never inlined: it is the cold path of every check (`requireValid` inlines only the test
/// and a call here), so the string building stays out of the callers' hot loops.
///
/// ```swift
/// if beta1 >= 1 { misuse("Adam: beta1 must be in [0, 1), got \(beta1)") }
/// ```
@inline(never)
public func misuse(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}

/// The ranges the optimizers' hyperparameters must lie in, checked where they are set.
///
/// Each check stops with a message naming the optimizer, the hyperparameter, the rule and the
/// value (`Adam: beta1 must be in [0, 1), got 1.0`); `problem` returns the same text without
/// stopping, for callers that report bad input as an error instead (`OptimizerChoice`).
public enum Hyperparameter: Sendable, Equatable {
    /// Finite and ≥ 0 (a learning rate may be 0, e.g. at the start of a warmup).
    case nonNegative
    /// Finite and > 0.
    case positive
    /// In [0, 1): a decay or momentum factor.
    case fraction
    /// In [0, 1]: a decay factor whose end point 1 is a meaningful limit (RMSProp with γ = 1
    /// never updates its average, which 11.8 runs on purpose).
    case closedFraction

    public var requirement: String {
        switch self {
        case .nonNegative: return "a finite number >= 0"
        case .positive: return "a finite number > 0"
        case .fraction: return "in [0, 1)"
        case .closedFraction: return "in [0, 1]"
        }
    }

    public func admits(_ value: Double) -> Bool {
        switch self {
        case .nonNegative: return value.isFinite && value >= 0
        case .positive: return value.isFinite && value > 0
        case .fraction: return value >= 0 && value < 1
        case .closedFraction: return value >= 0 && value <= 1
        }
    }

    /// The message for `value`, or nil when it is admitted.
    public func problem(_ name: String, _ value: Double, in owner: String) -> String? {
        admits(value) ? nil : "\(owner): \(name) must be \(requirement), got \(value)"
    }

    /// Stops with the message when `value` is not admitted.
    @inline(__always)
    public func check(_ name: String, _ value: Double, in owner: String, file: StaticString = #fileID, line: UInt = #line) {
        if !admits(value) { misuse(problem(name, value, in: owner) ?? "", file: file, line: line) }
    }
}

/// Stops with `message` unless `condition` holds (`misuse` for API misuse checked in one line).
///
/// Like the standard library's `precondition` it is `@_transparent`: every caller, in every
/// configuration, inlines the test itself (no call on the passing path), and the message is
/// an autoclosure that only the failing branch runs, as a call to the never-inlined `misuse`.
/// Unlike `precondition`, the message is printed in optimised builds too.
///
/// One cost remains on the passing path when the message interpolates values: the optimiser
/// stores the captured values into the closure's stack context before the test (a few
/// stores, no allocation, no call; checked in the generated code with `swiftc -O
/// -emit-assembly`). That is nothing next to a constructor or a whole pass over a batch, but
/// in an innermost loop (an element subscript, one check per label) write the test out,
/// so the message is built only inside the branch and the passing path is the test alone:
///
/// ```swift
/// requireValid(times >= 1, "repeated: times must be at least 1, got \(times)")
/// if !(row >= 0 && row < rows) { misuse("Matrix: row \(row) outside 0..<\(rows)") }   // hot loop
/// ```
@_transparent
public func requireValid(_ condition: Bool, _ message: @autoclosure () -> String,
                         file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition) { misuse(message(), file: file, line: line) }
}
