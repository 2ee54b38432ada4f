import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

// cell: train-sgd
/// Minibatch SGD on the airfoil regression of this section (`trainLinearRegression`), with the
/// initial weights and the order of the examples drawn from the named random stream `stream`.
func trainSGD(lr: Double, batchSize: Int, epochs: Int = 2, stream: String,
              data: AirfoilData, ctx: ChapterContext) -> TrainingRun {
    var rng = ctx.generator(stream: stream)
    return trainLinearRegression(optimizer: SGD(learningRate: lr), data: data,
                                 batchSize: batchSize, epochs: epochs, generator: &rng)
}
// end cell

/// 11.5 Minibatch SGD: why hardware prefers batches (the matrix-multiply experiment), what
/// averaging over a batch does to the gradient's noise, and the airfoil runs with batch sizes
/// 1500, 1, 100 and 10.
enum MinibatchSGDChapter: Chapter {
    static let target = "Ch11_5_MinibatchSGD"
    static let title = "11.5 Minibatch Stochastic Gradient Descent"
    static let summary = "Why minibatches: vectorisation and caches, then gradient descent, SGD and minibatches compared on the airfoil data by loss and wall time."
    static let keyFigure: String? = "loss-minibatch-10.svg"

    /// The four from-scratch runs of the section: learning rate, batch size, epochs, legend label.
    struct RunSpec {
        let label: String
        let stream: String
        let learningRate: Double
        let batchSize: Int
        let epochs: Int
    }

