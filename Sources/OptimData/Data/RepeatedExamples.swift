import OptimKit
extension AirfoilData {
    /// The same examples, each present `times` times in a row-wise repeat of the whole set
    /// (rows 0…n−1, then 0…n−1 again, …): the "evil genie" of the book's 11.5 exercise 4,
    /// who copies a data set without telling anyone. The standardisation is unchanged, since
    /// duplicating every row changes neither the means nor the standard deviations.
    ///
    /// - `times`: at least 1.
    ///
    /// ```swift
    /// let doubled = try AirfoilData.load().repeated(2)
    /// doubled.count   // 3000
    /// ```
    public func repeated(_ times: Int) -> AirfoilData {
        requireValid(times >= 1, "AirfoilData.repeated: times must be at least 1, got \(times)")
        var features: [Double] = [], targets: [Double] = []
        features.reserveCapacity(self.features.count * times)
        targets.reserveCapacity(count * times)
        for _ in 0..<times {
            features += self.features
            targets += self.targets
        }
        return AirfoilData(features: features, targets: targets, count: count * times, rowsInFile: rowsInFile,
                           columnMeans: columnMeans, columnStandardDeviations: columnStandardDeviations)
    }
}
