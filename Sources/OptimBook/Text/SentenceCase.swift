extension String {
    /// The string with its first character upper-cased, for generated sentences that begin with
    /// a name written in lower case ("cosine has the best …" → "Cosine has the best …"). Only
    /// a Latin letter a–z is changed: a symbol such as η or ε keeps its case, which is its meaning.
    ///
    /// ```swift
    /// "cosine and constant 0.1 are indistinguishable".sentenceCased   // "Cosine and constant 0.1 …"
    /// ```
    public var sentenceCased: String {
        guard let first = first, first.isASCII, first.isLowercase else { return self }
        return first.uppercased() + dropFirst()
    }
}
