/// A small labelled point cloud: one Gaussian blob per class around a given centre.
///
/// Used for the lecture notes' toy classification problems (random search against following
/// the slope, the gradient check), where a few hundred 2-D points are plenty.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let data = GaussianBlobs.make(perClass: 50, centers: [[-1, 0], [1, 0], [0, 1.5]],
///                               spread: 0.6, generator: &rng)
/// data.count      // 150; labels 0, 1, 2 in blocks of 50
/// ```
public struct LabeledPoints: Sendable, Equatable {
    /// One row of features per example.
    public let features: [[Double]]
    /// Class index of each example, in 0..<classes.
    public let labels: [Int]
    public let classes: Int

    public init(features: [[Double]], labels: [Int], classes: Int) {
        requireValid(features.count == labels.count,
                     "LabeledPoints: features and labels differ in count, got \(features.count) and \(labels.count)")
        self.features = features; self.labels = labels; self.classes = classes
    }

    public var count: Int { labels.count }
    public var dimension: Int { features.first?.count ?? 0 }
}

public enum GaussianBlobs {
    /// `perClass` points per centre, each coordinate drawn from N(centre, spread²), classes in
    /// the order of `centers`.
    public static func make(perClass: Int, centers: [[Double]], spread: Double,
                            generator: inout SeededGenerator) -> LabeledPoints {
        var features: [[Double]] = []
        var labels: [Int] = []
        for (c, centre) in centers.enumerated() {
            for _ in 0..<perClass {
                features.append(centre.map { generator.normal(mean: $0, standardDeviation: spread) })
                labels.append(c)
            }
        }
        return LabeledPoints(features: features, labels: labels, classes: centers.count)
    }
}
