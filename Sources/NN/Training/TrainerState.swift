/// A trainer's state as named arrays: what a checkpoint stores besides its JSON header. Every
/// part `Trainer.stateDigest()` visits has an entry, plus what only later switches read (the
/// network's init stream and Dropout rebuild count, the last batch):
/// - `trainer.counters`: steps, samples seen, samples of this epoch, completed epochs, batch size;
///   `trainer.lastBatch`: the last step's indices;
/// - `sampler`: count, batch size, policy, position; `sampler.generator`, `sampler.permutation`;
/// - `parameter/<name>`: every weight, bias and γ/β; `batchNorm/<name>/mean` and `/variance`;
/// - `dropout/<name>`: each Dropout's mask stream; `network.init`, `network.dropoutGeneration`;
/// - `optimizer.kind`: kind, buffers per parameter, Adam's step count; `optimizer/<name>/<i>`: buffer i
///   of the parameter named `name`.
/// Generators are six words (see `SeededGenerator.stateWords`); indices and counters are words.
struct TrainerState: Sendable, Equatable {
    enum Entry: Sendable, Equatable {
        case floats(rows: Int, cols: Int, values: [Float])
        case words([UInt64])
    }

    /// Why a state cannot be put into a trainer (one phrase, for `CheckpointError.unreadable`).
    struct Mismatch: Error {
        let reason: String
    }

    private(set) var entries: [String: Entry]

    /// The most entries, and the longest name, a state read from a file may have.
    static let maximumEntries = 1 << 20
    static let maximumNameLength = 1024
    /// The largest counter (step, sample, epoch, index) a restored trainer accepts.
    static let maximumCounter = UInt64(TrainerCheckpoint.maximumCount)

    init(entries: [String: Entry]) { self.entries = entries }

    init(capturing t: Trainer) {
        var e: [String: Entry] = [:]
        func words(_ v: [Int]) -> Entry { .words(v.map { UInt64(bitPattern: Int64($0)) }) }
        func floats(_ m: Matrix) -> Entry {
            .floats(rows: m.rows, cols: m.cols, values: Array(UnsafeBufferPointer(start: m.pointer, count: m.count)))
        }
        e["trainer.counters"] = words([t.steps, t.samplesSeen, t.epochSamples, t.completedEpochs, t.batchSize])
        e["trainer.lastBatch"] = words(t.lastBatch)
        let sampler = t.sampler.checkpointState
        let policy = BatchSampler.Policy.allCases.firstIndex(of: t.sampler.policy) ?? 0
        e["sampler"] = words([t.sampler.count, t.sampler.batchSize, policy, sampler.position])
        e["sampler.generator"] = .words(sampler.generator.stateWords)
        e["sampler.permutation"] = words(sampler.permutation)
        let network = t.network
        for p in network.parameters { e["parameter/" + p.name] = floats(p.value) }
        for bn in network.batchNorms {
            e["batchNorm/\(bn.name)/mean"] = floats(bn.runningMean)
            e["batchNorm/\(bn.name)/variance"] = floats(bn.runningVariance)
        }
        for d in network.dropouts + (network.inputDropout.map { [$0] } ?? []) {
            e["dropout/" + d.name] = .words(d.generator.stateWords)
        }
        let switches = network.switchState
        e["network.init"] = .words(switches.initGenerator.stateWords)
        e["network.dropoutGeneration"] = words([switches.dropoutGeneration])
        let kind = OptimizerKind.allCases.firstIndex(of: t.optimizer.kind) ?? 0
        let slots = optimizerSlots(of: t.optimizer)
        e["optimizer.kind"] = words([kind, slots?.buffersPerParameter ?? 0, (t.optimizer as? Adam)?.step ?? 0])
        for (name, buffers) in slots?.all ?? [] {
            for (i, m) in buffers.enumerated() { e["optimizer/\(name)/\(i)"] = floats(m) }
        }
        entries = e
    }

    // MARK: Bytes

    private static let floatsTag: UInt8 = 1
    private static let wordsTag: UInt8 = 2

    /// The entry count, then each entry in name order: its name, a tag, and for floats rows, cols
    /// and rows·cols float bits, for words a count and the words.
    func write(into w: inout StateWriter) {
        w.append(UInt32(entries.count))
        for name in entries.keys.sorted() {
            w.append(name)
            switch entries[name] {
            case .floats(let rows, let cols, let values):
                w.append(Self.floatsTag)
                w.append(UInt64(rows))
                w.append(UInt64(cols))
                values.withUnsafeBufferPointer { w.append(floats: $0) }
            case .words(let values):
                w.append(Self.wordsTag)
                w.append(UInt64(values.count))
                w.append(words: values)
            case nil: break
            }
        }
    }

