// Performance figures for OptimBook, printed one per line as `name: value unit`.
//
//     swift run -c release Benchmarks            # every figure
//     swift run -c release Benchmarks gemm       # only the figures whose group name is given
//
// Groups: gemm (size sweep, with numpy beside it when python3 has numpy), experiment (section
// 11.5's four matrix-multiply strategies), lenet, airfoil, book (every chapter's default run,
// from the chapter executables of the same build). A new figure becomes one more entry in
// `groups`.
import Dispatch
import Foundation
import OptimKit

/// Writes one line straight to standard output (unbuffered, so it stays in order with the
/// output of child processes such as the numpy measurement).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints one figure in the `name: value unit` format: two decimals from 1 up, three
/// significant digits below (an airfoil epoch takes microseconds).
func report(_ name: String, _ value: Double, _ unit: String) {
    let text = abs(value) >= 1 ? String(format: "%.2f", value) : String(format: "%.3g", value)
    say("\(name): \(text) \(unit)")
}

/// Seconds taken by `body`.
func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Median time of `repetitions` runs of `body` after `warmups` untimed runs.
func medianSeconds(repetitions: Int, warmups: Int = 1, _ body: () -> Void) -> Double {
    for _ in 0..<warmups { body() }
    let times = (0..<repetitions).map { _ in seconds(body) }.sorted()
    return times[times.count / 2]
}

/// Median wall and median CPU seconds (all threads of this process) of `repetitions` runs
/// after `warmups` untimed ones. On a shared machine the CPU time shows how much of the wall
/// time was our own work rather than waiting for a core.
func medianWallAndCPU(repetitions: Int, warmups: Int = 1, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    for _ in 0..<warmups { body() }
    var walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<repetitions {
        let cpuStart = clock()
        walls.append(seconds(body))
        cpus.append(Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC))
    }
    walls.sort()
    cpus.sort()
    return (walls[walls.count / 2], cpus[cpus.count / 2])
}

/// Enough repetitions for about a quarter of a second of work at ~50 GFLOPS, between 5 and 41.
func repetitions(forFlops flops: Double) -> Int {
    let r = Int(0.25 / (flops / 50e9))
    return max(5, min(41, r | 1))
}

let gemmSizes = [128, 256, 512, 1024, 2048]

/// Seconds for one square product of size `n` in OptimKit (median, after a warm-up).
func gemmSeconds<T: GEMMScalar>(_ type: T.Type, n: Int, generator: inout SeededGenerator) -> Double {
    let a = Matrix<T>.randomNormal(rows: n, columns: n, generator: &generator)
    let b = Matrix<T>.randomNormal(rows: n, columns: n, generator: &generator)
    var c = Matrix<T>.zeros(rows: n, columns: n)
    let flops = 2 * Double(n) * Double(n) * Double(n)
    return medianSeconds(repetitions: repetitions(forFlops: flops)) {
        matmul(a, b, into: &c)
    }
}

/// A python3 child process that times numpy's matmul (OpenBLAS) on request, so numpy and
/// OptimKit can be measured alternately under the same machine load. `nil` if python3 or
/// numpy is missing; `failure` then says why.
final class NumpyWorker {
    static let script = """
    import sys, time
    import numpy as np
    rng = np.random.default_rng(11)
    print("ready", flush=True)
    for line in sys.stdin:
        label, n = line.split()
        n = int(n)
        dtype = np.float64 if label == "f64" else np.float32
        a = rng.standard_normal((n, n)).astype(dtype)
        b = rng.standard_normal((n, n)).astype(dtype)
        c = np.empty((n, n), dtype)
        flops = 2.0 * n ** 3
        reps = max(5, min(41, int(0.25 / (flops / 50e9)) | 1))
        np.matmul(a, b, out=c)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            np.matmul(a, b, out=c)
            times.append(time.perf_counter() - t)
        times.sort()
        print(times[len(times) // 2], flush=True)
    """

    let process = Process()
    let requests = Pipe(), replies = Pipe(), errors = Pipe()
    var pending = Data()
    private(set) var failure = ""

