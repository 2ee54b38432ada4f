/// An optimizer picked by name with a dictionary of hyperparameters: the analogue of the
/// book's concise path, `gluon.Trainer(params, "sgd", {"learning_rate": 0.05})`.
///
/// Design: there is exactly one implementation per algorithm. `named(_:_:)` only
/// *parses* — it validates the name and keys and builds the same typed value
/// (`Momentum`, `Adam`, ...) that the from-scratch code constructs directly — and
/// `trainLinearRegression(choice:...)` dispatches to the generic loop. So the concise and
/// the from-scratch runs differ only in how the optimizer was specified (and, in the
/// chapters, in the random stream they draw from), never in the arithmetic.
///
/// Names and keys follow Gluon, so the book's calls carry over unchanged:
///
/// | name | keys (defaults are the book's) |
/// |---|---|
/// | `sgd` | `learning_rate`; with `momentum` it is `Momentum` |
/// | `nag` | `learning_rate`, `momentum` (0.9) — `Nesterov` |
/// | `adagrad` | `learning_rate`, `epsilon` (1e-6) |
/// | `rmsprop` | `learning_rate`, `gamma1` (0.9), `epsilon` (1e-6) |
/// | `adadelta` | `rho` (0.9), `epsilon` (1e-5), `learning_rate` (1) |
/// | `adam`, `amsgrad` | `learning_rate`, `beta1` (0.9), `beta2` (0.999), `epsilon` (1e-6) |
/// | `yogi` | `learning_rate`, `beta1`, `beta2`, `epsilon` (1e-3) |
/// | `adamax` | `learning_rate` (0.002), `beta1`, `beta2`, `epsilon` (1e-8) |
///
/// Unspecified keys take the **book's** defaults, not Gluon's (Gluon's Adam, for
/// instance, uses ε = 1e-8): pass `epsilon` explicitly to mimic a framework exactly.
/// `learning_rate` is required wherever the typed initialiser requires it. Unknown names,
/// unknown keys and out-of-range values are errors, never silently ignored.
///
/// ```swift
/// let choice = try OptimizerChoice.named("sgd", ["learning_rate": 0.005, "momentum": 0.9])
/// // choice == .momentum(Momentum(learningRate: 0.005, momentum: 0.9))
/// ```
public enum OptimizerChoice: Sendable, Equatable {
    case sgd(SGD)
    case momentum(Momentum)
    case nesterov(Nesterov)
    case adagrad(AdaGrad)
    case rmsprop(RMSProp)
    case adadelta(AdaDelta)
    case adam(Adam)
    case yogi(Yogi)
    case amsgrad(AMSGrad)
    case adamax(AdaMax)

    /// The names `named(_:_:)` accepts, in a fixed order.
    public static let knownNames = ["sgd", "nag", "adagrad", "rmsprop", "adadelta", "adam", "yogi", "amsgrad", "adamax"]

    /// The keys each name accepts, in a fixed order (used in error messages).
    public static func allowedKeys(for name: String) -> [String]? {
        switch name {
        case "sgd": return ["learning_rate", "momentum"]
        case "nag": return ["learning_rate", "momentum"]
        case "adagrad": return ["learning_rate", "epsilon"]
        case "rmsprop": return ["learning_rate", "gamma1", "epsilon"]
        case "adadelta": return ["rho", "epsilon", "learning_rate"]
        case "adam", "amsgrad", "yogi", "adamax": return ["learning_rate", "beta1", "beta2", "epsilon"]
        default: return nil
        }
    }

