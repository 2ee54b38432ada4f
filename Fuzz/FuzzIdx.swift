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
    // Header-first reading (`IDX.checkedContents`): the prefix decoder and the header check
    // must fail with typed errors too, and a prefix is a prefix of the whole output.
    if Gzip.isGzip(input) {
        do {
            let prefix = try Gzip.decompressedPrefix(input, count: DataLimits.maximumHeaderBytes)
            if let whole = try? Gzip.decompress(input, limit: limit), !whole.starts(with: prefix) {
                fatalError("the inflated prefix is not the start of the inflated data")
            }
        } catch is Gzip.Failure {
        } catch {
            fatalError("unexpected error type from Gzip.decompressedPrefix: \(error)")
        }
    }
    for magic in [IDX.imagesMagic, IDX.labelsMagic] {
        do {
            let (dataBytes, offset) = try IDX.checkHeader(input, magic: magic, path: "fuzz-input")
            guard dataBytes >= 0, offset >= 4, dataBytes <= DataLimits.maximumBytes else { fatalError("header check passed \(dataBytes) at \(offset)") }
        } catch let error as IDXError {
            guard error.description.hasPrefix("fuzz-input: ") else { fatalError("message does not name the file") }
        } catch {
            fatalError("unexpected error type from IDX.checkHeader: \(error)")
        }
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
        // Readers compute count × rows × columns; it must not overflow and must match.
        let (perImage, o1) = images.rows.multipliedReportingOverflow(by: images.columns)
        let (all, o2) = images.count.multipliedReportingOverflow(by: perImage)
        let (countRows, o3) = images.count.multipliedReportingOverflow(by: images.rows)
        guard !o1, !o2, !o3, countRows >= 0, all == images.pixels.count else {
            fatalError("dimensions \(images.count) x \(images.rows) x \(images.columns) overflow or do not match \(images.pixels.count) pixels")
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
