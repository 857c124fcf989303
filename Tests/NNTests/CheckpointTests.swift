import Foundation
import Testing

@testable import NN

@Suite struct CheckpointTests {
    /// A training set of 200 images and batch 20: 10 steps an epoch.
    static let data = Synthetic.dataset()

    /// The settings whose state a checkpoint must carry, one case each.
    enum Setting: String, CaseIterable, CustomTestStringConvertible {
        case sgd, momentum, nesterov, adagrad, rmsprop, adam
        case batchNorm, bookDropout, invertedDropout, inputDropout, shuffled, augmented, layerNorm
        case decayingScheduleAfterInference

        var testDescription: String { rawValue }

        var config: TrainingConfig {
            switch self {
            case .sgd, .momentum, .nesterov, .adagrad, .rmsprop, .adam:
                return Synthetic.config(optimizer: OptimizerKind(rawValue: rawValue) ?? .sgd, seed: 3)
            case .batchNorm:
                return Synthetic.config(optimizer: .adam, seed: 3, batchNorm: true)
            case .bookDropout:
                return Synthetic.config(optimizer: .momentum, seed: 3, dropout: 0.3)
            case .invertedDropout:
                var c = Synthetic.config(optimizer: .rmsprop, seed: 3, dropout: 0.3)
                c.network.dropoutStyle = .inverted
                return c
            case .inputDropout:
                var c = Synthetic.config(optimizer: .adam, seed: 3, dropout: 0.2)
                c.network.inputDropout = 0.2
                return c
            case .shuffled:
                var c = Synthetic.config(optimizer: .nesterov, seed: 3, batchNorm: true)
                c.sampling = .shuffledEpochs
                return c
            case .augmented:
                var c = Synthetic.config(optimizer: .adagrad, seed: 3)
                c.augmentation = Augmentation(shift: 1, rotate: 10, noise: 0.05)
                return c
            case .layerNorm:
                var c = Synthetic.config(optimizer: .adam, seed: 3)
                c.network.normalization = .layer
                c.network.weightDecay = 0.01
                return c
            case .decayingScheduleAfterInference:
                var c = Synthetic.config(optimizer: .sgd, seed: 3, batchNorm: true, dropout: 0.1)
                c.schedule = .step(every: 1, factor: 0.5)
                c.lossRecording = .postUpdateInference
                c.sampling = .shuffledEpochs
                return c
            }
        }
    }

    static func roundTrip(_ t: Trainer, metadata: [String: String] = [:]) throws -> Trainer {
        let bytes = t.checkpoint(metadata: metadata).encoded()
        let decoded = try TrainerCheckpoint(decoding: bytes, path: "mem")
        return try Trainer.restoring(decoded, data: t.data, path: "mem")
    }

    static func losses(_ t: Trainer, _ n: Int) -> [UInt64] { (0..<n).map { _ in t.step().bitPattern } }

    /// Steps 13 (mid-epoch) and 20 (just after an epoch ended), then 15 more steps: the restored
    /// trainer's losses are the original's, bit for bit, and so are the states.
    @Test(arguments: Setting.allCases, [13, 20])
    func aRestoredTrainerGoesOnBitIdentically(setting: Setting, steps: Int) throws {
        let t = Trainer(config: setting.config, data: Self.data)
        for _ in 0..<steps { t.step() }
        let r = try Self.roundTrip(t)
        #expect(r.steps == t.steps && r.samplesSeen == t.samplesSeen && r.epochSamples == t.epochSamples)
        #expect(r.completedEpochs == t.completedEpochs && r.lastBatch == t.lastBatch)
        #expect(r.stateDigest() == t.stateDigest())
        #expect(r.config == t.config)
        #expect(r.currentLearningRate.bitPattern == t.currentLearningRate.bitPattern)
        let expected = Self.losses(t, 15)
        #expect(Self.losses(r, 15) == expected)
        #expect(r.stateDigest() == t.stateDigest())
        #expect(r.accuracy(on: Self.data.test) == t.accuracy(on: Self.data.test))
    }

