import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Foundation
import Testing

/// Checks that a page ends with answered exercises and that its text refers only to
/// exercises that exist (issue 16).
///
/// The expected shape: a level-2 heading containing "Exercises" after which every block
/// belongs to the exercises; items are paragraphs starting `1. `, `2. `, … in order; after
/// each item, before the next one, a heading containing "Answer" followed by at least one
/// block of answer (prose, output, table, figure or code).
enum ExerciseStructure {
    /// Problems found, empty when the page is well formed.
    static func problems(_ nb: Notebook) -> [String] {
        var problems: [String] = []
        let blocks = nb.blocks
        guard let start = blocks.lastIndex(where: {
            if case .heading(let text, 2) = $0 { return text.contains("Exercises") } else { return false }
        }) else { return ["no level-2 heading containing \"Exercises\""] }
        if blocks[(start + 1)...].contains(where: { if case .heading(_, let level) = $0 { return level <= 2 } else { return false } }) {
            problems.append("a level-1 or level-2 heading follows the exercises")
        }
        // Split the exercise section into items.
        var items: [(number: Int, body: ArraySlice<NotebookBlock>)] = []
        var current: (number: Int, start: Int)?
        for i in (start + 1)..<blocks.count {
            if case .paragraph(let text) = blocks[i], let n = itemNumber(text) {
                if let c = current { items.append((c.number, blocks[(c.start + 1)..<i])) }
                current = (n, i)
            }
        }
        if let c = current { items.append((c.number, blocks[(c.start + 1)...])) }
        if items.isEmpty { problems.append("the exercise section has no numbered items") }
        for (k, item) in items.enumerated() {
            if item.number != k + 1 { problems.append("item \(k + 1) is numbered \(item.number)") }
            guard let answer = item.body.firstIndex(where: {
                if case .heading(let text, _) = $0 { return text.contains("Answer") } else { return false }
            }) else {
                problems.append("exercise \(item.number) has no Answer heading")
                continue
            }
            if answer + 1 >= item.body.endIndex { problems.append("exercise \(item.number) has an empty answer") }
        }
        // Every in-text reference "exercise N" / "exercises N and M" / "exercises N, M" names an item.
        let count = items.count
        let text = nb.markdown()
        for number in referencedExercises(text) where !(1...max(count, 1)).contains(number) || count == 0 {
            problems.append("the text refers to exercise \(number), but there are \(count)")
        }
        return problems
    }

    /// `n` when `text` starts with `n. ` (an exercise item).
    static func itemNumber(_ text: String) -> Int? {
        guard let match = text.prefixMatch(of: #/(\d+)\. /#) else { return nil }
        return Int(match.1)
    }

    /// The numbers after "exercise"/"exercises" (case-insensitive), e.g. "exercises 3 and 4".
    static func referencedExercises(_ text: String) -> [Int] {
        var numbers: [Int] = []
        for match in text.lowercased().matches(of: #/exercises? (\d+)((?:(?:, | and | or )\d+)*)/#) {
            numbers.append(Int(match.1)!)
            for more in match.2.matches(of: #/\d+/#) { numbers.append(Int(more.0)!) }
        }
        return numbers
    }

    static func check(_ nb: Notebook, sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in problems(nb) { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
    }
}

@Suite struct ExerciseStructureTests {
    @Test func theCheckerFindsMissingAnswersAndDanglingReferences() {
        let nb = Notebook(target: "demo", title: "demo")
        nb.paragraph("As exercise 3 shows, and exercises 1 and 2 too.")
        nb.heading("Exercises")
        nb.paragraph("1. First question.")
        nb.heading("Answer to exercise 1", level: 4)
        nb.paragraph("An answer.")
        nb.paragraph("2. Second question.")
        let problems = ExerciseStructure.problems(nb)
        #expect(problems.contains("exercise 2 has no Answer heading"))
        #expect(problems.contains("the text refers to exercise 3, but there are 2"))
        #expect(problems.count == 2)
        #expect(ExerciseStructure.referencedExercises("see exercises 2, 3 and 5; Exercise 4") == [2, 3, 5, 4])
    }
}
