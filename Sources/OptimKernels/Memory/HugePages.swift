#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Transparent huge pages for large buffers: the 2 MiB size, and the hint that asks Linux to
/// back a range with them (`madvise(MADV_HUGEPAGE)`, as numpy does for its large arrays).
///
/// Used by `largeArray` (the storage of large `Matrix` values) and `GEMMScratchPool` (packing
/// scratch). A hint only: it must be given before the memory is first written, it changes no
/// value, and where huge pages are unavailable (or on macOS) nothing happens.
///
/// ```swift
/// HugePages.advise(buffer, byteCount: bytes)   // before the first write
/// ```
enum HugePages {
    /// The size of one transparent huge page on x86-64 and most arm64 Linux systems.
    static let size = 2 << 20

    /// Asks for huge pages over the whole 2 MiB pages that lie inside `start ..< start + byteCount`
    /// (a huge page must not reach outside the buffer, so the range is rounded inward).
    static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        if let range = wholePages(from: Int(bitPattern: start), byteCount: byteCount) {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_HUGEPAGE)
        }
        #endif
    }

    /// The addresses of the whole huge pages inside `address ..< address + byteCount`, or nil
    /// when the buffer holds none.
    static func wholePages(from address: Int, byteCount: Int) -> Range<Int>? {
        let first = (address + size - 1) / size * size
        let end = (address + byteCount) / size * size
        return end > first ? first..<end : nil
    }
}
