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

/// The "beyond the book" additions: step tables under --trace, reader-configured runs,
/// the lecture-note experiments, the races, animated twins and the index.
@Suite struct ExtrasTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func text(_ nb: Notebook) -> String { nb.transcript(maskVolatile: true) }

    @Test func traceAddsStepTablesOnlyWhenAsked() throws {
        let plain = try Book.notebook(MomentumChapter.self)
        #expect(!text(plain).contains("Step table"))
        let traced = try Book.notebook(MomentumChapter.self, flags: ["--trace"])
        let t = text(traced)
        #expect(t.contains("Step table (--trace)"))
        #expect(t.contains("k   x1          x2           g1          g2          v1           v2           Δx1          Δx2"))
        #expect(t.contains("1   -5          -2           -1          -8          -1           -8           0.6          4.8"))
        // Tracing adds blocks but changes nothing that was there.
        #expect(traced.outputLines.map { $0.rendered(maskVolatile: true) } == plain.outputLines.map { $0.rendered(maskVolatile: true) })
        #expect(traced.files.map(\.name) == plain.files.map(\.name))
        Golden.check(t, target: "Ch11_6_Momentum", name: "transcript-trace.txt")
    }

    @Test func everyTwoDChapterAcceptsTrace() throws {
        let runs: [(String, Notebook)] = [
            ("Ch11_3_GradientDescent", try Book.notebook(GradientDescentChapter.self, flags: ["--trace"])),
            ("Ch11_7_Adagrad", try Book.notebook(AdagradChapter.self, flags: ["--trace"])),
            ("Ch11_8_RMSProp", try Book.notebook(RMSPropChapter.self, flags: ["--trace"])),
            ("Ch11_10_Adam", try Book.notebook(AdamChapter.self, flags: ["--trace"])),
            ("Ch11_9_Adadelta", try Book.notebook(AdadeltaChapter.self, flags: ["--trace"])),
        ]
        for (target, nb) in runs {
            let t = text(nb)
            #expect(t.contains("(--trace)"), "\(target)")
            #expect(t.contains("Δx1"), "\(target)")
            Golden.check(t, target: target, name: "transcript-trace.txt")
        }
        #expect(text(runs[1].1).contains("gain1"))      // the local-gain table
        #expect(text(runs[3].1).contains("v1") && text(runs[3].1).contains("s2"))
        #expect(text(runs[4].1).contains("delta1"))
    }

    @Test func yourRunFollowsTheCommandLine() throws {
        let nb = try Book.notebook(MomentumChapter.self,
                                          values: ["--eta": "0.0003", "--beta": "0.9", "--function": "rosenbrock",
                                                   "--start": "-1.5,2", "--steps": "1000"])
        let t = text(nb)
        #expect(t.contains("Your run"))
        #expect(nb.markdown().contains("momentum with η = 0.0003, β = 0.9 on `rosenbrock`, starting at (-1.5, 2), for 1000 steps."))
        let direct = train2D(optimizer: Momentum(learningRate: 0.0003, momentum: 0.9), objective: .rosenbrock(),
                             steps: 1000, start: Point2D(-1.5, 2))
        #expect(nb.outputLines.map { $0.rendered(maskVolatile: true) }.contains(direct.summary))
        // The run's figure and its animation are there (the exercises may follow them).
        #expect(nb.files.contains { $0.name == "your-run.svg" })
        #expect(nb.animations.contains { $0.name == "your-run-animated.svg" })
        // Defaults: only --eta given, the chapter's own surface and start.
        let gd = try Book.notebook(GradientDescentChapter.self, values: ["--eta": "0.2"])
        let expected = train2D(optimizer: SGD(learningRate: 0.2), objective: .ellipse(a: 1, b: 2)).summary
        #expect(gd.outputLines.map { $0.rendered(maskVolatile: true) }.contains(expected))
    }

    @Test func runOptionsAreValidated() throws {
        let options = MomentumChapter.options + ArgumentParser.sharedOptions
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--start", "1"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--function", "banana"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--steps", "0"], options: options) }
        let ok = try ArgumentParser.parse(["--start=-1.5,2", "--function", "beale", "--beta", "0.8", "--trace"], options: options)
        #expect(ok.values["--start"] == "-1.5,2" && ok.flags == ["--trace"])
        #expect(RunOptions.parsePoint(" -1.5 , 2 ") == Point2D(-1.5, 2))
        #expect(RunOptions.parsePoint("1,2,3") == nil && RunOptions.parsePoint("nan,1") == nil)
    }

    @Test func lectureExperimentsInGradientDescent() throws {
        let nb = try Book.notebook(GradientDescentChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        func number(after prefix: String, in line: String) -> Double? {
            guard let r = line.range(of: prefix) else { return nil }
            return Double(line[r.upperBound...].prefix { "0123456789.e-".contains($0) })
        }
        let search = try #require(lines.first { $0.hasPrefix("random search:") })
        let slope = try #require(lines.first { $0.hasPrefix("gradient descent: loss") })
        let searchLoss = try #require(number(after: "best loss ", in: search))
        let slopeLoss = try #require(number(after: "gradient descent: loss ", in: slope))
        #expect(slopeLoss < searchLoss)
        #expect(try #require(number(after: "accuracy ", in: slope)) > 0.9)
        let best = try #require(lines.first { $0.hasPrefix("best h:") })
        #expect(best.contains("central 1e-05"))
        #expect(nb.files.map(\.name).contains("gradient-check-step-size.svg"))
    }

    @Test func racesCoverThreeSurfacesWithTwins() throws {
        let nb = try Book.notebook(AdamChapter.self)
        for s in ["ill-conditioned", "rosenbrock", "saddle"] {
            #expect(nb.files.contains { $0.name == "race-\(s).svg" })
            #expect(nb.animations.contains { $0.name == "race-\(s)-animated.svg" })
        }
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        // Each race states the rates its learning-rate search chose (Ch11_10_AdamTests checks them).
        #expect(lines.filter { $0.hasPrefix("chosen: sgd η = ") }.count == 3)
    }

    @Test func everyTwoDTraceChapterHasAnimatedTwinsOnDisk() {
        for target in ["Ch11_1_OptimizationAndDeepLearning", "Ch11_2_Convexity", "Ch11_3_GradientDescent", "Ch11_4_SGD",
                       "Ch11_6_Momentum", "Ch11_7_Adagrad", "Ch11_8_RMSProp", "Ch11_9_Adadelta", "Ch11_10_Adam"] {
            let folder = Self.root.appendingPathComponent("Output/\(target)").path
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let twins = files.filter { $0.hasSuffix("-animated.svg") }
            #expect(!twins.isEmpty, "\(target) has no animated twin")
            for twin in twins {
                let page = (try? String(contentsOfFile: folder + "/README.md", encoding: .utf8)) ?? ""
                #expect(page.contains("(\(twin))"), "\(target)/\(twin) is not linked from its page")
                #expect(files.contains(String(twin.dropLast("-animated.svg".count)) + ".svg"))
            }
        }
        for c in Book.contents.chapters where c.keyFigureIsAnimated {
            let twin = String(c.keyFigure!.dropLast(4)) + "-animated.svg"
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("Output/\(c.target)/\(twin)").path))
        }
    }
}
