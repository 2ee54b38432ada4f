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

/// The chapter trains seven schedules over several seeds plus a few single runs, so it is run
/// once (in the reduced configuration: 1024 training and 512 held-out digits, 2 epochs, 2 runs
/// per schedule, which exercises the repeated-run path) and every check reads that notebook.
@Suite struct Ch11_11_LRSchedulingTests {
    /// Schedule values computed by hand (spec 11.11), as the chapter prints them.
    static let scheduleLines = [
        // SquareRoot(1.0): 1/sqrt(t + 1)
        "t  0- 7: 1.000000 0.707107 0.577350 0.500000 0.447214 0.408248 0.377964 0.353553",
        // Factor(0.9, 1e-2, 2.0): 2 * 0.9^(t+1)
        "t  0- 7: 1.800000 1.620000 1.458000 1.312200 1.180980 1.062882 0.956594 0.860934",
        // MultiFactor([15, 30], 0.5, 0.5): 0.5 up to t = 15, 0.25 up to 30, then 0.125
        "t  8-15: 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000",
        "t 16-23: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000",
        "t 24-31: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.125000",
        // Cosine(40, 0.5, 0.01): 0.01 + 0.49 (1 + cos(pi t / 40)) / 2; t = 20 gives 0.255
        "t 16-23: 0.330709 0.312194 0.293326 0.274222 0.255000 0.235778 0.216674 0.197806",
        // Cosine with warmup 5: 0, 0.1, ..., 0.4, then 0.5 at t = 5
        "t  0- 7: 0.000000 0.100000 0.200000 0.300000 0.400000 0.500000 0.499014 0.496063",
    ]