    static let runs = [
        RunSpec(label: "gd", stream: "gd", learningRate: 1, batchSize: 1500, epochs: 10),
        RunSpec(label: "sgd", stream: "sgd", learningRate: 0.005, batchSize: 1, epochs: 2),
        RunSpec(label: "batch size=100", stream: "minibatch-100", learningRate: 0.4, batchSize: 100, epochs: 2),
        RunSpec(label: "batch size=10", stream: "minibatch-10", learningRate: 0.05, batchSize: 10, epochs: 2),
    ]

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Sections 11.3 and 11.4 sit at opposite ends of a scale. Gradient descent looks at every \
            training example before it moves once; stochastic gradient descent moves after every single \
            example. Neither end is what practitioners run. Full passes waste effort when many examples \
            carry nearly the same information, and single examples waste the hardware, which is built \
            to do the same arithmetic on many numbers at once. Minibatches sit in between, and this \
            section explains why that middle ground wins on both counts.
            """)
        try vectorization(nb, ctx)
        minibatches(nb, ctx)
        let data = try readingTheDataset(nb)
        let results = fromScratch(nb, ctx, data: data)
        concise(nb, ctx, data: data, results: results)
        cliffAndClipping(nb)
        summary(nb)
        try exercises(nb, ctx, data: data)
    }

    // MARK: - 11.5.1 Vectorization and caches

    static func vectorization(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("11.5.1 Vectorization and caches")
        nb.paragraph("""
            The first reason for batching is throughput. With several accelerators every device needs \
            at least one example per step, so eight GPUs in each of sixteen machines already imply a \
            batch of 128. But even one processor prefers batches, because arithmetic is cheap and \
            moving data is not. A core has a handful of registers, then L1, L2 and often a shared L3 \
            cache, each level larger, slower and narrower than the one before, and finally main memory.
            """)
        nb.paragraph("""
            Some rough numbers make the gap concrete. Sixteen cores at 2 GHz, each feeding its AVX-512 \
            vector units about 32 bytes of operands per cycle, consume about 2·10⁹ · 16 · 32 ≈ 10¹² bytes \
            per second, while a typical server memory system delivers around 100 GB/s, a tenth of that \
            or less. Memory is also read in wide chunks (a 64-byte cache line at minimum): one isolated \
            number costs as much as its whole line, and the first access of a burst pays a latency \
            that the following sequential accesses avoid. Fast code therefore keeps its working set in \
            cache and reads memory in long contiguous runs.
            """)
        nb.paragraph("""
            Matrix multiplication shows the effect clearly. There are several ways to organise \
            A = BC:
            """)
        nb.paragraph("""
            1. element by element, A_ij = B_i,: · C_:,j, one dot product per entry;
            2. column by column, A_:,j = B C_:,j, one matrix-vector product per column;
            3. all at once, A = BC, in one call to an optimized matrix-multiply routine;
            4. in blocks, A_:,J = B C_:,J for groups J of columns.
            """)
        nb.paragraph("""
            In the first scheme every entry re-reads a row of B and a column of C, and with row-major \
            storage consecutive entries of a column of C are a whole row apart, so nearly every read \
            lands on a fresh cache line. The second scheme copies the column C_:,j once into a small \
            contiguous buffer that stays in cache while the rows of B stream past it. The third lets a \
            tuned kernel (`GEMM` in OptimKit: packed panels sized for the caches, SIMD registers, all \
            cores) reuse every loaded number many times. The fourth issues one such call per block of \
            64 columns: each call is smaller, but still large enough to keep the kernel busy.
            """)
        nb.code(cell: "matrix-multiply")
        // cell: matrix-multiply
        let n = ctx.reduced ? 256 : 1024          // the tests multiply smaller matrices
        var rng = ctx.generator(stream: "matrices")
        let perf = MatrixMultiplyExperiment.run(n: n, blockColumns: 64, generator: &rng)
        nb.output(perf.performanceLine)   // element, column, full
        nb.output(perf.blockLine)         // 64-column blocks
        // end cell
        nb.paragraph("""
            B and C are \(n) × \(n) with standard-normal entries, and each method counts as 2n³ \
            floating-point operations (a multiply and an add per term). The element-wise method is so \
            slow that timing all \(n) rows would dominate the run: it computes the first \
            \(perf.elementRows) rows and its time is scaled by \(n)/\(perf.elementRows). Every row does \
            the same work, so this estimates the full run (on the development machine it came within \
            about 25% of a full timing, on the optimistic side).
            """)
        nb.table(header: ["method", "seconds", "GFLOPS"], rows: [
            ["element by element (scaled)", "\(volatile: perf.element.seconds, format: "%.4f")", "\(volatile: perf.element.gigaflops, format: "%.3f")"],
            ["column by column", "\(volatile: perf.column.seconds, format: "%.4f")", "\(volatile: perf.column.gigaflops, format: "%.3f")"],
            ["whole matrix", "\(volatile: perf.full.seconds, format: "%.4f")", "\(volatile: perf.full.gigaflops, format: "%.3f")"],
            ["blocks of 64 columns", "\(volatile: perf.block.seconds, format: "%.4f")", "\(volatile: perf.block.gigaflops, format: "%.3f")"],
        ])
        nb.output("""
            ratios in this run: column/element \(volatile: perf.column.gigaflops / perf.element.gigaflops, format: "%.0f"), \
            full/column \(volatile: perf.full.gigaflops / perf.column.gigaflops, format: "%.1f"), \
            block/full \(volatile: perf.block.gigaflops / perf.full.gigaflops, format: "%.2f")
            """)
        nb.paragraph("""
            The timings depend on the machine and vary from run to run (the golden tests mask them, \
            and the sentences here name no number that the run did not print). The book, running \
            MXNet from Python, measured 0.002, 2.687 and 600.301 GFLOPS for the first three methods \
            and 142.625 for the blocks. Its element-wise number is dominated by the interpreter's cost \
            per call, which compiled Swift does not pay, so expect our first ratio to be far smaller \
            than the book's 2.687/0.002 ≈ \(CFormat.format("%.0f", 2.687 / 0.002)). The ratio block/full \
            says how much of the whole product's speed a block of 64 columns keeps; the book's was \
            142.625/600.301 ≈ \(CFormat.format("%.2f", 142.625 / 600.301)).
            """)
    }

    // MARK: - 11.5.2 Minibatches

    static func minibatches(_ nb: Notebook, _ ctx: ChapterContext) {
        nb.heading("11.5.2 Minibatches")
        nb.paragraph("""
            Single-example updates also pay a fixed overhead per step (a function call, a framework \
            dispatch, a kernel launch on a GPU) that is not amortised over any work. Plain SGD computes
            """)
        nb.formula(#"\boldsymbol{g}_t = \nabla_{\boldsymbol{w}} f(\boldsymbol{x}_t, \boldsymbol{w})"#,
                   plain: "g_t = ∇_w f(x_t, w)")
        nb.paragraph("and minibatch SGD replaces it with the average over a batch 𝓑_t of examples:")
        nb.formula(#"\boldsymbol{g}_t = \nabla_{\boldsymbol{w}} \frac{1}{|\mathcal{B}_t|} \sum_{i \in \mathcal{B}_t} f(\boldsymbol{x}_i, \boldsymbol{w})"#,
                   plain: "g_t = ∇_w (1/|𝓑_t|) Σ_{i ∈ 𝓑_t} f(x_i, w)")
        nb.paragraph("""
            Because the examples of the batch are drawn uniformly, the expected value of g_t is the \
            full gradient, exactly as for a single example. What changes is the spread: averaging b \
            independent gradients divides their variance by b, so the typical deviation from the full \
            gradient shrinks like 1/√b. That makes each step more trustworthy, but with diminishing \
            returns: going from b = 100 to b = 1000 costs ten times the arithmetic and only reduces the \
            noise by a factor of about 3. In practice one picks a batch large enough to use the \
            hardware well and small enough to fit in memory.
            """)
        nb.paragraph("""
            We can check the 1/√b law on the airfoil data of the next subsection. At the initial \
            weights of the training loop, the 1500 per-example gradients have a total variance σ² \
            (the mean squared distance from their average, the full gradient). Our batches are drawn \
            without replacement, which shrinks the variance of a batch mean a little further, to \
            σ²/b · (N − b)/(N − 1) with N = 1500. The table compares that prediction with the root-mean-square \
            deviation of 3000 actual minibatch gradients for each batch size:
            """)
        if let data = try? AirfoilData.load() {
            var init0 = ctx.generator(stream: "variance-init")
            var draws = ctx.generator(stream: "variance-batches")
            let noise = MinibatchGradientNoise.measure(data: data, batchSizes: [1, 10, 100], batches: 3000,
                                              parameterGenerator: &init0, batchGenerator: &draws)
            nb.table(header: ["batch size b", "predicted RMS deviation", "measured (3000 batches)"],
                     rows: noise.rows.map { row in
                         ["\(row.batchSize)", "\(row.predicted, format: "%.4f")", "\(row.measured, format: "%.4f")"]
                     })
            nb.paragraph("""
                The measured deviation follows the prediction to within sampling error: ten times the \
                batch buys about a factor of √10 ≈ 3.2 in precision. (For b = 1 the 3000 batches are \
                exactly two epochs, every example twice, so the two columns agree to the last digit.)
                """)
        }
        nb.paragraph("""
            The same experiment as above, now computing A in blocks of 64 columns, is exactly a \
            minibatch computation: the block line printed above shows what share of the full \
            product's speed such a batch keeps. One caution: some layers depend on the batch itself. Batch normalization \
            (Section 7.5) regularizes through the noise of per-batch statistics, and that noise, hence \
            the regularization, weakens as batches grow (see Ioffe, 2017, for how to correct for it).
            """)
    }

    // MARK: - 11.5.3 Reading the dataset

    static func readingTheDataset(_ nb: Notebook) throws -> AirfoilData {
        nb.heading("11.5.3 Reading the dataset")
        nb.paragraph("""
            To compare optimizers on a real, if small, problem we use NASA's airfoil self-noise data: \
            five measured properties of a wing section in a wind tunnel (frequency, angle of attack, \
            chord length, free-stream velocity, suction-side displacement thickness) and the sound \
            pressure level it produced. Every column, the target included, is standardised with its \
            mean and population standard deviation over all 1503 rows of the file, and the first 1500 \
            rows are kept. The file ships with OptimKit and is checked against its published SHA-1 \
            before use.
            """)
        nb.code(cell: "airfoil-load")
        // cell: airfoil-load
        let data = try AirfoilData.load()   // verifies SHA-1, standardises, keeps 1500 rows
        nb.output("examples: \(data.count), features: \(data.featureCount), rows in file: \(data.rowsInFile)")
        nb.output("SHA-1: \(AirfoilData.expectedSHA1)")
        // end cell
        nb.paragraph("""
            Each epoch the training loop draws a fresh random order of the 1500 examples from its \
            seeded generator and cuts it into consecutive batches (`MinibatchIterator`), so every \
            example is used exactly once per epoch.
            """)
        return data
    }

    // MARK: - 11.5.4 From scratch

    static func fromScratch(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) -> [TrainingRun] {
        nb.heading("11.5.4 Implementation from scratch")
        nb.paragraph("""
            Every optimizer in this chapter shares one interface: hyperparameters are stored \
            properties, and whatever the method remembers between steps lives in a separate `State` \
            value that the training loop owns. Minibatch SGD has nothing to remember; its update is \
            one line per coordinate:
            """)
        nb.code(cell: "sgd-update")
        nb.paragraph("""
            The common training loop, `trainLinearRegression`, fits the linear model ŷ = Xw + b with \
            w drawn from N(0, 0.01²) and b = 0. The loss is (ŷ − y)²/2 averaged over the batch, so the \
            gradient handed to the optimizer is already a mean and needs no division by the batch \
            size. Each time the number of processed examples reaches a multiple of 200, the loop \
            records the loss over all 1500 examples; the clock is paused during that evaluation, so \
            the time reported is training time only. At the end it prints the last recorded loss \
            and the mean time per epoch.
            """)
        nb.code(cell: "train-sgd")
        var results: [TrainingRun] = []

        nb.paragraph("""
            Batch gradient descent is the case batch size = 1500: one update per epoch, with the \
            exact gradient. With learning rate 1 we give it 10 epochs, i.e. ten updates. The loss \
            is recorded every second epoch, when 3000, 6000, … examples have been processed:
            """)
        nb.code(cell: "run-gd")
        // cell: run-gd
        let gd = trainSGD(lr: 1, batchSize: 1500, epochs: 10, stream: "gd", data: data, ctx: ctx)
        nb.output(gd.summary)
        // end cell
        afterRun(nb, ctx, data: data, index: 0, run: gd, results: &results)

        nb.paragraph("""
            Batch size 1 is plain SGD: 1500 updates per epoch, each from a single example, with \
            the small constant learning rate 0.005 (a decaying rate would do better, but \
            constant keeps the comparison simple). Two epochs:
            """)
        nb.code(cell: "run-sgd")
        // cell: run-sgd
        let sgd = trainSGD(lr: 0.005, batchSize: 1, stream: "sgd", data: data, ctx: ctx)
        nb.output(sgd.summary)
        // end cell
        afterRun(nb, ctx, data: data, index: 1, run: sgd, results: &results)

        nb.paragraph("Batch size 100 with learning rate 0.4: fifteen updates per epoch.")
        nb.code(cell: "run-batch-100")
        // cell: run-batch-100
        let batch100 = trainSGD(lr: 0.4, batchSize: 100, stream: "minibatch-100", data: data, ctx: ctx)
        nb.output(batch100.summary)
        // end cell
        afterRun(nb, ctx, data: data, index: 2, run: batch100, results: &results)

        nb.paragraph("Batch size 10 with learning rate 0.05: 150 updates per epoch.")
        nb.code(cell: "run-batch-10")
        // cell: run-batch-10
        let batch10 = trainSGD(lr: 0.05, batchSize: 10, stream: "minibatch-10", data: data, ctx: ctx)
        nb.output(batch10.summary)
        // end cell
        afterRun(nb, ctx, data: data, index: 3, run: batch10, results: &results)

        nb.paragraph("""
            Finally we put the four runs on one clock: loss against cumulative training time, on a \
            logarithmic time axis. Two measures of speed can disagree here. Counted in examples \
            processed, which is deterministic, the runs reach a loss of 0.25 after the numbers of \
            examples in the table below; counted in seconds, which depends on the machine, the order \
            can change, because a small batch pays the fixed cost of an update more often.
            """)
        let axes = BookFigures.plotAxes(x: results.map(\.cumulativeSeconds), results.map(\.losses),
                                        xLabel: "time (sec)", yLabel: "loss", legend: runs.map(\.label),
                                        yLimits: 0.22...0.35, xScale: .log, volatileX: true)
        nb.figure(Figure(width: 600, height: 300, axes), name: "loss-vs-time",
                  caption: "Loss against training time (log scale) for gradient descent, SGD and minibatches of 100 and 10.")
        let threshold = 0.25
        nb.table(header: ["run", "examples to reach loss ≤ 0.25", "training time to reach it"],
                 rows: zip(runs, results).map { spec, run in
                     guard let i = run.losses.firstIndex(where: { $0 <= threshold }) else {
                         return [NotebookText(spec.label), "not reached", "–"]
                     }
                     let examples = Int((run.epochs[i] * 1500).rounded())
                     return [NotebookText(spec.label), "\(examples)", "\(volatile: readableDuration(run.cumulativeSeconds[i]))"]
                 })
        nb.paragraph("""
            (Losses are recorded every 200 examples, every 3000 for gradient descent, so the counts \
            are those of the first recording at or below 0.25.) The book draws this plot on \
            10⁻² … 10 seconds; our time axis follows the data instead. The timings are machine \
            dependent and masked in the golden files.
            """)
        nb.paragraph("""
            The book's closing line prints its timer with three decimals of a second, which reads \
            0.000 for runs this fast, so our line prints the same measurement in a unit that shows \
            it. The book's number is also not quite what its label says: its timer is stopped and \
            restarted at every loss recording, and it prints the mean of those intervals, which last \
            200 examples (3000, two epochs, for gradient descent) rather than an epoch. Converted to \
            seconds per epoch the book's four runs took 0.070/2 = \(CFormat.format("%.3f", 0.070 / 2)), \
            0.379 · 7.5 = \(CFormat.format("%.2f", 0.379 * 7.5)), 0.008 · 7.5 = \(CFormat.format("%.2f", 0.008 * 7.5)) \
            and 0.042 · 7.5 = \(CFormat.format("%.3f", 0.042 * 7.5)). Ours, per epoch and per update:
            """)
        let bookPerEpoch = [0.070 / 2, 0.379 * 7.5, 0.008 * 7.5, 0.042 * 7.5]
        nb.table(header: ["run", "updates per epoch", "time per epoch", "time per update", "book's time per epoch / ours"],
                 rows: zip(zip(runs, results), bookPerEpoch).map { pair, book in
            let (spec, run) = pair
            let updatesPerEpoch = (1500 + spec.batchSize - 1) / spec.batchSize
            return [NotebookText(spec.label), "\(updatesPerEpoch)", "\(volatile: readableDuration(run.secondsPerEpoch))",
                    "\(volatile: readableDuration(run.secondsPerEpoch / Double(updatesPerEpoch)))",
                    "\(volatile: book / max(run.secondsPerEpoch, 1e-12), format: "%.0f")"]
        })
        nb.paragraph("""
            At this scale a single interruption matters: if the operating system suspends the \
            process for a few milliseconds during one run (likely on a busy machine), that run's \
            time jumps by orders of magnitude, visible as one segment stretched far along the time \
            axis of the plot above and as an outlier in the tables.
            """)
        return results
    }

    /// What follows each of the four runs: its loss figure and what it shows. The cells name
    /// their settings literally; `runs` (used for legends and tables) must agree with them.
    static func afterRun(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData, index k: Int, run: TrainingRun,
                         results: inout [TrainingRun]) {
        let spec = runs[k]
        let updatesPerEpoch = (data.count + spec.batchSize - 1) / spec.batchSize
        if run.updates != spec.epochs * updatesPerEpoch || run.examplesProcessed != spec.epochs * data.count {
            misuse("run '\(spec.label)' shown in its cell differs from MinibatchSGDChapter.runs")
        }
        results.append(run)
        nb.figure(lossFigure(run, epochs: spec.epochs), name: "loss-\(spec.stream)",
                  caption: "Loss over all examples during training with batch size \(spec.batchSize) and learning rate \(shortNumber(spec.learningRate)).")
        switch k {
        case 0:
            gradientDescentStalls(nb, ctx, data: data, run: run)
        case 1:
            let gdAfterOne = firstUpdateOfGradientDescent(ctx, data: data, stream: spec.stream)
            // The last recording within the first epoch (losses are recorded every 200 examples).
            let k = run.epochs.lastIndex { $0 <= 1 } ?? 0
            let sgdAfterOne = run.losses[k]
            let seen = Int((run.epochs[k] * 1500).rounded())
            nb.paragraph("""
                After \(seen) examples SGD's loss is \(CFormat.format("%.3f", sgdAfterOne)); gradient \
                descent, after its first update (1500 examples, from the same initial weights), is \
                at \(CFormat.format("%.3f", gdAfterOne)). Per example processed, the many small noisy \
                steps \(sgdAfterOne < gdAfterOne ? "make more progress than" : "make no more progress than") \
                one exact one; after the first epoch SGD improves only slowly, since with a constant \
                rate its noise keeps it from settling. Per update it pays the fixed cost of a step \
                1500 times an epoch, with nothing to vectorize; the table at the end of this \
                subsection shows what that costs in time.
                """)
        case 2:
            nb.paragraph("""
                Fifteen updates per epoch, each large enough to amortise its overhead. The book's \
                text says this run needs more time per epoch than both SGD and gradient descent, \
                but its own printed times say the opposite (0.008 against 0.379 and 0.070): the \
                sentence is wrong, the numbers are plausible.
                """)
        default:
            let hundred = results[2].reportedLoss, ten = run.reportedLoss
            nb.paragraph("""
                Batches of 10 need ten times as many updates as batches of 100 for the same epoch, so \
                they pay the per-update cost ten times as often, while the loss after two epochs is \
                \(abs(ten - hundred) <= 0.005 ? "about the same" : (ten < hundred ? "lower" : "higher")) \
                (\(CFormat.format("%.3f", ten)) against \(CFormat.format("%.3f", hundred)) with batches of 100).
                """)
        }
    }

    /// Why full-batch descent with η = 1 drifts: the largest curvature of the loss, and the
    /// same ten updates with η = 0.9.
    static func gradientDescentStalls(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData, run: TrainingRun) {
        let curvature = largestCurvature(data)
        let best = run.losses.min() ?? run.reportedLoss
        nb.paragraph("""
            Gradient descent makes its progress in the first few updates, then stalls and \
            even drifts back up (from \(CFormat.format("%.4f", best)) at its best recording to \
            \(CFormat.format("%.4f", run.reportedLoss)) at the end). The learning rate explains why. \
            The loss is a quadratic whose Hessian is AᵀA/N (A holds the features plus a column of \
            ones for the bias), and a power iteration finds its largest eigenvalue:
            """)
        nb.output("largest eigenvalue of the loss Hessian: \(curvature, format: "%.4f")")
        let safe = 0.9
        var rng = ctx.generator(stream: "gd")
        let slower = trainLinearRegression(optimizer: SGD(learningRate: safe), data: data, batchSize: 1500,
                                           epochs: 10, generator: &rng)
        nb.paragraph("""
            With η = 1 that direction has ηλ ≈ \(CFormat.format("%.2f", curvature)), just above the \
            limit 2 for gradient descent (Section 11.3; Section 11.6.3 derives it), so the error \
            along it is multiplied by \(CFormat.format("%.2f", curvature - 1)) in magnitude at every \
            update while the other directions keep shrinking. Over ten updates the growth is slow, \
            which is why the run looks merely stalled. Any η below 2/λ = \
            \(CFormat.format("%.3f", 2 / curvature)) avoids it; the same ten updates from the same \
            initial weights with η = \(shortNumber(safe)) (ηλ = \(CFormat.format("%.2f", safe * curvature))):
            """)
        nb.output("lr \(shortNumber(safe)): loss after 10 updates \(slower.reportedLoss, format: "%.4f") (lr 1: \(run.reportedLoss, format: "%.4f"))")
    }

    /// The loss after one full-batch update with η = 1 from the initial weights of `stream`
    /// (the initial weights are the stream's first draws; full-batch order does not matter).
    static func firstUpdateOfGradientDescent(_ ctx: ChapterContext, data: AirfoilData, stream: String) -> Double {
        var rng = ctx.generator(stream: stream)
        return trainLinearRegression(optimizer: SGD(learningRate: 1), data: data, batchSize: 1500, epochs: 1,
                                     generator: &rng).finalLoss
    }

    // MARK: - 11.5.5 Concise

    static func concise(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData, results: [TrainingRun]) {
        nb.heading("11.5.5 Concise implementation")
        nb.paragraph("""
            The book's concise path hands the optimizer to a framework by name and a dictionary of \
            hyperparameters. `OptimizerChoice.named` is the same idea: it parses the name and keys, \
            rejects anything it does not know, and returns the very same `SGD` value the \
            from-scratch code built by hand, which the same training loop then runs. Repeating the \
            batch-10 experiment this way (with its own random stream, so a different initialization \
            and different shuffles):
            """)
        nb.code(cell: "concise-sgd")
        do {
            // cell: concise-sgd
            let choice = try OptimizerChoice.named("sgd", ["learning_rate": 0.05])
            var rng = ctx.generator(stream: "concise")
            let run = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
            nb.output(run.summary)
            // end cell
            nb.figure(lossFigure(run, epochs: 2), name: "loss-concise",
                      caption: "The concise batch-10 run: same optimizer and loop, optimizer chosen by name.")
            let scratch = results[3].reportedLoss
            nb.paragraph("""
                The curve behaves like the from-scratch batch-10 run; the final losses \
                (\(CFormat.format("%.4f", run.reportedLoss)) here, \(CFormat.format("%.4f", scratch)) there) \
                differ by \(CFormat.format("%.4f", abs(run.reportedLoss - scratch))), through the different \
                random initialization and order of examples alone (exercise 1 shows the spread over \
                seeds of this setting).
                """)
        } catch {
            nb.output("error: \(String(describing: error))")
        }
    }

    static func summary(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - Vectorized code is faster because it amortises per-operation overhead and reuses data \
            already in cache; computing 64 columns at a time keeps a large share of the speed of the \
            whole product (the block/full ratio above).
            - Averaging the gradient over a batch of b examples leaves its expectation unchanged and \
            divides its variance by about b.
            - Small batches make fast statistical progress per example, large batches make efficient \
            use of the hardware; minibatch SGD balances the two. Which batch size wins in seconds \
            depends on what an update costs on the machine at hand; measure it.
            - A cliff in the loss makes one gradient enormous; clipping its norm bounds the step.
            - Each epoch visits every example once, in a fresh random order.
            - In practice the learning rate is decayed over training (Section 11.11).
            """)
    }

    // MARK: - Helpers

    /// The book's training plot: loss against epoch, x on [0, epochs], y on 0.22…0.35.
    static func lossFigure(_ run: TrainingRun, epochs: Int) -> Figure {
        BookFigures.lossCurves([run], epochs: Double(epochs))
    }

    /// Largest eigenvalue of the Hessian AᵀA/N of the mean loss (A = features with a column of
    /// ones), by power iteration from the all-ones vector.
    static func largestCurvature(_ data: AirfoilData) -> Double {
        let d = data.featureCount + 1
        var h = [Double](repeating: 0, count: d * d)
        var row = [Double](repeating: 1, count: d)
        for i in 0..<data.count {
            for j in 0..<data.featureCount { row[j] = data.feature(i, j) }
            for a in 0..<d { for b in 0..<d { h[a * d + b] += row[a] * row[b] } }
        }
        for k in h.indices { h[k] /= Double(data.count) }
        var v = [Double](repeating: 1, count: d)
        var lambda = 0.0
        for _ in 0..<1000 {
            var w = [Double](repeating: 0, count: d)
            for a in 0..<d { for b in 0..<d { w[a] += h[a * d + b] * v[b] } }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            lambda = zip(v, w).reduce(0) { $0 + $1.0 * $1.1 } / v.reduce(0) { $0 + $1 * $1 }
            v = w.map { $0 / norm }
        }
        return lambda
    }

    /// 1, 0.4, 0.005 as a person writes them.
    static func shortNumber(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(x)
    }
}
