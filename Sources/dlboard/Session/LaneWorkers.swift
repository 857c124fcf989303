import CKernels
import Foundation
import Synchronization

/// Persistent worker threads for lock-step chunks, one per lane, each pinned to a core of its own.
///
/// A lane is a fixed set of runs (`TrainingLoop.stepAll`); its worker steps them chunk after chunk
/// on the same core, so a run's weights, optimizer state and buffers stay in that core's caches
/// instead of moving to whichever core `concurrentPerform` hands it next. `perform` is the chunk's
/// barrier: it wakes every worker and returns when all have finished their lane.
final class LaneWorkers: Sendable {
    let count: Int
    /// The CPU each worker is asked to stay on (nil: it floats). A pin the kernel refuses (a CPU
    /// gone from the mask since) leaves that worker floating too.
    let pinnedCPUs: [Int?]

    private struct Job: Sendable {
        var body: (@Sendable (Int) -> Void)?
        var stopping = false
    }

    private let job = Mutex(Job())
    private let go: [DispatchSemaphore]
    private let done = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)

    /// `count` workers, worker *i* pinned to `cpus[i]` (`CPUBudget.pinnable`); the workers beyond
    /// `cpus` float. Never two on one CPU: two lanes sharing a core would each go at half speed, and
    /// the chunk's barrier waits for the slowest.
    init(count: Int, pinningTo cpus: [Int]) {
        precondition(count >= 1, "at least one worker")
        precondition(Set(cpus).count == cpus.count, "each CPU once")
        self.count = count
        pinnedCPUs = (0..<count).map { $0 < cpus.count ? cpus[$0] : nil }
        go = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        for lane in 0..<count {
            let cpu = pinnedCPUs[lane]
            let thread = Thread { [self] in work(lane: lane, cpu: cpu) }
            thread.name = "dlboard.lane\(lane)"
            thread.qualityOfService = .userInitiated
            thread.start()
        }
    }

    private func work(lane: Int, cpu: Int?) {
        if let cpu { _ = dlboard_pin_current_thread(Int32(cpu)) }
        while true {
            go[lane].wait()
            let (body, stopping) = job.withLock { ($0.body, $0.stopping) }
            if stopping { break }
            body?(lane)
            done.signal()
        }
        exited.signal()
    }

    /// Runs `body(lane)` for every lane, each on its worker, and returns when all are done.
    func perform(_ body: @escaping @Sendable (Int) -> Void) {
        job.withLock { $0.body = body }
        for g in go { g.signal() }
        for _ in 0..<count { done.wait() }
        job.withLock { $0.body = nil }
    }

    /// Ends the workers (after the chunk under way, if any) and waits for them.
    func stop() {
        job.withLock { $0.stopping = true }
        for g in go { g.signal() }
        for _ in 0..<count { exited.wait() }
    }
}
