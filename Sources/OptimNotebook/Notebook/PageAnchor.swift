/// Links to a heading on the same Markdown page, with the anchor GitHub generates for it:
/// lower case, spaces become hyphens, punctuation other than `-` and `_` is dropped
/// (letters and digits of any script stay).
///
/// ```swift
/// PageAnchor.slug("11.5.4 Implementation from scratch")      // "1154-implementation-from-scratch"
/// PageAnchor.link("the γ = 1 run", to: "Beyond the book: γ = 1")
/// // "[the γ = 1 run](#beyond-the-book-γ--1)"
/// ```
public enum PageAnchor {
    public static func slug(_ heading: String) -> String {
        var out = ""
        for ch in heading.lowercased() {
            if ch == " " { out.append("-") }
            else if ch == "-" || ch == "_" || ch.isLetter || ch.isNumber { out.append(ch) }
        }
        return out
    }

    /// `[text](#slug)`.
    public static func link(_ text: String, to heading: String) -> String {
        "[\(text)](#\(slug(heading)))"
    }
}
