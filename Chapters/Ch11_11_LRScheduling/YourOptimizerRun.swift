import OptimKit
import OptimKernels
import OptimTraining
import OptimNotebook
import OptimBook
import Foundation

/// `--optimizer NAME` and its hyperparameter flags: LeNet trained with any optimizer of the
/// book, through the same `Optimizer` values the earlier chapters use on their toy problems.
enum OptimizerRunOptions {
    /// Flag → the key `OptimizerChoice.named` takes.
    static let hyperparameterFlags: [(flag: String, key: String, help: String)] = [
        ("--lr", "learning_rate", "learning rate of --optimizer (required except for adadelta and adamax)"),
        ("--momentum", "momentum", "momentum β of sgd (which then is heavy-ball momentum) and nag"),
        ("--beta1", "beta1", "β₁ of adam, yogi, amsgrad, adamax"),
        ("--beta2", "beta2", "β₂ of adam, yogi, amsgrad, adamax"),
        ("--gamma", "gamma1", "γ of rmsprop"),
        ("--rho", "rho", "ρ of adadelta"),
        ("--epsilon", "epsilon", "ε of the adaptive methods"),
    ]

    static var options: [OptionSpec] {
        [OptionSpec(value: "--optimizer", placeholder: "NAME",
                    help: "also train LeNet with this optimizer at a constant rate: \(OptimizerChoice.knownNames.joined(separator: ", "))") { text in
            OptimizerChoice.knownNames.contains(text.lowercased())
                ? nil : "expects one of \(OptimizerChoice.knownNames.joined(separator: ", ")), got '\(text)'"
        }] + hyperparameterFlags.map { OptionSpec.number($0.flag, help: $0.help) }
    }

    /// The optimizer the flags ask for, or nil without `--optimizer`. Flags that the chosen
    /// optimizer does not take, or values out of range, are command-line mistakes.
    static func choice(_ ctx: ChapterContext) throws -> OptimizerChoice? {
        guard let name = ctx.value("--optimizer") else {
            if let stray = hyperparameterFlags.first(where: { ctx.value($0.flag) != nil }) {
                throw UsageError("option \(stray.flag) needs --optimizer")
            }
            return nil
        }
        var values: [String: Double] = [:]
        for h in hyperparameterFlags { if let v = ctx.number(h.flag) { values[h.key] = v } }
        do {
            return try OptimizerChoice.named(name, values)
        } catch let error as OptimizerChoiceError {
            var message = error.description
            // Speak of the flags the reader typed, not of the library's key names.
            for h in hyperparameterFlags {
                message = message.replacingOccurrences(of: "'\(h.key)'", with: h.flag)
                message = message.replacingOccurrences(of: "(?<![-\\w])\(h.key)(?!\\w)", with: h.flag,
                                                       options: .regularExpression)
            }
            throw UsageError("--optimizer \(name): \(message)")
        }
    }
}

extension LRSchedulingChapter {
    /// The section `--optimizer` adds: LeNet with the reader's optimizer at a constant rate,
    /// from the same initial weights and minibatch order as every run above.
    static func yourOptimizerRun(_ nb: Notebook, _ setup: Setup, _ ctx: ChapterContext, choice: OptimizerChoice) {
        let settings = OptimizerRunOptions.hyperparameterFlags
            .compactMap { h in ctx.value(h.flag).map { "\(h.flag.dropFirst(2)) \($0)" } }
            .joined(separator: ", ")
        let label = choice.name + (settings.isEmpty ? "" : " (\(settings))")
        nb.heading("Your run: \(label)")
        nb.paragraph("""
            LeNet trained with `\(choice.name)` from the command line, at a constant rate, for \
            \(setup.epochs) epochs on \(setup.description) The network starts from the same weights \
            and sees the same minibatches as run 0 of every schedule above; the optimizer is the same value type the \
            toy problems of sections 11.6 to 11.10 use, applied to each weight tensor with its own state.
            """)
        trainRun(nb, setup, name: choice.name, file: "your-run", optimizer: choice.optimizer,
                 caption: "LeNet trained with \(label)")
    }
}
