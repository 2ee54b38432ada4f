import OptimKit
import Foundation

/// The 10,000 MNIST test digits shipped with the package, the offline data set of the
/// learning-rate chapter.
///
/// Both files are verified against their recorded SHA-256 before use, so a damaged
/// checkout fails with a clear message instead of training on garbage. See
/// `Resources/DATA.md` for the source and licence.
///
/// ```swift
/// let digits = try MNISTDigits.loadShipped()          // 10000 images, 28x28
/// var rng = SeededGenerator(seed: 1)
/// let (train, heldOut) = digits.split(trainCount: 8000, generator: &rng)
/// ```
public enum MNISTDigits {
    public static let imagesFile = "mnist-t10k-images-idx3-ubyte"
    public static let labelsFile = "mnist-t10k-labels-idx1-ubyte"
    public static let imagesSHA256 = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    public static let labelsSHA256 = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"

    /// Path of a shipped resource file, or an error naming it.
    public static func resourcePath(_ name: String) throws -> String {
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: nil) {
            return url.path
        }
        throw IDXError(path: "OptimKit resources/\(name)", problem: .missingFile)
    }

    /// Loads and checks the shipped digits (pixels scaled to [0, 1]).
    public static func loadShipped() throws -> ImageDataset {
        let imagesPath = try resourcePath(imagesFile)
        let labelsPath = try resourcePath(labelsFile)
        let imageBytes = try verifiedContents(path: imagesPath, sha256: imagesSHA256)
        let labelBytes = try verifiedContents(path: labelsPath, sha256: labelsSHA256)
        let images = try IDX.parseImages(imageBytes, path: imagesPath)
        let labels = try IDX.parseLabels(labelBytes, path: labelsPath)
        return try IDX.dataset(images: images, labels: labels, imagesPath: imagesPath, labelsPath: labelsPath, classCount: 10)
    }

    /// The bytes of `path` after checking their SHA-256 against `sha256`.
    public static func verifiedContents(path: String, sha256 expected: String) throws -> [UInt8] {
        let bytes = try IDX.contents(path: path)
        let actual = SHA256.hexDigest(bytes)
        guard actual == expected else {
            throw IDXError(path: path, problem: .checksumMismatch(expected: expected, actual: actual))
        }
        return bytes
    }
}
