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

    /// Compares a chapter's whole masked transcript, its Markdown page and every figure with
    /// the goldens, and checks that no golden figure is left without a counterpart.
    static func checkChapter(_ notebook: Notebook, sourceLocation: SourceLocation = #_sourceLocation) {
        let target = notebook.target
        check(notebook.transcript(maskVolatile: true), target: target, name: "transcript.txt", sourceLocation: sourceLocation)
        check(notebook.markdown(maskVolatile: true), target: target, name: "README.md", sourceLocation: sourceLocation)
        var names = Set<String>()
        // Figures and their animated twins alike.
        for (name, figure) in notebook.files + notebook.animations {
            names.insert(name)
            check(figure.svg(maskVolatile: true), target: target, name: name, sourceLocation: sourceLocation)
        }
        if !recording {
            let folder = directory.appendingPathComponent(target).path
            let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in present.sorted() where file.hasSuffix(".svg") && !names.contains(file) {
                Issue.record(Comment(rawValue: "golden \(target)/\(file) has no figure any more; delete it or re-record"), sourceLocation: sourceLocation)
            }
        }
    }
}
