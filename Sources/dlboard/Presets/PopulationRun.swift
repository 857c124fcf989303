import Foundation
import NN
import TUI

/// `preset population` from start to end: the population on its screen (`r` replays the best
/// member's schedule as one run once training is over), or headless — a line per generation, the
/// final ranking, the best member's schedule and the replay's verdict. The run record: every member
/// a run (its config header with its drawn lr and weight decay, a `trial` record of its values,
/// every step's loss, its evaluations and events), an `exploit` record per exploit, the schedule
/// and the verdict as `report` lines, a `summary` per member.
struct PopulationRun {
    let population: Population
    let directory: String
    let log: MetricsLog?
    let headless: Bool
    let glyphs: GlyphSet?
    /// How the header and the first lines describe the network and the data.
    let description: String

    /// What has been written of each member, so the record grows as training does.
    struct Logged {
        var headers: Set<Int> = []
        var losses: [Int: Int] = [:]
        var evaluations: [Int: Int] = [:]
        var events: [Int: Int] = [:]
        var exploits = 0
    }

    /// Runs the population; returns the exit status (1 when the replay is not bit-identical, 130 or
    /// 141 after a stop).
    func run() -> Int32 {
        var logged = Logged()
        let checksum = log == nil ? "" : population.dataset.checksum()
        if let screen = Frontend.screen(headless: headless, glyphs: glyphs, instead: "running the population headless")
        {
            var model = PopulationScreen(population: population, description: description)
            // The record grows as training does (on the main thread, which owns the log), so a
            // killed session leaves what it had trained.
            if log != nil {
                model.record = { s in logged = write(s, log: log, logged: logged, checksum: checksum) }
            }
            population.start()
            let interrupted = ScreenLoop.run(&model, on: screen)
            model.record = nil
            population.stop()
            // The record is complete before the terminal is touched: after a SIGHUP it is gone.
            let stop = StopSignal.install()
            let s = population.snapshot()
            logged = write(s, log: log, logged: logged, checksum: checksum)
            if let replay = s.replay, let lineage = s.bestLineage {
                for line in Self.scheduleLines(lineage, members: s.members) + [replay.summary] {
                    log?.write(ReportRecord(line: line))
                }
            }
            finish(s, stopReason: interrupted ? stop.recordReason : nil)
            screen.close()
            if let best = s.best {
                print(
                    String(
                        format: "dlboard: best member %d val %.4f at lr %.3e, weight decay %.3e", best + 1,
                        s.members[best].latestScore, s.members[best].learningRate, s.members[best].weightDecay))
            }
            if let replay = s.replay { print("dlboard: " + replay.summary) }
            return interrupted ? stop.exitStatus : 0
        }
        let stop = StopSignal.install()
        let data = population.dataset
        let settings = population.settings
        let s0 = population.snapshot()
        print(
            "dlboard preset population (PBT): \(data.train.count) train / \(data.validation?.count ?? 0) validation from \(directory); test set not used"
        )
        print(
            "\(settings.members) members in lock-step (one seed: the same initial weights and batches) · \(description) · \(population.base.epochs) epochs (\(s0.totalSteps) steps) · seed \(population.base.seed)"
        )
        print(Self.settingsLine(settings, stepsPerEpoch: s0.stepsPerEpoch))
        print(" member  lr         weight decay")
        for m in s0.members {
            print(String(format: " %6d  %.3e  %.3e", m.id + 1, m.initialLearningRate, m.initialWeightDecay))
        }
        population.start()
        var printed = 1
        while population.snapshot().running {
            if stop.isRequested {
                population.stop()
                break
            }
            let s = population.snapshot()
            logged = write(s, log: log, logged: logged, checksum: checksum)
            printed = printGenerations(s, from: printed)
            usleep(50_000)
        }
        var s = population.snapshot()
        logged = write(s, log: log, logged: logged, checksum: checksum)
        _ = printGenerations(s, from: printed)
        if stop.isRequested || !s.finished {
            Console.say("interrupted")
            finish(s, stopReason: stop.recordReason)
            return stop.exitStatus
        }
        print(" rank  member  val    train  lr         weight decay")
        let ranked = Population.ranking(s.members)
        for (i, m) in ranked.enumerated() {
            print(
                String(
                    format: " %4d  %6d  %.3f  %.3f  %.3e  %.3e%@", i + 1, m.id + 1, m.latestScore,
                    m.evaluations.last?.trainAccuracy ?? 0, m.learningRate, m.weightDecay,
                    m.diverged ? "  diverged" : ""))
        }
        guard let lineage = s.bestLineage else {
            finish(s, stopReason: nil)
            return 0
        }
        let lines = Self.scheduleLines(lineage, members: s.members)
        for line in lines { print(line) }
        fflush(nil)
        population.replayBestLineage()
        while population.snapshot().replaying {
            if stop.isRequested { population.stop() }
            usleep(20_000)
        }
        s = population.snapshot()
        let verdict = s.replay?.summary ?? "replay not run"
        print(verdict)
        for line in lines + [verdict] { log?.write(ReportRecord(line: line)) }
        finish(s, stopReason: stop.isRequested ? stop.recordReason : nil)
        if stop.isRequested { return stop.exitStatus }
        return s.replay?.identical == true ? 0 : 1
    }

