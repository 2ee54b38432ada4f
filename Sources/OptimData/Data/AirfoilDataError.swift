import OptimKit
/// What can go wrong reading the airfoil data; every message names the file.
public enum AirfoilDataError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The bundled copy is missing from the package's resources.
    case missingResource(name: String)
    /// The bytes are not the published file.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// No data rows.
    case emptyFile(path: String)
    /// A row with fewer than six tab-separated fields (`line` is 1-based).
    case shortRow(path: String, line: Int, found: Int, expected: Int)
    /// A row with more than six fields.
    case longRow(path: String, line: Int, found: Int, expected: Int)
    /// A field that is not a finite decimal number (`column` is 1-based).
    case notANumber(path: String, line: Int, column: Int, text: String)
    /// A column whose values are all equal cannot be standardised.
    case constantColumn(path: String, column: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the airfoil data: \(reason)"
        case .missingResource(let name):
            return "\(name): the bundled airfoil data is missing from OptimKit's resources (was the package built from a full checkout?)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): SHA-1 is \(actual) but the airfoil data should have \(expected) (the file is truncated, edited or a different file)"
        case .emptyFile(let path):
            return "\(path): the file has no data rows"
        case .shortRow(let path, let line, let found, let expected):
            return "\(path), line \(line): expected \(expected) tab-separated numbers, found \(found)"
        case .longRow(let path, let line, let found, let expected):
            return "\(path), line \(line): expected \(expected) tab-separated numbers, found \(found)"
        case .notANumber(let path, let line, let column, let text):
            return "\(path), line \(line), column \(column): '\(text)' is not a finite number"
        case .constantColumn(let path, let column):
            return "\(path): column \(column) has the same value in every row, so it cannot be standardised"
        }
    }
}
