import Foundation

/// A flag, a number option and a validated value option, like the chapters declare.
let fuzzOptions: [OptionSpec] = [
    OptionSpec(flag: "--full", help: "long run"),
    .number("--eta", help: "step size"),
    OptionSpec(value: "--data-dir", placeholder: "DIR", help: "data") { $0.isEmpty ? "needs a directory" : nil },
]

/// libFuzzer entry for the command-line parser: the input is split at NUL bytes into
/// arguments. Parsing must succeed or throw a `UsageError`; a success must be consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    do {
        let parsed = try ArgumentParser.parse(arguments, options: fuzzOptions)
        if let eta = parsed.values["--eta"], !(Double(eta)?.isFinite ?? false) {
            fatalError("accepted --eta '\(eta)'")
        }
        if let output = parsed.outputDirectory, output.isEmpty { fatalError("accepted an empty --output") }
        for flag in parsed.flags where flag != "--full" { fatalError("accepted unknown flag \(flag)") }
        let context = ChapterContext(seed: parsed.seed ?? 42, flags: parsed.flags, values: parsed.values)
        var generator = context.generator(stream: arguments.first ?? "")
        _ = generator.next()
    } catch let error as UsageError {
        if error.message.isEmpty || error.message.contains(where: \.isNewline) {
            fatalError("usage error is not one line: \(error.message)")
        }
    } catch {
        fatalError("unexpected error type \(error)")
    }
    _ = ArgumentParser.usage(target: "Fuzz", summary: "fuzz", options: fuzzOptions, defaultSeed: 42)
    return 0
}
