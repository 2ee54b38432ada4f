import OptimKit
import Foundation

/// Fashion-MNIST (Zalando Research; 60,000 training and 10,000 test images of clothing
/// in 10 classes, 28x28 grey-scale) read from a directory the user names.
///
/// The four files keep their distribution names, each either raw or gzip-compressed
/// (`train-images-idx3-ubyte` or `train-images-idx3-ubyte.gz`, and so on); the raw one
/// wins if both exist. The data are not shipped with the package.
///
/// ```swift
/// let (train, test) = try FashionMNIST.load(directory: "/data/fashion")
/// ```
public enum FashionMNIST {
    public static let classNames = ["t-shirt", "trouser", "pullover", "dress", "coat",
                                    "sandal", "shirt", "sneaker", "bag", "ankle boot"]
    public static let fileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                   "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// The path of `name` in `directory`, raw or `.gz`; an error naming both candidates if neither exists.
    public static func locate(_ name: String, in directory: String) throws -> String {
        let raw = (directory as NSString).appendingPathComponent(name)
        let compressed = raw + ".gz"
        let fm = FileManager.default
        if fm.fileExists(atPath: raw) { return raw }
        if fm.fileExists(atPath: compressed) { return compressed }
        throw IDXError(path: "\(raw)[.gz]", problem: .missingFile)
    }

    /// Reads the training and test sets; both must hold `rows x columns` images
    /// (default 28 x 28, what LeNet expects).
    public static func load(directory: String, rows: Int = 28, columns: Int = 28) throws -> (train: ImageDataset, test: ImageDataset) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IDXError(path: directory, problem: .unreadable("not an existing directory (expected the four Fashion-MNIST files there)"))
        }
        let paths = try fileNames.map { try locate($0, in: directory) }
        let train = try IDX.dataset(imagesPath: paths[0], labelsPath: paths[1])
        let test = try IDX.dataset(imagesPath: paths[2], labelsPath: paths[3])
        for (data, path) in [(train, paths[0]), (test, paths[2])] where data.rows != rows || data.columns != columns {
            throw IDXError(path: path, problem: .unexpectedImageSize(rows: data.rows, columns: data.columns,
                                                                     expectedRows: rows, expectedColumns: columns))
        }
        return (train, test)
    }
}
