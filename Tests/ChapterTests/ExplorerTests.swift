@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
@testable import BookChapters
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--explore` view: frames are a pure function of the state (golden frames), keys are
/// state transitions, and the executable is driven end to end through a pseudo-terminal.
@Suite struct ExplorerTests {
    static func state(_ start: ExplorerStart = MomentumChapter.explorerStart, title: String = MomentumChapter.title) -> ExplorerState {
        ExplorerState(title: title, start: start)
    }

    static func frame(_ state: ExplorerState, _ width: Int, _ height: Int, colour: Bool = false) -> String {
        ExplorerFrame.lines(state, width: width, height: height, colour: colour).joined(separator: "\n") + "\n"
    }

    // MARK: Frames

    @Test func goldenFrames() {
        Golden.check(Self.frame(Self.state(), 100, 30), target: "Explorer", name: "momentum-100x30.txt")
        var help = Self.state()
        help.handle(.character("?"))
        Golden.check(Self.frame(help, 80, 24), target: "Explorer", name: "help-80x24.txt")
        Golden.check(Self.frame(Self.state(), 60, 20), target: "Explorer", name: "momentum-60x20.txt")
        let adam = Self.state(ExplorerStart(optimizer: .adam, eta: 0.1, function: "rosenbrock", steps: 200), title: "11.10 Adam and Yogi")
        Golden.check(Self.frame(adam, 140, 40), target: "Explorer", name: "adam-rosenbrock-140x40.txt")
        let diverging = Self.state(ExplorerStart(optimizer: .gradientDescent, eta: 0.6, function: "ill-conditioned"))
        Golden.check(Self.frame(diverging, 100, 30, colour: true), target: "Explorer", name: "gd-diverging-100x30-colour.txt")
    }

    @Test func framesArePureAndFillTheWindowExactly() {
        var s = Self.state()
        for key in [ExplorerKey.character("o"), .character("f"), .right, .character("+"), .character(">")] {
            s.handle(key)
            for (w, h) in [(40, 12), (60, 20), (89, 25), (90, 25), (100, 30), (200, 60), (300, 80)] {
                let a = ExplorerFrame.lines(s, width: w, height: h, colour: true)
                #expect(a == ExplorerFrame.lines(s, width: w, height: h, colour: true))
                #expect(a.count == h, "\(w)×\(h)")
                #expect(a.allSatisfy { ExplorerFrame.visibleWidth($0) <= w }, "\(w)×\(h)")
            }
        }
        let tiny = ExplorerFrame.lines(s, width: 30, height: 8, colour: false)
        #expect(tiny.count == 8 && tiny[0].contains("too small"))
    }

    @Test func theStartingRunIsTheChaptersOwn() {
        // Momentum η = 0.6, β = 0.5 from (−5, −2), 20 steps: the book's closing line.
        let run = Self.state().run()
        let end = run.points[run.points.count - 1]
        #expect("epoch 20, x1 \(CFormat.format("%f", end.x)), x2 \(CFormat.format("%f", end.y))" == "epoch 20, x1 0.007188, x2 0.002553")
        let frame = Self.frame(Self.state(), 100, 30)
        #expect(frame.contains("after 20 steps: x = (0.00718787, 0.00255327)"))
        #expect(frame.contains("    20  0.007188  0.002553"))
    }

    // MARK: Keys

    @Test func bytesDecodeToKeys() {
        #expect(ExplorerKey.parse(Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D".utf8)) == [.up, .down, .right, .left])
        #expect(ExplorerKey.parse(Array("\u{1B}OA\u{1B}[1;5C".utf8)) == [.up, .right])
        #expect(ExplorerKey.parse([0x1B]) == [.escape])
        #expect(ExplorerKey.parse([3, 4, 13, 0x7F]) == [.interrupt, .endOfInput, .enter, .ignored])
        #expect(ExplorerKey.parse(Array("q+?".utf8)) == [.character("q"), .character("+"), .character("?")])
    }

    @Test func learningRateStepsAlongNiceValues() {
        var s = Self.state()
        #expect(s.current.eta == 0.6)
        s.handle(.character("+")); #expect(s.current.eta == 0.8)
        s.handle(.character("+")); #expect(s.current.eta == 1)
        s.handle(.character("-")); s.handle(.character("-")); s.handle(.character("-"))
        #expect(s.current.eta == 0.5)
        s.handle(.character("_")); #expect(s.current.eta == 0.4)
        #expect(ExplorerState.nextEta(0.45, up: true) == 0.5)
        #expect(ExplorerState.nextEta(0.001, up: false) == 0.0008)
    }

    @Test func secondHyperparameterStepsAndIsRefusedWhereThereIsNone() {
        var s = Self.state()
        s.handle(.character("]")); #expect(s.current.second == 0.6)
        s.handle(.character("[")); s.handle(.character("[")); #expect(s.current.second == 0.4)
        var gd = Self.state(ExplorerStart(optimizer: .gradientDescent, function: "ellipse"))
        gd.handle(.character("]"))
        #expect(gd.current.second == nil)
        #expect(gd.message == "gradient descent has no second hyperparameter")
        gd.handle(.character("+"))
        #expect(gd.message == nil)
    }

    @Test func optimizersAndFunctionsCycleAndRememberTheirSettings() {
        var s = Self.state()
        s.handle(.character("+"))                                 // momentum η 0.8
        s.handle(.character("o"))
        #expect(s.optimizer == .nesterov && s.current.eta == 0.3 && s.current.second == 0.5)
        for _ in 0..<(ExplorerOptimizer.allCases.count - 1) { s.handle(.character("o")) }
        #expect(s.optimizer == .momentum && s.current.eta == 0.8)
        s.handle(.character("O"))
        #expect(s.optimizer == .gradientDescent)

        #expect(s.surface.name == "ill-conditioned")
        s.handle(.right)                                          // start moves on this surface only
        #expect(s.startPoint == Point2D(-4.5, -2))
        s.handle(.character("f"))
        #expect(s.surface.name == "rosenbrock" && s.startPoint == Point2D(-1.5, 2))
        s.handle(.character("F"))
        #expect(s.startPoint == Point2D(-4.5, -2))
        for _ in 0..<ExplorerSurface.all.count { s.handle(.character("f")) }
        #expect(s.surface.name == "ill-conditioned")
    }

    @Test func startMovesByNiceStepsAndResetRestores() {
        var s = Self.state()
        #expect(s.startStep == Point2D(0.5, 0.2))
        s.handle(.up); s.handle(.character("k")); s.handle(.left); s.handle(.character("j"))
        #expect(s.startPoint == Point2D(-5.5, -1.8))
        s.handle(.character("+")); s.handle(.character(">"))
        #expect(s.steps == 30)
        s.handle(.character("r"))
        #expect(s.startPoint == Point2D(-5, -2) && s.current.eta == 0.6 && s.steps == 20)
        #expect(s.message?.hasPrefix("reset momentum") == true)
    }

    @Test func stepsHelpAndQuit() {
        var s = Self.state()
        s.handle(.character("<")); #expect(s.steps == 10)
        s.handle(.character("?")); #expect(s.showHelp)
        s.handle(.escape); #expect(!s.showHelp)
        s.handle(.character("x")); #expect(s.message == "no key 'x'; press ? for the keys")
        #expect(!s.quit)
        for key in [ExplorerKey.character("q"), .interrupt, .endOfInput] {
            var t = Self.state()
            t.handle(key)
            #expect(t.quit)
        }
    }

    @Test func commandLineSettingsSeedTheExplorer() {
        let ctx = ChapterContext(seed: 1, values: ["--eta": "0.3", "--beta": "0.9", "--function": "rosenbrock",
                                                  "--start": "-1,1", "--steps": "100"])
        let s = Explorer.initialState(title: "t", start: MomentumChapter.explorerStart, context: ctx)
        #expect(s.current.eta == 0.3 && s.current.second == 0.9)
        #expect(s.surface.name == "rosenbrock" && s.startPoint == Point2D(-1, 1) && s.steps == 100)
    }

    // MARK: The executable

    @Test func exploreRefusesWithoutATerminal() throws {
        let r = try ChapterExecutable.run("Ch11_6_Momentum", ["--explore"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "Ch11_6_Momentum: error: --explore needs an interactive terminal: standard input and standard output must both be a terminal, not a pipe or a file\n")
    }

    @Test(arguments: ["Ch11_3_GradientDescent", "Ch11_6_Momentum", "Ch11_7_Adagrad", "Ch11_8_RMSProp", "Ch11_9_Adadelta", "Ch11_10_Adam"])
    func everyTwoDimensionalChapterOffersTheExplorer(_ target: String) throws {
        let r = try ChapterExecutable.run(target, ["--help"])
        #expect(r.status == 0)
        for option in ["--explore", "--list", "--section N", "--no-figures"] { #expect(r.stdout.contains("  " + option + " "), "\(target) \(option)") }
    }

    @Test func endToEndThroughAPseudoTerminal() throws {
        let session = try PseudoTerminalSession(target: "Ch11_6_Momentum", arguments: ["--explore"], columns: 100, rows: 30)
        #expect(session.canonicalAndEcho(), "the terminal starts in canonical mode with echo")
        try session.waitFor("OptimBook explorer · 11.6 Momentum")
        try session.waitFor("momentum: η = 0.6, β = 0.5")
        try session.send("+")
        try session.waitFor("momentum: η = 0.8, β = 0.5")
        try session.send("o")
        try session.waitFor("Nesterov: η = 0.3, β = 0.5")
        try session.send("?")
        try session.waitFor("next / previous optimizer")
        // A resize: the new window size, then SIGWINCH (the pty is not the child's controlling
        // terminal, so the kernel would not send it).
        session.resize(columns: 60, rows: 20)
        kill(session.process.processIdentifier, SIGWINCH)
        try session.waitFor(ExplorerFrame.titleLine(Self.state(), width: 60, colour: false))
        try session.send("q")
        let status = try session.waitForExit()
        #expect(status == 0)
        #expect(session.output.contains("\u{1B}[?1049h"), "entered the alternate screen")
        #expect(session.output.hasSuffix("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"), "left it, cursor shown")
        #expect(session.canonicalAndEcho(), "the terminal is back in canonical mode with echo")
    }

    @Test func interruptRestoresTheTerminal() throws {
        let session = try PseudoTerminalSession(target: "Ch11_6_Momentum", arguments: ["--explore"], columns: 100, rows: 30)
        try session.waitFor("OptimBook explorer")
        #expect(!session.canonicalAndEcho(), "raw mode while exploring")
        kill(session.process.processIdentifier, SIGINT)
        _ = try session.waitForExit()
        #expect(session.process.terminationReason == .uncaughtSignal)
        #expect(session.process.terminationStatus == SIGINT)
        #expect(session.output.contains("\u{1B}[?1049l"))
        #expect(session.canonicalAndEcho())
    }

    @Test func aDumbTerminalIsRefused() throws {
        let session = try PseudoTerminalSession(target: "Ch11_6_Momentum", arguments: ["--explore"], columns: 80, rows: 24,
                                                environment: ["TERM": "dumb"])
        #expect(try session.waitForExit() == 2)
        #expect(session.output.contains("--explore needs a terminal that can move the cursor; TERM is 'dumb'"))
        #expect(!session.output.contains("\u{1B}[?1049h"))
    }

    @Test func ctrlCAsAKeyQuitsNormally() throws {
        let session = try PseudoTerminalSession(target: "Ch11_6_Momentum", arguments: ["--explore"], columns: 80, rows: 24)
        try session.waitFor("OptimBook explorer")
        try session.send("\u{3}")
        #expect(try session.waitForExit() == 0)
        #expect(session.canonicalAndEcho())
    }
}

/// A chapter executable running on a pseudo-terminal (`posix_openpt`), driven by writing keys
/// to the master side and reading what it draws. No dependency: Glibc/Darwin and Foundation's
/// `Process` only.
final class PseudoTerminalSession {
    let master: Int32
    let slave: Int32
    let process = Process()
    private(set) var output = ""

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(target: String, arguments: [String], columns: Int, rows: Int, environment extra: [String: String] = [:]) throws {
        guard let url = ChapterExecutable.url(target) else { throw Failure(description: "\(target) was not built") }
        // posix_openpt, grantpt, unlockpt and ptsname are in the C library but not in the
        // Glibc module's headers: look them up by name, with their C signatures.
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func symbol<T>(_ name: String, _ type: T.Type) -> T? {
            guard let library = dlopen(nil, RTLD_NOW), let address = dlsym(library, name) else { return nil }
            return unsafeBitCast(address, to: T.self)
        }
        guard let openpt = symbol("posix_openpt", IntFunction.self), let grant = symbol("grantpt", IntFunction.self),
              let unlock = symbol("unlockpt", IntFunction.self), let ptsname = symbol("ptsname", NameFunction.self) else {
            throw Failure(description: "the C library has no posix_openpt")
        }
        master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grant(master) == 0, unlock(master) == 0, let name = ptsname(master) else {
            throw Failure(description: "no pseudo-terminal available")
        }
        slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw Failure(description: "cannot open \(String(cString: name))") }
        resize(columns: columns, rows: rows)
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = nil
        environment["LINES"] = nil
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        if process.isRunning {
            // Never wait forever: SIGKILL if SIGTERM has not ended it within a few seconds.
            process.terminate()
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning && Date() < deadline { drain(); usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        close(slave)
        close(master)
    }

    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// True when the terminal is in canonical mode with echo (as a shell leaves it).
    func canonicalAndEcho() -> Bool {
        var t = termios()
        guard tcgetattr(slave, &t) == 0 else { return false }
        return t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
            if n <= 0 { return }
            output += String(decoding: buffer.prefix(n), as: UTF8.self)
        }
    }

    /// Reads until `text` has been drawn (since the last call that found something), or fails
    /// after `seconds`.
    func waitFor(_ text: String, seconds: Double = 20) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            if output.contains(text) { return }
            usleep(20_000)
        }
        throw Failure(description: "'\(text)' never appeared; the terminal showed:\n\(output.suffix(3000))")
    }

    func send(_ keys: String) throws {
        let bytes = Array(keys.utf8)
        guard bytes.withUnsafeBytes({ write(master, $0.baseAddress!, $0.count) }) == bytes.count else {
            throw Failure(description: "could not send \(keys)")
        }
    }

    /// Waits for the process to end (draining its output meanwhile) and returns its status.
    func waitForExit(seconds: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline {
            drain()
            usleep(20_000)
        }
        guard !process.isRunning else { throw Failure(description: "the explorer did not exit") }
        process.waitUntilExit()
        drain()
        return process.terminationStatus
    }
}