    public static func named(_ name: String, _ hyperparameters: [String: Double]) throws -> OptimizerChoice {
        let key = name.lowercased()
        guard let allowed = allowedKeys(for: key) else {
            throw OptimizerChoiceError.unknownOptimizer(name: name, known: knownNames)
        }
        for given in hyperparameters.keys.sorted() where !allowed.contains(given) {
            throw OptimizerChoiceError.unknownHyperparameter(name: given, optimizer: key, allowed: allowed)
        }
        let reader = Reader(optimizer: key, values: hyperparameters)
        switch key {
        case "sgd":
            let lr = try reader.learningRate()
            if hyperparameters["momentum"] != nil {
                return .momentum(Momentum(learningRate: lr, momentum: try reader.fraction("momentum", default: 0.9)))
            }
            return .sgd(SGD(learningRate: lr))
        case "nag":
            return .nesterov(Nesterov(learningRate: try reader.learningRate(),
                                      momentum: try reader.fraction("momentum", default: 0.9)))
        case "adagrad":
            return .adagrad(AdaGrad(learningRate: try reader.learningRate(),
                                    epsilon: try reader.epsilon(default: 1e-6)))
        case "rmsprop":
            return .rmsprop(RMSProp(learningRate: try reader.learningRate(),
                                    gamma: try reader.fraction("gamma1", default: 0.9),
                                    epsilon: try reader.epsilon(default: 1e-6)))
        case "adadelta":
            return .adadelta(AdaDelta(rho: try reader.fraction("rho", default: 0.9),
                                      epsilon: try reader.epsilon(default: 1e-5),
                                      learningRate: try reader.learningRate(default: 1)))
        case "adam":
            return .adam(Adam(learningRate: try reader.learningRate(), beta1: try reader.fraction("beta1", default: 0.9),
                              beta2: try reader.fraction("beta2", default: 0.999), epsilon: try reader.epsilon(default: 1e-6)))
        case "amsgrad":
            return .amsgrad(AMSGrad(learningRate: try reader.learningRate(), beta1: try reader.fraction("beta1", default: 0.9),
                                    beta2: try reader.fraction("beta2", default: 0.999),
                                    epsilon: try reader.epsilon(default: 1e-6)))
        case "yogi":
            return .yogi(Yogi(learningRate: try reader.learningRate(), beta1: try reader.fraction("beta1", default: 0.9),
                              beta2: try reader.fraction("beta2", default: 0.999), epsilon: try reader.epsilon(default: 1e-3)))
        default: // "adamax"
            return .adamax(AdaMax(learningRate: try reader.learningRate(default: 0.002),
                                  beta1: try reader.fraction("beta1", default: 0.9),
                                  beta2: try reader.fraction("beta2", default: 0.999),
                                  epsilon: try reader.epsilon(default: 1e-8)))
        }
    }

    /// The typed optimizer itself (the same value the from-scratch code builds), for any
    /// generic training loop: `trainLinearRegression(optimizer: choice.optimizer, …)`.
    public var optimizer: any Optimizer {
        switch self {
        case .sgd(let o): return o
        case .momentum(let o): return o
        case .nesterov(let o): return o
        case .adagrad(let o): return o
        case .rmsprop(let o): return o
        case .adadelta(let o): return o
        case .adam(let o): return o
        case .yogi(let o): return o
        case .amsgrad(let o): return o
        case .adamax(let o): return o
        }
    }

    /// The Gluon-style name of the algorithm (`sgd` with momentum reports `sgd`).
    public var name: String {
        switch self {
        case .sgd, .momentum: return "sgd"
        case .nesterov: return "nag"
        case .adagrad: return "adagrad"
        case .rmsprop: return "rmsprop"
        case .adadelta: return "adadelta"
        case .adam: return "adam"
        case .yogi: return "yogi"
        case .amsgrad: return "amsgrad"
        case .adamax: return "adamax"
        }
    }

    /// Reads and validates hyperparameter values.
    private struct Reader {
        let optimizer: String
        let values: [String: Double]

        func learningRate(default fallback: Double? = nil) throws -> Double {
            guard let value = values["learning_rate"] ?? fallback else {
                throw OptimizerChoiceError.missingHyperparameter(name: "learning_rate", optimizer: optimizer)
            }
            guard value.isFinite && value > 0 else {
                throw OptimizerChoiceError.invalidValue(name: "learning_rate", value: value, requirement: "a finite positive number")
            }
            return value
        }

        func fraction(_ key: String, default fallback: Double) throws -> Double {
            let value = values[key] ?? fallback
            guard value >= 0 && value < 1 else {
                throw OptimizerChoiceError.invalidValue(name: key, value: value, requirement: "in [0, 1)")
            }
            return value
        }

        func epsilon(default fallback: Double) throws -> Double {
            let value = values["epsilon"] ?? fallback
            guard value.isFinite && value >= 0 else {
                throw OptimizerChoiceError.invalidValue(name: "epsilon", value: value, requirement: "a finite number >= 0")
            }
            return value
        }
    }
}

/// Why `OptimizerChoice.named` rejected its input.
public enum OptimizerChoiceError: Error, Equatable, CustomStringConvertible {
    case unknownOptimizer(name: String, known: [String])
    case unknownHyperparameter(name: String, optimizer: String, allowed: [String])
    case missingHyperparameter(name: String, optimizer: String)
    case invalidValue(name: String, value: Double, requirement: String)

    public var description: String {
        switch self {
        case .unknownOptimizer(let name, let known):
            return "unknown optimizer '\(name)'; known: \(known.joined(separator: ", "))"
        case .unknownHyperparameter(let name, let optimizer, let allowed):
            return "optimizer '\(optimizer)' has no hyperparameter '\(name)'; it takes \(allowed.joined(separator: ", "))"
        case .missingHyperparameter(let name, let optimizer):
            return "optimizer '\(optimizer)' needs '\(name)'"
        case .invalidValue(let name, let value, let requirement):
            return "hyperparameter '\(name)' is \(value) but must be \(requirement)"
        }
    }
}