    init?(failure reason: inout String) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        process.standardInput = requests
        process.standardOutput = replies
        process.standardError = errors
        do {
            try process.run()
        } catch {
            reason = "could not start python3: \(error)"
            return nil
        }
        guard readLine() == "ready" else {
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            reason = message.split(separator: "\n").last.map(String.init) ?? "python3 exited"
            return nil
        }
    }

    /// The next line python printed, or nil at end of output.
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            let chunk = replies.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }

    /// Median seconds numpy takes for one `n × n` product in the given precision ("f64"/"f32").
    func seconds(_ label: String, n: Int) -> Double? {
        requests.fileHandleForWriting.write(Data("\(label) \(n)\n".utf8))
        return readLine().flatMap(Double.init)
    }

    func stop() {
        try? requests.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Square GEMM throughput (2·n³ flops per product) for both precisions and every size, each
/// OptimKit figure followed by numpy's for the same size when numpy is available.
func gemm() {
    var reason = ""
    let numpy = NumpyWorker(failure: &reason)
    if numpy == nil { say("numpy: absent (\(reason))") }
    var rng = SeededGenerator(seed: 11)
    var at1024: [String: (ours: Double, numpy: Double)] = [:]
    for label in ["f64", "f32"] {
        for n in gemmSizes {
            let flops = 2 * Double(n) * Double(n) * Double(n)
            let ours = label == "f64" ? gemmSeconds(Double.self, n: n, generator: &rng)
                                      : gemmSeconds(Float.self, n: n, generator: &rng)
            report("gemm_\(label)_\(n)", flops / ours / 1e9, "GFLOPS")
            if let theirs = numpy?.seconds(label, n: n) {
                report("numpy_gemm_\(label)_\(n)", flops / theirs / 1e9, "GFLOPS")
                if n == 1024 { at1024[label] = (ours, theirs) }
            }
        }
    }
    for label in ["f64", "f32"] {
        if let pair = at1024[label] { report("gemm_vs_numpy_\(label)_1024", pair.numpy / pair.ours, "x") }
    }
    numpy?.stop()
}

/// Section 11.5's four ways of computing a 1024 × 1024 product (one run each).
func matrixMultiplyExperiment() {
    var rng = SeededGenerator(seed: 5)
    let result = MatrixMultiplyExperiment.run(n: 1024, generator: &rng)
    report("mm_experiment_element_1024", result.element.gigaflops, "GFLOPS")
    report("mm_experiment_column_1024", result.column.gigaflops, "GFLOPS")
    report("mm_experiment_full_1024", result.full.gigaflops, "GFLOPS")
    report("mm_experiment_block64_1024", result.block.gigaflops, "GFLOPS")
}

/// LeNet throughput on the shipped digits (8,000 training images, batch 256, SGD with
/// learning rate 0.1, which learns; section 11.11's constant 0.5 does not): training images
/// per second over one epoch, and inference images per second over one pass of `evaluate`
/// on the same 8,000 images. Median of five epochs (passes) after one warm-up.
func lenet() {
    let digits: ImageDataset
    do {
        digits = try MNISTDigits.loadShipped()
    } catch {
        say("lenet: skipped (\(error))")
        return
    }
    var rng = SeededGenerator(seed: 1)
    let (train, _) = digits.split(trainCount: 8000, generator: &rng)
    let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
    let images = Double(train.count)
    var lastLoss = 0.0
    let trainSeconds = medianWallAndCPU(repetitions: 5) {
        lastLoss = trainer.trainEpoch(on: train, learningRate: 0.1, generator: &rng).meanLoss
    }
    report("lenet_train", images / trainSeconds.wall, "images/s")
    report("lenet_train_cpu_time", trainSeconds.cpu, "s/epoch")
    var accuracy = 0.0
    let inferSeconds = medianWallAndCPU(repetitions: 5) { accuracy = trainer.evaluate(train) }
    report("lenet_infer", images / inferSeconds.wall, "images/s")
    report("lenet_infer_cpu_time", inferSeconds.cpu, "s/pass")
    // Not speeds, but they show the epochs timed were real training, and the checksum of the
    // trained weights (FNV-1a over their bit patterns) shows whether a kernel change altered
    // any rounding.
    var hash: UInt64 = 0xcbf29ce484222325
    for value in trainer.network.flatParameters {
        hash = (hash ^ UInt64(value.bitPattern)) &* 0x100000001b3
    }
    say("lenet_after_6_epochs: loss \(String(format: "%.6f", lastLoss)), train accuracy \(String(format: "%.4f", accuracy)), weights checksum \(String(hash, radix: 16))")
}

/// Where a LeNet training step spends its time: every layer's forward and backward pass on
/// one minibatch of 256 shipped digits, timed alone (median of 21 after 3 warm-ups), plus
/// the whole step through `LeNetTrainer` for comparison. Each layer gets the very input and
/// output gradient it sees in training (snapshotted from one real step).
/// `OPTIMBOOK_BENCH_REPETITIONS=1` times each once after one warm-up (for callgrind, which
/// counts instructions instead: `valgrind --tool=callgrind Benchmarks lenet-layers`).
func lenetLayers() {
    let repetitions = Int(ProcessInfo.processInfo.environment["OPTIMBOOK_BENCH_REPETITIONS"] ?? "") ?? 21
    let warmups = repetitions > 1 ? 3 : 1
    let digits: ImageDataset
    do {
        digits = try MNISTDigits.loadShipped()
    } catch {
        say("lenet_layers: skipped (\(error))")
        return
    }
    var rng = SeededGenerator(seed: 1)
    let batch = 256
    let (train, _) = digits.split(trainCount: batch, generator: &rng)
    let network = LeNet.make(generator: &rng)
    let images = Array(train.images[0..<(batch * 784)])
    network.forward(images, batch: batch)
    var lossFunction = SoftmaxCrossEntropy<Float>(classes: 10)
    _ = lossFunction.evaluate(logits: network.output, labels: train.labels, batch: batch)
    network.zeroGradients()
    network.backward(lossFunction.gradient)
    let layers = network.layers
    let inputs = layers.indices.map { $0 == 0 ? images : layers[$0 - 1].output }
    let gradients = layers.indices.map { $0 == layers.count - 1 ? lossFunction.gradient : layers[$0 + 1].inputGradient }
    var wall = 0.0, cpu = 0.0
    for (index, layer) in layers.enumerated() {
        let forward = medianWallAndCPU(repetitions: repetitions, warmups: warmups) {
            layer.forward(inputs[index], batch: batch)
        }
        let backward = medianWallAndCPU(repetitions: repetitions, warmups: warmups) {
            layer.backward(inputs[index], outputGradient: gradients[index], batch: batch)
        }
        wall += forward.wall + backward.wall
        cpu += forward.cpu + backward.cpu
        let name = "layer_\(index)_\(layer.name.filter { !$0.isWhitespace })"
        say(String(format: "%@_forward: %.3f ms (CPU %.3f ms)", name, forward.wall * 1e3, forward.cpu * 1e3))
        say(String(format: "%@_backward: %.3f ms (CPU %.3f ms)", name, backward.wall * 1e3, backward.cpu * 1e3))
    }
    say(String(format: "layers_sum: %.3f ms (CPU %.3f ms)", wall * 1e3, cpu * 1e3))
    let trainer = LeNetTrainer(network: network, batchSize: batch)
    let step = medianWallAndCPU(repetitions: repetitions, warmups: warmups) {
        trainer.trainEpoch(on: train, learningRate: 0.1, generator: &rng)
    }
    say(String(format: "lenet_step: %.3f ms (CPU %.3f ms)", step.wall * 1e3, step.cpu * 1e3))
}

/// Seconds per epoch of the chapter's airfoil loop (`trainLinearRegression`, 1,500 rows,
/// SGD with the book's learning rates: 0.005 at batch 1, 0.05 at batch 10). Each timing is
/// a whole one-epoch call, so it includes the initialisation and the loss recordings every
/// 200 examples that the loop's own timer leaves out. Median of 51 after five warm-ups.
func airfoil() {
    let data: AirfoilData
    do {
        data = try AirfoilData.load()
    } catch {
        say("airfoil: skipped (\(error))")
        return
    }
    for (batchSize, learningRate) in [(1, 0.005), (10, 0.05)] {
        var rng = SeededGenerator(seed: 42)
        var loss = 0.0
        let epoch = medianSeconds(repetitions: 51, warmups: 5) {
            loss = trainLinearRegression(optimizer: SGD(learningRate: learningRate), data: data,
                                         batchSize: batchSize, epochs: 1, generator: &rng).finalLoss
        }
        precondition(loss.isFinite, "airfoil run diverged")
        report("airfoil_epoch_batch\(batchSize)", epoch, "s")
    }
}

/// A time stamp written by a process's termination handler and read after it has signalled.
final class EndTime: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 0
    func set(_ value: UInt64) { lock.lock(); nanoseconds = value; lock.unlock() }
    func get() -> UInt64 { lock.lock(); defer { lock.unlock() }; return nanoseconds }
}