    static func isFinalLine(_ line: String) -> Bool {
        line.wholeMatch(of: #/train loss \d+\.\d{3}, train acc \d\.\d{3}, test acc \d\.\d{3}/#) != nil
    }

    /// (header, rows) of every per-epoch table.
    static func epochTables(_ nb: Notebook) -> [[[String]]] {
        nb.blocks.compactMap { block -> [[String]]? in
            guard case .table(let header, let rows) = block, header.first == "epoch" else { return nil }
            return rows.map { $0.map { $0.rendered(maskVolatile: true) } }
        }
    }

    @Test func reducedChapterRun() throws {
        let nb = try Book.notebook(LRSchedulingChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }

        // Exact values, in order.
        var position = 0
        for expected in ["Learning rate is now 0.10"] + Self.scheduleLines {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
        // The cosine at t = 20 is exactly halfway: 0.255.
        #expect(CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)(20) == 0.255)

        // Seven runs shown epoch by epoch (run 0 of six schedules and the book's per-update
        // cosine), each ending with the book's line.
        let finals = lines.filter(Self.isFinalLine)
        #expect(finals.count == 7)
        let tables = Self.epochTables(nb)
        #expect(tables.count == 7)
        for table in tables {
            #expect(table.count == 2)                              // reduced: 2 epochs
            for row in table {
                for cell in row.dropFirst() { #expect(Double(cell) != nil, "not a number: \(cell)") }
            }
        }
        // Rates per epoch: constant, square root (1, 1/sqrt 2), multi-factor, cosine (T = 2),
        // warmup (0 in the first epoch), the same warmup per update (4 updates per epoch: the
        // last update of epoch 1 is update 3 of a 4-update ramp, 0.5 * 3/4; epoch 2 ends at
        // update 7, 3/4 of the way down a 4-update cosine: 0.01 + 0.49 (1 + cos(3π/4)) / 2),
        // and the book's per-update cosine.
        #expect(tables.map { $0.map { $0[1] } } == [
            ["0.500000", "0.500000"], ["1.000000", "0.707107"], ["0.500000", "0.500000"],
            ["0.500000", "0.255000"], ["0.000000", "0.500000"], ["0.375000", "0.081759"],
            ["0.493231", "0.463897"],
        ])
        // The repeated-run table: one row per schedule, counts out of the 2 reduced runs.
        let study = try #require(nb.blocks.compactMap { block -> [[String]]? in
            guard case .table(let header, let rows) = block, header.first == "schedule", header.count == 7 else { return nil }
            return rows.map { $0.map { $0.rendered(maskVolatile: true) } }
        }.first)
        #expect(study.map { $0[0] } == ["constant 0.5", "square root", "multi-factor", "cosine", "cosine + warmup",
                                        "warmup per update", "constant 0.1"])
        for row in study { #expect(row[1].hasSuffix(" of 2"), "\(row)") }
        // The run with warmup does not move in its first epoch: its loss is the untrained one,
        // the same as every other run's first minibatches would give, near ln 10.
        let warmupLoss = try #require(Double(tables[4][0][2]))
        #expect(abs(warmupLoss - log(10)) < 0.05)
        // Sanity: the square-root run learns (loss falls, accuracy above chance).
        let sqrtRun = tables[1].map { $0.compactMap(Double.init) }
        #expect(sqrtRun[1][1] < sqrtRun[0][1])
        #expect(sqrtRun[1][4] > 0.2)   // held-out accuracy above chance

        // Pinned reduced results (goldens hold the rest).
        Golden.checkChapter(nb)
        ExerciseStructure.check(nb)
    }

    /// `--data-dir` reads the four Fashion-MNIST files, raw or gzipped. The test writes small
    /// 28x28 IDX files of its own (64 training and 32 test images of random pixels; the test
    /// pair gzipped) and runs the chapter on them.
    @Test func dataDirectoryWithFashionMNISTFiles() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("optimbook-ch11-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededGenerator(seed: 3)
        func header(_ values: [Int]) -> [UInt8] {
            values.flatMap { v in [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
        }
        func images(_ n: Int) -> [UInt8] {
            [0, 0, 8, 3] + header([n, 28, 28]) + (0..<(n * 784)).map { _ in UInt8(rng.integer(below: 256)) }
        }
        func labels(_ n: Int) -> [UInt8] { [0, 0, 8, 1] + header([n]) + (0..<n).map { UInt8($0 % 10) } }
        func write(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try write(images(64), "train-images-idx3-ubyte")
        try write(labels(64), "train-labels-idx1-ubyte")
        try write(Self.storedGzip(images(32)), "t10k-images-idx3-ubyte.gz")
        try write(Self.storedGzip(labels(32)), "t10k-labels-idx1-ubyte.gz")

        let nb = try Book.notebook(LRSchedulingChapter.self, values: ["--data-dir": dir])
        #expect(nb.markdown().contains("Fashion-MNIST read from the directory given with --data-dir: its 64 training images"))
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        #expect(lines.filter(Self.isFinalLine).count == 7)
        #expect(lines.contains("2 epochs of 64 images in <volatile> s (<volatile> s/epoch)"))

        // A directory without the files is a clear error naming the missing file.
        #expect(throws: IDXError.self) {
            _ = try Book.notebook(LRSchedulingChapter.self, values: ["--data-dir": dir + "/absent"])
        }
    }

    /// gzip with stored (uncompressed) deflate blocks.
    static func storedGzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var start = 0
        repeat {
            let length = min(65535, data.count - start)
            let last: UInt8 = start + length == data.count ? 1 : 0
            out += [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<(start + length)]
            start += length
        } while start < data.count
        let crc = CRC32.checksum(data)
        for shift in [0, 8, 16, 24] { out.append(UInt8(crc >> UInt32(shift) & 0xFF)) }
        for shift in [0, 8, 16, 24] { out.append(UInt8(data.count >> shift & 0xFF)) }
        return out
    }
}

/// The comparative sentences of 11.11 come from the numbers: the same code, given other
/// measurements, says something else.
@Suite struct Ch11_11_EvidenceSentenceTests {
    /// A study with made-up final records: `accuracy[arm]` lists the final held-out accuracy
    /// of each run; train accuracy is `accuracy + gap[arm]`, and `rise[arm]` below that in the
    /// first epoch (default: 0.1 in the first epoch).
    static func study(_ accuracy: [String: [Double]], gap: [String: Double] = [:],
                      rise: [String: Double] = [:]) throws -> (LRSchedulingChapter.Setup, LRSchedulingChapter.ScheduleStudy) {
        let digits = try MNISTDigits.loadShipped().prefix(300)
        let setup = LRSchedulingChapter.Setup(train: digits, test: digits, epochs: 2, description: "", testName: "held-out",
                                              showProgress: false, seeds: 5, runSeed: 1)
        let arms = LRSchedulingChapter.studyArms(setup)
        let histories = arms.map { arm in
            (accuracy[arm.name] ?? [0.11, 0.11, 0.11, 0.11, 0.11]).map { a in
                [EpochRecord(epoch: 1, learningRate: 0.1, trainLoss: 2.3,
                             trainAccuracy: rise[arm.name].map { a + (gap[arm.name] ?? 0) - $0 } ?? 0.1, testAccuracy: 0.1, seconds: 0),
                 EpochRecord(epoch: 2, learningRate: 0.1, trainLoss: a > 0.5 ? 0.1 : 2.3,
                             trainAccuracy: a + (gap[arm.name] ?? 0), testAccuracy: a, seconds: 0)]
            }
        }
        var rng = SeededGenerator(seed: 1)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
        return (setup, LRSchedulingChapter.ScheduleStudy(arms: arms, histories: histories,
                                                         firstTrainers: arms.map { _ in trainer }))
    }

