import Foundation

/// libFuzzer entry for the IDX reader and the gzip/DEFLATE decoder behind it. The input is
/// read the way `IDX.contents(path:)` reads a file (inflated when it starts with the gzip
/// magic number), then parsed as an image file and as a label file; it is also fed to the
/// raw DEFLATE decoder. Every failure must be a typed error; nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIdx(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    // A small output limit keeps each run short; the decoder must refuse, not misbehave.
    let limit = 1 << 20
    do {
        let (output, end) = try Inflate.decompress(input, limit: limit)
        guard output.count <= limit, end <= input.count else { fatalError("inflate overran: \(output.count), \(end)") }
    } catch is InflateError {
    } catch {
        fatalError("unexpected error type from Inflate: \(error)")
    }
    var bytes = input
    if Gzip.isGzip(input) {
        do {
            bytes = try Gzip.decompress(input, limit: limit)
        } catch let failure as Gzip.Failure {
            _ = IDXError(path: "fuzz-input", problem: .compressed(failure)).description
            return 0
        } catch {
            fatalError("unexpected error type from Gzip: \(error)")
        }
    }
    do {
        let images = try IDX.parseImages(bytes, path: "fuzz-input")
        guard images.pixels.count == images.count * images.rows * images.columns else {
            fatalError("pixel count does not match the dimensions")
        }
    } catch let error as IDXError {
        guard error.description.hasPrefix("fuzz-input: ") else { fatalError("message does not name the file") }
    } catch {
        fatalError("unexpected error type from IDX: \(error)")
    }
    do {
        let labels = try IDX.parseLabels(bytes, path: "fuzz-input")
        guard labels.allSatisfy({ (0..<10).contains($0) }) else { fatalError("label out of range accepted") }
    } catch let error as IDXError {
        guard error.description.hasPrefix("fuzz-input: ") else { fatalError("message does not name the file") }
    } catch {
        fatalError("unexpected error type from IDX: \(error)")
    }
    return 0
}
