import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// The optimizers the explorer (`--explore`) can run, in the order the `o` key cycles
/// through them, with the book's settings as defaults and the name of each one's second
/// hyperparameter (β for momentum and Nesterov, γ for RMSProp, ρ for Adadelta, β₁ for Adam
/// and Yogi; none for gradient descent and Adagrad).
///
/// ```swift
/// let run = ExplorerOptimizer.momentum.run(.ellipse(a: 0.1, b: 2), start: Point2D(-5, -2),
///                                          steps: 20, eta: 0.6, second: 0.5)
/// run.points.last        // (0.007188…, 0.002553…), the book's momentum run
/// ```
public enum ExplorerOptimizer: Int, CaseIterable, Sendable, Equatable {
    case gradientDescent, momentum, nesterov, adagrad, rmsprop, adadelta, adam, yogi

    public var name: String {
        switch self {
        case .gradientDescent: return "gradient descent"
        case .momentum: return "momentum"
        case .nesterov: return "Nesterov"
        case .adagrad: return "Adagrad"
        case .rmsprop: return "RMSProp"
        case .adadelta: return "Adadelta"
        case .adam: return "Adam"
        case .yogi: return "Yogi"
        }
    }

    /// Symbol of the second hyperparameter, nil when there is none.
    public var secondSymbol: String? {
        switch self {
        case .gradientDescent, .adagrad: return nil
        case .momentum, .nesterov: return "β"
        case .rmsprop: return "γ"
        case .adadelta: return "ρ"
        case .adam, .yogi: return "β₁"
        }
    }

    /// The learning rate the chapters use (for Adadelta, its multiplier of the rescaled step).
    public var defaultEta: Double {
        switch self {
        case .gradientDescent, .adagrad, .rmsprop: return 0.4
        case .momentum: return 0.6
        case .nesterov, .adam, .yogi: return 0.3
        case .adadelta: return 1
        }
    }

    public var defaultSecond: Double? {
        switch self {
        case .gradientDescent, .adagrad: return nil
        case .momentum, .nesterov: return 0.5
        case .rmsprop, .adadelta, .adam, .yogi: return 0.9
        }
    }

    /// `steps` steps from `start` on `f`, through the same `train2DDetailed` loop as the chapters.
    public func run(_ f: Objective2D, start: Point2D, steps: Int, eta: Double, second: Double?) -> ExplorerRun {
        let beta = second ?? defaultSecond ?? 0
        switch self {
        case .gradientDescent: return ExplorerRun(train2DDetailed(optimizer: SGD(learningRate: eta), objective: f, steps: steps, start: start))
        case .momentum: return ExplorerRun(train2DDetailed(optimizer: Momentum(learningRate: eta, momentum: beta), objective: f, steps: steps, start: start))
        case .nesterov: return ExplorerRun(train2DDetailed(optimizer: Nesterov(learningRate: eta, momentum: beta), objective: f, steps: steps, start: start))
        case .adagrad: return ExplorerRun(train2DDetailed(optimizer: AdaGrad(learningRate: eta), objective: f, steps: steps, start: start))
        case .rmsprop: return ExplorerRun(train2DDetailed(optimizer: RMSProp(learningRate: eta, gamma: beta), objective: f, steps: steps, start: start))
        case .adadelta: return ExplorerRun(train2DDetailed(optimizer: AdaDelta(rho: beta, epsilon: 1e-5, learningRate: eta), objective: f, steps: steps, start: start))
        case .adam: return ExplorerRun(train2DDetailed(optimizer: Adam(learningRate: eta, beta1: beta), objective: f, steps: steps, start: start))
        case .yogi: return ExplorerRun(train2DDetailed(optimizer: Yogi(learningRate: eta, beta1: beta), objective: f, steps: steps, start: start))
        }
    }
}
