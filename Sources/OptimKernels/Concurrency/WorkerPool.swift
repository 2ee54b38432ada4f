import OptimKit
import Synchronization
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A fixed set of worker threads that run the iterations of parallel loops, without
/// allocating anything per loop.
///
/// Why it exists: `DispatchQueue.concurrentPerform` allocates on every call on Linux (the
/// Dispatch overlay boxes the loop body), about 70 times per LeNet minibatch. A training
/// step that should allocate nothing once warmed up therefore needs its own hand-off.
///
/// How it works:
/// - One worker thread per core beyond the first is started the first time `shared` is
///   used; the threads live as long as the process.
/// - A loop is described by a plain function value that captures nothing, a raw pointer to
///   the caller's arguments (on the caller's stack) and an iteration count. None of these
///   needs the heap: the function is a global symbol and the arguments stay where they are.
/// - `run` publishes the loop under the mutex, with a new generation number, and wakes the
///   workers; then the caller and the workers take iteration indices one at a time from an
///   atomic cursor (generation and next index in one word, so a worker that still holds the
///   previous loop can never take an index of the next) until none are left. Which thread
///   runs which index does not matter: iterations are independent.
/// - The caller returns only after every index has *finished* (an atomic count, released by
///   each iteration and acquired by the caller, which also publishes the loop's outputs), so
///   the arguments on its stack outlive every use.
/// - **Waiting spins first.** A worker whose loop is done, and a caller whose last indices are
///   still running elsewhere, poll for `spinMicroseconds` (default 200,
///   `OPTIMKIT_WORKER_SPIN_MICROSECONDS`) before sleeping on a condition variable. A training
///   step hands work over some 65 times, a few hundred microseconds apart; on a virtual
///   machine (this project's 2-core KVM guest halts an idle CPU at once) waking a sleeping
///   thread costs enough that a 20 ms product ran at one core's speed when its worker slept
///   between hand-offs. OpenBLAS and OpenMP spin for the same reason, but for about a tenth
///   of a second; a short spin keeps the CPU cost small when the machine is shared.
/// - One loop at a time: a call made while the pool is busy (from another thread, or from
///   inside an iteration) runs its iterations in order on the calling thread instead.
///
/// Thread safety: `function`, `arguments`, `count` and `generation` are written only under
/// `mutex` and read by workers under it; the cursor and the finished count are atomics; the
/// loop's outputs reach the caller through the finished count's release/acquire pair. That
/// is what makes `@unchecked Sendable` sound.
final class WorkerPool: @unchecked Sendable {
    /// The loop body: `function(arguments, index)`.
    typealias Function = @Sendable (UnsafeRawPointer, Int) -> Void

