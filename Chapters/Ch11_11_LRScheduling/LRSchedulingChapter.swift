import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.11 Learning-rate scheduling: the book's schedulers with their exact values, LeNet
/// trained under five schedules (applied per epoch), the book's per-update quirk, and
/// further schedules from the lecture notes.
enum LRSchedulingChapter: Chapter {
    static let target = "Ch11_11_LRScheduling"
    static let title = "11.11 Learning-Rate Scheduling"
    static let summary = "Schedules as functions of the step (square root, factor, multi-factor, cosine, warmup and more) and their effect on training LeNet on real digits."
    static let keyFigure: String? = "lenet-cosine.svg"
    static let options: [OptionSpec] = [
        OptionSpec(flag: "--full", help: "train for the book's 40 epochs instead of the laptop-sized default"),
        OptionSpec(value: "--epochs", placeholder: "N", help: "train for N epochs (default \(defaultEpochs); --full means 40)") { text in
            guard let n = Int(text), (2...1000).contains(n) else { return "expects a whole number from 2 to 1000, got '\(text)'" }
            return nil
        },
        OptionSpec(value: "--data-dir", placeholder: "DIR",
                   help: "train on Fashion-MNIST read from DIR (the four IDX files, raw or .gz), as the book does; \(DataLimits.summary)"),
    ] + OptimizerRunOptions.options

