/// An evaluation: the accuracies after a step (an epoch's end, or the target), the epoch's training
/// time and throughput, the mean training loss since the previous evaluation and the learning rate
/// its step took (`lr`: the schedule's, left out of records that predate schedules). Its histograms
/// follow as `hist` records.
struct EvalRecord: RecordLine, Equatable {
    static let type = RecordType.eval

    var run: Int?
    /// Seconds since the record was opened.
    var t: Double
    /// Without activations: those are the `hist` records. Its `meanLoss` is the line's `loss`.
    var evaluation: SessionOutput.Evaluation
    /// The mean training loss since the previous evaluation; nil when not known (left out of the
    /// line) or not finite (null in the line, nil when read back).
    var loss: Double? { evaluation.meanLoss }

    enum CodingKeys: String, CodingKey {
        case type, run, epoch, step, t, loss
        case trainAccuracy = "train_acc"
        case testAccuracy = "test_acc"
        case validationAccuracy = "val_acc"
        case trainSeconds = "train_seconds"
        case samplesPerSecond = "samples_per_s"
        case learningRate = "lr"
    }

    init(run: Int? = nil, t: Double, evaluation: SessionOutput.Evaluation) {
        self.run = run
        self.t = t
        self.evaluation = evaluation
        self.evaluation.activations = []
        // What a line can hold: a loss that is not finite reads back as not known.
        if let l = evaluation.meanLoss, !l.isFinite { self.evaluation.meanLoss = nil }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        let loss = try c.decodeIfPresent(Double.self, forKey: .loss)
        let rate = try c.decodeIfPresent(Double.self, forKey: .learningRate)
        let e = SessionOutput.Evaluation(
            step: try c.decode(Int.self, forKey: .step),
            epoch: try c.decodeIfPresent(Int.self, forKey: .epoch) ?? 0,
            meanLoss: loss,
            trainAccuracy: try c.decode(Double.self, forKey: .trainAccuracy),
            testAccuracy: try c.decodeIfPresent(Double.self, forKey: .testAccuracy),
            validationAccuracy: try c.decodeIfPresent(Double.self, forKey: .validationAccuracy),
            trainSeconds: try c.decodeIfPresent(Double.self, forKey: .trainSeconds) ?? 0,
            samplesPerSecond: try c.decodeIfPresent(Double.self, forKey: .samplesPerSecond) ?? 0,
            learningRate: rate.map { Float($0) })
        var check = RangeCheck()
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.step, e.step)
        check.count(CodingKeys.epoch, e.epoch)
        check.time(CodingKeys.t, t)
        check.time(CodingKeys.trainSeconds, e.trainSeconds)
        check.number(CodingKeys.samplesPerSecond, e.samplesPerSecond, in: 0...Double(RangeCheck.countLimit))
        check.fraction(CodingKeys.trainAccuracy, e.trainAccuracy)
        check.fraction(CodingKeys.testAccuracy, e.testAccuracy)
        check.fraction(CodingKeys.validationAccuracy, e.validationAccuracy)
        check.number(CodingKeys.loss, loss, in: RangeCheck.finiteRange)
        // A rate an optimizer takes: positive and within Float's range.
        check.number(
            CodingKeys.learningRate, rate,
            in: Double(Float.leastNonzeroMagnitude)...Double(Float.greatestFiniteMagnitude))
        try check.finish(Self.type)
        evaluation = e
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let e = evaluation
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encode(e.epoch, forKey: .epoch)
        try c.encode(e.step, forKey: .step)
        try c.encode(t, forKey: .t)
        try c.encodeIfPresent(loss, forKey: .loss)
        try c.encode(e.trainAccuracy, forKey: .trainAccuracy)
        try c.encode(e.testAccuracy, forKey: .testAccuracy)
        try c.encode(e.validationAccuracy, forKey: .validationAccuracy)
        try c.encode(e.trainSeconds, forKey: .trainSeconds)
        try c.encode(e.samplesPerSecond, forKey: .samplesPerSecond)
        try c.encodeIfPresent(e.learningRate, forKey: .learningRate)
    }
}
