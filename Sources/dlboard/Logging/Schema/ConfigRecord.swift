import NN

/// A run's header, the first record of each run: everything needed to run it again — the full
/// configuration, the seed, the command line, the data and a CRC-32 of every image and label the
/// run saw. A fork's names its parent run and the step it was forked at.
///
/// Read tolerantly: only `config` is required (a header without it is damaged); the other fields
/// default when missing, as older tools wrote some of them later.
struct ConfigRecord: RecordLine, Equatable {
    static let type = RecordType.config

    /// The record format (`RunRecord.formatVersion` when written).
    var version = RunRecord.formatVersion
    /// The run's id within a session of several runs; nil for a single run.
    var run: Int?
    var title: String?
    var parent: Int?
    var forkStep: Int?
    /// Seconds since the record was opened.
    var t: Double
    /// When the header was written (ISO 8601, UTC).
    var created: String?
    var argv: [String] = []
    var seed: UInt64
    var dataset: String
    var datasetChecksum: String?
    var dataDirectory: String
    var trainSize: Int
    var validationSize: Int
    var testSize: Int
    var config: TrainingConfig

    enum CodingKeys: String, CodingKey {
        case type, version, run, title, parent
        case forkStep = "fork_step"
        case t, created, argv, seed, dataset
        case datasetChecksum = "dataset_crc32"
        case dataDirectory = "data"
        case trainSize = "train_size"
        case validationSize = "validation_size"
        case testSize = "test_size"
        case config
    }

    init(
        version: Int = RunRecord.formatVersion, run: Int? = nil, title: String? = nil, parent: Int? = nil,
        forkStep: Int? = nil, t: Double, created: String?, argv: [String], dataset: String, datasetChecksum: String?,
        dataDirectory: String, trainSize: Int, validationSize: Int, testSize: Int, config: TrainingConfig
    ) {
        self.version = version
        self.run = run
        self.title = title
        self.parent = parent
        self.forkStep = forkStep
        self.t = t
        self.created = created
        self.argv = argv
        self.seed = config.seed
        self.dataset = dataset
        self.datasetChecksum = datasetChecksum
        self.dataDirectory = dataDirectory
        self.trainSize = trainSize
        self.validationSize = validationSize
        self.testSize = testSize
        self.config = config
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? RunRecord.formatVersion
        run = try c.decodeIfPresent(Int.self, forKey: .run)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        parent = try c.decodeIfPresent(Int.self, forKey: .parent)
        forkStep = try c.decodeIfPresent(Int.self, forKey: .forkStep)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        // What a reader only shows (or not at all) is read leniently: a value of the wrong type reads
        // as absent rather than making the whole record unreadable, as before the schema.
        created = (try? c.decodeIfPresent(String.self, forKey: .created)) ?? nil
        argv = ((try? c.decodeIfPresent([String].self, forKey: .argv)) ?? nil) ?? []
        dataset = try c.decodeIfPresent(String.self, forKey: .dataset) ?? ""
        datasetChecksum = try c.decodeIfPresent(String.self, forKey: .datasetChecksum)
        dataDirectory = ((try? c.decodeIfPresent(String.self, forKey: .dataDirectory)) ?? nil) ?? ""
        trainSize = try c.decodeIfPresent(Int.self, forKey: .trainSize) ?? 0
        validationSize = ((try? c.decodeIfPresent(Int.self, forKey: .validationSize)) ?? nil) ?? 0
        testSize = ((try? c.decodeIfPresent(Int.self, forKey: .testSize)) ?? nil) ?? 0
        config = try c.decode(TrainingConfig.self, forKey: .config)
        // The header's seed repeats the configuration's, which is the one a replay uses.
        seed = ((try? c.decodeIfPresent(UInt64.self, forKey: .seed)) ?? nil) ?? config.seed
        var check = RangeCheck()
        check.version(version)
        check.count(CodingKeys.run, run)
        check.count(CodingKeys.trainSize, trainSize)
        check.count(CodingKeys.parent, parent)
        check.count(CodingKeys.forkStep, forkStep)
        if !(0...RangeCheck.countLimit).contains(validationSize) { validationSize = 0 }
        if !(0...RangeCheck.countLimit).contains(testSize) { testSize = 0 }
        check.time(CodingKeys.t, t)
        check.configuration(config, trainSize: trainSize)
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encodeIfPresent(parent, forKey: .parent)
        try c.encodeIfPresent(forkStep, forKey: .forkStep)
        try c.encode(t, forKey: .t)
        try c.encodeIfPresent(created, forKey: .created)
        try c.encode(argv, forKey: .argv)
        try c.encode(seed, forKey: .seed)
        try c.encode(dataset, forKey: .dataset)
        try c.encodeIfPresent(datasetChecksum, forKey: .datasetChecksum)
        try c.encode(dataDirectory, forKey: .dataDirectory)
        try c.encode(trainSize, forKey: .trainSize)
        try c.encode(validationSize, forKey: .validationSize)
        try c.encode(testSize, forKey: .testSize)
        try c.encode(config, forKey: .config)
    }
}
