/// Checkpoints of a run on a finite sum, priced in term gradients: after `evaluations[k]`
/// gradients of single terms (a full gradient counts n), the iterate was `points[k]`.
/// The first checkpoint is the start, at 0 evaluations.
///
/// ```swift
/// let trace = FiniteSumDescent.gradientDescent(problem, learningRate: 0.5, start: x0, passes: 10)
/// trace.passes(termCount: problem.termCount)   // [0, 1, 2, …, 10]
/// ```
public struct FiniteSumTrace: Sendable, Equatable {
    public var evaluations: [Int]
    public var points: [[Double]]

    public init(evaluations: [Int] = [], points: [[Double]] = []) {
        self.evaluations = evaluations; self.points = points
    }

    mutating func record(_ evaluations: Int, _ x: [Double]) {
        self.evaluations.append(evaluations)
        points.append(x)
    }

    /// The evaluation counts in passes over the data (evaluations / n).
    public func passes(termCount n: Int) -> [Double] { evaluations.map { Double($0) / Double(n) } }

    /// f(x) − f* at every checkpoint.
    public func suboptimality<F: FiniteSumObjective>(_ f: F, optimum: Double) -> [Double] {
        points.map { f.value($0) - optimum }
    }
}
