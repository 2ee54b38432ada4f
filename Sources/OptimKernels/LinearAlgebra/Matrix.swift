import OptimKit
/// `Matrix`'s subscript failure, out of line and not generic: the check the subscript leaves
/// in its callers' loops is the comparison alone (`requireValid` would also store the
/// message's captured values on every access).
@usableFromInline @inline(never)
func matrixIndexOutOfRange(_ row: Int, _ column: Int, _ rows: Int, _ columns: Int) -> Never {
    misuse("Matrix: index (\(row), \(column)) out of range for \(rows) × \(columns)")
}

/// A dense row-major matrix: element (i, j) is `storage[i * columns + j]`.
///
/// The small accessors are `@inlinable` so that code in other modules (chapters, layers) gets
/// them specialised for `Float`/`Double` instead of running generic code.
///
/// - `rows`, `columns`: the shape (either may be 0).
/// - `storage`: the `rows · columns` elements, one row after another.
///
/// Products go through the blocked `GEMM` kernel (`A * B`, `matmul(A, B, transA:, transB:)`).
///
/// Example:
///
///     var rng = SeededGenerator(seed: 0)
///     let b = Matrix<Double>.randomNormal(rows: 3, columns: 4, generator: &rng)
///     var a = Matrix<Double>(rows: 4, columns: 2, repeating: 1)
///     a[0, 1] = 5
///     let product = b * a          // 3 × 2
public struct Matrix<Element> {
    public let rows: Int
    public let columns: Int
    /// Row-major elements. Mutate them freely, but keep the count at `rows * columns`
    /// (products check it).
    public var storage: [Element]