    /// A state as `write` laid it out; nil when the bytes do not hold one. Every count is checked
    /// against the bytes left before anything is allocated for it.
    static func read(from r: inout StateReader) -> TrainerState? {
        // The smallest entry: an empty name, a tag and an empty word list.
        let smallestEntry = 4 + 1 + 8
        guard let n = r.uint32(), Int(n) <= maximumEntries, Int(n) <= r.remaining / smallestEntry else { return nil }
        var e: [String: Entry] = [:]
        e.reserveCapacity(Int(n))
        for _ in 0..<Int(n) {
            guard let name = r.string(maximumLength: maximumNameLength), e[name] == nil, let tag = r.uint8() else {
                return nil
            }
            switch tag {
            case floatsTag:
                guard let rows = r.uint64(), let cols = r.uint64(), rows <= UInt64(r.remaining),
                    cols <= UInt64(r.remaining)
                else { return nil }
                let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
                guard !overflow, count <= UInt64(r.remaining / 4), let values = r.floats(Int(count)) else { return nil }
                e[name] = .floats(rows: Int(rows), cols: Int(cols), values: values)
            case wordsTag:
                guard let count = r.uint64(), count <= UInt64(r.remaining / 8), let values = r.words(Int(count)) else {
                    return nil
                }
                e[name] = .words(values)
            default:
                return nil
            }
        }
        return TrainerState(entries: e)
    }

    // MARK: Into a trainer

    /// Puts this state into `t`, a trainer freshly built from the same configuration and data.
    /// Checks every entry against what `t` has (shapes, counts, ranges) before using it, so a
    /// state that does not belong to `t` is refused rather than trapping later.
    func apply(to t: Trainer) throws(Mismatch) {
        let counters = try counts("trainer.counters", 5)
        let (steps, samplesSeen, epochSamples, completedEpochs, batchSize) =
            (counters[0], counters[1], counters[2], counters[3], counters[4])
        let trainCount = t.data.train.count
        guard epochSamples <= trainCount else { throw Mismatch(reason: "an epoch's sample count past the data") }
        guard batchSize == t.batchSize else { throw Mismatch(reason: "a batch size other than its configuration's") }
        let lastBatch = try counts("trainer.lastBatch", nil)
        guard lastBatch.allSatisfy({ $0 < trainCount }) else { throw Mismatch(reason: "a batch index past the data") }

        let s = try counts("sampler", 4)
        let policyIndex = BatchSampler.Policy.allCases.firstIndex(of: t.sampler.policy) ?? 0
        guard s[0] == t.sampler.count, s[1] == t.sampler.batchSize, s[2] == policyIndex else {
            throw Mismatch(reason: "a batch sampler other than its configuration's")
        }
        var sampler = t.sampler
        guard
            sampler.restore(
                generator: try generator("sampler.generator"), permutation: try counts("sampler.permutation", nil),
                position: s[3])
        else { throw Mismatch(reason: "a batch sampler position outside its permutation") }

        let network = t.network
        for p in network.parameters { try fill(p.value, from: "parameter/" + p.name) }
        for bn in network.batchNorms {
            try fill(bn.runningMean, from: "batchNorm/\(bn.name)/mean")
            try fill(bn.runningVariance, from: "batchNorm/\(bn.name)/variance")
        }
        for d in network.dropouts + (network.inputDropout.map { [$0] } ?? []) {
            d.restoreGenerator(try generator("dropout/" + d.name))
        }
        network.restoreSwitchState(
            initGenerator: try generator("network.init"),
            dropoutGeneration: try counts("network.dropoutGeneration", 1)[0])

        let o = try counts("optimizer.kind", 3)
        let slots = optimizerSlots(of: t.optimizer)
        guard o[0] == OptimizerKind.allCases.firstIndex(of: t.optimizer.kind), o[1] == slots?.buffersPerParameter ?? 0
        else { throw Mismatch(reason: "another optimizer than its configuration's") }
        if let adam = t.optimizer as? Adam { adam.restoreStep(o[2]) }
        if let slots { try restoreBuffers(into: slots, parameters: network.parameters) }

        t.restorePosition(
            steps: steps, samplesSeen: samplesSeen, epochSamples: epochSamples, completedEpochs: completedEpochs,
            lastBatch: lastBatch, sampler: sampler, baseLearningRate: t.baseLearningRate)
    }

