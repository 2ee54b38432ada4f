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

/// Square GEMM throughput (2·n³ flops per product) for one precision.
func benchmarkGEMM<T: GEMMScalar>(_ type: T.Type, label: String) {
    var rng = SeededGenerator(seed: 11)
    for n in gemmSizes {
        let a = Matrix<T>.randomNormal(rows: n, columns: n, generator: &rng)
        let b = Matrix<T>.randomNormal(rows: n, columns: n, generator: &rng)
        var c = Matrix<T>.zeros(rows: n, columns: n)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        let t = medianSeconds(repetitions: repetitions(forFlops: flops)) {
            matmul(a, b, into: &c)
        }
        report("gemm_\(label)_\(n)", flops / t / 1e9, "GFLOPS")
    }
}

func gemm() {
    benchmarkGEMM(Double.self, label: "f64")
    benchmarkGEMM(Float.self, label: "f32")
}

/// The same sweep with numpy (OpenBLAS) in a python3 subprocess, if numpy is installed.
func numpyGEMM() {
    let sizes = gemmSizes.map(String.init).joined(separator: ",")
    let script = """
    import time, numpy as np
    rng = np.random.default_rng(11)
    for label, dtype in (("f64", np.float64), ("f32", np.float32)):
        for n in (\(sizes)):
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            c = np.empty((n, n), dtype)
            flops = 2.0 * n ** 3
            reps = max(5, min(41, int(0.25 / (flops / 50e9)) | 1))
            np.matmul(a, b, out=c)
            times = []
            for _ in range(reps):
                t = time.perf_counter(); np.matmul(a, b, out=c); times.append(time.perf_counter() - t)
            times.sort()
            print(f"numpy_gemm_{label}_{n}: {flops / times[len(times) // 2] / 1e9:.2f} GFLOPS", flush=True)
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let errors = Pipe()
    process.standardError = errors
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        say("numpy: absent (could not start python3: \(error))")
        return
    }
    if process.terminationStatus != 0 {
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let last = message.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
        say("numpy: absent (\(last))")
    }
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
    ("numpy", numpyGEMM),
]

let requested = Set(CommandLine.arguments.dropFirst())
say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
for group in groups where requested.isEmpty || requested.contains(group.name) {
    group.run()
}
