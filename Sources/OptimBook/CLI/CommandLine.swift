import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation

/// The parsed command line of a chapter executable.
public struct ChapterArguments: Equatable, Sendable {
    public var help = false
    public var seed: UInt64?
    public var outputDirectory: String?
    public var flags: Set<String> = []
    public var values: [String: String] = [:]
}

/// A command-line mistake: reported as one line plus the usage, exit status 2.
///
/// The message quotes what the user typed; control characters in it (a newline or carriage
/// return pasted into an argument, an escape sequence) are spelled out as `\u{…}` so the
/// report stays one readable line and cannot drive the terminal.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = UsageError.printable(message) }
    public var description: String { message }

    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

public enum ArgumentParser {
    /// Flags every chapter accepts besides `--help`, `--seed` and `--output` (a chapter's own
    /// option of the same name takes precedence).
    public static let sharedOptions: [OptionSpec] = [
        OptionSpec(flag: "--trace", help: "also print step tables (gradient, optimizer state, update) of the 2-D runs"),
    ] + ChapterMain.viewOptions

    /// The chapter's options followed by the shared ones it does not redefine.
    static func withShared(_ options: [OptionSpec]) -> [OptionSpec] {
        options + sharedOptions.filter { shared in !options.contains { $0.name == shared.name } }
    }

