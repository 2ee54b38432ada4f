/// A duration in the unit that shows it: seconds from 1 s up (three decimals), otherwise
/// milliseconds or microseconds with three significant digits.
///
/// The book prints its time per epoch as `%.3f sec`, which reads `0.000` for an airfoil epoch
/// of compiled code (about 20 µs). The training runs print this form instead, so the number
/// is visible on any machine.
///
/// ```swift
/// readableDuration(0.0421)      // "42.1 ms"
/// readableDuration(2.19e-5)     // "21.9 µs"
/// readableDuration(3.5)         // "3.500 sec"
/// ```
public func readableDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return CFormat.format("%g", seconds) + " sec" }
    if seconds >= 0.9995 { return CFormat.format("%.3f", seconds) + " sec" }
    let (value, unit) = seconds >= 0.9995e-3 ? (seconds * 1e3, "ms") : (seconds * 1e6, "µs")
    // value < 999.5 here, so three significant digits never round up into the next unit.
    let format = value >= 99.95 ? "%.0f" : (value >= 9.995 ? "%.1f" : "%.2f")
    return CFormat.format(format, value) + " " + unit
}
