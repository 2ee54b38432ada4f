/// Byte counts as people read them.
///
/// ```swift
/// ByteCount.describe(1 << 30)   // "1 GiB"
/// ByteCount.describe(1000)      // "1000 bytes"
/// ```
public enum ByteCount {
    /// `1 GiB`, `64 MiB`, `512 KiB`, or a plain byte count.
    public static func describe(_ bytes: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
