// Performance figures for OptimBook, printed one per line as `name: value unit`.
//
//     swift run -c release Benchmarks            # every figure
//     swift run -c release Benchmarks gemm       # only the figures whose group name is given
//
// Each group is one function below; a new figure (training a LeNet epoch, an airfoil epoch at
// batch size 1, regenerating the book) becomes one more entry in `groups`.
import Dispatch
import Foundation
import OptimKit

/// Writes one line straight to standard output (unbuffered, so it stays in order with the
/// output of child processes such as the numpy measurement).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints one figure in the `name: value unit` format.
func report(_ name: String, _ value: Double, _ unit: String) {
    say("\(name): \(String(format: "%.2f", value)) \(unit)")
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

let groups: [(name: String, run: () -> Void)] = [
    ("gemm", gemm),
    ("experiment", matrixMultiplyExperiment),
]

let requested = Set(CommandLine.arguments.dropFirst())
say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
for group in groups where requested.isEmpty || requested.contains(group.name) {
    group.run()
}