    /// A trainer whose structure was switched mid-run (BatchNorm on, dropout rebuilt, a new
    /// batch size) is restored as it trains now, and later switches draw the same numbers.
    @Test func aSwitchedTrainerAndItsLaterSwitchesAreRestored() throws {
        let t = Trainer(config: Setting.momentum.config, data: Self.data)
        for _ in 0..<4 { t.step() }
        t.network.setBatchNorm(true)
        t.network.setDropout(0.2)
        t.setBatchSize(30)
        for _ in 0..<3 { t.step() }
        let r = try Self.roundTrip(t)
        #expect(Self.losses(r, 5) == Self.losses(t, 5))
        t.network.setDropout(0)
        t.network.setDropout(0.3)
        t.reinitialize(.he)
        r.network.setDropout(0)
        r.network.setDropout(0.3)
        r.reinitialize(.he)
        #expect(Self.losses(r, 5) == Self.losses(t, 5))
        #expect(r.stateDigest() == t.stateDigest())
    }

    @Test func aFreshTrainerAndOddRatesRoundTrip() throws {
        var c = Synthetic.config(optimizer: .adam, seed: 11)
        c.learningRate = 0.000_123_456_7
        c.network.weightDecay = 3.3e-5
        c.network.dropout = 0.123_456
        let t = Trainer(config: c, data: Self.data)
        let r = try Self.roundTrip(t)
        #expect(r.stateDigest() == t.stateDigest())
        #expect(r.baseLearningRate.bitPattern == t.baseLearningRate.bitPattern)
        #expect(r.network.weightDecay.bitPattern == t.network.weightDecay.bitPattern)
        #expect(Self.losses(r, 12) == Self.losses(t, 12))
    }

    /// The header carries the configuration as JSON: every Float in it (rates, decay, ratios,
    /// the optimizers' β, ρ, ε) must come back with the same bits, or a restored run would train
    /// at a neighbouring rate.
    @Test func configurationFloatsSurviveTheHeaderBitForBit() throws {
        var g = SeededGenerator(seed: 99)
        let t = Trainer(config: Setting.adam.config, data: Self.data)
        let base = t.checkpoint()
        for _ in 0..<300 {
            var c = base
            // Uniform over the exponents a rate or a decay has, and over every mantissa.
            let rate = Float(sign: .plus, exponent: -g.nextInt(below: 30), significand: 1 + g.nextUniform())
            c.config.learningRate = rate
            c.config.network.weightDecay = rate / 3
            c.config.optimizerParameters.beta2 = 1 - rate / 7
            let d = try TrainerCheckpoint(decoding: c.encoded())
            #expect(d.config.learningRate?.bitPattern == rate.bitPattern)
            #expect(d.config.network.weightDecay.bitPattern == (rate / 3).bitPattern)
            #expect(d.config.optimizerParameters.beta2.bitPattern == (1 - rate / 7).bitPattern)
        }
    }

    @Test func theHeaderIsKeptAndEncodingIsStable() throws {
        let t = Trainer(config: Setting.batchNorm.config, data: Self.data)
        for _ in 0..<7 { t.step() }
        let c = t.checkpoint(metadata: ["seconds": "1.5", "note": "ünïcode"])
        let bytes = c.encoded()
        let d = try TrainerCheckpoint(decoding: bytes)
        #expect(d.config == t.config && d.steps == 7 && d.completedEpochs == 0 && d.trainCount == 200)
        #expect(d.digest == t.stateDigest() && d.metadata == ["seconds": "1.5", "note": "ünïcode"])
        #expect(d.encoded() == bytes, "decode then encode gives the same bytes")
        #expect(Array(bytes.prefix(8)) == Array("DLBDCKPT".utf8))
        #expect(t.checkpoint(metadata: ["seconds": "1.5", "note": "ünïcode"]).encoded() == bytes)
    }

    // MARK: Torn and foreign files

    static func sample() -> [UInt8] {
        let t = Trainer(config: Setting.inputDropout.config, data: Self.data)
        for _ in 0..<5 { t.step() }
        return t.checkpoint().encoded()
    }

