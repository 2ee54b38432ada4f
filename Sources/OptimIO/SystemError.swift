#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's own words for an `errno` value (`strerror`), so that a message names the
/// real cause of a failure ("No space left on device", "Is a directory") instead of a guess.
///
/// ```swift
/// if mkdir(path, 0o777) != 0 { throw FileError(path: path, problem: "cannot create it: " + SystemError.text(errno)) }
/// ```
public enum SystemError {
    /// `strerror(code)`.
    public static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
