import Foundation

/// Number and text formatting for SVG output, written by hand so the bytes do not depend on
/// locale or platform `printf`.
enum SVGFormat {
    /// Coordinates never leave this box; anything farther is clamped before formatting.
    static let coordinateLimit = 1.0e6

    /// At most two decimals, trailing zeros trimmed, no `-0`, no exponent:
    /// `number(3.14159)` is `"3.14"`, `number(-0.001)` is `"0"`, `number(2.5)` is `"2.5"`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -coordinateLimit), coordinateLimit)
        let scaled = (clamped * 100).rounded(.toNearestOrAwayFromZero)
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let n = Int64(abs(scaled))
        var s = negative ? "-" : ""
        s += String(n / 100)
        let frac = n % 100
        if frac != 0 {
            if frac % 10 == 0 {
                s += "." + String(frac / 10)
            } else {
                s += (frac < 10 ? ".0" : ".") + String(frac)
            }
        }
        return s
    }

    /// Text content or attribute value with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters other than tab/newline are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Estimated width in pixels of `text` in the 10 px sans-serif font (used for layout only).
    /// The widths follow DejaVu Sans, the widest of the common defaults (Linux viewers and
    /// rsvg use it), so legend boxes and margins also fit Helvetica and Arial.
    static func textWidth(_ text: String, fontSize: Double = 10) -> Double {
        var w = 0.0
        for ch in text.unicodeScalars {
            switch ch {
            case "i", "l", "j", "t", "f", "r", "I", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]", " ":
                w += 0.36
            case "m", "w", "M", "W":
                w += 0.92
            case "A"..."Z":
                w += 0.72
            default:
                w += 0.62
            }
        }
        return w * fontSize
    }
}
