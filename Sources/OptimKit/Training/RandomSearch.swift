/// The lecture notes' "very bad idea": guess parameters at random and keep the best guess.
///
/// Each try draws every parameter from N(0, scale²) and evaluates the loss; the result keeps
/// the best parameters and, per try, the best loss so far (a non-increasing curve to set
/// against gradient descent's loss per step, one loss evaluation each).
///
/// - `tries`: number of guesses. `scale`: standard deviation of each parameter (default 1).
///
/// ```swift
/// var rng = SeededGenerator(seed: 7)
/// let result = RandomSearch.run(tries: 100, parameterCount: 9, generator: &rng) { w in
///     model.loss(w, on: data)
/// }
/// result.bestLoss; result.bestSoFar.count   // 100
/// ```
public struct RandomSearchResult: Sendable, Equatable {
    public let bestParams: [Double]
    public let bestLoss: Double
    /// Index of the try that found the best parameters (0-based).
    public let bestTry: Int
    /// Best loss after each try.
    public let bestSoFar: [Double]
}

public enum RandomSearch {
    public static func run(tries: Int, parameterCount: Int, scale: Double = 1,
                           generator: inout SeededGenerator,
                           loss: ([Double]) -> Double) -> RandomSearchResult {
        var best = [Double](repeating: 0, count: parameterCount)
        var bestLoss = Double.infinity
        var bestTry = 0
        var history: [Double] = []
        history.reserveCapacity(tries)
        for t in 0..<tries {
            let w = generator.normals(parameterCount, standardDeviation: scale)
            let l = loss(w)
            if l < bestLoss { bestLoss = l; best = w; bestTry = t }
            history.append(bestLoss)
        }
        return RandomSearchResult(bestParams: best, bestLoss: bestLoss, bestTry: bestTry, bestSoFar: history)
    }
}
