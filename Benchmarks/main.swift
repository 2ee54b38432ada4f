import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
// Performance figures for OptimBook, printed one per line as `name: value unit`.
//
//     swift run -c release Benchmarks            # every figure
//     swift run -c release Benchmarks gemm       # only the figures whose group name is given
//
// Groups: gemm (size sweep, numpy measured alternately in the same run), experiment (section
// 11.5's four matrix-multiply strategies), lenet (PyTorch measured alternately when the peer
// environment of scripts/peer/setup.sh exists), lenet-layers (where a training step's time
// goes), airfoil, book (every chapter's default run, from the chapter executables of the same
// build). A new figure becomes one more entry in `groups`.
import Dispatch
import Foundation

/// Writes one line straight to standard output (unbuffered, so it stays in order with the
/// output of child processes such as the numpy measurement).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints one figure in the `name: value unit` format: two decimals from 1 up, three
/// significant digits below (an airfoil epoch takes microseconds).
/// Prints `Benchmarks: message` on standard error and exits with status 2.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("Benchmarks: \(message)\n".utf8))
    exit(2)
}

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

/// The sizes of the `gemm` group; `OPTIMBOOK_GEMM_SIZES=256,512` and `OPTIMBOOK_GEMM_TYPES=f32`
/// narrow the sweep while working on a kernel.
let gemmSizes = ProcessInfo.processInfo.environment["OPTIMBOOK_GEMM_SIZES"]
    .map { $0.split(separator: ",").compactMap { Int($0) } } ?? [128, 256, 512, 1024, 2048]
let gemmTypes = ProcessInfo.processInfo.environment["OPTIMBOOK_GEMM_TYPES"]
    .map { $0.split(separator: ",").map(String.init) } ?? ["f64", "f32"]

/// Where the peers live: `scripts/peer/` of the package this file belongs to.
let peerDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts/peer")

/// The Python of the peer environment made by `scripts/peer/setup.sh` (or the one named by
/// `OPTIMBOOK_PEER_PYTHON`), nil when there is none.
func peerPython() -> String? {
    if let chosen = ProcessInfo.processInfo.environment["OPTIMBOOK_PEER_PYTHON"], !chosen.isEmpty { return chosen }
    let venv = peerDirectory.appendingPathComponent(".venv/bin/python").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
}

/// A Python child process (numpy or PyTorch) that does timed work on request, one line per
/// request and one line per answer, so OptimKit and the peer can be measured alternately
/// under the same machine load. Its first line is `ready <description>`.
final class PeerProcess {
    let process = Process()
    let requests = Pipe(), replies = Pipe(), errors = Pipe()
    var pending = Data()
    /// What the peer said about itself on its `ready` line (versions, BLAS kernel, threads).
    private(set) var description = ""

