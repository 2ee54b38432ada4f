import Foundation

/// libFuzzer entry for the airfoil text parser: any bytes must either parse into finite,
/// consistently sized data or throw an `AirfoilDataError`, never crash or trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAirfoil(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    // Without a checksum the parser itself is exercised; with the published one only
    // the hash runs (every fuzzed input differs from the real file).
    for keep in [0, 3, AirfoilData.defaultRowCount] {
        do {
            let data = try AirfoilData.decode(bytes, source: "fuzz-input", expectedSHA1: nil, keepingRows: keep)
            guard data.features.count == data.count * data.featureCount,
                  data.targets.count == data.count,
                  data.count <= data.rowsInFile,
                  data.columnMeans.allSatisfy(\.isFinite) else {
                fatalError("inconsistent AirfoilData from \(count) bytes")
            }
        } catch let error as AirfoilDataError {
            guard error.description.hasPrefix("fuzz-input") else { fatalError("message does not name the file: \(error)") }
        } catch {
            fatalError("unexpected error type \(error)")
        }
    }
    _ = try? AirfoilData.decode(bytes, source: "fuzz-input", expectedSHA1: AirfoilData.expectedSHA1)
    return 0
}
