// swift-tools-version:6.0
// OptimBook: chapter 11 of Dive into Deep Learning as runnable, literate Swift.
//
// The library is split into targets whose dependencies point one way (each line may use
// only the lines above it):
//
//   OptimIO        system errors (errno text) and size-checked file reads, for data and notebook
//   OptimKit       algorithms: random numbers, objectives, descent, optimizers, schedules,
//                  convexity, small linear algebra. No printing, no formatting, no files.
//   OptimPrefetch  one C header: the cache prefetch the GEMM kernels use (Swift has none)
//   OptimKernels   GEMM, the worker pool, network layers (the only target with CPU flags)
//   OptimData      airfoil, IDX, MNIST, gzip, hashing, the shipped resources
//   OptimTraining  training loops that join models, data and optimizers
//   OptimPlot      the SVG plot writer (knows nothing of optimizers or notebooks)
//   OptimNotebook  the page model, its terminal and Markdown renderings, atomic files
//   OptimBook      the book layer: command line, chapter protocol, book figures, races,
//                  step tables and the text summaries of results
//   BookChapters   the chapters themselves (Chapters/*/…Chapter.swift) and their registry
//
// Each chapter executable is its folder's one-line `main.swift`.
import PackageDescription
import Foundation

/// The chapter targets, in book order. Their names are fixed by the spec; a test checks that
/// this list, the registry in `BookChapters` and the README's table agree.
let chapterNames = [
    "Ch11_1_OptimizationAndDeepLearning",
    "Ch11_2_Convexity",
    "Ch11_3_GradientDescent",
    "Ch11_4_SGD",
    "Ch11_5_MinibatchSGD",
    "Ch11_6_Momentum",
    "Ch11_7_Adagrad",
    "Ch11_8_RMSProp",
    "Ch11_9_Adadelta",
    "Ch11_10_Adam",
    "Ch11_11_LRScheduling",
    "Ch11_12_ChoosingAnOptimizer",
]
let packageDirectory = Context.packageDirectory
func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: packageDirectory + "/" + relative)
}
let chapters = chapterNames.filter { exists("Chapters/\($0)/main.swift") }

// The numeric kernels are optimised even in debug builds, so the plain `swift run Ch11_…` a
// student types stays fast. Everything else keeps the configuration's own settings.
//
// On x86-64 Swift otherwise targets the SSE2 baseline, where a fused multiply-add is a libm
// call and SIMD8 is four SSE registers; the GEMM kernel needs the host's AVX2/FMA (or
// AVX-512) units, so the kernels are compiled for the building machine's CPU. When that CPU
// has AVX-512 (read from /proc/cpuinfo on Linux) the kernel is told to use 512-bit vectors.
// OPTIMKIT_TARGET_CPU (e.g. `haswell`) overrides the CPU, and then AVX-512 is used only if
// OPTIMKIT_AVX512=1: scripts/check-portability.sh builds that way.
func hostHasAVX512() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.contains(" avx512f ") }
}
let kernelFlags: [String] = {
    #if arch(x86_64)
    let environment = ProcessInfo.processInfo.environment
    if let cpu = environment["OPTIMKIT_TARGET_CPU"], !cpu.isEmpty {
        return ["-target-cpu", cpu] + (environment["OPTIMKIT_AVX512"] == "1" ? ["-DOPTIMKIT_AVX512"] : [])
    }
    return ["-target-cpu", "native"] + (hostHasAVX512() ? ["-DOPTIMKIT_AVX512"] : [])
    #else
    return []
    #endif
}()
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"] + kernelFlags, .when(configuration: .debug)),
    .unsafeFlags(kernelFlags, .when(configuration: .release)),
]

let libraries: [Target.Dependency] = [
    "OptimIO", "OptimKit", "OptimKernels", "OptimData", "OptimTraining", "OptimPlot", "OptimNotebook", "OptimBook",
]

var targets: [Target] = [
    .target(name: "OptimKit", path: "Sources/OptimKit"),
    .target(name: "OptimPrefetch", path: "Sources/OptimPrefetch"),
    .target(name: "OptimKernels", dependencies: ["OptimKit", "OptimPrefetch"], path: "Sources/OptimKernels",
            swiftSettings: kernelSettings),
    .target(name: "OptimIO", path: "Sources/OptimIO"),
    .target(name: "OptimData", dependencies: ["OptimKit", "OptimIO"], path: "Sources/OptimData",
            resources: [.copy("Resources")]),
    .target(name: "OptimTraining", dependencies: ["OptimKit", "OptimKernels", "OptimData"],
            path: "Sources/OptimTraining"),
    .target(name: "OptimPlot", path: "Sources/OptimPlot"),
    .target(name: "OptimNotebook", dependencies: ["OptimPlot", "OptimIO"], path: "Sources/OptimNotebook"),
    .target(name: "OptimBook", dependencies: Array(libraries.dropLast()), path: "Sources/OptimBook"),
    .target(name: "BookChapters", dependencies: libraries, path: "Chapters",
            exclude: chapters.map { "\($0)/main.swift" }),
    .testTarget(name: "OptimKitTests", dependencies: libraries, path: "Tests/OptimKitTests"),
    .testTarget(name: "ChapterTests", dependencies: libraries + ["BookChapters"],
                path: "Tests/ChapterTests", exclude: ["Goldens"]),
]
/// The files of a chapter's folder other than its `main.swift`: they belong to `BookChapters`,
/// and are excluded from the chapter's executable so SwiftPM does not warn that they are unhandled.
func chapterLibraryFiles(_ chapter: String) -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: packageDirectory + "/Chapters/" + chapter)) ?? []
    return files.filter { $0 != "main.swift" }.sorted()
}
targets += chapters.map {
    .executableTarget(name: $0, dependencies: ["BookChapters", "OptimBook"], path: "Chapters/\($0)",
                      exclude: chapterLibraryFiles($0), sources: ["main.swift"])
}
// Regenerates Chapters/Generated/Cells.swift, the table of literate cells (`swift run CellTable`).
targets.append(.executableTarget(name: "CellTable", dependencies: ["OptimNotebook"], path: "Tools/CellTable"))
if exists("Benchmarks") {
    targets.append(.executableTarget(name: "Benchmarks", dependencies: libraries, path: "Benchmarks"))
}

let package = Package(
    name: "OptimBook",
    // macOS 15 for the Synchronization module's atomics (OptimKernels' worker pool).
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OptimKit", targets: ["OptimKit"]),
        .library(name: "OptimKernels", targets: ["OptimKernels"]),
        .library(name: "OptimData", targets: ["OptimData"]),
    ] + chapters.map { .executable(name: $0, targets: [$0]) },
    targets: targets
)
