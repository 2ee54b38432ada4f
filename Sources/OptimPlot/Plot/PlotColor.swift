import Foundation

/// An opaque RGB colour as written into SVG (`#rrggbb`).
///
/// The palette follows matplotlib: `tab10` is its default colour cycle, and the
/// one-letter names `b g r c m y k w` map to matplotlib's "base colours"
/// (`"m"` is `#bf00bf`, not the tab10 purple).
///
/// ```swift
/// let orange = PlotColor(hex: 0xff7f0e)
/// let blue = PlotColor.tab10[0]            // #1f77b4
/// let magenta = PlotColor(letter: "m")     // #bf00bf
/// let green = PlotColor(hex: "#2ca02c")
/// let parsed = PlotColor(hexString: userText)          // nil unless six hex digits
/// ```
public struct PlotColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// A colour from a 24-bit literal such as `0xff7f0e`.
    public init(hex: UInt32) {
        red = UInt8((hex >> 16) & 0xff); green = UInt8((hex >> 8) & 0xff); blue = UInt8(hex & 0xff)
    }

    /// A colour from `"#rrggbb"` or `"rrggbb"`; `nil` when the text is not six hex digits.
    public init?(hexString: String) {
        var s = Substring(hexString)
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        self.init(hex: v)
    }

    /// A colour from `"#rrggbb"` written in code, e.g. `PlotColor(hex: "#ff7f0e")`. Text that
    /// is not six hex digits gives black (use `init?(hexString:)` to detect that).
    public init(hex: String) {
        self = PlotColor(hexString: hex) ?? PlotColor(hex: UInt32(0))
    }

    /// matplotlib's single-letter colours; `nil` for any other character.
    public init?(letter: Character) {
        switch letter {
        case "b": self.init(hex: 0x0000ff)
        case "g": self.init(hex: 0x008000)
        case "r": self.init(hex: 0xff0000)
        case "c": self.init(hex: 0x00bfbf)
        case "m": self.init(hex: 0xbf00bf)
        case "y": self.init(hex: 0xbfbf00)
        case "k": self.init(hex: 0x000000)
        case "w": self.init(hex: 0xffffff)
        default: return nil
        }
    }

    /// `#rrggbb` in lower case.
    public var svg: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] {
            s.append(digits[Int(c >> 4)]); s.append(digits[Int(c & 15)])
        }
        return s
    }

    /// matplotlib's default colour cycle ("tab10").
    public static let tab10: [PlotColor] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
        0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    ].map { PlotColor(hex: $0) }

    public static let tabBlue = PlotColor(hex: 0x1f77b4)
    public static let tabOrange = PlotColor(hex: 0xff7f0e)
    public static let tabGreen = PlotColor(hex: 0x2ca02c)
    public static let tabRed = PlotColor(hex: 0xd62728)
    public static let tabPurple = PlotColor(hex: 0x9467bd)
    public static let black = PlotColor(hex: 0x000000)
    public static let white = PlotColor(hex: 0xffffff)
    public static let gray = PlotColor(hex: 0x808080)
    public static let lightGray = PlotColor(hex: 0xd3d3d3)
}