    /// Starts `python script arguments...` with `unset` removed from the environment;
    /// nil (with `reason` set) if it does not start or does not say it is ready.
    init?(python: String, script: String, arguments: [String] = [], unset: [String] = [],
          set: [(String, String)] = [], failure reason: inout String) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, peerDirectory.appendingPathComponent(script).path] + arguments
        var environment = ProcessInfo.processInfo.environment
        for name in unset { environment[name] = nil }
        for (name, value) in set { environment[name] = value }
        process.environment = environment
        process.standardInput = requests
        process.standardOutput = replies
        process.standardError = errors
        do {
            try process.run()
        } catch {
            reason = "could not start \(python): \(error)"
            return nil
        }
        guard let line = readLine(), line.hasPrefix("ready") else {
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            reason = message.split(separator: "\n").last.map(String.init) ?? "\(script) exited"
            return nil
        }
        description = String(line.dropFirst("ready".count)).trimmingCharacters(in: .whitespaces)
    }

    /// The next line the peer printed, or nil at end of output.
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

    /// Sends one request and returns the numbers of the answer line (nil if it failed).
    func ask(_ request: String) -> [Double]? {
        requests.fileHandleForWriting.write(Data((request + "\n").utf8))
        guard let line = readLine() else { return nil }
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        return numbers.isEmpty ? nil : numbers
    }

    func stop() {
        try? requests.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Rounds of alternation between OptimKit and its peer for every measurement.
let peerRounds = 5

/// Seconds of idleness before each side's turn in an alternating comparison
/// (`OPTIMBOOK_BENCH_SETTLE`, default 0.3; 0 turns it off).
///
/// Why: a peer's threads keep spinning after its turn has ended. OpenBLAS's workers
/// busy-wait for about 2^28 cycles (a tenth of a second here) before they sleep, and
/// PyTorch's OpenMP threads spin too unless told to be passive. Whoever runs next then
/// shares a core with a spinning thread: measured on the quiet machine (4-5 Dec 2026),
/// OptimKit's 1024 f64 product ran at 57 GFLOPS right after numpy's turn and at 82 with
/// numpy not running at all, f32 512 at 107 against 202. OptimKit's own worker sleeps as
/// soon as a loop ends, so the pause costs the peer nothing; it gives both sides the idle
/// machine each would see when run alone.
let settlePause: Double = {
    guard let text = ProcessInfo.processInfo.environment["OPTIMBOOK_BENCH_SETTLE"], !text.isEmpty else { return 0.3 }
    guard let value = Double(text), value >= 0, value <= 10 else {
        fail("OPTIMBOOK_BENCH_SETTLE must be a number of seconds from 0 to 10, not '\(text)'")
    }
    return value
}()

/// Waits `settlePause` seconds so that no thread of the previous turn is still spinning.
func settle() {
    if settlePause > 0 { Thread.sleep(forTimeInterval: settlePause) }
}

/// Seconds of untimed work at the start of each side's turn in the `gemm` comparison
/// (`OPTIMBOOK_BENCH_WARM`, default 0.1; 0 turns it off).
///
/// Why: after the settle pause both virtual CPUs of this machine have been idle, and for a
/// while afterwards a two-thread product runs at about one core's speed (measured for both
/// OptimKit and numpy at 256). Each side therefore first runs its own product, untimed, for
/// this long, and is timed warm, as it would be inside a longer computation.
let warmPeriod: Double = {
    guard let text = ProcessInfo.processInfo.environment["OPTIMBOOK_BENCH_WARM"], !text.isEmpty else { return 0.1 }
    guard let value = Double(text), value >= 0, value <= 10 else {
        fail("OPTIMBOOK_BENCH_WARM must be a number of seconds from 0 to 10, not '\(text)'")
    }
    return value
}()

/// Runs `body` repeatedly, untimed, for `warmPeriod` seconds (at least once when positive).
func warm(_ body: () -> Void) {
    if warmPeriod <= 0 { return }
    let until = Date().addingTimeInterval(warmPeriod)
    repeat { body() } while Date() < until
}

/// Square GEMM throughput (2·n³ flops per product) for both precisions and every size,
/// OptimKit and numpy measured alternately: five rounds, each timing at least three of our
/// products and then as many of numpy's; the figures are the medians over all rounds.
///
/// numpy runs in the peer environment (`scripts/peer/setup.sh`), or the `python3` on the path
/// when there is none, with `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` removed from its
/// environment (set on some machines, they pin OpenBLAS to a slower kernel); its first line
/// says which BLAS kernel and how many threads it uses (threadpoolctl). It runs twice: as
/// installed (one OpenBLAS thread per core) and with `OPENBLAS_NUM_THREADS=1`, because
/// OpenBLAS's threads spin while they wait and, on a machine shared with other jobs, can make
/// the threaded run far slower than one thread. The faster of the two at each size is the
/// reference: `gemm_vs_numpy_<type>_<n>` is our throughput over its (above 1: OptimKit is faster).
func gemm() {
    var numpys: [(label: String, process: PeerProcess)] = []
    for (label, threads) in [("numpy", nil), ("numpy_1thread", "1")] as [(String, String?)] {
        var reason = ""
        if let peer = PeerProcess(python: peerPython() ?? "python3", script: "numpy_gemm.py",
                                  unset: ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"],
                                  set: threads.map { [("OPENBLAS_NUM_THREADS", $0)] } ?? [], failure: &reason) {
            say("\(label)_blas: \(peer.description)")
            numpys.append((label, peer))
        } else {
            say("numpy: absent (\(reason))")
            break
        }
    }
    var rng = SeededGenerator(seed: 11)
    var ratios: [(String, Double)] = []
    for label in gemmTypes {
        for n in gemmSizes {
            let flops = 2 * Double(n) * Double(n) * Double(n)
            // At least three products per side and round: at 1024 and 2048 one product per
            // round left each median resting on five products, so three slow ones decided it.
            let perRound = max(3, repetitions(forFlops: flops) / peerRounds)
            let product: () -> Double
            if label == "f64" {
                let a = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
                let b = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
                var c = Matrix<Double>.zeros(rows: n, columns: n)
                product = { seconds { matmul(a, b, into: &c) } }
            } else {
                let a = Matrix<Float>.randomNormal(rows: n, columns: n, generator: &rng)
                let b = Matrix<Float>.randomNormal(rows: n, columns: n, generator: &rng)
                var c = Matrix<Float>.zeros(rows: n, columns: n)
                product = { seconds { matmul(a, b, into: &c) } }
            }
            _ = product()   // warm-up (sizes the scratch)
            var ours: [Double] = []
            var theirs = [[Double]](repeating: [], count: numpys.count)
            for _ in 0..<peerRounds {
                settle()
                warm { _ = product() }
                for _ in 0..<perRound { ours.append(product()) }
                for (index, peer) in numpys.enumerated() {
                    settle()
                    if let times = peer.process.ask("\(label) \(n) \(perRound) \(warmPeriod)") { theirs[index] += times }
                }
            }
            report("gemm_\(label)_\(n)", flops / median(ours) / 1e9, "GFLOPS")
            var best = Double.infinity
            for (index, peer) in numpys.enumerated() where !theirs[index].isEmpty {
                report("\(peer.label)_gemm_\(label)_\(n)", flops / median(theirs[index]) / 1e9, "GFLOPS")
                best = min(best, median(theirs[index]))
            }
            if best.isFinite { ratios.append(("gemm_vs_numpy_\(label)_\(n)", best / median(ours))) }
        }
    }
    for (name, ratio) in ratios { report(name, ratio, "x") }
    for peer in numpys { peer.process.stop() }
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
///
/// With the peer environment (`scripts/peer/setup.sh`), PyTorch does the same in child
/// processes (`scripts/peer/torch_lenet.py`: the same model, initialisation, images, batch,
/// learning rate and two threads), alternating with OptimKit epoch by epoch. PyTorch runs
/// twice: as installed, and with `OMP_WAIT_POLICY=PASSIVE`. As installed, its OpenMP threads
/// spin while they wait, which on a machine shared with other jobs can make it many times
/// slower; the passive setting lets them sleep. The faster of the two is the reference:
/// `lenet_train_vs_torch` / `lenet_infer_vs_torch` are OptimKit's images/s over its.
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
    let peers = startTorch(train)
    var lastLoss = 0.0
    var trainWalls: [Double] = [], trainCPUs: [Double] = []
    var torchTrain = [[Double]](repeating: [], count: peers.count)
    var torchTrainCPU = [[Double]](repeating: [], count: peers.count)
    var torchLoss = [Double](repeating: .nan, count: peers.count)
    for round in 0...peerRounds {   // round 0 is the warm-up of all
        settle()
        let cpuStart = clock()
        let wall = seconds { lastLoss = trainer.trainEpoch(on: train, learningRate: 0.1, generator: &rng).meanLoss }
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        let answers = peers.map { peer in settle(); return peer.process.ask("train") }
        if round == 0 { continue }
        trainWalls.append(wall)
        trainCPUs.append(cpu)
        for (index, answer) in answers.enumerated() {
            if let answer, answer.count == 4 {
                torchTrain[index].append(answer[0])
                torchLoss[index] = answer[1]
                torchTrainCPU[index].append(answer[3])
            }
        }
    }
    var accuracy = 0.0
    var inferWalls: [Double] = [], inferCPUs: [Double] = []
    var torchInfer = [[Double]](repeating: [], count: peers.count)
    var torchInferCPU = [[Double]](repeating: [], count: peers.count)
    for round in 0...peerRounds {
        settle()
        let cpuStart = clock()
        let wall = seconds { accuracy = trainer.evaluate(train) }
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        let answers = peers.map { peer in settle(); return peer.process.ask("infer") }
        if round == 0 { continue }
        inferWalls.append(wall)
        inferCPUs.append(cpu)
        for (index, answer) in answers.enumerated() {
            if let answer, answer.count == 3 { torchInfer[index].append(answer[0]); torchInferCPU[index].append(answer[2]) }
        }
    }
    report("lenet_train", images / median(trainWalls), "images/s")
    report("lenet_train_cpu_time", median(trainCPUs), "s/epoch")
    report("lenet_infer", images / median(inferWalls), "images/s")
    report("lenet_infer_cpu_time", median(inferCPUs), "s/pass")
    var bestTrain = Double.infinity, bestInfer = Double.infinity
    for (index, peer) in peers.enumerated() {
        guard torchTrain[index].count == peerRounds && torchInfer[index].count == peerRounds else {
            say("torch_\(peer.label): failed during the run")
            continue
        }
        let train = median(torchTrain[index]), infer = median(torchInfer[index])
        report("torch_\(peer.label)_lenet_train", images / train, "images/s")
        report("torch_\(peer.label)_lenet_train_cpu_time", median(torchTrainCPU[index]), "s/epoch")
        report("torch_\(peer.label)_lenet_infer", images / infer, "images/s")
        report("torch_\(peer.label)_lenet_infer_cpu_time", median(torchInferCPU[index]), "s/pass")
        say("torch_\(peer.label)_lenet_after_6_epochs: loss \(String(format: "%.6f", torchLoss[index]))")
        bestTrain = min(bestTrain, train)
        bestInfer = min(bestInfer, infer)
    }
    if bestTrain.isFinite && bestInfer.isFinite {
        report("torch_lenet_train", images / bestTrain, "images/s")
        report("torch_lenet_infer", images / bestInfer, "images/s")
        report("lenet_train_vs_torch", bestTrain / median(trainWalls), "x")
        report("lenet_infer_vs_torch", bestInfer / median(inferWalls), "x")
    }
    for peer in peers { peer.process.stop() }
    // Not speeds, but they show the epochs timed were real training, and the checksum of the
    // trained weights (FNV-1a over their bit patterns) shows whether a kernel change altered
    // any rounding.
    var hash: UInt64 = 0xcbf29ce484222325
    for value in trainer.network.flatParameters {
        hash = (hash ^ UInt64(value.bitPattern)) &* 0x100000001b3
    }
    say("lenet_after_6_epochs: loss \(String(format: "%.6f", lastLoss)), train accuracy \(String(format: "%.4f", accuracy)), weights checksum \(String(hash, radix: 16))")
}

/// The PyTorch peers (as installed, and with passive OpenMP waiting) holding `train`'s
/// images and labels (written to two temporary raw files); empty after saying why when
/// there is no peer environment.
func startTorch(_ train: ImageDataset) -> [(label: String, process: PeerProcess)] {
    guard let python = peerPython() else {
        say("torch: skipped (run scripts/peer/setup.sh)")
        return []
    }
    let directory = FileManager.default.temporaryDirectory
    let stamp = ProcessInfo.processInfo.processIdentifier
    let imagesFile = directory.appendingPathComponent("optimbook-lenet-images-\(stamp).f32")
    let labelsFile = directory.appendingPathComponent("optimbook-lenet-labels-\(stamp).i32")
    defer {
        try? FileManager.default.removeItem(at: imagesFile)
        try? FileManager.default.removeItem(at: labelsFile)
    }
    do {
        try train.images.withUnsafeBytes { try Data($0).write(to: imagesFile) }
        try train.labels.map { Int32($0) }.withUnsafeBytes { try Data($0).write(to: labelsFile) }
    } catch {
        say("torch: skipped (could not write the images: \(error))")
        return []
    }
    var peers: [(label: String, process: PeerProcess)] = []
    for (label, policy) in [("default", nil), ("passive", "PASSIVE")] as [(String, String?)] {
        var reason = ""
        guard let torch = PeerProcess(python: python, script: "torch_lenet.py",
                                      arguments: [imagesFile.path, labelsFile.path, "\(train.count)",
                                                  "--threads", "2", "--batch", "256", "--lr", "0.1"],
                                      unset: ["OMP_WAIT_POLICY"], set: policy.map { [("OMP_WAIT_POLICY", $0)] } ?? [],
                                      failure: &reason) else {
            say("torch: skipped (\(reason))")
            return []
        }
        say("torch_\(label)_peer: \(torch.description)\(policy.map { ", OMP_WAIT_POLICY=\($0)" } ?? "")")
        peers.append((label, torch))
    }
    return peers
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

/// Section 11.11's default workload as it stood on 4 Dec 2026 (issue 13's "≤ 30 s"): six LeNet
/// runs of 12 epochs on the shipped digits, split 8,000 / 2,000 by the chapter's seeded
/// shuffle (seed 42, stream "digits-split"), batch 256, every run from the same initial
/// weights and minibatch order (streams "lenet-init", "lenet-minibatch-order"), plain SGD
/// under the constant 0.5, square-root 1.0, multi-factor (steps 5 and 9, factor 0.5),
/// cosine (T = 12), cosine with 2 warmup epochs, all per epoch, and the book's cosine
/// (T = 40) per update; each epoch ends with an evaluation on the 2,000 held-out images.
/// Rebuilt here from the chapter's code of that date so that the figure stays comparable
/// while the chapter's own protocol changes. Prints each run's wall time, its last training
/// loss and a checksum of its trained weights (a kernel change that alters rounding changes
/// the checksum), and the total wall and CPU time.
func lenetSchedules() {
    let digits: ImageDataset
    do {
        digits = try MNISTDigits.loadShipped()
    } catch {
        say("lenet_schedules: skipped (\(error))")
        return
    }
    let context = ChapterContext(seed: 42)
    var splitRNG = context.generator(stream: "digits-split")
    let (train, heldOut) = digits.split(trainCount: 8000, generator: &splitRNG)
    let epochs = 12, updatesPerEpoch = (train.count + 255) / 256
    let baseRate = 0.5
    func run<S: LearningRateSchedule>(_ name: String, _ schedule: S, unit: ScheduleUnit = .epoch) -> (Double, Double) {
        var initRNG = context.generator(stream: "lenet-init")
        var orderRNG = context.generator(stream: "lenet-minibatch-order")
        let sgd = Scheduled(SGD(learningRate: schedule(0)), schedule: schedule, unit: unit,
                            updatesPerEpoch: updatesPerEpoch)
        let cpuStart = clock()
        var history: [EpochRecord] = []
        let wall = seconds {
            let trainer = LeNetTrainer(network: LeNet.make(generator: &initRNG), batchSize: 256)
            history = trainer.train(on: train, test: heldOut, epochs: epochs, optimizer: sgd, generator: &orderRNG)
            var hash: UInt64 = 0xcbf29ce484222325
            for value in trainer.network.flatParameters {
                hash = (hash ^ UInt64(value.bitPattern)) &* 0x100000001b3
            }
            say("lenet_schedules_\(name)_result: \(history.count) epochs, train loss \(String(format: "%.6f", history.last?.trainLoss ?? .nan)), held-out acc \(String(format: "%.4f", history.last?.testAccuracy ?? .nan)), weights checksum \(String(hash, radix: 16))")
        }
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        report("lenet_schedules_\(name)", wall, "s")
        return (wall, cpu)
    }
    let milestones = [max(1, (15 * epochs * 2 + 40) / 80), max(1, (30 * epochs * 2 + 40) / 80)]
    let runs: [(Double, Double)] = [
        run("constant", ConstantSchedule(learningRate: baseRate)),
        run("square_root", SquareRootSchedule(learningRate: 1.0)),
        run("multi_factor", MultiFactorSchedule(steps: milestones, factor: 0.5, baseLR: baseRate)),
        run("cosine", CosineSchedule(maxUpdate: epochs, baseLR: baseRate, finalLR: 0.01)),
        run("cosine_warmup", CosineSchedule(maxUpdate: epochs, baseLR: baseRate, finalLR: 0.01,
                                            warmupSteps: min(max(1, (5 * epochs * 2 + 40) / 80), epochs - 1))),
        run("cosine_per_update", CosineSchedule(maxUpdate: 40, baseLR: baseRate, finalLR: 0.01), unit: .update),
    ]
    report("lenet_schedules_total", runs.reduce(0) { $0 + $1.0 }, "s")
    report("lenet_schedules_total_cpu", runs.reduce(0) { $0 + $1.1 }, "s")
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
    ("lenet-schedules", lenetSchedules),
    ("airfoil", airfoil),
    ("book", bookRegenerate),
]

let requested = Set(CommandLine.arguments.dropFirst())
for name in requested.sorted() where !groups.contains(where: { $0.name == name }) {
    fail("unknown group '\(name)'; the groups are \(groups.map(\.name).joined(separator: ", "))")
}
_ = (settlePause, warmPeriod)   // a bad OPTIMBOOK_BENCH_SETTLE or _WARM stops the run before anything is measured
say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
for group in groups where requested.isEmpty || requested.contains(group.name) {
    group.run()
}
