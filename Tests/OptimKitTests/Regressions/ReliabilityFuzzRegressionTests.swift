@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// Every input that once crashed a fuzz target (kept in `Fuzz/Crashes/<target>/`, see
/// docs/RELIABILITY.md) is replayed through the same checks the fuzz entry points make.
/// The files are read from the source tree so the fuzzers can also use them as seeds.
@Suite struct ReliabilityFuzzRegressionTests {
    static let crashes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Regressions
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Crashes")

    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = crashes.appendingPathComponent(target)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { (name, [UInt8]($0)) }
        }
    }

    @Test func crashInputsArePresent() {
        // The crashes the fuzzers found (see docs/RELIABILITY.md).
        #expect(Self.inputs("arguments").map(\.name) == ["carriage-return-in-argument.bin"])
        #expect(Self.inputs("idx").map(\.name) == ["rows-times-columns-overflow.idx", "zero-dimension-after-huge-ones.idx"])
    }

    @Test func argumentCrashesGiveOneLineUsageErrors() {
        for (name, bytes) in Self.inputs("arguments") {
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            do {
                _ = try ArgumentParser.parse(arguments, options: [.number("--eta", help: "step")])
            } catch let error as UsageError {
                #expect(!error.message.contains { $0.isNewline }, "\(name): \(error.message)")
            } catch {
                Issue.record("\(name): unexpected \(error)")
            }
        }
    }

    @Test func idxCrashesGiveTypedErrors() {
        for (name, bytes) in Self.inputs("idx") {
            do {
                let images = try IDX.parseImages(bytes, path: name)
                let (perImage, o1) = images.rows.multipliedReportingOverflow(by: images.columns)
                let (all, o2) = images.count.multipliedReportingOverflow(by: perImage)
                let (_, o3) = images.count.multipliedReportingOverflow(by: images.rows)
                #expect(!o1 && !o2 && !o3 && all == images.pixels.count, "\(name)")
            } catch let error as IDXError {
                #expect(error.description.hasPrefix(name + ": "))
            } catch {
                Issue.record("\(name): unexpected \(error)")
            }
        }
        let overflow: [UInt8] = [0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
        #expect(throws: IDXError(path: "f", problem: .dimensionsTooLarge([4294967295, 4294967295, 0]))) {
            _ = try IDX.parseImages(overflow, path: "f")
        }
    }

    @Test func airfoilCrashesGiveTypedErrors() {
        for (name, bytes) in Self.inputs("airfoil") {
            do {
                _ = try AirfoilData.decode(Data(bytes), source: name, expectedSHA1: nil)
            } catch let error as AirfoilDataError {
                #expect(error.description.hasPrefix(name))
            } catch {
                Issue.record("\(name): unexpected \(error)")
            }
        }
    }
}