    /// The buffers of `optimizer/<name>/<i>`, grouped by name; each name must have all of 0..<k,
    /// each of its parameter's shape (an optimizer replaces a buffer of another shape with zeros on
    /// its next update, which would silently not be a continuation). Either no parameter has
    /// buffers (a fresh optimizer: none before its first update, or just after a switch made a new
    /// one) or every weight and bias does: they exist from the start and every update gives them
    /// state, while γ/β switched on since the last update have none yet, and state of γ/β switched
    /// off is dropped at the next update.
    private func restoreBuffers(into slots: OptimizerSlots, parameters: [Parameter]) throws(Mismatch) {
        var byName: [String: [Int: Matrix]] = [:]
        for (key, entry) in entries where key.hasPrefix("optimizer/") {
            let rest = key.dropFirst("optimizer/".count)
            guard let slash = rest.lastIndex(of: "/"), let i = Int(rest[rest.index(after: slash)...]),
                case .floats(let rows, let cols, let values) = entry
            else { throw Mismatch(reason: "a malformed optimizer buffer '\(key)'") }
            byName[String(rest[..<slash]), default: [:]][i] = Matrix(rows: rows, cols: cols, values: values)
        }
        let shapes = Dictionary(parameters.map { ($0.name, ($0.value.rows, $0.value.cols)) }) { a, _ in a }
        for (name, buffers) in byName {
            guard let (rows, cols) = shapes[name] else { continue }
            for i in buffers.keys.sorted() {
                guard let m = buffers[i], m.rows != rows || m.cols != cols else { continue }
                throw Mismatch(
                    reason: "'optimizer/\(name)/\(i)' is \(m.rows)×\(m.cols), the parameter's is \(rows)×\(cols)")
            }
        }
        if !byName.isEmpty {
            // Affine's "W<k>" and "b<k>" (not "beta<k>").
            let affine = parameters.filter { p in
                p.name.first.map { "Wb".contains($0) } == true && p.name.dropFirst().allSatisfy(\.isNumber)
            }
            for p in affine where byName[p.name] == nil {
                throw Mismatch(reason: "no 'optimizer/\(p.name)/…' (the optimizer's state of \(p.name))")
            }
        }
        for (name, buffers) in byName {
            let ordered = (0..<buffers.count).compactMap { buffers[$0] }
            guard ordered.count == buffers.count, slots.restore(name, ordered) else {
                throw Mismatch(reason: "incomplete optimizer buffers for '\(name)'")
            }
        }
    }

    private func fill(_ m: Matrix, from name: String) throws(Mismatch) {
        guard case .floats(let rows, let cols, let values) = entries[name] else {
            throw Mismatch(reason: "no '\(name)'")
        }
        guard rows == m.rows, cols == m.cols else {
            throw Mismatch(reason: "'\(name)' is \(rows)×\(cols), the network's is \(m.rows)×\(m.cols)")
        }
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { m.pointer.update(from: base, count: values.count) }
        }
    }

    /// The words of `name` as counts (each at most `maximumCounter`), `expected` of them when given.
    private func counts(_ name: String, _ expected: Int?) throws(Mismatch) -> [Int] {
        guard case .words(let w) = entries[name] else { throw Mismatch(reason: "no '\(name)'") }
        guard expected.map({ $0 == w.count }) ?? true, w.allSatisfy({ $0 <= Self.maximumCounter }) else {
            throw Mismatch(reason: "a malformed '\(name)'")
        }
        return w.map { Int($0) }
    }

    private func generator(_ name: String) throws(Mismatch) -> SeededGenerator {
        guard case .words(let w) = entries[name] else { throw Mismatch(reason: "no '\(name)'") }
        guard let g = SeededGenerator(stateWords: w) else { throw Mismatch(reason: "a malformed '\(name)'") }
        return g
    }
}

extension TrainerState {
    /// About how many bytes `write` produces (to reserve them at once).
    var byteEstimate: Int {
        entries.reduce(4) { total, e in
            switch e.value {
            case .floats(_, _, let v): total + e.key.utf8.count + 21 + 4 * v.count
            case .words(let v): total + e.key.utf8.count + 13 + 8 * v.count
            }
        }
    }
}

extension TrainerState {
    /// The largest batch a restored configuration may ask for beyond its training set's size: a
    /// batch is allocated at every step, so a made-up header must not ask for 2⁴⁰ images.
    static let maximumBatchBeyondData = 1 << 16

    /// Whether every Affine weight of `network` is stored with its shape: checked before a
    /// trainer is built from a configuration read from a file, so the network it allocates is no
    /// larger than the weights the file actually holds (a made-up header cannot ask for a
    /// 10⁹-unit layer).
    func holdsWeights(of network: NetworkConfig) -> Bool {
        let sizes = network.sizes
        return (0..<(sizes.count - 1)).allSatisfy { k in
            guard case .floats(let rows, let cols, _) = entries["parameter/W\(k + 1)"] else { return false }
            return rows == sizes[k] && cols == sizes[k + 1]
        }
    }
}