    /// A `rows × columns` matrix with every element equal to `value`.
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Element) {
        requireValid(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = largeArray(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements (`storage.count` must be `rows * columns`).
    @inlinable
    public init(rows: Int, columns: Int, storage: [Element]) {
        requireValid(rows >= 0 && columns >= 0 && storage.count == rows * columns,
                     "Matrix: \(storage.count) elements do not fill \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix whose element (i, j) is `element(i, j)`.
    @inlinable
    public init(rows: Int, columns: Int, element: (Int, Int) throws -> Element) rethrows {
        requireValid(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        var values: [Element] = []
        values.reserveCapacity(rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { values.append(try element(i, j)) }
        }
        self.storage = values
    }

    /// Element (i, j).
    @inlinable
    public subscript(row: Int, column: Int) -> Element {
        get {
            if !(row >= 0 && row < rows && column >= 0 && column < columns) {
                matrixIndexOutOfRange(row, column, rows, columns)
            }
            return storage[row * columns + column]
        }
        set {
            if !(row >= 0 && row < rows && column >= 0 && column < columns) {
                matrixIndexOutOfRange(row, column, rows, columns)
            }
            storage[row * columns + column] = newValue
        }
    }

    /// Row `i` as an array.
    @inlinable
    public func row(_ i: Int) -> [Element] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// Column `j` as an array.
    @inlinable
    public func column(_ j: Int) -> [Element] {
        (0..<rows).map { storage[$0 * columns + j] }
    }

    /// The transpose (a copy).
    @inlinable
    public var transposed: Matrix {
        guard let first = storage.first else { return Matrix(rows: columns, columns: rows, storage: []) }
        var t = Matrix(rows: columns, columns: rows, repeating: first)
        for i in 0..<rows {
            for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
        }
        return t
    }
}

extension Matrix: Equatable where Element: Equatable {}
extension Matrix: Hashable where Element: Hashable {}
extension Matrix: Sendable where Element: Sendable {}
extension Matrix: Codable where Element: Codable {}

extension Matrix where Element: GEMMScalar {
    /// A `rows × columns` matrix of zeros.
    @inlinable
    public static func zeros(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, repeating: 0)
    }

    /// The `n × n` identity.
    @inlinable
    public static func identity(_ n: Int) -> Matrix {
        var m = zeros(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// Independent normal samples (default standard normal) drawn row by row from `generator`.
    @inlinable
    public static func randomNormal(rows: Int, columns: Int, mean: Double = 0, standardDeviation: Double = 1,
                                    generator: inout SeededGenerator) -> Matrix {
        var m = zeros(rows: rows, columns: columns)
        for index in 0..<(rows * columns) {
            m.storage[index] = Element(generator.normal(mean: mean, standardDeviation: standardDeviation))
        }
        return m
    }

    /// `A * B` through `GEMM`. Shapes must agree (`a.columns == b.rows`).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        matmul(a, b)
    }
}

/// `alpha · op(A) · op(B)` as a new matrix, with `op(X) = Xᵀ` when the flag is set.
///
/// - Parameters:
///   - transA: use Aᵀ (default false).
///   - transB: use Bᵀ (default false).
///   - alpha: scale of the product (default 1).
///
/// Example: the weight gradient of a dense layer, `Xᵀ · δ`, is `matmul(x, delta, transA: true)`.
public func matmul<T: GEMMScalar>(_ a: Matrix<T>, _ b: Matrix<T>, transA: Bool = false, transB: Bool = false,
                                  alpha: T = 1) -> Matrix<T> {
    let m = transA ? a.columns : a.rows
    let k = transA ? a.rows : a.columns
    let kB = transB ? b.columns : b.rows
    let n = transB ? b.rows : b.columns
    requireValid(k == kB, "matmul: inner dimensions differ, op(A) is \(m) × \(k) and op(B) is \(kB) × \(n)")
    var c = Matrix<T>.zeros(rows: m, columns: n)
    matmul(a, b, into: &c, transA: transA, transB: transB, alpha: alpha, beta: 0)
    return c
}

/// In place: `C ← alpha · op(A) · op(B) + beta · C` (C must already have the result's shape).
public func matmul<T: GEMMScalar>(_ a: Matrix<T>, _ b: Matrix<T>, into c: inout Matrix<T>,
                                  transA: Bool = false, transB: Bool = false, alpha: T = 1, beta: T = 0) {
    let m = transA ? a.columns : a.rows
    let k = transA ? a.rows : a.columns
    let kB = transB ? b.columns : b.rows
    let n = transB ? b.rows : b.columns
    requireValid(k == kB, "matmul: inner dimensions differ, op(A) is \(m) × \(k) and op(B) is \(kB) × \(n)")
    requireValid(c.rows == m && c.columns == n, "matmul: result is \(c.rows) × \(c.columns), expected \(m) × \(n)")
    requireValid(a.storage.count == a.rows * a.columns && b.storage.count == b.rows * b.columns
                 && c.storage.count == m * n,
                 "matmul: a matrix's storage does not match its shape (A \(a.storage.count) for \(a.rows) × \(a.columns), "
                 + "B \(b.storage.count) for \(b.rows) × \(b.columns), C \(c.storage.count) for \(m) × \(n))")
    if m == 0 || n == 0 { return }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                // Empty operands (k == 0) still need a valid pointer; GEMM never reads it then.
                let dummy = UnsafeMutablePointer<T>.allocate(capacity: 1)
                defer { dummy.deallocate() }
                T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                       a: pa.baseAddress ?? UnsafePointer(dummy), lda: max(a.columns, 1),
                       b: pb.baseAddress ?? UnsafePointer(dummy), ldb: max(b.columns, 1),
                       beta: beta, c: pc.baseAddress!, ldc: n)
            }
        }
    }
}

/// `Array(repeating:count:)`, except that from 4 MiB up the array's memory is marked for
/// transparent huge pages (on Linux) before it is first written, as numpy does for its large
/// arrays.
///
/// Why: a 16 MB operand on 2 MiB pages needs 8 TLB entries instead of 4,096 on 4 KiB pages.
/// It was added when large products ran at one of two speeds and an operand's physical
/// placement was the suspect; that slow speed later turned out to come and go with time in
/// one process, with nothing reallocated, and went away with another threading layout (see
/// `GEMMDriver.parallel`), so no speed-up is claimed for this hint. A hint only: where no huge
/// page is available nothing changes, and no value ever does.
@usableFromInline
func largeArray<Element>(repeating value: Element, count: Int) -> [Element] {
    let bytes = count * MemoryLayout<Element>.stride
    if bytes < 4 << 20 { return Array(repeating: value, count: count) }
    return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
        HugePages.advise(UnsafeMutableRawPointer(buffer.baseAddress!), byteCount: bytes)
        buffer.initialize(repeating: value)
        initialized = count
    }
}
