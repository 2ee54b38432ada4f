import OptimKit
/// A labelled set of equally sized grey-scale images, pixels scaled to [0, 1].
///
/// `images` holds `count * rows * columns` numbers, image after image, each row-major;
/// `labels[i]` is the class of image `i`, in `0..<classCount`. This is exactly the
/// `count x 1 x rows x columns` NCHW layout the network layers read.
///
/// ```swift
/// let digits = try MNISTDigits.loadShipped()
/// var rng = SeededGenerator(seed: 1)
/// let (train, heldOut) = digits.split(trainCount: 8000, generator: &rng)
/// ```
public struct ImageDataset: Sendable, Equatable {
    public let images: [Float]
    public let labels: [Int]
    public let rows: Int
    public let columns: Int
    public let classCount: Int

    public init(images: [Float], labels: [Int], rows: Int, columns: Int, classCount: Int = 10) {
        requireValid(rows > 0 && columns > 0 && images.count == labels.count * rows * columns,
                     "ImageDataset: images and labels disagree: \(images.count) pixels for \(labels.count) labels of \(rows)x\(columns)")
        self.images = images
        self.labels = labels
        self.rows = rows
        self.columns = columns
        self.classCount = classCount
    }

    public var count: Int { labels.count }
    public var pixelsPerImage: Int { rows * columns }

    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageDataset {
        let size = pixelsPerImage
        var pickedImages = [Float]()
        pickedImages.reserveCapacity(indices.count * size)
        var pickedLabels = [Int]()
        pickedLabels.reserveCapacity(indices.count)
        for i in indices {
            requireValid(i >= 0 && i < count, "ImageDataset.subset: image index \(i) outside 0..<\(count)")
            pickedImages.append(contentsOf: images[(i * size)..<((i + 1) * size)])
            pickedLabels.append(labels[i])
        }
        return ImageDataset(images: pickedImages, labels: pickedLabels, rows: rows, columns: columns, classCount: classCount)
    }

    /// The first `n` images (all of them if there are fewer).
    public func prefix(_ n: Int) -> ImageDataset {
        subset(Array(0..<min(max(n, 0), count)))
    }

    /// A seeded random split: a permutation of all images, the first `trainCount` of it
    /// become the training part and the rest the held-out part.
    public func split(trainCount: Int, generator: inout SeededGenerator) -> (train: ImageDataset, heldOut: ImageDataset) {
        requireValid(trainCount >= 0 && trainCount <= count, "ImageDataset.split: trainCount must be in 0...\(count), got \(trainCount)")
        let order = generator.permutation(count)
        return (subset(Array(order[..<trainCount])), subset(Array(order[trainCount...])))
    }

    /// How many images each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels where label >= 0 && label < classCount { counts[label] += 1 }
        return counts
    }
}