    @Test func decayAgainstConstantFollowsTheNumbers() throws {
        let high = [0.970, 0.972, 0.968, 0.971, 0.969], low = [0.950, 0.952, 0.948, 0.951, 0.949]
        let (setup, better) = try Self.study(["warmup per update": high, "constant 0.1": low],
                                             gap: ["warmup per update": 0.01, "constant 0.1": 0.02],
                                             rise: ["warmup per update": 0.015, "constant 0.1": 0.015])
        let betterLines = LRSchedulingChapter.summaryLines(setup, better)
        #expect(betterLines[0].hasPrefix("Lowering the rate during training paid off here: the best decaying schedule, warmup per update"))
        // The gaps (0.01 and 0.02) differ by less than the train accuracy rose in the last epoch.
        #expect(betterLines[1].hasPrefix("The book says decay can reduce overfitting; neither schedule overfits visibly here: the mean gap between train and held-out accuracy (runs that learned) is 0.010 for warmup per update and 0.020 for the constant rate 0.1, and adding the rise of the on-the-fly train accuracy over the last epoch (0.015 for warmup per update, 0.015 for the constant rate) leaves both below 0.05"))
        #expect(betterLines[1].hasSuffix("The gaps differ by 0.010, less than the larger of those rises: the train accuracy, measured while the weights still change during the last epoch, lags by about as much, so the comparison of the gaps cannot tell whether decay reduced overfitting here."))
        #expect(LRSchedulingChapter.verdicts(better, setup)[0].contains("Ranking. Warmup per update has the best final held-out accuracy"))

        // The same means with a wide spread: no longer a difference by the rule.
        let noisy = [0.99, 0.95, 0.97, 0.93, 0.995]
        let (_, tied) = try Self.study(["warmup per update": noisy, "constant 0.1": low],
                                       gap: ["warmup per update": 0.03, "constant 0.1": 0.03])
        let tiedLines = LRSchedulingChapter.summaryLines(setup, tied)
        #expect(tiedLines[0].hasPrefix("Lowering the rate did not beat a constant rate that learns in these runs"))
        #expect(tiedLines[1].contains("cannot tell whether decay reduced overfitting"))

        // The constant rate ahead.
        let (_, worse) = try Self.study(["warmup per update": low, "constant 0.1": high])
        #expect(LRSchedulingChapter.summaryLines(setup, worse)[0].hasPrefix("No decaying schedule beat the constant rate 0.1 here"))
        #expect(LRSchedulingChapter.verdicts(worse, setup)[0].contains("Ranking. Constant 0.1 has the best final held-out accuracy"))
    }

    @Test func overfittingLineWeighsTheGapsAgainstTheLag() throws {
        let high = [0.970, 0.972, 0.968, 0.971, 0.969], low = [0.950, 0.952, 0.948, 0.951, 0.949]
        // A small last-epoch rise: the difference of the gaps (0.02) exceeds it and the rule decides.
        let (setup, steady) = try Self.study(["cosine": high, "constant 0.1": low],
                                             gap: ["cosine": 0.01, "constant 0.1": 0.03],
                                             rise: ["cosine": 0.005, "constant 0.1": 0.005])
        let line = LRSchedulingChapter.summaryLines(setup, steady)[1]
        #expect(line.contains("neither schedule overfits visibly here"))
        #expect(line.contains("The gaps differ by 0.020, more than the larger of those rises; by the rule: Cosine reaches a lower gap between train and held-out accuracy than constant 0.1"))
        // A large gap is visible overfitting.
        let (_, overfit) = try Self.study(["cosine": high, "constant 0.1": low],
                                          gap: ["cosine": 0.01, "constant 0.1": 0.08],
                                          rise: ["cosine": 0.005, "constant 0.1": 0.005])
        #expect(LRSchedulingChapter.summaryLines(setup, overfit)[1].contains("here at least one schedule may overfit visibly"))
        #expect(LRSchedulingChapter.summaryLines(setup, overfit)[1].contains("brings the larger to 0.085"))
    }