    /// The process-wide pool, created on first use with one worker per extra core.
    static let shared = WorkerPool(workers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// How long an idle thread polls before it sleeps, read once from
    /// `OPTIMKIT_WORKER_SPIN_MICROSECONDS` (0 ... 1,000,000; default 200).
    static let defaultSpinMicroseconds: Int = {
        guard let text = ProcessInfo.processInfo.environment["OPTIMKIT_WORKER_SPIN_MICROSECONDS"],
              let value = Int(text), (0...1_000_000).contains(value) else { return 200 }
        return value
    }()

    /// Number of worker threads (the caller of `run` works too).
    let workerCount: Int
    /// How long a waiting thread polls before it sleeps.
    let spinMicroseconds: Int

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workAvailable: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>

    // The current loop; written under `mutex`.
    private var function: Function?
    private var arguments: UnsafeRawPointer?
    private var count = 0
    private var generation = 0

    /// The current loop's generation (bits 32...62) and next index (bits 0...31).
    private let cursor = Atomic<Int>(0)
    /// Iterations of the current loop that have finished.
    private let finished = Atomic<Int>(0)

    private static let indexBits = 32
    private static let indexMask = (1 << indexBits) - 1

    init(workers: Int, spinMicroseconds: Int = WorkerPool.defaultSpinMicroseconds) {
        workerCount = workers
        self.spinMicroseconds = spinMicroseconds
        mutex = .allocate(capacity: 1)
        workAvailable = .allocate(capacity: 1)
        workDone = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(workDone, nil)
        for index in 0..<workers {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "OptimKit worker \(index + 1)"
            thread.start()
        }
    }

    /// Runs `function(arguments, i)` for every `i` in `0..<count` on the caller and the
    /// workers, and returns when all have finished. `function` must capture nothing (or
    /// the closure context is allocated and retained per call) and `arguments` must stay
    /// valid until `run` returns.
    func run(_ count: Int, arguments: UnsafeRawPointer, _ function: @escaping Function) {
        pthread_mutex_lock(mutex)
        if self.function != nil || workerCount == 0 || count < 2 || count > Self.indexMask {
            pthread_mutex_unlock(mutex)
            for i in 0..<count { function(arguments, i) }
            return
        }
        self.function = function
        self.arguments = arguments
        self.count = count
        generation = (generation + 1) & Int(Int32.max)
        let loop = generation
        finished.store(0, ordering: .relaxed)
        cursor.store(loop << Self.indexBits, ordering: .releasing)
        pthread_cond_broadcast(workAvailable)
        pthread_mutex_unlock(mutex)

        runIndices(of: loop, count: count, function, arguments)
        if !spin(until: { finished.load(ordering: .acquiring) == count }) {
            pthread_mutex_lock(mutex)
            while finished.load(ordering: .acquiring) < count { pthread_cond_wait(workDone, mutex) }
            pthread_mutex_unlock(mutex)
        }
        pthread_mutex_lock(mutex)
        self.function = nil
        self.arguments = nil
        pthread_mutex_unlock(mutex)
    }

    /// Takes indices of loop `loop` from the cursor and runs them until none are left (or
    /// the cursor has moved on to another loop).
    @inline(__always)
    private func runIndices(of loop: Int, count: Int, _ function: Function, _ arguments: UnsafeRawPointer) {
        var state = cursor.load(ordering: .relaxed)
        while state >> Self.indexBits == loop && state & Self.indexMask < count {
            let (exchanged, original) = cursor.compareExchange(expected: state, desired: state + 1, ordering: .relaxed)
            if !exchanged {
                state = original
                continue
            }
            function(arguments, state & Self.indexMask)
            if finished.add(1, ordering: .releasing).newValue == count {
                // The caller may be asleep (it gave up spinning); it checks the count under
                // the mutex before it waits, so signalling under the mutex cannot be missed.
                pthread_mutex_lock(mutex)
                pthread_cond_signal(workDone)
                pthread_mutex_unlock(mutex)
            }
            state = cursor.load(ordering: .relaxed)
        }
    }

    /// Polls `condition` for up to `spinMicroseconds`; true as soon as it holds.
    @inline(__always)
    private func spin(until condition: () -> Bool) -> Bool {
        if condition() { return true }
        if spinMicroseconds == 0 { return false }
        let deadline = Self.nanosecondsNow() + UInt64(spinMicroseconds) * 1_000
        while true {
            // Check the clock only every few dozen polls: a poll is a load of a cache line
            // that stays shared until the other thread writes it.
            for _ in 0..<64 where condition() { return true }
            if Self.nanosecondsNow() >= deadline { return condition() }
        }
    }

    private static func nanosecondsNow() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private func workerLoop() {
        var seen = 0
        while true {
            if !spin(until: { cursor.load(ordering: .acquiring) >> Self.indexBits != seen }) {
                pthread_mutex_lock(mutex)
                while generation == seen { pthread_cond_wait(workAvailable, mutex) }
                pthread_mutex_unlock(mutex)
            }
            pthread_mutex_lock(mutex)
            let loop = generation, function = self.function, arguments = self.arguments, count = self.count
            pthread_mutex_unlock(mutex)
            seen = loop
            // A loop that has already ended leaves `function` nil: nothing to do.
            if let function, let arguments { runIndices(of: loop, count: count, function, arguments) }
        }
    }
}
