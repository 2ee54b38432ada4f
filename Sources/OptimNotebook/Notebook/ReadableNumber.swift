import OptimPlot
import OptimIO
/// Numbers as a reader can take them in: the book's fixed `%f` while they are moderate, six
/// significant digits with an exponent once they are not (`%.6g`), so a runaway run prints
/// `-1.27348e+21` instead of a 22-digit integer with six decimals.
///
/// ```swift
/// ReadableNumber.format(-0.0576460752)      // "-0.057646"
/// ReadableNumber.format(-1.2734781e21)      // "-1.27348e+21"
/// ReadableNumber.format(.nan)               // "nan"
/// ```
public enum ReadableNumber {
    /// Values of this size and above are written with an exponent.
    public static let exponentFrom = 1e6

    public static func format(_ value: Double) -> String {
        abs(value) < exponentFrom || !value.isFinite ? CFormat.format("%f", value) : CFormat.format("%.6g", value)
    }
}
