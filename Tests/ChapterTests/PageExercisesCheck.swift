import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation
import Testing

/// Checks a chapter page's exercises: the page ends with a section whose heading contains
/// "Exercises", its items are numbered 1, 2, … in order, every item is followed by an "Answer"
/// heading before the next item, and every "exercise N" the page mentions exists.
enum PageExercises {
    static func check(_ nb: Notebook, sourceLocation: SourceLocation = #_sourceLocation) {
        let blocks = nb.blocks
        guard let start = blocks.lastIndex(where: { if case .heading(let t, _) = $0 { return t.contains("Exercises") } else { return false } }) else {
            Issue.record("no Exercises heading", sourceLocation: sourceLocation); return
        }
        // Nothing after the exercises but their items and answers: no later heading of level ≤ 2.
        for block in blocks[(start + 1)...] {
            if case .heading(let t, let level) = block, level <= 2 {
                Issue.record("heading '\(t)' after the exercises", sourceLocation: sourceLocation)
            }
        }
        var expected = 1
        var awaitingAnswer: Int? = nil
        for block in blocks[(start + 1)...] {
            switch block {
            case .paragraph(let text):
                if let n = itemNumber(text) {
                    if let open = awaitingAnswer { Issue.record("exercise \(open) has no answer", sourceLocation: sourceLocation) }
                    #expect(n == expected, "exercise numbered \(n), expected \(expected)", sourceLocation: sourceLocation)
                    expected = n + 1
                    awaitingAnswer = n
                }
            case .heading(let t, _) where t.hasPrefix("Answer"):
                awaitingAnswer = nil
            default:
                break
            }
        }
        if let open = awaitingAnswer { Issue.record("exercise \(open) has no answer", sourceLocation: sourceLocation) }
        let count = expected - 1
        #expect(count >= 1, "no numbered exercises", sourceLocation: sourceLocation)
        // Every "exercise N" / "exercises N and M" in the whole page names an existing item.
        let page = nb.markdown()
        for n in referencedNumbers(page) {
            #expect((1...max(count, 1)).contains(n), "the page refers to exercise \(n), which does not exist", sourceLocation: sourceLocation)
        }
    }

    /// `"3. Text"` → 3.
    static func itemNumber(_ text: String) -> Int? {
        let digits = text.prefix { $0.isNumber }
        guard !digits.isEmpty, text.dropFirst(digits.count).hasPrefix(". ") else { return nil }
        return Int(digits)
    }

    /// Numbers after "exercise" or "exercises" (", ", " and " separated), any case.
    static func referencedNumbers(_ page: String) -> [Int] {
        var found: [Int] = []
        let words = page.lowercased().replacingOccurrences(of: ",", with: " ").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == ")" })
        var i = 0
        while i < words.count {
            if words[i] == "exercise" || words[i] == "exercises" {
                var j = i + 1
                while j < words.count {
                    let w = words[j].trimmingCharacters(in: CharacterSet(charactersIn: ".;:"))
                    if let n = Int(w) { found.append(n) } else if w != "and" { break }
                    j += 1
                }
                i = j
            } else {
                i += 1
            }
        }
        return found
    }
}
