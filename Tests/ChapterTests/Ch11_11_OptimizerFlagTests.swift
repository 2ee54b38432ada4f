import Foundation
import Testing
import OptimIO
import OptimKit
import OptimNotebook
import OptimBook
@testable import BookChapters

/// `Ch11_11_LRScheduling --optimizer NAME`: LeNet trained through the same `Optimizer` values
/// as the toy problems, pinned on the reduced configuration (1024 / 512 digits, 2 epochs).
@Suite struct Ch11_11_OptimizerFlagTests {
    static func yourRun(_ values: [String: String]) throws -> [String] {
        let nb = try Book.notebook(LRSchedulingChapter.self, values: values)
        let lines = nb.transcript(maskVolatile: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Your run: ") }) else { return [] }
        return Array(lines[start...].prefix { !$0.hasPrefix("[Figure") })
    }

    /// The per-epoch rows of a table (`epoch  learning rate  …`).
    static func rows(_ lines: [String]) -> [String] {
        lines.filter { $0.range(of: #"^[0-9]+ {2,}[0-9]"#, options: .regularExpression) != nil }
    }

    @Test func adamTrainsLeNet() throws {
        let section = try Self.yourRun(["--optimizer": "adam", "--lr": "0.001"])
        #expect(section.first == "Your run: adam (lr 0.001)")
        // Adam at 0.001 learns on the reduced data (the spec's SGD runs start near chance too).
        // (Run 0's initial weights and minibatch order: `RepeatedRuns.generator(seed:index: 0)`.)
        #expect(Self.rows(section) == [
            "1      0.001000       2.2814      0.1797     0.2402",
            "2      0.001000       2.2120      0.3145     0.4180",
        ])
    }

    @Test func sgdThroughTheFlagEqualsTheConstantScheduleRun() throws {
        // The default page's constant-rate run is Scheduled(SGD) with a constant schedule;
        // `--optimizer sgd --lr 0.5` is plain SGD: the same arithmetic, so the same numbers.
        let flagged = Self.rows(try Self.yourRun(["--optimizer": "sgd", "--lr": "0.5"]))
        let nb = try Book.notebook(LRSchedulingChapter.self)
        let page = nb.transcript(maskVolatile: true)
        #expect(flagged.count == 2)
        for row in flagged { #expect(page.contains(row + "\n"), "\(row)") }
    }

    @Test func flagMistakesAreUsageErrors() {
        for (arguments, message) in [
            (["--beta1", "0.9"], "option --beta1 needs --optimizer"),
            (["--optimizer", "sgd", "--lr", "0.1", "--beta1", "0.9"], "optimizer 'sgd' has no hyperparameter --beta1; it takes --lr, --momentum"),
            (["--optimizer", "adam"], "--optimizer adam: optimizer 'adam' needs --lr"),
            (["--optimizer", "adam", "--lr", "0.1", "--beta1", "1"], "--optimizer adam: hyperparameter --beta1 is 1.0 but must be in [0, 1)"),
            (["--optimizer", "lion", "--lr", "0.1"], "option --optimizer expects one of"),
        ] {
            var errors = ""
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-flags-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let status = Book.execute(LRSchedulingChapter.self, arguments: arguments + ["--epochs", "2", "--output", dir],
                                      renderer: TerminalRenderer(), errorSink: { errors += $0 })
            #expect(status == 2, "\(arguments)")
            #expect(errors.contains(message), "\(arguments): \(errors)")
        }
    }
}