    /// Epochs of the default run on the shipped digits (the book trains for 40).
    static let defaultEpochs = 8
    /// Training digits of the default run (of the 8,000 in the training part of the split).
    static let defaultTrainCount = 4000
    /// Held-out digits of the default run (of the 2,000 held out).
    static let defaultHeldOutCount = 500
    /// Runs per schedule in every configuration but the reduced test one.
    static let defaultSeeds = 5
    /// The book's epoch count, used with `--full`.
    static let bookEpochs = 40
    /// The book's constant rate and the base rate of its multi-factor and cosine schedules.
    static let baseRate = 0.5

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        // Judge the --optimizer flags before any training, so a mistake costs nothing.
        let yourOptimizer = try OptimizerRunOptions.choice(ctx)
        let started = Date()
        introduction(nb)
        let setup = try Setup.make(ctx)
        // Every LeNet run of the schedules, all seeds, before the page shows any of them.
        let study = ScheduleStudy.run(studyArms(setup), setup)
        toyProblem(nb, setup, study)
        schedulers(nb, setup, study)
        policies(nb, setup, study)
        perUpdate(nb, setup, perEpochCosine: study.first("cosine"))
        repeatedRuns(nb, setup, study)
        comparison(nb, setup, [("constant 0.5", "2.303, 0.101, 0.100"), ("square root", "0.271, 0.902, 0.893"),
                               ("multi-factor", "0.149, 0.945, 0.892"), ("cosine", "0.342, 0.876, 0.867"),
                               ("cosine + warmup", "0.380, 0.862, 0.843")], study)
        if let yourOptimizer { yourOptimizerRun(nb, setup, ctx, choice: yourOptimizer) }
        beyondTheBook(nb)
        summary(nb, setup, study)
        exercises(nb, setup, ctx, study: study)
        nb.output("this run of the page, exercises included, took \(volatile: Date().timeIntervalSince(started), format: "%.0f") s")
    }

    // MARK: - Configuration

    /// The data and the length of the LeNet runs, chosen from the flags.
    struct Setup {
        let train: ImageDataset
        let test: ImageDataset
        let epochs: Int
        /// What the page says about the data.
        let description: String
        /// "held-out" for the split digits, "test" for Fashion-MNIST.
        let testName: String
        let showProgress: Bool
        /// Runs per schedule.
        let seeds: Int
        /// The seed of the repeated runs (run i uses `RepeatedRuns.generator(seed: runSeed, index: i)`).
        let runSeed: UInt64

        static func make(_ ctx: ChapterContext) throws -> Setup {
            let showProgress = !ctx.reduced
            let full = ctx.isSet("--full")
            let epochs = ctx.value("--epochs").flatMap { Int($0) } ?? (full ? bookEpochs : defaultEpochs)
            var seedRNG = ctx.generator(stream: "lenet-runs")
            let runSeed = seedRNG.next()
            let seeds = ctx.reduced ? 2 : defaultSeeds
            if let directory = ctx.value("--data-dir") {
                let (train, test) = try FashionMNIST.load(directory: directory)
                return Setup(train: train, test: test, epochs: ctx.reduced ? 2 : epochs,
                             description: "Fashion-MNIST read from the directory given with --data-dir: its \(train.count) training images for training and its \(test.count) test images for the test accuracy, as in the book.",
                             testName: "test", showProgress: showProgress, seeds: seeds, runSeed: runSeed)
            }
            let digits = try MNISTDigits.loadShipped()
            var rng = ctx.generator(stream: "digits-split")
            let (train, heldOut) = digits.split(trainCount: 8000, generator: &rng)
            if ctx.reduced {
                return Setup(train: train.prefix(1024), test: heldOut.prefix(512), epochs: 2,
                             description: "the reduced test configuration: 1024 training and 512 held-out digits from the seeded split of the 10,000 shipped MNIST test images, 2 epochs, 2 runs per schedule.",
                             testName: "held-out", showProgress: false, seeds: seeds, runSeed: runSeed)
            }
            // --full trains on the whole split for the book's 40 epochs; the default on part of it.
            let trainPart = full ? train : train.prefix(defaultTrainCount)
            let heldOutPart = full ? heldOut : heldOut.prefix(defaultHeldOutCount)
            return Setup(train: trainPart, test: heldOutPart, epochs: epochs,
                         description: "digits from the 10,000 MNIST test images shipped with OptimKit (no download needed), split by a seeded shuffle into 8,000 for training and 2,000 held out; \(full ? "all of them are used (--full)" : "this default run uses the first \(trainPart.count) of the training part and the first \(heldOutPart.count) of the held-out part (--full uses all)"), and the accuracy the runs call \"test acc\" is measured on the held-out digits. Each schedule is trained \(seeds) times (\(seeds) seeds).",
                         testName: "held-out", showProgress: showProgress, seeds: seeds, runSeed: runSeed)
        }

        /// The whole split for the book's 40 epochs (what `--full` asks for).
        var isFull: Bool { train.count >= 8000 && epochs >= bookEpochs }

        /// Minibatch updates per epoch (batches of 256, the last one smaller).
        var updatesPerEpoch: Int { max(1, (train.count + 255) / 256) }

        /// A step count of the book's 40-epoch schedules rescaled to `epochs` (rounded, at least 1).
        func scaled(_ bookSteps: Int) -> Int { max(1, (bookSteps * epochs * 2 + bookEpochs) / (2 * bookEpochs)) }

        var multiFactor: MultiFactorSchedule {
            var milestones = [scaled(15), scaled(30)]
            if milestones[1] <= milestones[0] { milestones = [milestones[0]] }
            return MultiFactorSchedule(steps: milestones, factor: 0.5, baseLR: baseRate)
        }
        var cosine: CosineSchedule { CosineSchedule(maxUpdate: epochs, baseLR: baseRate, finalLR: 0.01) }
        /// The warmup lasts the book's 5 of 40 steps rescaled, but at least 2 epochs where the run
        /// allows: stepped per epoch from rate 0, one warmup epoch would jump from 0 straight to
        /// the peak, with no ramp at all.
        var cosineWarmup: CosineSchedule {
            CosineSchedule(maxUpdate: epochs, baseLR: baseRate, finalLR: 0.01,
                           warmupSteps: min(max(2, scaled(5)), epochs - 1))
        }
    }

    /// Writes run 0 of a schedule the way the book shows a run: its per-epoch table, time,
    /// closing line and figure.
    static func showRun(_ nb: Notebook, _ setup: Setup, _ history: [EpochRecord], name: String, file: String,
                        caption: String? = nil) {
        nb.table(header: ["epoch", "learning rate", "train loss", "train acc", "\(setup.testName) acc"],
                 rows: history.map { r in
                     ["\(r.epoch)", "\(r.learningRate, format: "%.6f")", "\(r.trainLoss, format: "%.4f")",
                      "\(r.trainAccuracy, format: "%.4f")", "\(r.testAccuracy, format: "%.4f")"]
                 })
        let seconds = history.reduce(0) { $0 + $1.seconds }
        nb.output("\(setup.epochs) epochs of \(setup.train.count) images in \(volatile: seconds, format: "%.1f") s (\(volatile: seconds / Double(max(setup.epochs, 1)), format: "%.2f") s/epoch)")
        if let last = history.last { nb.output(last.summary) }
        if let last = history.last, !last.trainLoss.isFinite, history.count < setup.epochs {
            // The training loop stops at the first non-finite loss rather than spinning on NaN.
            nb.paragraph("""
                The loss became \(CFormat.format("%f", last.trainLoss)) in epoch \(last.epoch), so this run \
                diverged and training stopped there instead of running the remaining \
                \(setup.epochs - history.count) epochs on meaningless numbers.
                """)
        }
        nb.figure(BookFigures.trainingCurves(history, title: name, testLabel: "\(setup.testName) acc"), name: file,
                  caption: "\(caption ?? "LeNet with the \(name) schedule (run 0)"): train loss, train accuracy and \(setup.testName) accuracy after each epoch.")
    }

    /// Trains run 0's network (same initial weights and minibatch order as run 0 of every
    /// schedule) with any optimizer, its schedule if any wrapped in, and shows it like `showRun`.
    static func trainRun<O: Optimizer>(_ nb: Notebook, _ setup: Setup, name: String, file: String, optimizer: O,
                                       caption: String) {
        var rng = RepeatedRuns.generator(seed: setup.runSeed, index: 0)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
        let bar = setup.showProgress ? ProgressBar.onTerminal(label: name) : nil
        let history = trainer.train(on: setup.train, test: setup.test, epochs: setup.epochs, optimizer: optimizer,
                                    generator: &rng) { done, total in bar?.update(done, of: total) }
        bar?.finish()
        showRun(nb, setup, history, name: name, file: file, caption: caption)
    }

    /// A sentence on the worst epoch after the first, when the training loss went up there.
    static func setback(_ history: [EpochRecord], _ setup: Setup) -> String {
        guard history.count >= 3 else { return "" }
        let worst = (1..<history.count).max { history[$0].trainLoss < history[$1].trainLoss }!
        guard history[worst].trainLoss > history[worst - 1].trainLoss else { return "" }
        let r = history[worst]
        return "The warmup did not prevent a setback in this seed: in epoch \(r.epoch), at rate \(CFormat.format("%.3f", r.learningRate)), the training loss rose to \(CFormat.format("%.3f", r.trainLoss)) and the \(setup.testName) accuracy was \(CFormat.format("%.3f", r.testAccuracy)); \(worst + 1 < history.count && history[history.count - 1].trainLoss < r.trainLoss ? "the network recovered as the cosine lowered the rate." : "it did not recover.")"
    }

    /// Prints `values` of a schedule, eight to a line, as `t  0- 7: …` with six decimals.
    static func printValues(_ nb: Notebook, _ values: [Double]) {
        var start = 0
        while start < values.count {
            let end = min(start + 8, values.count)
            let label = CFormat.format("%2.0f", Double(start)) + "-" + CFormat.format("%2.0f", Double(end - 1))
            let numbers = values[start..<end].map { CFormat.format("%.6f", $0) }.joined(separator: " ")
            nb.output(NotebookText("t \(label): \(numbers)"))
            start = end
        }
    }

    /// Why the warmup is longer than the rescaled horizon: stepped per epoch from rate 0, a
    /// one-epoch warmup has no ramp.
    static func warmupException(_ setup: Setup) -> String {
        " (except the warmup: the book's 5 of 40 epochs would round to \(setup.scaled(5)) here, but stepped per epoch from rate 0 a one-epoch warmup would jump from 0 straight to the peak, so it lasts \(setup.cosineWarmup.warmupSteps) epochs)"
    }

    /// Which of the runs of constant 0.5 collapsed, so that run 0 is read as one draw of several.
    static func runZeroNote(_ setup: Setup, _ study: ScheduleStudy) -> String {
        let runs = study.runs("constant 0.5")
        let collapsedCount = runs.filter(collapsed).count
        let runZero = runs.first.map(collapsed) == true ? "one that collapsed" : "one that did not collapse"
        return "Of its \(setup.seeds) runs, \(collapsedCount) collapsed (ended at a train loss within 0.01 of ln 10 and \(setup.testName) accuracy below 0.2) and \(study.learned("constant 0.5")) learned (\(learnedCriterion)); the table and figure show run 0, \(runZero), and 11.11.4 shows all \(setup.seeds)."
    }

    /// `2.5`, `1.25`, `3`: at most two decimals, without trailing zeros.
    static func trimmedDecimal(_ x: Double) -> String {
        var text = CFormat.format("%.2f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// True when a run ended where a silenced network ends: loss within 0.01 of ln 10 and
    /// accuracy below 0.2.
    static func collapsed(_ history: [EpochRecord]) -> Bool {
        guard let last = history.last else { return false }
        return abs(last.trainLoss - log(10)) < 0.01 && last.testAccuracy < 0.2
    }

    /// The largest absolute difference between the logits of image 0 and those of any of
    /// the first 256 images of `images`: zero when the network ignores its input.
    static func logitSpread(trainer: LeNetTrainer, images: ImageDataset) -> Double {
        let n = min(256, images.count)
        let logits = trainer.network.forward(Array(images.images[0..<(n * images.pixelsPerImage)]), batch: n)
        let classes = logits.count / max(n, 1)
        var spread = 0.0
        for i in 0..<n {
            for c in 0..<classes { spread = max(spread, Double(abs(logits[i * classes + c] - logits[c]))) }
        }
        return spread
    }

    static func scheduleFigure(_ values: [Double], xLabel: String = "step t") -> Figure {
        BookFigures.plot(x: values.indices.map(Double.init), [values], xLabel: xLabel, yLabel: "learning rate")
    }

    // MARK: - Introduction

    static func introduction(_ nb: Notebook) {
        nb.paragraph("""
            The previous sections were about the direction and scaling of each update. This one is about \
            the step size over time: how large η should be at the start, how fast it should shrink, and \
            whether it should first grow. Four questions come up again and again.
            """)
        nb.paragraph("""
            Size. A rate that is too large makes training diverge or bounce around; one that is too small \
            wastes time or leaves the model in a poor state. Section 11.6 tied the usable range to the \
            conditioning of the problem: the largest stable step is set by the most curved direction, while \
            progress along the flattest direction is what we wait for.
            """)
        nb.paragraph("""
            Decay. With a constant rate, stochastic gradients keep the iterate jittering around a minimum \
            instead of settling in it (sections 11.4 and 11.5). For convex problems a decay like t^(−1/2) \
            comes with guarantees; for deep networks one usually lets the rate fall more slowly than that, \
            or in a few abrupt drops.
            """)
        nb.paragraph("""
            Warmup. The initial weights are random, so the first gradients point in directions of little \
            lasting value, and a full-size step taken from a random start can throw the network into a \
            region it never recovers from. Starting small and ramping up guards against this; how the \
            weights are initialized matters for the same reason.
            """)
        nb.paragraph("""
            Cycles. Some schedules raise and lower the rate repeatedly, or average the weights visited along \
            the way (Izmailov et al., 2018). The book leaves them aside; the last part of this page draws a \
            triangular cycle and a one-cycle schedule for comparison.
            """)
        nb.paragraph("""
            Frameworks package these policies as schedulers: objects that map the step count to a rate. In \
            OptimKit a schedule is a plain value conforming to `LearningRateSchedule`, and `schedule(t)` \
            depends on nothing but t, so it can be tabulated, plotted and resumed freely.
            """)
    }

    // MARK: - 11.11.1 Toy problem

    static func toyProblem(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        nb.heading("11.11.1 A toy problem")
        nb.paragraph("""
            The test bed is small enough to train many times yet realistic enough to show the effects: \
            LeNet in its modern form, with ReLU activations and max pooling in place of sigmoids and average \
            pooling. The layers are: a 5×5 convolution with 6 channels and padding 2, max pooling 2×2 with \
            stride 2, a 5×5 convolution with 16 channels, max pooling again, then dense layers of 120, 84 \
            and 10 units, ReLU after every layer but the last. The weights start Xavier-uniform, the biases \
            at zero, the loss is softmax cross-entropy averaged over each minibatch of 256 images, and the \
            optimizer is plain minibatch SGD.
            """)
        nb.paragraph("Data. This run uses \(setup.description)")
        if !setup.isFull && setup.testName == "held-out" {
            // The --full workload against this run's, timed on this machine in this run.
            let scale = Double(8000 * bookEpochs) / Double(setup.train.count * setup.epochs)
            nb.output("this run's \(study.arms.count * setup.seeds) schedule runs trained in \(volatile: study.seconds, format: "%.0f") s; at that speed --full (8000 digits, 40 epochs) would need about \(volatile: study.seconds * scale / 60, format: "%.0f") min for them")
        }
        if setup.testName == "held-out" {
            nb.paragraph("""
                The book trains on Fashion-MNIST (60,000 clothing images, 10 classes) for 40 epochs. Those \
                files are not shipped, and the page trains every schedule \(setup.seeds) times, so by \
                default it trains on \(setup.train.count) handwritten digits for \(setup.epochs) epochs, \
                a protocol chosen so that the whole page, exercises included, runs in about a minute and a half on two cores. \
                Pass `--data-dir DIR` with the four Fashion-MNIST files (raw or gzipped) for the book's \
                data, and `--full` for its 40 epochs on all 8,000 training digits and 2,000 held-out ones (how \
                long that takes is printed below). Digits \
                are an easier task than clothing, so the runs that learn reach higher accuracies than the \
                book's; what carries over is how the schedules compare.
                """)
        }
        nb.paragraph("""
            Where the book's schedules have a horizon measured in its 40 epochs (the milestones of the \
            multi-factor schedule, the length of the cosine and of the warmup), the runs below rescale it \
            to the \(setup.epochs) epochs actually trained, rounding to whole epochs, so each schedule \
            keeps its shape\(setup.cosineWarmup.warmupSteps > setup.scaled(5) ? warmupException(setup) : ""). Each epoch uses one learning rate, schedule(e) for the 0-based epoch e (one \
            run advances its warmup per update instead; see below). Run i of every schedule starts from \
            the same seeded initial weights and sees the same seeded minibatch order, so the only \
            difference between the schedules' runs i is the schedule. The page shows run 0 of each \
            schedule epoch by epoch, as the book shows its one run, and then all \(setup.seeds) runs side \
            by side in 11.11.4. One run is this function (inside `LeNetTrainer.train`: for each epoch, for \
            each minibatch, forward, loss, backward and w ← w − η·grad with η from the schedule; then the \
            accuracy on the held-out images):
            """)
        nb.code(cell: "train-lenet-with-schedule")
        nb.paragraph("""
            First the baseline: a constant rate of 0.5 throughout. The table lists the rate, the mean \
            training loss and accuracy measured on the fly during each epoch (as the book's trainer does), \
            and the accuracy on the \(setup.testName) images after the epoch. \(runZeroNote(setup, study))
            """)
        let history = study.first("constant 0.5")
        showRun(nb, setup, history, name: "constant 0.5", file: "lenet-constant")
        nb.paragraph("""
            The book's run with this setting did not learn at all: it printed train loss 2.303, train acc \
            0.101, test acc 0.100. A loss of 2.303 is ln 10, the loss of predicting the uniform distribution \
            over ten classes, and 10% accuracy is guessing. That is the signature of a network whose output \
            no longer depends on its input. In a ReLU network the usual cause is a layer whose units have \
            all gone silent: some early step pushed their pre-activations negative for every input, no \
            gradient flows through a silent unit, and only parts that do not see the input (biases after \
            the silent layer) can still learn, which gets the prediction to the class frequencies and no \
            further.
            """)
        if let last = history.last, collapsed(history) {
            let counts = setup.test.classCounts
            let majority = Double(counts.max() ?? 0) / Double(max(setup.test.count, 1))
            let spread = logitSpread(trainer: study.firstTrainers[study.index("constant 0.5")], images: setup.test)
            nb.paragraph("""
                Our run 0 failed in the same way. It ended at train loss \(CFormat.format("%.3f", last.trainLoss)) \
                (ln 10 = 2.303; the digits' classes are not exactly balanced, so predicting their \
                frequencies scores a little below it). The \(setup.testName) accuracy froze at \
                \(CFormat.format("%.3f", last.testAccuracy)), while the most frequent class makes up \
                \(CFormat.format("%.3f", majority)) of the \(setup.testName) digits: the network gives every \
                image the same answer. Indeed, the largest difference between the logits of any of the \
                first 256 \(setup.testName) images and those of the first one is \
                \(CFormat.format("%.2e", spread)): the output no longer depends on the input at all.
                """)
        } else {
            nb.paragraph("""
                Our run 0 (a different draw of initial weights, and digits rather than clothing) did \
                learn. The rate 0.5 is near the edge of what this network tolerates from a random start: \
                whether an early step silences the network depends on the initial weights and on the \
                order of the first minibatches, so one seed may fail where another succeeds.
                """)
        }
        nb.paragraph("""
            Lowering the rate later cannot revive such a network: the gradient of a silent unit is exactly \
            zero, and no schedule rescales zero into anything else. What a schedule can do is keep the \
            first steps from doing the damage, which is what warmup, and any schedule that starts small \
            or falls fast, is meant to achieve. \(EvidenceSentence.learned("Over all \(setup.seeds) runs, constant 0.5", study.heldOut("constant 0.5"), criterion: learnedCriterion) { $0 >= learnedAccuracy })
            """)
    }

    // MARK: - 11.11.2 Schedulers

    static func schedulers(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        let constant = study.first("constant 0.5")
        nb.heading("11.11.2 Schedulers")
        nb.paragraph("""
            The simplest way to change the rate is to set it by hand between steps, for example after every \
            epoch, or in response to how the loss develops. An optimizer's rate is just a stored property:
            """)
        nb.code(cell: "set-learning-rate")
        // cell: set-learning-rate
        var trainer = SGD(learningRate: 0.5)
        trainer.learningRate = 0.1
        nb.output("Learning rate is now \(trainer.learningRate, format: "%.2f")")
        // end cell
        nb.paragraph("""
            More often we hand the trainer a schedule, a function from the number of steps taken to the \
            rate. The first one decays with the inverse square root of the step count:
            """)
        nb.formula(#"\eta_t = \eta_0 (t + 1)^{-1/2}"#, plain: "η_t = η₀ (t + 1)^(−1/2)")
        nb.code(cell: "square-root-schedule")
        // cell: square-root-schedule
        let squareRoot = SquareRootSchedule(learningRate: 1.0)
        let values = squareRoot.values(0..<40)      // t = 0, 1, …, 39
        // end cell
        printValues(nb, values)
        nb.figure(scheduleFigure(values), name: "schedule-square-root",
                  caption: "SquareRootSchedule(learningRate: 1.0) for t = 0 … 39.")
        nb.paragraph("""
            Trained with this schedule per epoch, the network takes its whole first epoch at rate 1.0, its \
            second at 1/√2 ≈ 0.707, and reaches 1/√\(setup.epochs) = \
            \(CFormat.format("%.3f", SquareRootSchedule(learningRate: 1.0)(setup.epochs - 1))) in its last \
            epoch:
            """)
        let history = study.first("square root")
        showRun(nb, setup, history, name: "square root", file: "lenet-square-root")
        nb.paragraph("""
            In the book this schedule rescued the run (train loss 0.271, train acc 0.902, test acc 0.893 \
            against 2.303, 0.101, 0.100 for the constant rate), and the book notes smoother curves and a \
            smaller gap between training and test accuracy. Why a gently falling rate should reduce \
            overfitting is not settled. One argument is that smaller steps keep the weights closer to \
            their small initial values, i.e. simpler; but training does not stop early here, the rate only \
            shrinks, so this cannot be the whole story.
            """)
        if collapsed(constant) && !collapsed(history) {
            nb.paragraph("""
                Run 0 learned, and the way it did is instructive. Its whole first epoch ran at rate \
                1.0, twice the constant run's, and it survived, although that epoch made almost no progress \
                (train loss \(CFormat.format("%.3f", history[0].trainLoss))). So the failure of the constant \
                run is not simply "0.5 is too large": where the first large steps happen to land decides it. \
                Once the rate came down, the loss fell quickly.
                """)
        }
        nb.paragraph(EvidenceSentence.learned("Over all \(setup.seeds) runs, square root", study.heldOut("square root"),
                                              criterion: learnedCriterion) { $0 >= learnedAccuracy })
    }

    // MARK: - 11.11.3 Policies

    static func policies(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        let constant = study.first("constant 0.5")
        nb.heading("11.11.3 Policies")
        nb.paragraph("""
            There are far too many schedules to cover them all. The common families are polynomial decay \
            (like the square root above), piecewise-constant schedules, cosine schedules, which have done \
            well empirically on some vision problems, and warmup in front of any of them.
            """)

        nb.heading("Factor schedule", level: 3)
        nb.paragraph("""
            A multiplicative decay shrinks the rate by a factor α ∈ (0, 1) at every step. A floor η_min \
            keeps it from vanishing altogether:
            """)
        nb.formula(#"\eta_{t+1} \leftarrow \max(\eta_{\min}, \eta_t \cdot \alpha)"#,
                   plain: "η_{t+1} ← max(η_min, η_t · α)")
        nb.paragraph("""
            The book's version is an object that multiplies its stored rate on every call and returns the \
            new value, so its first call already returns 2.0 · 0.9 = 1.8. `FactorSchedule` gives the value \
            of call t + 1 at step t, computed by the same chain of floored products, so the numbers agree \
            with the stateful version to the last bit. With α = 0.9, η_min = 0.01 and η₀ = 2, over 50 calls:
            """)
        nb.code(cell: "factor-schedule")
        // cell: factor-schedule
        let factorSchedule = FactorSchedule(factor: 0.9, stopFactorLR: 1e-2, baseLR: 2.0)
        let factor = factorSchedule.values(0..<50)
        // end cell
        printValues(nb, factor)
        nb.figure(scheduleFigure(factor), name: "schedule-factor",
                  caption: "FactorSchedule(factor: 0.9, stopFactorLR: 0.01, baseLR: 2.0) over 50 calls.")
        nb.paragraph("""
            After 50 calls the rate is 2 · 0.9⁵⁰ ≈ 0.0103, just above the floor, which therefore only \
            comes into play in longer runs. Frameworks add options such as a warmup period or a maximum number of \
            updates; building such a schedule oneself takes a few lines, as this one shows.
            """)

        nb.heading("Multi-factor schedule", level: 3)
        nb.paragraph("""
            A popular recipe for deep networks keeps the rate constant for long stretches and cuts it by a \
            factor α at a few chosen milestones s (for instance after epochs 30, 60 and 90 when training \
            ResNets): η ← η · α whenever t passes a milestone. The book halves a rate of 0.5 after steps 15 \
            and 30. In MXNet's convention the drop comes after the milestone, so the rate is 0.5 for \
            t ≤ 15, 0.25 for 15 < t ≤ 30 and 0.125 afterwards:
            """)
        nb.code(cell: "multi-factor-schedule")
        // cell: multi-factor-schedule
        let multiFactor = MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: 0.5)
        let multi = multiFactor.values(0..<40)
        // end cell
        printValues(nb, multi)
        nb.figure(scheduleFigure(multi), name: "schedule-multi-factor",
                  caption: "MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: 0.5) for t = 0 … 39.")
        nb.paragraph("""
            The idea: run at a high rate until the weights stop improving on average and merely wander in a \
            stationary cloud, then lower the rate to shrink the cloud and land closer to a good minimum. \
            For the \(setup.epochs)-epoch run the milestones become \(setup.multiFactor.steps) (epochs, \
            rescaled from 15 and 30 of 40):
            """)
        let multiHistory = study.first("multi-factor")
        showRun(nb, setup, multiHistory, name: "multi-factor", file: "lenet-multi-factor")
        let highEpochs = (setup.multiFactor.steps.first ?? 0) + 1
        let sameOutcome = zip(study.runs("multi-factor"), study.runs("constant 0.5")).filter { a, b in
            ((a.last?.testAccuracy ?? 0) >= learnedAccuracy) == ((b.last?.testAccuracy ?? 0) >= learnedAccuracy)
        }.count
        if collapsed(multiHistory) && collapsed(constant) {
            nb.paragraph("""
                This run failed like the constant one, and necessarily so: it starts from the same weights, \
                sees the same minibatches and uses the same rate 0.5 for its first \(highEpochs) epochs, so \
                up to the first drop it repeats the constant run step for step, collapse included. The \
                later drops only lower the rate of a network whose gradients are already zero. A \
                piecewise-constant schedule is only as safe as its first piece. Over all \(setup.seeds) runs, \
                the multi-factor run and the constant run with the same index had the same outcome \
                (both learned, or neither) in \(sameOutcome) of \(setup.seeds); multi-factor learned in \
                \(study.learned("multi-factor")) of them.
                """)
        } else if let last = multiHistory.last {
            nb.paragraph("""
                The rate drops show in the curves as sudden improvements of the training loss. The run \
                ends at train loss \(CFormat.format("%.3f", last.trainLoss)) and \(setup.testName) accuracy \
                \(CFormat.format("%.3f", last.testAccuracy)).
                """)
        }

        nb.heading("Cosine schedule", level: 3)
        nb.paragraph("""
            Loshchilov and Hutter (2016) proposed a schedule that lowers the rate slowly at first, faster in \
            the middle, and gently again at the end, where a small rate polishes the solution. Over \
            t ∈ [0, T] it follows half a cosine wave from η₀ down to η_T, and stays at η_T after T:
            """)
        nb.formula(#"\eta_t = \eta_T + \frac{\eta_0 - \eta_T}{2} \left(1 + \cos\left(\frac{\pi t}{T}\right)\right)"#,
                   plain: "η_t = η_T + (η₀ − η_T)/2 · (1 + cos(π t / T))")
        nb.paragraph("The book's example: T = 40, η₀ = 0.5, η_T = 0.01.")
        nb.code(cell: "cosine-schedule")
        // cell: cosine-schedule
        let cosine = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)
        let cosineValues = cosine.values(0..<40)
        // end cell
        printValues(nb, cosineValues)
        nb.figure(scheduleFigure(cosineValues), name: "schedule-cosine",
                  caption: "CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01) for t = 0 … 39.")
        nb.paragraph("""
            In computer vision this schedule sometimes helps, but there is no guarantee. Our run uses \
            T = \(setup.epochs), the number of epochs:
            """)
        let cosineHistory = study.first("cosine")
        showRun(nb, setup, cosineHistory, name: "cosine", file: "lenet-cosine")
        if let last = cosineHistory.last {
            let lastThree = cosineHistory.suffix(3)
            let tail = cosineHistory.count >= 4
                ? "Its last three epochs, at rates \(lastThree.map { CFormat.format("%.3f", $0.learningRate) }.joined(separator: ", ")), took the training loss from \(CFormat.format("%.3f", cosineHistory[cosineHistory.count - 4].trainLoss)) to \(CFormat.format("%.3f", last.trainLoss))."
                : "" 
            nb.paragraph("""
                \(collapsed(cosineHistory) ? "This run collapsed as well" : "This run learned"): it starts at \
                0.5 like the constant run, but its rate is already \(CFormat.format("%.3f", setup.cosine(1))) in \
                the second epoch, and \(collapsed(constant) && !collapsed(cosineHistory) ? "that small difference was enough to avoid the collapse in this seed, another sign of how fragile the early phase is" : "the small early differences decide the outcome"). \
                It ends at train loss \(CFormat.format("%.3f", last.trainLoss)) and \(setup.testName) accuracy \
                \(CFormat.format("%.3f", last.testAccuracy)). \(tail)
                """)
        }

        nb.heading("Warmup", level: 3)
        nb.paragraph("""
            Sometimes a good initialization is not enough, especially in architectures whose optimization \
            is unstable at the start. A small rate avoids early divergence but makes progress slow; a large \
            one makes progress but may diverge. Warmup resolves the dilemma by raising the rate linearly \
            from 0 to its peak over the first few steps, and then following the decay. With 5 warmup steps \
            in front of the cosine above (the cosine then spans the remaining 35 steps):
            """)
        nb.code(cell: "cosine-warmup-schedule")
        // cell: cosine-warmup-schedule
        let cosineWarmup = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01, warmupSteps: 5)
        let warmValues = cosineWarmup.values(0..<40)
        // end cell
        printValues(nb, warmValues)
        nb.figure(scheduleFigure(warmValues), name: "schedule-cosine-warmup",
                  caption: "CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01, warmupSteps: 5) for t = 0 … 39.")
        let warm = setup.cosineWarmup
        nb.paragraph("""
            The warmup starts at rate 0, so its first step changes nothing: one update in the book, a \
            whole epoch here. In our \(setup.epochs)-epoch run the warmup lasts \(warm.warmupSteps) \
            epoch\(warm.warmupSteps == 1 ? "" : "s"), so the rates are \
            \(warm.values(0..<min(warm.warmupSteps + 1, setup.epochs)).map { CFormat.format("%.3f", $0) }.joined(separator: ", ")) \
            before the cosine takes over:
            """)
        let warmHistory = study.first("cosine + warmup")
        showRun(nb, setup, warmHistory, name: "cosine with warmup", file: "lenet-cosine-warmup")
        if let last = warmHistory.last, let first = warmHistory.first {
            nb.paragraph("""
                The first epoch at rate 0 leaves the weights untouched (train loss \
                \(CFormat.format("%.3f", first.trainLoss)), the untrained network's), so this run has one epoch \
                less of real training than the others. \(setback(warmHistory, setup)) It ends at train loss \
                \(CFormat.format("%.3f", last.trainLoss)) and \(setup.testName) accuracy \
                \(CFormat.format("%.3f", last.testAccuracy)).
                """)
        }
        nb.paragraph("""
            Warmup can precede any schedule, not only the cosine (`Warmup(steps:schedule:)` wraps any \
            `LearningRateSchedule`). Gotmare et al. (2018) studied it in detail and found that it limits how \
            far the weights of very deep networks stray early on; the parts of a network that need the \
            longest to start making progress are exactly those a large early step can disturb most.
            """)
        warmupPerUpdate(nb, setup, study)
    }

    /// The warmup advanced once per minibatch update instead of once per epoch.
    static func warmupPerUpdate(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        nb.heading("Warmup per update", level: 3)
        let arm = study.arms[study.index("warmup per update")]
        let updates = setup.updatesPerEpoch
        let warmupUpdates = setup.cosineWarmup.warmupSteps * updates
        nb.paragraph("""
            Stepped per epoch, a warmup that starts at rate 0 wastes its whole first epoch. The same \
            schedule can be advanced after every minibatch instead: with \(updates) updates per epoch, the \
            warmup then spans \(warmupUpdates) updates and the rate of update u is 0.5·u/\(warmupUpdates) \
            (\(CFormat.format("%.4f", arm.rate(0))), \(CFormat.format("%.4f", arm.rate(1))), \
            \(CFormat.format("%.4f", arm.rate(2))), …), so only the very first update is lost; the cosine \
            then falls per update over the remaining updates (`CosineSchedule(maxUpdate: epochs × \
            updates, …, warmupSteps: \(warmupUpdates))` with `unit: .update`). The table's rate column \
            shows the rate of each epoch's last update:
            """)
        let history = study.first("warmup per update")
        showRun(nb, setup, history, name: "warmup per update", file: "lenet-warmup-per-update")
        let perEpoch = study.runs("cosine + warmup"), perUpdate = study.runs("warmup per update")
        func after(_ runs: [[EpochRecord]], _ value: (EpochRecord) -> Double) -> RunSummary {
            RunSummary(runs.map { $0.first.map(value) ?? .nan })
        }
        nb.paragraph("The first epoch of the two warmups over all \(setup.seeds) runs (mean ± sd):")
        nb.table(header: ["warmup advanced", "train loss, epoch 1", "\(setup.testName) acc after epoch 1",
                          "final \(setup.testName) acc"],
                 rows: [("per epoch", perEpoch), ("per update", perUpdate)].map { name, runs in
                     [NotebookText(name), NotebookText(after(runs, \.trainLoss).meanAndDeviation("%.3f")),
                      NotebookText(after(runs, \.testAccuracy).meanAndDeviation("%.3f")),
                      NotebookText(RunSummary(runs.map { $0.last?.testAccuracy ?? .nan }).meanAndDeviation("%.3f"))]
                 })
        nb.paragraph(EvidenceSentence.compare("Per update", after(perUpdate, \.testAccuracy), "per epoch",
                                              after(perEpoch, \.testAccuracy),
                                              metric: "\(setup.testName) accuracy after the first epoch", better: .higher,
                                              format: "%.3f"))
    }

    // MARK: - Per update or per epoch

    static func perUpdate(_ nb: Notebook, _ setup: Setup, perEpochCosine: [EpochRecord]) {
        nb.heading("Per update or per epoch?", level: 3)
        let bookUpdates = (60_000 + 255) / 256
        nb.paragraph("""
            The book plots its schedules against epochs, but its trainer passed the scheduler to the \
            optimizer, which advances it once per minibatch update. On Fashion-MNIST with batches of 256 an \
            epoch is \(bookUpdates) updates, so the schedules in the book's runs moved about \(bookUpdates) \
            times faster than their plots suggest:
            """)
        let sqrtEnd = SquareRootSchedule(learningRate: 1.0)
        let cosine = CosineSchedule(maxUpdate: 40, baseLR: baseRate, finalLR: 0.01)
        let multi = MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: baseRate)
        let epochLength = Double(bookUpdates)
        nb.table(header: ["schedule", "rate after 1 epoch", "rate after 40 epochs", "what the book's run saw"],
                 rows: [
                    ["square root", "\(sqrtEnd(bookUpdates), format: "%.4f")", "\(sqrtEnd(40 * bookUpdates), format: "%.4f")",
                     "1.0 for one update, below 0.1 after 100 updates"],
                    ["multi-factor", "\(multi(bookUpdates), format: "%.4f")", "\(multi(40 * bookUpdates), format: "%.4f")",
                     "0.125 from update 31 on: the whole run at a quarter of the rate"],
                    ["cosine", "\(cosine(bookUpdates), format: "%.4f")", "\(cosine(40 * bookUpdates), format: "%.4f")",
                     "the floor 0.01 after 40 updates (\(40 / epochLength, format: "%.2f") epoch)"],
                    ["cosine + warmup", "\(CosineSchedule(maxUpdate: 40, baseLR: baseRate, finalLR: 0.01, warmupSteps: 5)(bookUpdates), format: "%.4f")",
                     "0.0100", "5 updates of warmup, then the same floor after 40 updates"],
                 ])
        nb.paragraph("""
            This explains the book's numbers better than the schedules' shapes do. Its two cosine runs spent \
            more than 99% of their updates at the floor rate 0.01, fifty times smaller than the constant \
            run's rate, so they were simply undertrained: their training loss (0.342 and 0.380) is the \
            highest of the runs that learned. The multi-factor run trained at 0.125 almost throughout, \
            which worked well for training loss (0.149) but overfit the most (train acc 0.945, test acc \
            0.892). The square-root run started at 1.0 but dropped below the constant run's 0.5 after four \
            updates, so only its first few steps were large. The book's warmup, too, lasted 5 updates, \
            about 2% of one epoch. If it caused the better start over the first 5 epochs that the book \
            points out in that run, it did so through those few updates alone, which is possible (the \
            runs on this page show how much the first steps decide) but cannot be told apart from the \
            luck of one seed with a single run.
            """)
        nb.paragraph("""
            Here every schedule advances once per epoch, as the book's plots intend. `LeNetTrainer.train` \
            can also advance per update (`unit: .update`); to see the book's effect on our data, the run \
            below applies the book's cosine schedule (T = 40 updates) per update, in the same setting as \
            run 0 above. With \(setup.updatesPerEpoch) updates per epoch the rate reaches 0.01 \
            within the first \(trimmedDecimal(40.0 / Double(setup.updatesPerEpoch))) epochs:
            """)
        let bar = setup.showProgress ? ProgressBar.onTerminal(label: "cosine per update (book)") : nil
        let bookWay = trainLeNetWithSchedule(cosine, unit: .update, train: setup.train, heldOut: setup.test,
                                             epochs: setup.epochs, seed: setup.runSeed, index: 0) { done, total in
            bar?.update(done, of: total)
        }.history
        bar?.finish()
        showRun(nb, setup, bookWay, name: "cosine per update (book)", file: "lenet-cosine-per-update",
                caption: "LeNet with the book's cosine schedule (T = 40) advanced per update, run 0's weights and minibatches")
        if let last = bookWay.last, let ours = perEpochCosine.last {
            nb.paragraph("""
                Advanced per update, the same schedule leaves the run at train loss \
                \(CFormat.format("%.3f", last.trainLoss)) and \(setup.testName) accuracy \
                \(CFormat.format("%.3f", last.testAccuracy)), against \(CFormat.format("%.3f", ours.trainLoss)) and \
                \(CFormat.format("%.3f", ours.testAccuracy)) per epoch. \(last.trainLoss > ours.trainLoss ? "Almost all of its training happens at rate 0.01, and it is clearly undertrained, which is what happened to the book's cosine runs." : "Here the small rate did not hurt as much as in the book.")
                """)
        }
    }

    // MARK: - Comparison

    static func comparison(_ nb: Notebook, _ setup: Setup, _ book: [(String, String)], _ study: ScheduleStudy) {
        nb.heading("Comparison with the book", level: 3)
        nb.paragraph("""
            The final epoch of run 0 of each schedule, the \(setup.testName) accuracy over all \(setup.seeds) \
            runs, and the book's one run (Fashion-MNIST, 40 epochs, schedules advanced per update). The \
            book's numbers are for a harder data set and a different schedule clock, so compare the \
            orderings, not the values; and the book's single run per schedule is, like our run 0, one draw \
            from the spread that 11.11.4 measures.
            """)
        nb.table(header: ["schedule", "run 0: train loss", "train acc", "\(setup.testName) acc",
                          "all runs: \(setup.testName) acc (learned)", "book (loss, train acc, test acc)"],
                 rows: book.map { name, bookLine in
                     let all = study.heldOut(name)
                     let spread = NotebookText("\(all.meanAndDeviation("%.3f")) (\(all.countText { $0 >= learnedAccuracy }))")
                     guard let r = study.first(name).last else { return [NotebookText(name), "", "", "", spread, NotebookText(bookLine)] }
                     return [NotebookText(name), "\(r.trainLoss, format: "%.3f")", "\(r.trainAccuracy, format: "%.3f")",
                             "\(r.testAccuracy, format: "%.3f")", spread, NotebookText(bookLine)]
                 })
    }

    // MARK: - Beyond the book

    static func beyondTheBook(_ nb: Notebook) {
        nb.heading("More schedules", level: 3)
        nb.paragraph("""
            The lecture notes list further policies, all available in OptimKit as pure schedules. Over the \
            same 40 steps, starting at 0.5: step decay halves the rate every 10 steps; exponential decay \
            multiplies it by 0.9 each step (η₀ e^(−kt) with k = −ln 0.9); inverse-time decay divides by \
            1 + 0.1t; linear decay (used for BERT) falls in a straight line to 0.01 at step 40; and the \
            Transformer recipe warms up for 5 steps and then decays like 1/√t, peaking at 0.5 at t = 5.
            """)
        let steps = 0..<40
        let decays: [(String, [Double])] = [
            ("step decay", StepDecaySchedule(initialLR: 0.5, gamma: 0.5, stepSize: 10).values(steps)),
            ("exponential", ExponentialSchedule(initialLR: 0.5, gamma: 0.9).values(steps)),
            ("inverse time", InverseTimeSchedule(initialLR: 0.5, decayRate: 0.1).values(steps)),
            ("linear", LinearDecaySchedule(initialLR: 0.5, finalLR: 0.01, totalSteps: 40).values(steps)),
            ("warmup + inv. sqrt",
             Warmup(steps: 5, delaysSchedule: false,
                    schedule: InverseSquareRootSchedule(initialLR: 0.5 * Double(5).squareRoot())).values(steps)),
        ]
        let cycles: [(String, [Double])] = [
            ("triangular", TriangularCyclicalSchedule(lowerLR: 0.05, upperLR: 0.5, stepSize: 10).values(steps)),
            ("one-cycle", OneCycleSchedule(maxLR: 0.5, totalSteps: 40).values(steps)),
        ]
        let xs = steps.map(Double.init)
        var decayAxes = BookFigures.plotAxes(x: [xs], decays.map(\.1), xLabel: "step t", yLabel: "learning rate",
                                             legend: decays.map(\.0), formats: ["-", "--", "-.", ":", "-"])
        decayAxes.title = "decays"
        var cycleAxes = BookFigures.plotAxes(x: [xs], cycles.map(\.1), xLabel: "step t", yLabel: "learning rate",
                                             legend: cycles.map(\.0), formats: ["-", "--"])
        cycleAxes.title = "cycles"
        cycleAxes.legend = .upperLeft
        nb.paragraph("""
            Cyclical schedules move the rate up and down instead. Smith's triangular policy climbs linearly \
            from 0.05 to 0.5 over 10 steps and back down over the next 10; the one-cycle policy climbs once, \
            over the first 30% of the run, from 0.5/25 to 0.5, then anneals along a cosine far below the \
            start. The values at a few steps:
            """)
        let probe = [0, 5, 10, 20, 30, 39]
        nb.table(header: ["schedule"] + probe.map { "t = \($0)" },
                 rows: (decays + cycles).map { name, values in
                     [NotebookText(name)] + probe.map { "\(values[$0], format: "%.6f")" }
                 })
        nb.figure(Figure(width: 760, height: 300, panels: [decayAxes, cycleAxes]), name: "schedules-more",
                  caption: "Further schedules over 40 steps: five decays (left) and two cyclical policies (right).")
        nb.paragraph("""
            A practical tip from the same notes: train without any decay first, and add it only if the \
            validation accuracy (rather than the training loss) shows that it helps; decaying too early \
            stalls training for good.
            """)
    }

    // MARK: - Summary

    static func summary(_ nb: Notebook, _ setup: Setup, _ study: ScheduleStudy) {
        nb.heading("Summary")
        nb.paragraph(summaryLines(setup, study).map { "- " + $0 }.joined(separator: "\n"))
    }
}
