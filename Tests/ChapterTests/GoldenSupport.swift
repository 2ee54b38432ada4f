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

/// Golden files live beside the tests in `Tests/ChapterTests/Goldens/<target>/`.
/// They are re-recorded only when `OPTIMBOOK_RECORD=1` is set, and never when `CI` is set.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static var recording: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OPTIMBOOK_RECORD"] == "1" && env["CI"] == nil
    }

    /// Compares `actual` with the golden file `<target>/<name>`; records it in record mode.
    static func check(_ actual: String, target: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(target).appendingPathComponent(name)
        if recording {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do { try AtomicFile.write(actual, to: url.path) } catch {
                Issue.record(Comment(rawValue: "could not record \(url.path): \(error)"), sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path), let expected = String(data: data, encoding: .utf8) else {
            Issue.record(Comment(rawValue: "missing golden \(target)/\(name); run `OPTIMBOOK_RECORD=1 swift test` to record it"), sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let diff = LineDiff.diff(expected: expected, actual: actual)
            Issue.record(Comment(rawValue: "golden \(target)/\(name) differs (- golden, + now):\n\(diff)"),
                         sourceLocation: sourceLocation)
        }
    }

    /// The committed pages: `Output/<target>/` at the package root.
    static let outputDirectory = directory.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Output")

    /// Compares a chapter's whole masked transcript, its Markdown page and every figure with
    /// their references, and checks that no reference is left without a counterpart.
    ///
    /// One source of truth for pages: the page and the figures are compared with the
    /// committed `Output/<target>/` (what `scripts/regenerate-output.sh` wrote from a release
    /// run), volatile values masked in the comparison (`MaskedText`). Only where the tests'
    /// reduced configuration produces a different page or figure than the executable's
    /// default run (11.5's smaller matrix benchmark and wall-clock figure, 11.11's short
    /// LeNet runs) does a golden copy of the reduced output live in `Goldens/<target>/`, and
    /// that copy is used instead. Transcripts exist only as goldens. Recording
    /// (`OPTIMBOOK_RECORD=1`) rewrites goldens; `Output/` is rewritten only by running the
    /// chapters (`scripts/regenerate-output.sh <target>`).
    static func checkChapter(_ notebook: Notebook, sourceLocation: SourceLocation = #_sourceLocation) {
        let target = notebook.target
        check(notebook.transcript(maskVolatile: true), target: target, name: "transcript.txt", sourceLocation: sourceLocation)
        checkPageFile(notebook.markdown(maskVolatile: true), target: target, name: "README.md", sourceLocation: sourceLocation)
        var names = Set<String>()
        // Figures and their animated twins alike.
        for (name, figure) in notebook.files + notebook.animations {
            names.insert(name)
            checkPageFile(figure.svg(maskVolatile: true), target: target, name: name, sourceLocation: sourceLocation)
        }
        if !recording {
            for folder in [directory, outputDirectory] {
                let path = folder.appendingPathComponent(target).path
                let present = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                for file in present.sorted() where file.hasSuffix(".svg") && !names.contains(file) {
                    Issue.record(Comment(rawValue: "\(path)/\(file) has no figure any more; delete it (and re-record or regenerate)"),
                                 sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// A page or figure: checked against its golden copy when the reduced configuration has
    /// one, otherwise against the committed `Output/` file with volatile values masked.
    static func checkPageFile(_ masked: String, target: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let golden = directory.appendingPathComponent(target).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: golden.path) {
            check(masked, target: target, name: name, sourceLocation: sourceLocation)
            return
        }
        if recording { return }   // Output/ is rewritten by running the chapter, not by the tests
        let path = outputDirectory.appendingPathComponent(target).appendingPathComponent(name).path
        let regenerate = "regenerate it with `scripts/regenerate-output.sh \(target)`"
        guard let data = FileManager.default.contents(atPath: path), let committed = String(data: data, encoding: .utf8) else {
            Issue.record(Comment(rawValue: "Output/\(target)/\(name) is missing; \(regenerate)"), sourceLocation: sourceLocation)
            return
        }
        if !MaskedText.matches(masked: masked, actual: committed) {
            let diff = LineDiff.diff(expected: committed, actual: masked)
            Issue.record(Comment(rawValue: "Output/\(target)/\(name) is not what the code produces now; \(regenerate) (- committed, + now, volatile values masked):\n\(diff)"),
                         sourceLocation: sourceLocation)
        }
    }
}

/// Compares a masked rendering with an unmasked one: every `<volatile>` in the masked text
/// stands for one value (any characters but a line break) in the other, and everything
/// else must be equal.
///
/// ```swift
/// MaskedText.matches(masked: "loss 0.25, <volatile> s", actual: "loss 0.25, 1.7 s")   // true
/// ```
enum MaskedText {
    static func matches(masked: String, actual: String) -> Bool {
        let pieces = masked.components(separatedBy: NotebookText.volatileMask)
        guard pieces.count > 1 else { return masked == actual }
        guard actual.hasPrefix(pieces[0]) else { return false }
        var position = actual.index(actual.startIndex, offsetBy: pieces[0].count)
        for (i, piece) in pieces.enumerated().dropFirst() {
            let isLast = i == pieces.count - 1
            if isLast {
                guard actual[position...].hasSuffix(piece) else { return false }
                let valueEnd = actual.index(actual.endIndex, offsetBy: -piece.count)
                guard valueEnd >= position else { return false }
                return !actual[position..<valueEnd].contains("\n")
            }
            // The value ends where the next literal piece starts, on the same line.
            guard let next = piece.isEmpty ? position..<position : actual.range(of: piece, range: position..<actual.endIndex),
                  !actual[position..<next.lowerBound].contains("\n") else { return false }
            position = next.upperBound
        }
        return true
    }
}
