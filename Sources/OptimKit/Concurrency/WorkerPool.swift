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
///   used; the threads live as long as the process and sleep on a condition variable
///   while there is nothing to do.
/// - A loop is described by a plain function value that captures nothing, a raw pointer to
///   the caller's arguments (on the caller's stack) and an iteration count. None of these
///   needs the heap: the function is a global symbol and the arguments stay where they are.
/// - `run` publishes the loop under the mutex and wakes the workers; then the caller and the
///   workers take iteration indices one at a time (under the mutex) until none are left.
///   Which thread runs which index does not matter: iterations are independent.
/// - The caller returns only after every index has *finished* (a count kept under the
///   mutex), so the arguments on its stack outlive every use. A worker that wakes late
///   simply finds no index left and goes back to sleep.
/// - One loop at a time: a call made while the pool is busy (from another thread, or from
///   inside an iteration) runs its iterations in order on the calling thread instead.
///
/// Thread safety: every stored property is read and written only while holding `mutex`;
/// the loop's outputs written by a worker are published to the caller by the mutex
/// release that follows each finished index. That is what makes `@unchecked Sendable` sound.
final class WorkerPool: @unchecked Sendable {
    /// The loop body: `function(arguments, index)`.
    typealias Function = @Sendable (UnsafeRawPointer, Int) -> Void

    /// The process-wide pool, created on first use with one worker per extra core.
    static let shared = WorkerPool(workers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// Number of worker threads (the caller of `run` works too).
    let workerCount: Int

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workAvailable: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>

    // The current loop; all guarded by `mutex`.
    private var function: Function?
    private var arguments: UnsafeRawPointer?
    private var count = 0
    private var nextIndex = 0
    private var finished = 0

    init(workers: Int) {
        workerCount = workers
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
        if self.function != nil || workerCount == 0 || count < 2 {
            pthread_mutex_unlock(mutex)
            for i in 0..<count { function(arguments, i) }
            return
        }
        self.function = function
        self.arguments = arguments
        self.count = count
        nextIndex = 0
        finished = 0
        pthread_cond_broadcast(workAvailable)
        workOnCurrentLoop()
        while finished < count { pthread_cond_wait(workDone, mutex) }
        self.function = nil
        self.arguments = nil
        pthread_mutex_unlock(mutex)
    }

    /// Takes indices of the current loop until none are left. Called and returns with
    /// `mutex` held; the mutex is released while an iteration runs.
    private func workOnCurrentLoop() {
        while let function, let arguments, nextIndex < count {
            let index = nextIndex
            nextIndex += 1
            pthread_mutex_unlock(mutex)
            function(arguments, index)
            pthread_mutex_lock(mutex)
            finished += 1
            if finished == count { pthread_cond_signal(workDone) }
        }
    }

    private func workerLoop() {
        pthread_mutex_lock(mutex)
        while true {
            workOnCurrentLoop()
            pthread_cond_wait(workAvailable, mutex)
        }
    }
}
