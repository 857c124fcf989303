import ArgumentParser
import Foundation
import NN

/// `preset population --check-record FILE`: the replay check from a run record alone, in a process
/// of its own. It reads the members' headers, step losses, evaluations and `exploit` records,
/// traces the best member's lineage from them, loads the data the headers name (checked against
/// their checksum), re-trains that schedule as one run and compares every step's loss with the
/// recorded one. What a reader of the record can check without trusting the run that wrote it.
struct PopulationRecordCheck {
    let path: String
    /// `--data` when given: the folder to load instead of the one the record names.
    let dataDirectory: String?

    /// What the record holds that the check needs.
    struct Contents {
        var headers: [Int: ConfigRecord] = [:]
        var members: [Int: Population.Member] = [:]
        var scores: [Int: Double] = [:]
        var exploits: [Population.Exploit] = []
        var steps = 0
        var skipped = 0
    }

    /// Reads the record: lines that do not decode are skipped (and counted), as a reader does.
    static func read(_ path: String) throws(ValidationError) -> Contents {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--check-record: cannot read '\(path)'")
        }
        var c = Contents()
        for line in text.split(separator: "\n") {
            guard let d = try? JSONDecoder().decode(DecodedRecord.self, from: Data(line.utf8)) else {
                c.skipped += 1
                continue
            }
            switch d {
            case .config(let h):
                let run = h.run ?? 0
                c.headers[run] = h
                c.members[run] = Population.Member(
                    id: run, values: [:], initialLearningRate: h.config.effectiveLearningRate,
                    initialWeightDecay: h.config.network.weightDecay, learningRate: h.config.effectiveLearningRate,
                    weightDecay: h.config.network.weightDecay)
            case .step(let s):
                c.members[s.run ?? 0]?.losses.append((s.step, Float(s.loss)))
                c.steps = max(c.steps, s.step)
            case .eval(let e):
                if let v = e.evaluation.validationAccuracy { c.scores[e.run ?? 0] = v }
            case .exploit(let e):
                guard let digest = StateDigest(hex: e.digest), let donorDigest = StateDigest(hex: e.donorDigest) else {
                    c.skipped += 1
                    continue
                }
                c.exploits.append(
                    Population.Exploit(
                        step: e.step, generation: e.generation, member: e.member, donor: e.donor, score: e.score,
                        donorScore: e.donorScore, learningRateFrom: Float(e.learningRateFrom),
                        learningRateTo: Float(e.learningRateTo), learningRateFactor: e.learningRateFactor,
                        weightDecayFrom: Float(e.weightDecayFrom), weightDecayTo: Float(e.weightDecayTo),
                        weightDecayFactor: e.weightDecayFactor, digest: digest, donorDigest: donorDigest,
                        learningRateClamped: e.learningRateClamped, weightDecayClamped: e.weightDecayClamped))
            default: break
            }
        }
        return c
    }

    /// Prints the schedule and the verdict; returns 0 when bit-identical, 1 when not, 130 or 141
    /// when stopped.
    func run() throws -> Int32 {
        let c = try Self.read(path)
        let ids = c.members.keys.sorted()
        guard ids == Array(0..<ids.count), ids.count >= 2, let first = c.headers[0] else {
            throw ValidationError("--check-record: '\(path)' holds no population (members numbered 0, 1, …)")
        }
        // Lock-step members share one seed, and a population that ran a generation exploited.
        guard Set(ids.map { c.headers[$0]?.config.seed }).count == 1, !c.exploits.isEmpty else {
            throw ValidationError(
                "--check-record: '\(path)' holds no population (\(c.exploits.isEmpty ? "no exploit records" : "its runs do not share one seed"))"
            )
        }
        try Self.checkSteps(c, path: path)
        // Member ids of exploits index the members: a record naming others is not one of ours.
        guard c.exploits.allSatisfy({ ids.contains($0.member) && ids.contains($0.donor) }) else {
            throw ValidationError("--check-record: '\(path)' has an exploit naming a member it does not hold")
        }
        let members = ids.map { c.members[$0]! }
        // As the run chose it: not a member whose last loss diverged (its last evaluation is stale).
        let live = ids.filter { c.members[$0]?.losses.last.map { $0.loss.isFinite } ?? true }
        guard
            let best = (live.isEmpty ? ids : live).max(by: { a, b in
                let (x, y) = (c.scores[a] ?? 0, c.scores[b] ?? 0)
                return x != y ? x < y : a > b
            })
        else { throw ValidationError("--check-record: '\(path)' holds no population") }
        let lineage = PopulationLineage.trace(member: best, upTo: c.steps, exploits: c.exploits, members: members)
        let dataset = try loadData(first)
        let stop = StopSignal.install()
        print(
            "check of \(path): \(ids.count) members, \(c.steps) steps, \(c.exploits.count) exploits"
                + (c.skipped > 0 ? ", \(c.skipped) unreadable lines skipped" : ""))
        for line in PopulationRun.scheduleLines(lineage, members: members) { print(line) }
        // Seen before the re-training starts, which takes as long as the lineage trained.
        fflush(nil)
        let recorded = PopulationLineage.losses(of: lineage, members: members)
        let base = c.headers[lineage.root]?.config ?? first.config
        let result = PopulationReplay.run(
            lineage, base: base, dataset: dataset, recordedLoss: { recorded[$0] }, stop: { stop.isRequested })
        if result.stopped {
            Console.say("interrupted")
            return stop.exitStatus
        }
        print(result.summary)
        return result.identical ? 0 : 1
    }

    /// Refuses a record whose steps the re-training cannot follow: every member's steps are 1…n,
    /// each once, the same n for all (they step in lock-step), and n within what its header plans
    /// (epochs × steps per epoch) — a crafted step far past the plan would otherwise be trained to.
    static func checkSteps(_ c: Contents, path: String) throws(ValidationError) {
        for (id, m) in c.members.sorted(by: { $0.key < $1.key }) {
            guard let h = c.headers[id] else { continue }
            let perEpoch = max(1, h.trainSize / max(1, h.config.batchSize))
            let (planned, overflow) = h.config.epochs.multipliedReportingOverflow(by: perEpoch)
            let last = m.losses.map(\.step).max() ?? 0
            if !overflow && last > planned {
                throw ValidationError(
                    "--check-record: '\(path)': member \(id + 1) has step \(last), past the \(planned) its header plans (\(h.config.epochs) epochs of \(perEpoch))"
                )
            }
        }
        for (id, m) in c.members.sorted(by: { $0.key < $1.key }) {
            // The count first: it is bounded by the file, the steps are not.
            guard m.losses.count == c.steps, m.losses.map(\.step).sorted() == Array(1...max(1, c.steps)) else {
                throw ValidationError(
                    "--check-record: '\(path)': member \(id + 1) has \(m.losses.count) step losses, not each of steps 1…\(c.steps) once"
                )
            }
        }
    }

    /// The training and validation images the header describes: its folder (or `--data`), the
    /// first train + validation images, split with its seed; refused unless the checksum matches.
    private func loadData(_ h: ConfigRecord) throws -> Dataset {
        let n = h.trainSize + h.validationSize
        guard h.validationSize > 0, n > 0 else {
            throw ValidationError("--check-record: the record's runs have no validation split")
        }
        let (dataset, directory, _) = try DataLocator.load(
            data: dataDirectory ?? h.dataDirectory, dataset: nil, trainSize: .flag(n), usesTestSet: false,
            validation: Double(h.validationSize) / Double(n), seed: h.config.seed, configs: [])
        if let sum = h.datasetChecksum, !sum.isEmpty, dataset.checksum() != sum {
            throw ValidationError(
                "--check-record: the data in \(directory) is not what the record was trained on (checksum \(dataset.checksum()), recorded \(sum)); give its folder with --data"
            )
        }
        return dataset
    }
}
