import Foundation
import Testing

/// Every committed page in `Output/` ends with an Exercises section whose numbered items all
/// have a worked answer (an "Answer" heading with text under it) or a link to the place that
/// answers them; every link inside a page resolves; no prose refers to an exercise that the
/// page (or the page it names) does not list.
///
/// The pages are enumerated from `Output/`, one test case per page, so a failure names the
/// page. The checks read the Markdown the chapters wrote, the way a reader meets it.
@Suite struct ExercisesTests {
    static let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Output")

    /// Chapter directories in `Output/` (those holding a README.md), sorted.
    static let pages: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: output.appendingPathComponent($0).appendingPathComponent("README.md").path) }
            .sorted()
    }()

    static func markdown(_ page: String) -> String? {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent(page).appendingPathComponent("README.md").path)
        else { return nil }
        return String(data: data, encoding: .utf8)
    }

    @Test func outputHasPages() {
        #expect(Self.pages.count >= 11, "expected the eleven chapter pages in Output/, found \(Self.pages)")
    }

    @Test(arguments: pages)
    func pageEndsWithAnsweredExercises(_ page: String) throws {
        let text = try #require(Self.markdown(page))
        let doc = PageStructure(text)
        guard let section = doc.exercisesSection else {
            Issue.record("\(page): no level-2 heading containing \"Exercises\"")
            return
        }
        #expect(section.isLast, "\(page): the Exercises section is not the last section of the page (found \"## \(doc.lastLevel2Heading ?? "")\" after it)")
        let items = section.items
        #expect(!items.isEmpty, "\(page): the Exercises section lists no numbered items")
        for (k, item) in items.enumerated() {
            #expect(item.number == k + 1, "\(page): exercise items are numbered \(items.map(\.number)), expected 1, 2, …")
            if item.answerHeadingWithText || item.hasLink { continue }
            Issue.record("\(page): exercise \(item.number) has neither an \"Answer\" heading followed by text nor a link to where the page answers it")
        }
    }

    @Test(arguments: pages)
    func linksInsidePageResolve(_ page: String) throws {
        let text = try #require(Self.markdown(page))
        let doc = PageStructure(text)
        for link in doc.links {
            if link.hasPrefix("http://") || link.hasPrefix("https://") { continue }
            let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let file = parts[0], anchor = parts.count > 1 ? parts[1] : nil
            var target = doc
            if !file.isEmpty {
                let url = Self.output.appendingPathComponent(page).appendingPathComponent(file).standardizedFileURL
                guard FileManager.default.fileExists(atPath: url.path) else {
                    Issue.record("\(page): link to \(link): no file \(file)")
                    continue
                }
                guard anchor != nil else { continue }
                guard let data = FileManager.default.contents(atPath: url.path), let other = String(data: data, encoding: .utf8) else {
                    Issue.record("\(page): link to \(link): cannot read \(file)")
                    continue
                }
                target = PageStructure(other)
            }
            if let anchor, !target.anchors.contains(anchor) {
                Issue.record("\(page): link to \(link): no heading with anchor #\(anchor)")
            }
        }
    }

    @Test(arguments: pages)
    func noDanglingExerciseReferences(_ page: String) throws {
        let text = try #require(Self.markdown(page))
        let doc = PageStructure(text)
        let own = doc.exercisesSection?.items.count ?? 0
        for reference in doc.exerciseReferences {
            var listed = own
            var whose = page
            if let section = reference.section {
                guard let other = Self.pages.first(where: { $0.hasPrefix("Ch\(section.replacingOccurrences(of: ".", with: "_"))_") }),
                      let otherText = Self.markdown(other) else {
                    Issue.record("\(page): \"\(reference.text)\" names Section \(section), which has no page")
                    continue
                }
                listed = PageStructure(otherText).exercisesSection?.items.count ?? 0
                whose = other
            }
            for n in reference.numbers where n < 1 || n > listed {
                Issue.record("\(page): \"\(reference.text)\" refers to exercise \(n), but \(whose) lists \(listed) exercise(s)")
            }
        }
    }

    // MARK: - The checks' own tests (on small made-up pages)

    @Test func slugsFollowGitHub() {
        #expect(PageStructure.slug("11.3.3 Adaptive methods: Newton's method") == "1133-adaptive-methods-newtons-method")
        #expect(PageStructure.slug("Beyond the book: with or without replacement (exercise 3)") == "beyond-the-book-with-or-without-replacement-exercise-3")
        #expect(PageStructure.slug("Newton's O(d³) cost") == "newtons-od-cost")
        let doc = PageStructure("## Answer\n\nx\n\n## Answer\n\ny\n")
        #expect(doc.anchors == ["answer", "answer-1"])
    }

    @Test func detectsMissingAnswersAndDanglingReferences() {
        let page = """
            # T

            As exercise 3 shows, and exercises 1 and 2 too.

            ## Exercises

            1. First question.

            #### Answer

            Worked.

            2. Second question.

            Nothing here.

            3. Third question.

            See [above](#t).

            ---

            [Index](../README.md)
            """
        let doc = PageStructure(page)
        let section = try! #require(doc.exercisesSection)
        #expect(section.isLast)
        #expect(section.items.map(\.number) == [1, 2, 3])
        #expect(section.items.map { $0.answerHeadingWithText || $0.hasLink } == [true, false, true])
        #expect(doc.exerciseReferences.flatMap(\.numbers) == [3, 1, 2])
        #expect(doc.links.contains("#t"))
        #expect(doc.anchors.contains("t"))

        let crossPage = PageStructure("See exercise 4 of Section 11.3 and the book's exercise 2.\n")
        #expect(crossPage.exerciseReferences.map(\.section) == ["11.3", nil])
        #expect(crossPage.exerciseReferences.map(\.numbers) == [[4], [2]])

        let notLast = PageStructure("## Exercises\n\n1. Q\n\n#### Answer\n\nA\n\n## Summary\n\ntext\n")
        #expect(notLast.exercisesSection?.isLast == false)
    }
}