    @Test func warmupIsComparedWithTheSameCosine() throws {
        let high = [0.970, 0.972, 0.968, 0.971, 0.969], low = [0.950, 0.952, 0.948, 0.951, 0.949]
        let (setup, ahead) = try Self.study(["cosine": high, "cosine + warmup": low, "warmup per update": high])
        let line = LRSchedulingChapter.summaryLines(setup, ahead)[3]
        #expect(line.contains("against 5 of 5 for the same cosine without warmup. By the rule: Cosine reaches a higher final held-out accuracy than cosine + warmup"))
        #expect(line.contains("Warmup per update and cosine are indistinguishable in these runs on final held-out accuracy"))
        let (_, behind) = try Self.study(["cosine": low, "cosine + warmup": high, "warmup per update": high])
        #expect(LRSchedulingChapter.summaryLines(setup, behind)[3].contains("By the rule: Cosine + warmup reaches a higher final held-out accuracy than cosine"))
    }

    @Test func chanceSentenceFollowsFishersTest() throws {
        // This page's counts (4, 0, 4, 5, 3 of 5) against the earlier 0, 1, 0, 1, 3 of 3: nothing significant.
        let learns = [0.9, 0.9, 0.9, 0.9, 0.9], fails = [0.11, 0.11, 0.11, 0.11, 0.11]
        let four = [0.9, 0.9, 0.9, 0.9, 0.11], three = [0.9, 0.9, 0.9, 0.11, 0.11]
        let (setup, like) = try Self.study(["constant 0.5": four, "square root": fails, "multi-factor": four,
                                            "cosine": learns, "cosine + warmup": three])
        let consistent = LRSchedulingChapter.chanceSentence(setup, like)
        #expect(consistent.contains("gives constant 0.5 p = 0.143, square root p = 0.375, multi-factor p = 0.143, cosine p = 0.107, cosine + warmup p = 0.464."))
        #expect(consistent.contains("No difference is significant at the 5% level"))
        #expect(consistent.contains("the earlier 3-seed counts are consistent with the rates these runs show"))
        // Every run failing: the earlier 3 of 3 for cosine + warmup is now significant (p = 1/56).
        let (_, none) = try Self.study([:])
        let differs = LRSchedulingChapter.chanceSentence(setup, none)
        #expect(differs.contains("cosine + warmup p = 0.018."))
        #expect(differs.contains("The difference is significant at the 5% level for cosine + warmup; for constant 0.5, square root, multi-factor and cosine the earlier counts are consistent with these runs' rates."))
        #expect(differs.contains("that is a possible cause of the significant difference, not one this page tests."))
    }

    @Test func learnedCountsComeFromTheRuns() throws {
        let (setup, study) = try Self.study(["multi-factor": [0.9, 0.11, 0.9, 0.11, 0.11]])
        #expect(study.learned("multi-factor") == 2)
        #expect(LRSchedulingChapter.summaryLines(setup, study)[2].hasPrefix("The book's piecewise-constant schedule (0.5, halved twice) learned in 2 of 5 runs:"))
        let (_, all) = try Self.study(["multi-factor": [0.9, 0.9, 0.9, 0.9, 0.9]])
        #expect(LRSchedulingChapter.summaryLines(setup, all)[2] == "The book's piecewise-constant schedule (0.5, halved twice) learned in 5 of 5 runs.")
    }

    @Test func rankingNamesTheLeaderAndWhatTheRuleSeparates() {
        let a = RunSummary([0.97, 0.971, 0.969]), b = RunSummary([0.96, 0.961, 0.959]), c = RunSummary([0.965, 0.99, 0.94])
        let r = EvidenceRanking([("B", b), ("A", a), ("C", c)], better: .higher)
        #expect(r.leader == "A" && r.separated == ["B"] && r.tied == ["C"])
        #expect(r.sentence(metric: "accuracy", format: "%.3f") == "A has the best accuracy (0.970 ± 0.001, mean ± sd over 3 seeds); by the rule it is ahead of B, and indistinguishable in these runs from C.")
        let close = EvidenceRanking([("A", a), ("C", c)], better: .higher)
        #expect(close.sentence(metric: "accuracy", format: "%.3f").hasPrefix("No method is ahead on accuracy by the rule"))
        // Lower is better: B leads.
        #expect(EvidenceRanking([("A", a), ("B", b)], better: .lower).leader == "B")
    }
}