    static func isTornOrUnreadable(_ bytes: [UInt8]) -> Bool {
        do {
            let c = try TrainerCheckpoint(decoding: bytes, path: "x")
            _ = try Trainer.restoring(c, data: Self.data, path: "x")
            return false
        } catch {
            switch error {
            case .torn, .unreadable: return true
            default: return false
            }
        }
    }

    @Test func aTruncatedFileIsTorn() {
        let bytes = Self.sample()
        for n in [0, 3, 8, 12, 20, 40, bytes.count / 3, bytes.count / 2, bytes.count - 13, bytes.count - 4] {
            #expect(throws: CheckpointError.torn(path: "x"), "cut to \(n) bytes") {
                try TrainerCheckpoint(decoding: Array(bytes.prefix(n)), path: "x")
            }
        }
        #expect(throws: CheckpointError.torn(path: "x"), "one byte more") {
            try TrainerCheckpoint(decoding: bytes + [0], path: "x")
        }
    }

    @Test func oneFlippedByteAnywhereIsRefused() {
        let bytes = Self.sample()
        let positions = Array(stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97))) + [bytes.count - 1]
        for p in positions {
            for bit in [0, 7] {
                var b = bytes
                b[p] ^= 1 << bit
                #expect(Self.isTornOrUnreadable(b), "byte \(p) bit \(bit)")
            }
        }
    }

    /// Recomputes the trailer, as a file made up to pass the CRC would have it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var b = Array(bytes.dropLast(TrainerCheckpoint.trailerSize))
        for k in 0..<8 { b.append(UInt8(truncatingIfNeeded: UInt64(b.count + 12) >> (8 * UInt64(k)))) }
        let crc = CRC32C.checksum(b[...])
        for k in 0..<4 { b.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k)))) }
        return b
    }

    static func put(_ v: UInt64, size: Int, at offset: Int, in b: inout [UInt8]) {
        for k in 0..<size { b[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }

    /// Made-up lengths with a valid CRC: the header's, the entry count, an entry name's, a
    /// matrix's rows and cols and a word count, each huge. Each is refused before allocating.
    @Test func aCraftedHugeLengthIsUnreadableNotACrash() throws {
        let bytes = Self.sample()
        #expect(Self.resealed(bytes) == bytes)
        let headerSize = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let countAt = 16 + headerSize
        let firstNameAt = countAt + 4
        let nameLength = Int(bytes[firstNameAt]) | Int(bytes[firstNameAt + 1]) << 8
        let tagAt = firstNameAt + 4 + nameLength
        // The entries go in name order; the first is "batchNorm/…" or a "dropout/…" (words).
        let firstIsFloats = bytes[tagAt] == 1
        var fields: [(offset: Int, size: Int, what: String)] = [
            (12, 4, "header length"), (countAt, 4, "entry count"), (firstNameAt, 4, "name length"),
            (tagAt + 1, 8, firstIsFloats ? "rows" : "word count"),
        ]
        if firstIsFloats { fields.append((tagAt + 9, 8, "cols")) }
        for f in fields {
            for v: UInt64 in [UInt64.max, 1 << 62, UInt64(UInt32.max), UInt64(bytes.count)] {
                var b = bytes
                Self.put(v, size: f.size, at: f.offset, in: &b)
                b = Self.resealed(b)
                #expect(throws: CheckpointError.self, "\(f.what) = \(v)") {
                    try TrainerCheckpoint(decoding: b, path: "x")
                }
                #expect(Self.isTornOrUnreadable(b), "\(f.what) = \(v)")
            }
        }
        var tag = bytes
        tag[tagAt] = 9
        #expect(Self.isTornOrUnreadable(Self.resealed(tag)), "an unknown tag")
    }

    /// The bytes with the JSON header replaced by `change`'s version of it, length and CRC fixed:
    /// a file made up to pass every check but the values' own.
    static func withHeader(_ bytes: [UInt8], _ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let size = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        var header = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + size)])) as? [String: Any])
        change(&header)
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        var b = Array(bytes[..<12])
        for k in 0..<4 { b.append(UInt8(truncatingIfNeeded: json.count >> (8 * k))) }
        b += json + bytes[(16 + size)...]
        return resealed(b)
    }

    static func network(_ h: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var config = h["config"] as? [String: Any] ?? [:]
        var network = config["network"] as? [String: Any] ?? [:]
        change(&network)
        config["network"] = network
        h["config"] = config
    }

    static func unreadableReason(_ bytes: [UInt8]) -> String? {
        do {
            let c = try TrainerCheckpoint(decoding: bytes, path: "x")
            _ = try Trainer.restoring(c, data: Self.data, path: "x")
            return nil
        } catch {
            if case .unreadable(_, let reason) = error { return reason }
            return nil
        }
    }

    /// Headers made up to pass the CRC, each asking for something the state does not hold or no
    /// trainer can be: refused in one line, before a trainer (and its allocations) is made.
    @Test func aCraftedHeaderIsUnreadableNotACrash() throws {
        let bytes = Self.sample()
        #expect(try Self.withHeader(bytes) { _ in }.count == bytes.count)
        #expect(Self.unreadableReason(try Self.withHeader(bytes) { _ in }) == nil, "the unchanged header")
        let changes: [(String, (inout [String: Any]) -> Void)] = [
            ("a huge layer", { h in Self.network(&h) { $0["hidden"] = [100_000_000, 8] } }),
            (
                "a huge layer, shape to match",
                {
                    h in
                    Self.network(&h) { $0["hidden"] = [100_000_000, 8] }
                    h["shape"] = "16-100000000-8-4"
                }
            ),
            (
                "more layers",
                {
                    h in
                    Self.network(&h) { $0["hidden"] = [12, 8, 8] }
                    h["shape"] = "16-12-8-8-4"
                }
            ),
            (
                "a huge batch",
                {
                    h in
                    var c = h["config"] as? [String: Any] ?? [:]
                    c["batchSize"] = 1 << 40
                    h["config"] = c
                }
            ),
            (
                "a negative rate",
                {
                    h in
                    var c = h["config"] as? [String: Any] ?? [:]
                    c["learningRate"] = -1
                    h["config"] = c
                }
            ),
            (
                "another optimizer",
                {
                    h in
                    var c = h["config"] as? [String: Any] ?? [:]
                    c["optimizer"] = "momentum"
                    h["config"] = c
                }
            ),
            ("another step", { $0["steps"] = 999 }),
            ("negative steps", { $0["steps"] = -1 }),
            ("no training images", { $0["trainCount"] = 0 }),
            ("a digest that is not hex", { $0["digest"] = "zz" }),
            ("no config", { $0["config"] = nil }),
        ]
        for (what, change) in changes {
            let reason = Self.unreadableReason(try Self.withHeader(bytes, change))
            #expect(reason != nil, "\(what)")
        }
    }

    /// Counters past what a run record accepts (10¹² steps) are refused, in the header and in the
    /// state: a restored run could not write a readable step line.
    @Test func countersPastTheRecordsLimitAreRefused() throws {
        let bytes = Self.sample()
        let limit = TrainerCheckpoint.maximumCount
        #expect(limit == 1_000_000_000_000)
        for key in ["steps", "completedEpochs"] {
            for v in [limit + 1, 1 << 53] {
                #expect(
                    throws: CheckpointError.unreadable(path: "x", reason: "its header's values are out of range"),
                    "\(key) = \(v)"
                ) { try TrainerCheckpoint(decoding: try Self.withHeader(bytes) { $0[key] = v }, path: "x") }
            }
        }
        let t = Trainer(config: Setting.momentum.config, data: Self.data)
        for _ in 0..<3 { t.step() }
        var c = t.checkpoint()
        var entries = c.state.entries
        entries["trainer.counters"] = .words([UInt64(limit) + 1, 60, 60, 0, 20])
        c.state = TrainerState(entries: entries)
        #expect(
            throws: CheckpointError.unreadable(
                path: "x", reason: "its state does not fit its configuration: a malformed 'trainer.counters'")
        ) {
            try Trainer.restoring(c, data: Self.data, path: "x")
        }
    }

    /// Optimizer buffers of another shape than their parameter's, or missing, are refused naming
    /// the entry, rather than replaced with zeros on the next update.
    @Test(arguments: [OptimizerKind.momentum, .adam])
    func optimizerBuffersOfTheWrongShapeOrMissingAreRefused(kind: OptimizerKind) throws {
        let t = Trainer(config: Synthetic.config(optimizer: kind, seed: 5), data: Self.data)
        for _ in 0..<3 { t.step() }
        let good = t.checkpoint()
        func reason(_ change: (inout [String: TrainerState.Entry]) -> Void) -> String? {
            var c = good
            var e = c.state.entries
            change(&e)
            c.state = TrainerState(entries: e)
            do {
                _ = try Trainer.restoring(c, data: Self.data, path: "x")
                return nil
            } catch {
                if case .unreadable(_, let r) = error { return r }
                return "\(error)"
            }
        }
        #expect(reason { _ in } == nil)
        let prefix = "its state does not fit its configuration: "
        #expect(
            reason { $0["optimizer/W1/0"] = .floats(rows: 1, cols: 1, values: [0]) }
                == prefix + "'optimizer/W1/0' is 1×1, the parameter's is 16×12")
        #expect(
            reason { $0["optimizer/W1/0"] = .floats(rows: 12, cols: 16, values: [Float](repeating: 0, count: 192)) }
                == prefix + "'optimizer/W1/0' is 12×16, the parameter's is 16×12")
        #expect(
            reason { $0["optimizer/W1/0"] = .floats(rows: 0, cols: 0, values: []) }
                == prefix + "'optimizer/W1/0' is 0×0, the parameter's is 16×12")
        if kind == .adam {
            #expect(
                reason { e in
                    e["optimizer/b2/0"] = .floats(rows: 2, cols: 2, values: [0, 0, 0, 0])
                    e["optimizer/b2/1"] = .floats(rows: 2, cols: 2, values: [0, 0, 0, 0])
                } == prefix + "'optimizer/b2/0' is 2×2, the parameter's is 1×8")
        }
        let missing = reason { e in for k in e.keys where k.hasPrefix("optimizer/W1/") { e[k] = nil } }
        #expect(missing == prefix + "no 'optimizer/W1/…' (the optimizer's state of W1)")
    }

    @Test func anotherFormatVersionIsUnreadable() {
        var b = Self.sample()
        b[8] = UInt8(TrainerCheckpoint.formatVersion + 1)
        #expect(
            throws: CheckpointError.unreadable(
                path: "x", reason: "it is of another format version than this dlboard reads")
        ) { try TrainerCheckpoint(decoding: Self.resealed(b), path: "x") }
    }

    @Test func aForeignFileIsUnreadable() {
        for junk in [Array("{\"type\":\"config\"}\n".utf8), [UInt8](repeating: 0, count: 100), [0x44]] {
            #expect(throws: CheckpointError.self) { try TrainerCheckpoint(decoding: junk, path: "x") }
        }
        var b = Self.sample()
        b[0] = UInt8(ascii: "X")
        #expect(throws: CheckpointError.unreadable(path: "x", reason: "it is not a dlboard checkpoint")) {
            try TrainerCheckpoint(decoding: b, path: "x")
        }
    }

    /// A made-up file with a valid CRC whose weights were changed is refused on restore: the
    /// restored state does not have the digest the header states.
    @Test func aChangedStateWithAValidCRCIsTornOnRestore() throws {
        let bytes = Self.sample()
        let name = Array("parameter/W2".utf8)
        let at = try #require(
            (0..<(bytes.count - name.count)).first { bytes[$0..<($0 + name.count)].elementsEqual(name) })
        var b = bytes
        // Past the tag, rows and cols: a byte of the fourth weight.
        b[at + name.count + 17 + 4 * 3 + 1] ^= 0x01
        let c = try TrainerCheckpoint(decoding: Self.resealed(b), path: "x")
        #expect(throws: CheckpointError.torn(path: "x")) { try Trainer.restoring(c, data: Self.data, path: "x") }
    }

    @Test func theCRCIsCRC32C() {
        #expect(CRC32C.checksum(Array("123456789".utf8)[...]) == 0xE306_9283)
    }

    // MARK: Mismatches

    @Test func otherImagesAreAShapeMismatchAndAnotherTrainingSetADataMismatch() throws {
        let t = Trainer(config: Setting.adam.config, data: Self.data)
        t.step()
        let c = try TrainerCheckpoint(decoding: t.checkpoint().encoded(), path: "D/dlboard.ckpt")
        let wide = Dataset(
            name: "wide", train: Synthetic.images(count: 200, features: 32, seed: 1),
            test: Synthetic.images(count: 50, features: 32, seed: 2))
        #expect(
            throws: CheckpointError.shapeMismatch(
                path: "D/dlboard.ckpt", checkpoint: "16-12-8-4", requested: "32-12-8-4")
        ) {
            try Trainer.restoring(c, data: wide, path: "D/dlboard.ckpt")
        }
        let message = CheckpointError.shapeMismatch(
            path: "D/dlboard.ckpt", checkpoint: "16-12-8-4", requested: "32-12-8-4"
        )
        .description
        #expect(message == "checkpoint 'D/dlboard.ckpt' is a 16-12-8-4 network; this trial asks for 32-12-8-4")
        #expect(throws: CheckpointError.dataMismatch(path: "D/dlboard.ckpt", checkpoint: 200, given: 150)) {
            try Trainer.restoring(c, data: Synthetic.dataset(train: 150), path: "D/dlboard.ckpt")
        }
        #expect(NetworkConfig(inputSize: 784, hidden: [100, 100], outputSize: 10).shapeText == "784-100-100-10")
    }

    /// Another training set of the same size (other images, or the same images with a validation
    /// split taken off a larger prefix) is refused by its checksum; the same images with another
    /// test set are not.
    @Test func otherTrainingImagesOfTheSameCountAreRefused() throws {
        let t = Trainer(config: Setting.momentum.config, data: Self.data)
        for _ in 0..<3 { t.step() }
        let c = try TrainerCheckpoint(decoding: t.checkpoint().encoded(), path: "D/dlboard.ckpt")
        #expect(c.trainChecksum == Self.data.trainingChecksum())
        let others = Synthetic.dataset(seed: 9)
        #expect(others.train.count == Self.data.train.count)
        #expect(
            throws: CheckpointError.dataChanged(
                path: "D/dlboard.ckpt", checkpoint: Self.data.trainingChecksum(), given: others.trainingChecksum())
        ) { try Trainer.restoring(c, data: others, path: "D/dlboard.ckpt") }
        let split = try Synthetic.dataset(train: 250).restricted(trainSize: nil, validationFraction: 0.2, seed: 0)
        #expect(split.train.count == 200)
        #expect(throws: CheckpointError.self) { try Trainer.restoring(c, data: split, path: "D/dlboard.ckpt") }
        let message = CheckpointError.dataChanged(path: "D/dlboard.ckpt", checkpoint: 0x5528_e8dc, given: 0xe353_00ad)
            .description
        #expect(
            message
                == "checkpoint 'D/dlboard.ckpt' was trained on other training images (checksum 5528e8dc, this trial's e35300ad); give the same --data/--train-size/--validation"
        )
        var sameTrain = Self.data
        sameTrain.test = Synthetic.images(count: 30, seed: 77)
        let r = try Trainer.restoring(c, data: sameTrain, path: "D/dlboard.ckpt")
        #expect(Self.losses(r, 4) == Self.losses(t, 4))
        // A header whose checksum is not 8 hex digits is not a checkpoint this reads.
        for bad in ["", "5528e8d", "+528e8dc", "5528e8dcc", "zzzzzzzz"] {
            let b = try Self.withHeader(Self.sample()) { $0["trainChecksum"] = bad }
            #expect(Self.unreadableReason(b) == "its header's values are out of range", "\(bad)")
        }
    }

    // MARK: Files

    static func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "dlboard-ckpt-\(getpid())-\(UUID().uuidString)"
    }

    /// A process id that names no live process: a child that has exited and been reaped.
    static func deadProcessID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// A write leaves only the checkpoint; a leftover temporary file of a writer that died is
    /// ignored by a read and removed by the next write, while a live writer's (here the test
    /// runner's parent's) and a file not named by a process id are left alone.
    @Test func aWriteIsAtomicAndALeftoverTemporaryFileIsIgnoredThenRemoved() throws {
        let dir = Self.temporaryDirectory() + "/nested/run"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Trainer(config: Setting.shuffled.config, data: Self.data)
        for _ in 0..<6 { t.step() }
        try t.checkpoint().write(toDirectory: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["dlboard.ckpt"])
        // Writes that crashed half-way, from processes now gone, one still alive, and a stranger.
        let dead = try Self.deadProcessID()
        #expect(kill(dead, 0) == -1 && errno == ESRCH)
        let leftover = TrainerCheckpoint.temporaryPrefix + String(dead)
        let live = TrainerCheckpoint.temporaryPrefix + String(getppid())
        let stranger = TrainerCheckpoint.temporaryPrefix + "notes"
        for name in [leftover, live, stranger] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(Self.sample().prefix(300)))
        }
        let read = try TrainerCheckpoint.read(fromDirectory: dir)
        #expect(read.digest == t.stateDigest())
        for _ in 0..<4 { t.step() }
        try t.checkpoint().write(toDirectory: dir + "/")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["dlboard.ckpt", live, stranger].sorted())
        let r = try Trainer.restoring(try TrainerCheckpoint.read(fromDirectory: dir), data: Self.data)
        #expect(r.steps == 10)
        #expect(Self.losses(r, 6) == Self.losses(t, 6))
    }

    @Test func aMissingOrUnwritableCheckpointSaysWhere() throws {
        let dir = Self.temporaryDirectory()
        #expect(
            throws: CheckpointError.unreadable(path: dir + "/dlboard.ckpt", reason: "there is no such file")
        ) { try TrainerCheckpoint.read(fromDirectory: dir) }
        // A directory that is a file.
        let file = dir + "-file"
        FileManager.default.createFile(atPath: file, contents: Data([1]))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let t = Trainer(config: Setting.sgd.config, data: Self.data)
        #expect(throws: CheckpointError.self) { try t.checkpoint().write(toDirectory: file) }
    }

    // MARK: Changing the rate or decay after a restore

    /// The first step after the change reports the loss of the restored weights (the same as the
    /// original's); later ones follow the new rate, exactly as a fork changed the same way does
    /// (the optimizer's state was kept).
    @Test(arguments: [OptimizerKind.momentum, .adam, .rmsprop])
    func aRestoreThenANewRateKeepsTheOptimizerState(kind: OptimizerKind) throws {
        let t = Trainer(config: Synthetic.config(optimizer: kind, seed: 4, batchNorm: true), data: Self.data)
        for _ in 0..<9 { t.step() }
        let r = try Self.roundTrip(t)
        let fork = t.fork()
        let newRate = t.baseLearningRate * 0.25
        r.setLearningRate(newRate)
        fork.setLearningRate(newRate)
        r.network.weightDecay = 0.05
        fork.network.weightDecay = 0.05
        let original = Self.losses(t, 6)
        let restored = Self.losses(r, 6)
        #expect(restored == Self.losses(fork, 6), "a restore then a change is a fork then the change")
        #expect(restored[0] != original[0], "weight decay is part of the first step's loss")
        #expect(r.stateDigest() == fork.stateDigest())

        let r2 = try Self.roundTrip(t)
        let fork2 = t.fork()
        r2.setLearningRate(newRate)
        fork2.setLearningRate(newRate)
        let original2 = Self.losses(t, 4)
        let restored2 = Self.losses(r2, 4)
        #expect(restored2[0] == original2[0], "the first loss is before the first update")
        #expect(restored2[1] != original2[1], "the second follows the new rate")
        #expect(restored2 == Self.losses(fork2, 4))
    }
}
