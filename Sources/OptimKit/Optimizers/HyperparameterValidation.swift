/// Checks of optimizer hyperparameters that report their message in every build configuration.
///
/// `precondition` drops its message in optimised builds, so a misconfigured optimizer would
/// stop without saying why. An optimizer that validates its settings lists what is wrong with
/// a static `problems(…)` function (which tests can call without trapping) and hands the list
/// to `requireValid`, which stops the program with every problem spelled out.
///
/// ```swift
/// let problems = HyperparameterValidation.nonNegative(-1, "weightDecay")
/// // ["weightDecay must be finite and at least 0, got -1.0"]
/// HyperparameterValidation.requireValid(problems, "AdamW")   // stops with that message
/// ```
public enum HyperparameterValidation {
    /// Stops with `who: problem; problem …` when `problems` is not empty.
    public static func requireValid(_ problems: [String], _ who: String) {
        guard !problems.isEmpty else { return }
        // fatalError keeps its message in -O builds, unlike precondition.
        fatalError("\(who): " + problems.joined(separator: "; "))
    }

    /// `value` must be finite and ≥ 0 (learning rates, weight decay).
    public static func nonNegative(_ value: Double, _ name: String) -> [String] {
        value.isFinite && value >= 0 ? [] : ["\(name) must be finite and at least 0, got \(value)"]
    }

    /// `value` must be finite and > 0 (ε).
    public static func positive(_ value: Double, _ name: String) -> [String] {
        value.isFinite && value > 0 ? [] : ["\(name) must be finite and greater than 0, got \(value)"]
    }

    /// `value` must lie in [0, 1) (decay rates of leaky averages).
    public static func decayRate(_ value: Double, _ name: String) -> [String] {
        value >= 0 && value < 1 ? [] : ["\(name) must be in [0, 1), got \(value)"]
    }
}
