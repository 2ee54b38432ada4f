import OptimKit
import OptimIO
/// How much memory one data file may take once it is loaded, and the file sizes that follow
/// from that, so every reader can refuse an oversized or inconsistent file from its header
/// and its size on disk before allocating anything for its contents.
///
/// - `maximumBytes` = 1 GiB: the cap on one data file in memory. Images are held as `Float`
///   (4 bytes per pixel), labels as `Int` (8 bytes per label), so an images file may hold at
///   most 268,435,456 pixels (Fashion-MNIST's training file has 47,040,000) and a labels
///   file 134,217,728 labels. Loading a file at the cap takes about 1.25 GiB at the peak (its
///   bytes plus the floats).
/// - An IDX file stores one byte per element, so a raw file within the cap has at most
///   `maximumRawFileBytes` (256 MiB plus the largest header); a gzip file at most
///   `maximumCompressedFileBytes` (stored DEFLATE blocks add 5 bytes per 65,535, plus framing).
/// - `maximumTableFileBytes` = 64 MiB for text tables such as the airfoil data (59 KB).
///
/// ```swift
/// DataLimits.maximumBytes            // 1073741824
/// DataLimits.describe(1 << 30)       // "1 GiB"
/// ```
public enum DataLimits {
    public static let maximumBytes = 1 << 30
    public static let bytesPerPixel = MemoryLayout<Float>.size
    public static let bytesPerLabel = MemoryLayout<Int>.size
    /// The largest IDX header: magic plus 255 dimensions of 4 bytes.
    public static let maximumHeaderBytes = 4 + 4 * 255
    public static var maximumRawFileBytes: Int { maximumHeaderBytes + maximumBytes / bytesPerPixel }
    public static var maximumCompressedFileBytes: Int {
        maximumRawFileBytes + (maximumRawFileBytes / 65_535 + 1) * 5 + (1 << 20)
    }
    public static let maximumTableFileBytes = 64 << 20

    /// `1 GiB`, `64 MiB`, `512 KiB`, or a plain byte count.
    public static func describe(_ bytes: Int) -> String { ByteCount.describe(bytes) }

    /// The one-line statement of the cap, for `--help` and messages.
    public static var summary: String {
        "a data file may take at most \(describe(maximumBytes)) in memory (4 bytes per pixel, 8 per label)"
    }
}
