/// An objective that is an average of n terms, f(x) = (1/n) Σᵢ fᵢ(x) on ℝᵈ: a training loss
/// with one term per example. Stochastic methods step along one term's gradient at a time;
/// counting those term gradients is how their cost is compared with full gradient descent
/// (one full gradient costs n of them).
///
/// Conforming types give the value, the number of terms and the gradient of one term; the
/// full gradient defaults to the average of the term gradients, summed in index order.
///
/// ```swift
/// let problem = LeastSquaresSum(rows: [[1, 0], [0, 2]], targets: [1, 2], regularization: 0)
/// problem.termGradient(1, at: [0, 0])   // (a₁ᵀx − b₁) a₁ = (0, −4)
/// problem.gradient([0, 0])              // average of both terms: (−0.5, −2)
/// ```
public protocol FiniteSumObjective: Sendable {
    /// n, the number of terms.
    var termCount: Int { get }
    /// d, the length of x.
    var dimension: Int { get }
    /// f(x) = (1/n) Σᵢ fᵢ(x).
    func value(_ x: [Double]) -> Double
    /// ∇fᵢ(x) for 0 ≤ i < n.
    func termGradient(_ i: Int, at x: [Double]) -> [Double]
    /// ∇f(x) = (1/n) Σᵢ ∇fᵢ(x).
    func gradient(_ x: [Double]) -> [Double]
}

extension FiniteSumObjective {
    public func gradient(_ x: [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: dimension)
        for i in 0..<termCount {
            let g = termGradient(i, at: x)
            for j in 0..<dimension { total[j] += g[j] }
        }
        let n = Double(termCount)
        return total.map { $0 / n }
    }
}