/// The chapter executables in book order (the names Package.swift knows).
let chapterTargets = [
    "Ch11_1_OptimizationAndDeepLearning", "Ch11_2_Convexity", "Ch11_3_GradientDescent", "Ch11_4_SGD",
    "Ch11_5_MinibatchSGD", "Ch11_6_Momentum", "Ch11_7_Adagrad", "Ch11_8_RMSProp", "Ch11_9_Adadelta",
    "Ch11_10_Adam", "Ch11_11_LRScheduling",
]

/// Wall time of every chapter's default run, one after the other: the chapter executables
/// are looked up next to this binary (the same build directory, so the same configuration),
/// each is run with `--output <temporary directory>/<target>` and `NO_COLOR=1`, its standard
/// output discarded. One run each (the sum is what a reader waits for to regenerate `Output/`),
/// timed from the start of the child until it has been reaped.
func bookRegenerate() {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let directory = (Bundle.main.executableURL ?? binary).deletingLastPathComponent()
    let found = chapterTargets.filter {
        FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path)
    }
    let missing = chapterTargets.filter { !found.contains($0) }
    say("book_chapters_found: \(found.count) of \(chapterTargets.count) in \(directory.path)")
    if !missing.isEmpty { say("book_chapters_missing: \(missing.joined(separator: ", "))") }
    if found.isEmpty { return }
    let output = FileManager.default.temporaryDirectory
        .appendingPathComponent("optimbook-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: output) }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    var total = 0.0
    for target in found {
        let process = Process()
        process.executableURL = directory.appendingPathComponent(target)
        process.arguments = ["--output", output.appendingPathComponent(target).path]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        // `waitUntilExit` polls its run loop every 50 ms or so, which would round every
        // chapter's time up to that grain; the termination handler fires as soon as the
        // child is reaped, so the end time is taken there.
        let finished = DispatchSemaphore(value: 0)
        let end = EndTime()
        process.terminationHandler = { _ in
            end.set(DispatchTime.now().uptimeNanoseconds)
            finished.signal()
        }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try process.run()
        } catch {
            say("book_\(target): could not start (\(error))")
            continue
        }
        finished.wait()
        let time = Double(end.get() - start) / 1e9
        if process.terminationStatus != 0 { say("book_\(target): exit status \(process.terminationStatus)") }
        report("book_\(target)", time, "s")
        total += time
    }
    report("book_regenerate", total, "s")
}

let groups: [(name: String, run: () -> Void)] = [
    ("gemm", gemm),
    ("experiment", matrixMultiplyExperiment),
    ("lenet", lenet),
    ("lenet-layers", lenetLayers),
    ("airfoil", airfoil),
    ("book", bookRegenerate),
]

let requested = Set(CommandLine.arguments.dropFirst())
say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
for group in groups where requested.isEmpty || requested.contains(group.name) {
    group.run()
}