    /// Parses `arguments` (without the program name). Accepts `--name value` and `--name=value`.
    public static func parse(_ arguments: [String], options chapterOptions: [OptionSpec]) throws -> ChapterArguments {
        let options = withShared(chapterOptions)
        var result = ChapterArguments()
        var seen = Set<String>()
        var i = 0
        func takeValue(_ name: String, inline: String?) throws -> String {
            if let inline { return inline }
            guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") else {
                throw UsageError("option \(name) needs a value")
            }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let argument = arguments[i]
            guard argument.hasPrefix("-") && argument.count > 1 else {
                throw UsageError("unexpected argument '\(argument)'")
            }
            var name = argument
            var inline: String? = nil
            if let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            if seen.contains(name) { throw UsageError("option \(name) given more than once") }
            seen.insert(name)
            switch name {
            case "--help":
                if inline != nil { throw UsageError("option --help takes no value") }
                result.help = true
            case "--seed":
                let text = try takeValue(name, inline: inline)
                guard let seed = UInt64(text) else {
                    throw UsageError("option --seed expects a whole number from 0 to \(UInt64.max), got '\(text)'")
                }
                result.seed = seed
            case "--output":
                let text = try takeValue(name, inline: inline)
                guard !text.isEmpty else { throw UsageError("option --output needs a directory") }
                result.outputDirectory = text
            default:
                guard let spec = options.first(where: { $0.name == name }) else {
                    let known = ["--help", "--seed", "--output"] + options.map(\.name)
                    if let guess = closestOption(to: name, among: known) {
                        throw UsageError("unknown option '\(name)' (did you mean \(guess)?)")
                    }
                    throw UsageError("unknown option '\(name)'")
                }
                switch spec.kind {
                case .flag:
                    if inline != nil { throw UsageError("option \(name) takes no value") }
                    result.flags.insert(name)
                case .value(_, let validate):
                    let text = try takeValue(name, inline: inline)
                    if let problem = validate(text) { throw UsageError("option \(name) \(problem)") }
                    result.values[name] = text
                }
            }
            i += 1
        }
        return result
    }

    /// The known option within edit distance 2 of a mistyped `name`, if exactly one is closest.
    static func closestOption(to name: String, among known: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let current = row[j]
                    row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let typed = Array(name)
        let scored = known.map { (option: $0, score: distance(typed, Array($0))) }.filter { $0.score <= 2 }
        guard let best = scored.map(\.score).min() else { return nil }
        let winners = scored.filter { $0.score == best }
        return winners.count == 1 ? winners[0].option : nil
    }

    public static func usage(target: String, summary: String, options: [OptionSpec], defaultSeed: UInt64) -> String {
        var lines = ["usage: swift run \(target) [options]", "", summary, "", "options:"]
        var rows: [(String, String)] = [
            ("--help", "show this help and exit"),
            ("--seed N", "seed of the random generator (default \(defaultSeed))"),
            ("--output DIR", "where the page and figures go (default Output/\(target))"),
        ]
        for o in withShared(options) {
            switch o.kind {
            case .flag: rows.append((o.name, o.help))
            case .value(let placeholder, _): rows.append(("\(o.name) \(placeholder)", o.help))
            }
        }
        let w = rows.map { $0.0.count }.max() ?? 0
        for (a, b) in rows { lines.append("  " + a + String(repeating: " ", count: w - a.count + 2) + b) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The entry point every chapter executable calls.
public enum ChapterMain {
    /// Parses the command line, runs the chapter live on the terminal, writes its page and
    /// figures, and exits: 0 on success, 2 for a command-line mistake, 1 for any other error.
    public static func run<C: Chapter>(_ chapter: C.Type, contents: BookContents,
                                      arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        // A closed, full or broken terminal must not trap, and an interrupt must not leave
        // temporaries behind (StandardStreams, InterruptCleanup).
        StandardStreams.prepareForChapter()
        InterruptCleanup.install()
        let status = execute(chapter, contents: contents, arguments: arguments)
        // Where the page went, for the message about a failed standard output.
        let parsed = try? ArgumentParser.parse(arguments, options: C.options)
        let written = status == 0 && parsed?.help == false ? parsed?.outputDirectory ?? "Output/\(C.target)" : nil
        exit(StandardStreams.finish(status: status, target: C.target, pageDirectory: written))
    }

    /// True when the environment sets `OPTIMBOOK_MASK_VOLATILE=1`: the run then masks volatile
    /// values (timings) on the terminal, in the page and in the figures, exactly as the golden
    /// tests do, so two runs can be compared byte for byte (`scripts/check-determinism.sh`).
    public static var masksVolatileValues: Bool { NotebookText.maskingRequestedByEnvironment }

    public static func writeError(_ text: String) {
        StandardStreams.error.write(text)
    }

    /// The body of `run` without the `exit`, so tests can check statuses in-process.
    public static func execute<C: Chapter>(_ chapter: C.Type, contents: BookContents, arguments: [String],
                                           renderer: TerminalRenderer? = nil,
                                           errorSink: (String) -> Void = ChapterMain.writeError) -> Int32 {
        let options = allOptions(C.self)
        let usage = ArgumentParser.usage(target: C.target, summary: C.summary, options: options, defaultSeed: C.defaultSeed)
        let parsed: ChapterArguments
        do {
            parsed = try ArgumentParser.parse(arguments, options: options)
        } catch let error as UsageError {
            errorSink("\(C.target): error: \(error.message)\n\n" + usage)
            return 2
        } catch {
            errorSink("\(C.target): error: \(error)\n")
            return 2
        }
        if parsed.help {
            (renderer ?? TerminalRenderer.standardOutput()).emitRaw(usage)
            return 0
        }
        let live = renderer ?? TerminalRenderer.standardOutput()
        if let status = prepareView(C.self, parsed, live: live, usage: usage, errorSink: errorSink) { return status }
        let directory = parsed.outputDirectory ?? "Output/\(C.target)"
        // Locked and staged before the chapter starts: a bad --output or a directory another
        // run holds fails at once, and the page and figures are swapped in as one set.
        let pageSet: StagedDirectory
        do {
            pageSet = try StagedDirectory(directory)
        } catch {
            errorSink("\(C.target): error: \(error)\n")
            return 1
        }
        live.outputDirectory = directory
        let notebook = Notebook(target: C.target, title: C.title, live: live)
        notebook.navigation = contents.navigation(for: C.target)
        let context = ChapterContext(seed: parsed.seed ?? C.defaultSeed, flags: parsed.flags, values: parsed.values)
        do {
            do {
                try C.run(notebook, context)
            } catch let error as UsageError {
                // A combination of flags the chapter can only judge while it runs.
                pageSet.abandon()
                errorSink("\(C.target): error: \(error.message)\n\n" + usage)
                return 2
            }
            try notebook.write(into: pageSet, maskVolatile: masksVolatileValues)
            // The default location also refreshes the book's index page beside the chapters.
            if parsed.outputDirectory == nil {
                try AtomicFile.write(contents.indexMarkdown(), to: "Output/README.md")
            }
        } catch {
            pageSet.abandon()
            errorSink("\(C.target): error: \(error)\n")
            return 1
        }
        return 0
    }

    /// Runs a chapter in-process without printing or writing anything (golden tests).
    public static func notebook<C: Chapter>(_ chapter: C.Type, contents: BookContents, seed: UInt64? = nil, reduced: Bool = true,
                                            flags: Set<String> = [], values: [String: String] = [:]) throws -> Notebook {
        let notebook = Notebook(target: C.target, title: C.title)
        notebook.navigation = contents.navigation(for: C.target)
        try C.run(notebook, ChapterContext(seed: seed ?? C.defaultSeed, flags: flags, values: values, reduced: reduced))
        return notebook
    }
}

extension TerminalRenderer {
    func emitRaw(_ text: String) {
        StandardStreams.output.write(text)
    }
}
