// swift-tools-version:6.0
// OptimBook: chapter 11 of Dive into Deep Learning as runnable, literate Swift.
import PackageDescription
import Foundation

/// The chapter targets, in book order. Their names are fixed by the spec; a chapter
/// joins the package as soon as its folder exists under `Chapters/`.
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
]
let packageDirectory = Context.packageDirectory
func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: packageDirectory + "/" + relative)
}
let chapters = chapterNames.filter { exists("Chapters/\($0)") }

// OptimKit's numeric kernels are optimised even in debug builds, so the plain
// `swift run Ch11_…` a student types stays fast. Chapters and tests keep -Onone.
//
// On x86-64 Swift otherwise targets the SSE2 baseline, where a fused multiply-add is a libm
// call and SIMD8 is four SSE registers; the GEMM kernel needs the host's AVX2/FMA (or
// AVX-512) units, so OptimKit is compiled for the building machine's CPU. When that CPU has
// AVX-512 (read from /proc/cpuinfo on Linux) the kernel is told to use 512-bit vectors.
func hostHasAVX512() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.contains(" avx512f ") }
}
// OPTIMKIT_TARGET_CPU=haswell (any -target-cpu name) builds for that CPU instead, without the
// AVX-512 define: scripts/check-portability.sh uses it to run the goldens on AVX2-only code.
let optimKitFlags: [String] = {
    #if arch(x86_64)
    if let cpu = ProcessInfo.processInfo.environment["OPTIMKIT_TARGET_CPU"], !cpu.isEmpty {
        return ["-target-cpu", cpu]
    }
    return ["-target-cpu", "native"] + (hostHasAVX512() ? ["-DOPTIMKIT_AVX512"] : [])
    #else
    return []
    #endif
}()
let optimKitSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"] + optimKitFlags, .when(configuration: .debug)),
    .unsafeFlags(optimKitFlags, .when(configuration: .release)),
]

var targets: [Target] = [
    .target(
        name: "OptimKit",
        path: "Sources/OptimKit",
        resources: [.copy("Resources")],
        swiftSettings: optimKitSettings
    ),
    .testTarget(
        name: "OptimKitTests",
        dependencies: ["OptimKit"],
        path: "Tests/OptimKitTests"
    ),
    .testTarget(
        name: "ChapterTests",
        dependencies: ["OptimKit"] + chapters.map { .target(name: $0) },
        path: "Tests/ChapterTests",
        exclude: ["Goldens"]
    ),
]
targets += chapters.map {
    .executableTarget(name: $0, dependencies: ["OptimKit"], path: "Chapters/\($0)")
}
if exists("Benchmarks") {
    targets.append(.executableTarget(name: "Benchmarks", dependencies: ["OptimKit"], path: "Benchmarks"))
}

let package = Package(
    name: "OptimBook",
    platforms: [.macOS(.v13)],
    products: [.library(name: "OptimKit", targets: ["OptimKit"])]
        + chapters.map { .executable(name: $0, targets: [$0]) },
    targets: targets
)
