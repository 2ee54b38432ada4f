import Foundation

/// One tick on an axis: its value, and its label as SVG text markup (already escaped).
struct Tick: Sendable, Equatable {
    var value: Double
    var label: String
    var major: Bool
}

/// Tick placement the way matplotlib does it.
///
/// Linear axes use `MaxNLocator`'s rule: the step is the smallest of 1, 2, 2.5, 5 × 10^k that
/// is at least `(hi - lo) / bins`, and ticks are the multiples of the step inside the limits.
/// Labels share one number of decimals (`0.225, 0.250, 0.275`), are built from integers so
/// no float noise can appear, and use the typographic minus sign.
/// Log axes put a labelled tick at each power of ten (`10^k` with a superscript) and unlabelled
/// minor ticks at 2…9 × 10^k.
enum Ticks {
    static let minus = "\u{2212}"

    /// A nice step `mantissa × 10^exponent` with mantissa in {1, 2, 25, 5} (25 stands for 2.5
    /// one decade lower).
    struct Step: Equatable {
        var mantissa: Int64
        var exponent: Int
        var value: Double { scaled(mantissa) }
        /// `n × 10^exponent` as a double, computed with one correctly rounded operation.
        func scaled(_ n: Int64) -> Double {
            exponent >= 0 ? Double(n) * Ticks.power10(exponent) : Double(n) / Ticks.power10(-exponent)
        }
    }

    /// 10^k for integer k, exact for |k| <= 22 and identical on every platform.
    static func power10(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<min(abs(k), 330) { r *= 10 }
        return k >= 0 ? r : 1 / r
    }

    /// The smallest nice step >= `raw`.
    static func niceStep(atLeast raw: Double) -> Step {
        guard raw.isFinite, raw > 0 else { return Step(mantissa: 1, exponent: 0) }
        var k = Int(floor(log10(raw)))
        // Correct any rounding in log10 so that 10^k <= raw < 10^(k+1).
        while power10(k) > raw { k -= 1 }
        while power10(k + 1) <= raw { k += 1 }
        let candidates: [Step] = [
            Step(mantissa: 1, exponent: k), Step(mantissa: 2, exponent: k), Step(mantissa: 25, exponent: k - 1),
            Step(mantissa: 5, exponent: k), Step(mantissa: 1, exponent: k + 1),
        ]
        for c in candidates where c.value >= raw * (1 - 1e-12) { return c }
        return Step(mantissa: 1, exponent: k + 1)
    }

    /// Multiples of a nice step covering [lo, hi] with at most about `bins` intervals; the
    /// first is <= lo and the last >= hi. Returned as integers `n` (tick = n × step).
    static func multiples(_ lo: Double, _ hi: Double, bins: Int) -> (step: Step, indices: ClosedRange<Int64>) {
        let span = hi - lo
        let step = niceStep(atLeast: span / Double(max(bins, 1)))
        let s = step.value
        let tolerance = 1e-9
        // Clamp before converting so that absurd ratios cannot trap.
        let a = min(max((lo / s + tolerance).rounded(.down), -1e15), 1e15)
        let b = min(max((hi / s - tolerance).rounded(.up), -1e15), 1e15)
        let first = Int64(a.isFinite ? a : 0)
        let last = Int64(b.isFinite ? b : 0)
        return (step, first...max(first, last))
    }

    /// Ticks inside [lo, hi] on a linear axis.
    static func linear(_ lo: Double, _ hi: Double, bins: Int) -> [Tick] {
        linearWithMultiplier(lo, hi, bins: bins).ticks
    }

    /// Ticks inside [lo, hi] on a linear axis, and the power of ten the labels are divided by
    /// when the values are very large or very small (matplotlib's `1e5` corner note), or nil.
    static func linearWithMultiplier(_ lo: Double, _ hi: Double, bins: Int) -> (ticks: [Tick], multiplier: Int?) {
        guard lo.isFinite, hi.isFinite, hi > lo else { return ([], nil) }
        let (step, range) = multiples(lo, hi, bins: bins)
        let slack = (hi - lo) * 1e-9
        var ns: [Int64] = []
        // Keep index arithmetic in range for absurd spans.
        guard range.count < 10_000 else { return ([], nil) }
        for n in range {
            let v = step.scaled(n * step.mantissa)
            if v >= lo - slack && v <= hi + slack { ns.append(n * step.mantissa) }
        }
        let largest = ns.map { abs(step.scaled($0)) }.max() ?? 0
        var shift = 0
        if largest > 0 {
            let e = Int(floor(log10(largest)))
            if e >= 5 || e <= -5 { shift = e }
        }
        let exponent = step.exponent - shift
        let decimals = max(0, -exponent)
        let ticks = ns.map { Tick(value: step.scaled($0), label: label(n: $0, exponent: exponent, decimals: decimals), major: true) }
        return (ticks, shift == 0 ? nil : shift)
    }

