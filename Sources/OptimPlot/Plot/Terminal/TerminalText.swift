import Foundation

/// Plain-text forms of the plot layer's SVG text markup.
enum TerminalText {
    /// Tick labels and titles without SVG markup: a superscript `<tspan>` (log-axis decades,
    /// `10<tspan …>−2</tspan>`) becomes Unicode superscripts (`10⁻²`), entities are decoded.
    static func plain(_ markup: String) -> String {
        var text = markup
        while let open = text.range(of: "<tspan"), let close = text.range(of: "</tspan>", range: open.upperBound..<text.endIndex),
              let bodyStart = text.range(of: ">", range: open.upperBound..<close.lowerBound) {
            let body = String(text[bodyStart.upperBound..<close.lowerBound])
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: superscript(body))
        }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Digits and signs as superscripts (other characters unchanged).
    static func superscript(_ text: String) -> String {
        let map: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
                                           "7": "⁷", "8": "⁸", "9": "⁹", "−": "⁻", "-": "⁻", "+": "⁺"]
        return String(text.map { map[$0] ?? $0 })
    }

    /// Cells a string occupies (one per character: the drawings use no wide characters).
    static func width(_ text: String) -> Int { text.count }

    /// `text` cut to `width` cells, ending in "…" when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(width, 0))) }
        return String(text.prefix(width - 1)) + "…"
    }
}