/// The parts of a chapter's Markdown page the exercise checks need.
struct PageStructure {
    struct Item {
        let number: Int
        /// The question's own lines (up to the first blank line).
        let question: [String]
        /// Everything after the question up to the next item.
        let rest: [String]

        /// An "Answer" heading with at least one line of text after it.
        var answerHeadingWithText: Bool {
            guard let i = rest.firstIndex(where: { PageStructure.heading($0)?.text.localizedCaseInsensitiveContains("answer") == true })
            else { return false }
            return rest[(i + 1)...].contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty && PageStructure.heading($0) == nil }
        }

        var hasLink: Bool { rest.contains { !PageStructure.linkTargets(in: $0).isEmpty } }
    }

    struct ExercisesSection {
        let items: [Item]
        let isLast: Bool
    }

    struct ExerciseReference {
        let text: String
        let numbers: [Int]
        /// "11.3" when the reference names another section ("exercise 4 of Section 11.3").
        let section: String?
    }

    /// The page's lines outside fenced code blocks.
    let lines: [String]
    let headings: [(level: Int, text: String, line: Int)]

    init(_ markdown: String) {
        var prose: [String] = []
        var fenced = false
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") { fenced.toggle(); prose.append(""); continue }
            prose.append(fenced ? "" : line)
        }
        lines = prose
        headings = prose.enumerated().compactMap { i, line in
            PageStructure.heading(line).map { (level: $0.level, text: $0.text, line: i) }
        }
    }

    static func heading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, String(line.dropFirst(hashes + 1)).trimmingCharacters(in: .whitespaces))
    }

    /// GitHub's heading anchor: lower case, drop everything but letters, marks, decimal digits,
    /// connector punctuation, hyphens and spaces, then spaces become hyphens.
    static func slug(_ heading: String) -> String {
        var out = ""
        for scalar in heading.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
                out.unicodeScalars.append(scalar)
            default:
                if scalar == "-" { out += "-" } else if scalar == " " { out += "-" }
            }
        }
        return out
    }

    /// Every heading's anchor, with GitHub's -1, -2, … suffixes for repeats.
    var anchors: [String] {
        var seen: [String: Int] = [:]
        return headings.map { h in
            let base = PageStructure.slug(h.text)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            return count == 0 ? base : "\(base)-\(count)"
        }
    }

    var lastLevel2Heading: String? { headings.last { $0.level == 2 }?.text }

    var exercisesSection: ExercisesSection? {
        guard let start = headings.lastIndex(where: { $0.level <= 2 && $0.text.localizedCaseInsensitiveContains("exercises") })
        else { return nil }
        let first = headings[start].line + 1
        let nextSection = headings[(start + 1)...].first { $0.level <= 2 }
        // The navigation footer ("---" then links) closes the page, not the section's content.
        var end = nextSection?.line ?? lines.count
        if nextSection == nil, let rule = lines[first...].lastIndex(where: { $0 == "---" }) { end = rule }
        var items: [Item] = []
        var current: (number: Int, question: [String], rest: [String], inQuestion: Bool)?
        for line in lines[first..<end] {
            if let n = PageStructure.itemNumber(line) {
                if let c = current { items.append(Item(number: c.number, question: c.question, rest: c.rest)) }
                current = (n, [line], [], true)
                continue
            }
            guard current != nil else { continue }
            if current!.inQuestion {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { current!.inQuestion = false } else { current!.question.append(line) }
            } else {
                current!.rest.append(line)
            }
        }
        if let c = current { items.append(Item(number: c.number, question: c.question, rest: c.rest)) }
        return ExercisesSection(items: items, isLast: nextSection == nil)
    }

    /// `12. text` at the start of a line gives 12.
    static func itemNumber(_ line: String) -> Int? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
        return Int(digits)
    }

    /// Targets of Markdown links and images on one line: `[text](target)`.
    static func linkTargets(in line: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#) else { return [] }
        let range = NSRange(line.startIndex..., in: line)
        return regex.matches(in: line, range: range).compactMap { m in
            Range(m.range(at: 1), in: line).map { String(line[$0]) }
        }
    }

    var links: [String] { lines.flatMap(PageStructure.linkTargets) }

    /// "exercise 2", "exercises 4 and 5", "exercises 1, 2 or 3", "exercises 2–4", optionally
    /// followed by "of Section 11.3" / "in Section 11.3" / "of 11.3".
    var exerciseReferences: [ExerciseReference] {
        let pattern = #"[Ee]xercises? (\d+)((?:(?:,| and| or|,? and|–|-) ?\d+)*)(?: (?:of|in) (?:[Ss]ection )?(11\.\d+))?"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        var out: [ExerciseReference] = []
        for line in lines {
            // Headings like "## Exercises" and the numbered items' own "Exercise" words are fine;
            // only numbered references count.
            let range = NSRange(line.startIndex..., in: line)
            for m in regex.matches(in: line, range: range) {
                guard let whole = Range(m.range, in: line), let firstRange = Range(m.range(at: 1), in: line),
                      let first = Int(line[firstRange]) else { continue }
                var numbers = [first]
                var isRange = false
                if let tailRange = Range(m.range(at: 2), in: line) {
                    let tail = String(line[tailRange])
                    isRange = tail.hasPrefix("–") || tail.hasPrefix("-")
                    let more = tail.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                    if isRange, let last = more.first, last >= first { numbers = Array(first...last) } else { numbers += more }
                }
                let section = Range(m.range(at: 3), in: line).map { String(line[$0]) }
                out.append(ExerciseReference(text: String(line[whole]), numbers: numbers, section: section))
            }
        }
        return out
    }
}
