import Foundation
import NN

/// One `dlboard trial`: a single `RunDriver` stepped on the calling thread — no screen, no training
/// queue — its output written through a `SessionRecorder`, so the record is the one every other
/// command writes.
///
/// The loop: a step; at an evaluation, the checkpoint first (`--checkpoint-dir`, written atomically
/// before the evaluation's line exists anywhere, with an event naming its state digest), then the
/// records up to that step, flushed (the file, then the echoed lines on stdout), then under
/// `--paced` the wait for the driver's go-ahead; every `outputSteps` steps in between the step
/// records go out too. A stop request is looked at before each step, so a SIGTERM ends the trial
/// after the current step with a summary.
struct TrialRun {
    /// A failure that ends the trial: one line naming the flag (exit 1).
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
        init(flag: String, _ error: CheckpointError) { self.init("\(flag): \(error)") }
    }

    /// How the trial ended.
    enum Ending: Equatable {
        /// The epoch or step target was reached.
        case finished
        case diverged
        /// SIGTERM, or end of input under `--paced`: a scheduler's normal end of a trial.
        case terminated
        /// Another stop signal or stdout gone (`StopSignal`).
        case interrupted
    }

    var driver: RunDriver
    let recorder: SessionRecorder
    let log: MetricsLog
    let checkpointDirectory: String?
    var pacer: TrialPacer?
    let stop: StopSignal
    /// Step records are handed to the recorder at least every this many steps (and at each
    /// evaluation), so a long epoch's steps reach the file (flushed each second) as it goes.
    static let outputSteps = 200

    /// Trains until the target, a divergence or a stop; writes the summary and closes the record.
    /// Returns how it ended and the exit status (0, or the stop signal's for an interruption).
    mutating func run() throws(Failure) -> (ending: Ending, status: Int32) {
        let started = RunDriver.now()
        publish()
        log.flush()
        try checkRecord()
        var endOfInput = false
        var sinceOutput = 0
        loop: while driver.isRunning && !driver.reachedTarget {
            if stop.isRequested { break }
            driver.trainOneStep()
            sinceOutput += 1
            if !driver.pendingEvaluations.isEmpty {
                try writeCheckpoint()
                publish()
                log.flush()
                try checkRecord()
                sinceOutput = 0
                guard driver.isRunning, pacer != nil else { continue }
                switch pacer!.awaitLine(stop: stop) {
                case .line: continue
                case .endOfInput:
                    endOfInput = true
                    break loop
                case .stopped: break loop
                }
            } else if sinceOutput >= Self.outputSteps {
                publish()
                try checkRecord()
                sinceOutput = 0
            }
        }
        publish()
        try checkRecord()
        let ending: Ending
        if driver.diverged {
            ending = .diverged
        } else if driver.reachedTarget {
            // A stop that came after the last step stopped nothing.
            ending = .finished
        } else if endOfInput || stop.isTermination {
            ending = .terminated
        } else if stop.stoppedBy != nil {
            ending = .interrupted
        } else {
            ending = .finished
        }
        let reason: StopReason? =
            switch ending {
            case .finished, .diverged: nil
            case .terminated: .terminated
            case .interrupted: stop.recordReason
            }
        recorder.finish(seconds: RunDriver.now() - started, stopReason: reason)
        try checkRecord()
        log.announceFailure()
        if ending == .interrupted && stop.stoppedBy == SIGPIPE {
            // Nobody reads stdout any more; stderr may still reach the user.
            Console.error("dlboard: standard output closed: stopped at step \(driver.trainer.steps)")
        }
        return (ending, ending == .interrupted ? stop.exitStatus : 0)
    }

    /// Ends the trial when the record could not be written (disk full, `ulimit -f`): a trial whose
    /// record stopped is not a result a scheduler may take, and stdout carries only what the file
    /// holds, so going on would only report less than was trained. A record on stdout whose reader
    /// left is a stop instead (`StopSignal`, 141), seen by the loop.
    private func checkRecord() throws(Failure) {
        guard let failure = log.failure, stop.stoppedBy != SIGPIPE else { return }
        throw Failure("\(failure): the trial stops, its record is incomplete")
    }

    /// Hands everything the driver has produced since the last call to the recorder.
    private mutating func publish() {
        var snapshot = TrainingSession.Snapshot()
        snapshot.order = [driver.id]
        snapshot.runs[driver.id] = driver.takeOutput()
        recorder.record(snapshot)
    }

    /// Makes `directory` and writes (then removes) a file as large as a checkpoint of `trainer`
    /// in it, so a directory that cannot hold the checkpoints (not writable, a full disk, a file
    /// size limit) is refused before any training, not an epoch later.
    static func probeCheckpointDirectory(_ directory: String, trainer: Trainer) throws(Failure) {
        let flag = "--checkpoint-dir \(RecordText.printable(directory))"
        if let problem = Folders.create(directory) { throw Failure("\(flag): cannot create it: \(problem)") }
        let probe = directory + "/.dlboard.ckpt.probe-" + String(getpid())
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("\(flag): cannot write in it: \(String(cString: strerror(errno)))") }
        defer { unlink(probe) }
        let bytes = [UInt8](repeating: 0, count: trainer.checkpoint(metadata: [:]).encoded().count)
        var offset = 0
        var problem: String?
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                problem = String(cString: strerror(errno))
                break
            }
            offset += n
        }
        if close(fd) != 0 && problem == nil { problem = String(cString: strerror(errno)) }
        if let problem {
            throw Failure("\(flag): cannot hold a checkpoint (\(bytes.count) bytes): \(problem)")
        }
    }

    /// `D/dlboard.ckpt` of the state now (right after an evaluation) and its event at this step.
    private mutating func writeCheckpoint() throws(Failure) {
        guard let directory = checkpointDirectory else { return }
        let checkpoint = driver.trainer.checkpoint(
            metadata: [TrialRestore.trainingSecondsKey: String(driver.trainingSeconds)])
        do { try checkpoint.write(toDirectory: directory) } catch {
            // The scheduler would be told of a checkpoint that is not there: stop, say why — with
            // the steps trained so far in the record.
            publish()
            log.close()
            throw Failure(flag: "--checkpoint-dir \(RecordText.printable(directory))", error)
        }
        driver.pendingEvents.append(
            .init(
                step: driver.trainer.steps, label: EventKind.checkpoint.rawValue, kind: .checkpoint,
                to: checkpoint.digest.hex))
    }
}