    /// The scheduler's settings in one line.
    static func settingsLine(_ settings: Population.Settings, stepsPerEpoch: Int) -> String {
        let every =
            settings.exploitEvery.map { "every \($0) steps" } ?? "at each evaluation (every \(stepsPerEpoch) steps)"
        let factors = settings.scheduler.factors.map { "×\(LineChart.label($0))" }.joined(separator: "/")
        return "space \(settings.space.specs.joined(separator: " ")) · exploit \(every): the bottom "
            + "\(Int((settings.scheduler.quantile * 100).rounded()))% copy a top member, explore lr and weight decay "
            + "\(factors), resample \(LineChart.label(settings.scheduler.resampleProbability))"
    }

    /// The best member's schedule: the members its state passed through, where it started, and
    /// every lr / weight-decay change at its exploit steps.
    static func scheduleLines(_ lineage: PopulationLineage, members: [Population.Member]) -> [String] {
        let path = lineage.path.map { "m\($0 + 1)" }.joined(separator: " → ")
        var lines = [
            "schedule of the best member m\(lineage.member + 1) (its state through \(path)):",
            String(
                format: "  step %5d  lr %.3e  wd %.3e  (m%d's initial values)", 0, lineage.rootLearningRate,
                lineage.rootWeightDecay, lineage.root + 1),
        ]
        for c in lineage.changes {
            let e = c.exploit
            lines.append(
                String(
                    format: "  step %5d  lr %.3e  wd %.3e  (m%d ← m%d, lr %@, wd %@)", c.step, c.learningRate,
                    c.weightDecay, e.member + 1, e.donor + 1,
                    factorText(e.learningRateFactor, clamped: e.learningRateClamped),
                    factorText(e.weightDecayFactor, clamped: e.weightDecayClamped)))
        }
        return lines
    }

    /// "×1.2", "resampled", and ", clamped" when the space's bound set the value instead.
    static func factorText(_ f: Double?, clamped: Bool = false) -> String {
        (f.map { "×\(LineChart.label($0))" } ?? "resampled") + (clamped ? ", clamped" : "")
    }

    /// Prints the generations from index `from` on; returns the next index to print.
    private func printGenerations(_ s: Population.Snapshot, from: Int) -> Int {
        guard from < s.generations.count else { return from }
        for g in s.generations[from...] {
            let scored = g.scores.enumerated().filter { !$0.element.isNaN }
            let best = scored.max { $0.element < $1.element }
            var line = String(format: "generation %d (step %d):", g.number, g.step)
            if let best { line += String(format: " best m%d val %.3f;", best.offset + 1, best.element) }
            let exploits = s.exploits.filter { $0.generation == g.number }
            line +=
                exploits.isEmpty
                ? " no exploit"
                : " "
                    + exploits.map { e in
                        String(
                            format: "m%d ← m%d (%@ < %.3f) lr %.2e %@ wd %.2e %@", e.member + 1, e.donor + 1,
                            e.score.isNaN ? "NaN" : String(format: "%.3f", e.score), e.donorScore,
                            e.learningRateTo, Self.factorText(e.learningRateFactor, clamped: e.learningRateClamped),
                            e.weightDecayTo, Self.factorText(e.weightDecayFactor, clamped: e.weightDecayClamped))
                    }.joined(separator: "; ")
            print(line)
        }
        fflush(nil)
        return s.generations.count
    }

    /// Writes what is new since `logged`: each member's header and trial record first, then its
    /// steps, evaluations and events, then the new exploits (after the steps they follow).
    func write(_ s: Population.Snapshot, log: MetricsLog?, logged: Logged, checksum: String) -> Logged {
        guard let log else { return logged }
        var logged = logged
        let perEpoch = max(1, s.stepsPerEpoch)
        for m in s.members {
            if !logged.headers.contains(m.id) {
                log.writeConfig(
                    population.config(ofMember: m.id), dataset: population.dataset, checksum: checksum,
                    dataDirectory: directory, run: m.id,
                    title: String(
                        format: "member %d lr %.2e wd %.2e", m.id + 1, m.initialLearningRate, m.initialWeightDecay))
                log.write(
                    TrialRecord(
                        run: m.id, round: 1, learningRate: Double(m.initialLearningRate),
                        weightDecay: Double(m.initialWeightDecay), values: m.values))
                logged.headers.insert(m.id)
            }
            for l in m.losses.dropFirst(logged.losses[m.id] ?? 0) {
                log.writeStep(step: l.step, epoch: (l.step - 1) / perEpoch + 1, loss: Double(l.loss), run: m.id)
            }
            logged.losses[m.id] = m.losses.count
            for e in m.evaluations.dropFirst(logged.evaluations[m.id] ?? 0) { log.writeEval(e, run: m.id) }
            logged.evaluations[m.id] = m.evaluations.count
            for e in m.events.dropFirst(logged.events[m.id] ?? 0) { log.writeEvent(e, run: m.id) }
            logged.events[m.id] = m.events.count
        }
        for e in s.exploits.dropFirst(logged.exploits) { log.writeExploit(e) }
        logged.exploits = s.exploits.count
        log.flushIfDue()
        return logged
    }

    /// A `summary` per member, then the log is closed.
    func finish(_ s: Population.Snapshot, stopReason: StopReason?) {
        guard let log else { return }
        for m in s.members {
            log.writeSummary(
                steps: s.step, epochs: m.evaluations.last?.epoch,
                seconds: m.evaluations.reduce(0) { $0 + $1.trainSeconds },
                testAccuracy: nil, validationAccuracy: m.evaluations.last?.validationAccuracy,
                stopReason: m.diverged ? .diverged : (s.finished ? nil : stopReason), run: m.id)
        }
        log.close()
    }
}