    /// The number `n × 10^exponent` printed with exactly `decimals` decimals (exponent >= -decimals),
    /// using the typographic minus.
    static func label(n: Int64, exponent: Int, decimals: Int) -> String {
        if n == 0 { return decimals > 0 ? "0." + String(repeating: "0", count: decimals) : "0" }
        var digits = String(abs(n))
        if exponent > 0 { digits += String(repeating: "0", count: exponent) }
        // Now value = digits × 10^min(exponent, 0); pad to `decimals` fraction digits.
        let fracDigits = max(0, -exponent)
        digits += String(repeating: "0", count: max(0, decimals - fracDigits))
        let total = max(decimals, fracDigits)
        if total > 0 {
            if digits.count <= total { digits = String(repeating: "0", count: total - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -total)
            digits = String(digits[..<cut]) + "." + String(digits[cut...])
        }
        return (n < 0 ? minus : "") + digits
    }

    /// Ticks inside [lo, hi] on a log axis (lo > 0).
    static func log(_ lo: Double, _ hi: Double, maxMajor: Int = 8) -> [Tick] {
        guard lo.isFinite, hi.isFinite, lo > 0, hi > lo else { return [] }
        let slack = 1e-9
        let kLo = Int((log10(lo) - slack).rounded(.up))
        let kHi = Int((log10(hi) + slack).rounded(.down))
        let decades = kHi - kLo + 1
        let stride = max(1, Int((Double(decades) / Double(maxMajor)).rounded(.up)))
        var ticks: [Tick] = []
        let firstK = Int((log10(lo) - slack).rounded(.down))
        for k in firstK...max(firstK, kHi) {
            let base = power10(k)
            if k >= kLo && k <= kHi {
                // With a stride, label the powers whose exponent is a multiple of it (10^0 stays).
                if ((k % stride) + stride) % stride == 0 {
                    ticks.append(Tick(value: base, label: decadeLabel(k), major: true))
                } else {
                    ticks.append(Tick(value: base, label: "", major: false))
                }
            }
            if stride == 1 {
                for m in 2...9 {
                    let v = Double(m) * base
                    if v >= lo * (1 - slack) && v <= hi * (1 + slack) {
                        ticks.append(Tick(value: v, label: "", major: false))
                    }
                }
            }
        }
        // Fewer than two labelled ticks: label the minor ones too, as matplotlib does for short
        // log ranges, and then every label as a plain number (the lone power of ten too), so that
        // one axis never mixes `10⁰` with `0.2`.
        if ticks.filter(\.major).count < 2 {
            ticks = ticks.map { t in Tick(value: t.value, label: plainLabel(t.value), major: true) }
        }
        return ticks
    }

    /// `10` with a superscript exponent.
    static func decadeLabel(_ k: Int) -> String {
        let exp = (k < 0 ? minus : "") + String(abs(k))
        return "10<tspan dy=\"-4\" font-size=\"7\">\(exp)</tspan>"
    }

    /// A short label for an arbitrary positive value such as 2 × 10^k.
    static func plainLabel(_ v: Double) -> String {
        let k = Int(floor(log10(v)))
        let m = Int64((v / power10(k)).rounded())
        if k >= 0 && k <= 4 { return label(n: m, exponent: k, decimals: 0) }
        if k < 0 && k >= -4 { return label(n: m, exponent: k, decimals: -k) }
        return "\(m)\u{00D7}" + decadeLabel(k)
    }

    /// Ticks at values the caller chose, inside [lo, hi], labelled with one shared number of
    /// decimals (the fewest, up to 6, that print every value exactly to 1e-9).
    static func fixed(_ values: [Double], _ lo: Double, _ hi: Double) -> [Tick] {
        let inside = values.filter { $0.isFinite && $0 >= lo - 1e-9 * abs(hi - lo) && $0 <= hi + 1e-9 * abs(hi - lo) }
        var decimals = 0
        while decimals < 6 && !inside.allSatisfy({ v in
            let scaled = v * power10(decimals)
            return abs(scaled - scaled.rounded()) < 1e-9 * max(1, abs(scaled))
        }) { decimals += 1 }
        return inside.map { v in
            let scaled = (v * power10(decimals)).rounded()
            guard abs(scaled) < 9e15 else { return Tick(value: v, label: plainLabel(abs(v)), major: true) }
            return Tick(value: v, label: label(n: Int64(scaled), exponent: -decimals, decimals: decimals), major: true)
        }
    }
}
