import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// A chapter of the book: a page of narrative and experiments written into a `Notebook`.
///
/// Each `Chapters/<target>/main.swift` is one line, `ChapterMain.run(MyChapter.self)`;
/// the tests call `run(_:_:)` in-process and compare the notebook with goldens.
public protocol Chapter {
    /// The executable target's name, e.g. `Ch11_3_GradientDescent`.
    static var target: String { get }
    /// The page title, e.g. `11.3 Gradient Descent`.
    static var title: String { get }
    /// One line for `--help` and the index page.
    static var summary: String { get }
    /// A figure file of the chapter's page that stands for the chapter on the index page.
    static var keyFigure: String? { get }
    /// True when the key figure has an animated twin (`<name>-animated.svg`), linked beside it.
    static var keyFigureIsAnimated: Bool { get }
    /// The seed used when `--seed` is not given.
    static var defaultSeed: UInt64 { get }
    /// Flags beyond the shared `--help`, `--seed`, `--output`.
    static var options: [OptionSpec] { get }
    /// Writes the chapter into `notebook`.
    static func run(_ notebook: Notebook, _ context: ChapterContext) throws
}

extension Chapter {
    public static var keyFigure: String? { nil }
    public static var keyFigureIsAnimated: Bool { false }
    public static var defaultSeed: UInt64 { 42 }
    public static var options: [OptionSpec] { [] }
}

/// A chapter-specific command-line flag.
public struct OptionSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A switch such as `--full`.
        case flag
        /// `--name VALUE`, with a description of the value (e.g. `DIR`, `X`).
        case value(placeholder: String, validate: @Sendable (String) -> String?)

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.flag, .flag): return true
            case (.value(let a, _), .value(let b, _)): return a == b
            default: return false
            }
        }
    }
    public let name: String
    public let kind: Kind
    public let help: String

    public init(flag name: String, help: String) {
        self.name = name; self.kind = .flag; self.help = help
    }
    /// `validate` returns an error message for a malformed value, or nil when it is fine.
    public init(value name: String, placeholder: String, help: String,
                validate: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.name = name; self.kind = .value(placeholder: placeholder, validate: validate); self.help = help
    }

    /// A value option that must parse as a finite `Double`.
    public static func number(_ name: String, help: String) -> OptionSpec {
        OptionSpec(value: name, placeholder: "X", help: help) { text in
            guard let v = Double(text), v.isFinite else { return "expects a number, got '\(text)'" }
            return nil
        }
    }
}

/// What a chapter run is given: the seed, the parsed flags, and whether it runs in the
/// tests' reduced configuration.
public struct ChapterContext: Sendable {
    public let seed: UInt64
    /// Flags that were set (switches) and values of value options.
    public let flags: Set<String>
    public let values: [String: String]
    /// True in golden tests: chapters with long training runs use their small configuration.
    public let reduced: Bool

    public init(seed: UInt64, flags: Set<String> = [], values: [String: String] = [:], reduced: Bool = false) {
        self.seed = seed; self.flags = flags; self.values = values; self.reduced = reduced
    }

    public func isSet(_ flag: String) -> Bool { flags.contains(flag) }
    /// `--trace` (shared by every chapter): print step tables of the 2-D runs.
    public var trace: Bool { isSet("--trace") }
    public func value(_ name: String) -> String? { values[name] }
    public func number(_ name: String) -> Double? { values[name].flatMap(Double.init) }

    /// A generator for one named stream of randomness, so that adding a random experiment
    /// to a chapter does not shift the numbers of the experiments after it.
    public func generator(stream: String) -> SeededGenerator {
        // FNV-1a over the stream name, mixed with the seed.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in stream.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return SeededGenerator(seed: seed ^ h)
    }
}
