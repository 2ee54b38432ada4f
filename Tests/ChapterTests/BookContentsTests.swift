import Foundation
import Testing
import OptimBook
import OptimNotebook
@testable import BookChapters

/// The registry in `Chapters/Book.swift` is the one list of chapters; everything else that
/// names them is derived from it or checked against it here.
@Suite struct BookContentsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test func packageManifestListsTheRegistryInOrder() throws {
        let manifest = try Self.read("Package.swift")
        let start = try #require(manifest.range(of: "let chapterNames = ["))
        let end = try #require(manifest.range(of: "]", range: start.upperBound..<manifest.endIndex))
        let names = manifest[start.upperBound..<end.lowerBound]
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("\"") }.map { String($0.dropFirst().prefix { $0 != "\"" }) }
        #expect(names == Book.targets)
    }

    @Test func everyChapterFolderIsInTheRegistry() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Chapters").path)
            .filter { $0.hasPrefix("Ch11_") }.sorted()
        #expect(folders == Book.targets.sorted())
    }

    @Test func readmeTableListsTheRegistryInOrder() throws {
        let readme = try Self.read("README.md")
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `Ch11_") }
            .map { String($0.dropFirst(3).prefix { $0 != "`" }) }
        #expect(rows == Book.targets)
    }

    @Test func titlesAreNumberedInBookOrder() {
        for (i, c) in Book.contents.chapters.enumerated() {
            #expect(c.title.hasPrefix("11.\(i + 1) "), "\(c.target): \(c.title)")
            #expect(c.target.hasPrefix("Ch11_\(i + 1)_"))
            #expect(!c.summary.isEmpty)
        }
    }

    @Test func indexListsEveryChapterInOrder() {
        let md = Book.contents.indexMarkdown()
        var position = md.startIndex
        for c in Book.contents.chapters {
            guard let r = md.range(of: "## [\(c.title)](\(c.target)/README.md)", range: position..<md.endIndex) else {
                Issue.record("index misses \(c.target)")
                continue
            }
            position = r.upperBound
        }
    }

    @Test func committedIndexIsCurrent() throws {
        let committed = try Self.read("Output/README.md")
        #expect(committed == Book.contents.indexMarkdown(), "Output/README.md is stale: run any chapter (or scripts/regenerate-output.sh)")
    }

    @Test func keyFiguresExistOnDisk() {
        for c in Book.contents.chapters {
            guard let figure = c.keyFigure else { continue }
            let path = Self.root.appendingPathComponent("Output/\(c.target)/\(figure)").path
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
    }

    @Test func navigationLinksNeighbours() {
        let nav = Book.contents.navigation(for: "Ch11_3_GradientDescent")
        #expect(nav.previous == PageNavigation.Link(title: "11.2 Convexity", target: "Ch11_2_Convexity"))
        #expect(nav.next?.target == "Ch11_4_SGD")
        #expect(Book.contents.navigation(for: Book.targets[0]).previous == nil)
        #expect(Book.contents.navigation(for: Book.targets.last!).next == nil)
    }
}
