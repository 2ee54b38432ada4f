import OptimPlot
import Foundation

/// A line of program output whose parts are either reproducible or *volatile*.
///
/// Volatile parts (wall-clock timings, GFLOPS) are marked where they are produced, so
/// golden tests and determinism checks mask exactly them and nothing else:
///
/// ```swift
/// notebook.output("loss: \(loss, format: "%.3f"), \(volatile: seconds, format: "%.3f") sec/epoch")
/// ```
/// renders as `loss: 0.244, 0.012 sec/epoch` on the terminal and as
/// `loss: 0.244, <volatile> sec/epoch` in a masked transcript.
public struct NotebookText: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case fixed(String)
        case volatile(String)
    }

    /// What a volatile part shows in a masked rendering.
    public static let volatileMask = "<volatile>"

    /// True when the environment sets `OPTIMBOOK_MASK_VOLATILE=1`: a run then masks volatile
    /// values (timings) on the terminal, in the page and in the figures, exactly as the golden
    /// tests do, so two runs can be compared byte for byte (`scripts/check-determinism.sh`).
    public static var maskingRequestedByEnvironment: Bool {
        ProcessInfo.processInfo.environment["OPTIMBOOK_MASK_VOLATILE"] == "1"
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }
    public init(_ string: String) { segments = [.fixed(string)] }
    public init(stringLiteral value: String) { segments = [.fixed(value)] }
    public init(stringInterpolation: Interpolation) { segments = stringInterpolation.segments }

    public func rendered(maskVolatile: Bool) -> String {
        segments.map {
            switch $0 {
            case .fixed(let s): return s
            case .volatile(let s): return maskVolatile ? NotebookText.volatileMask : s
            }
        }.joined()
    }

    public var description: String { rendered(maskVolatile: false) }
    public var hasVolatile: Bool { segments.contains { if case .volatile = $0 { return true } else { return false } } }

    public static func + (lhs: NotebookText, rhs: NotebookText) -> NotebookText {
        NotebookText(segments: lhs.segments + rhs.segments)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var segments: [Segment] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        mutating func fixed(_ s: String) {
            if case .fixed(let prev)? = segments.last {
                segments[segments.count - 1] = .fixed(prev + s)
            } else {
                segments.append(.fixed(s))
            }
        }
        public mutating func appendLiteral(_ literal: String) { fixed(literal) }
        public mutating func appendInterpolation<T>(_ value: T) { fixed(String(describing: value)) }
        /// A C-style formatted number, e.g. `\(x, format: "%f")`.
        public mutating func appendInterpolation(_ value: Double, format: String) {
            fixed(CFormat.format(format, value))
        }
        /// A value that changes from run to run (timings): masked in goldens.
        public mutating func appendInterpolation(volatile value: String) { segments.append(.volatile(value)) }
        public mutating func appendInterpolation(volatile value: Double, format: String) {
            segments.append(.volatile(CFormat.format(format, value)))
        }
        public mutating func appendInterpolation(_ text: NotebookText) {
            for s in text.segments {
                switch s {
                case .fixed(let f): fixed(f)
                case .volatile: segments.append(s)
                }
            }
        }
    }
}

/// C `printf`-style formatting of one number, the way the book's Python prints it.
public enum CFormat {
    /// `format("%f", -0.0576460752)` is `-0.057646`; `format("%.3f", 0.2437)` is `0.244`.
    public static func format(_ format: String, _ value: Double) -> String {
        if !value.isFinite {
            // Python prints nan/inf; C may print -nan. Fix the spelling on every platform.
            let body = value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
            return format.replacingOccurrences(of: #"%[-+ 0#]*[0-9]*(\.[0-9]+)?[fFeEgG]"#,
                                               with: body, options: .regularExpression)
        }
        return String(format: format, value)
    }
}
