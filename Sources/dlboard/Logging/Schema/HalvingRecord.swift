/// The verdict of a successive-halving search, written once at its end: the epochs the ladder spent
/// against a full search's, its best trial, the random search given the same budget and its best,
/// and the pruning regret measured on the kept-alive pruned trials. Run ids are those of the
/// trials' own records; nil where that part did not run (stopped early, no trial kept alive).
struct HalvingRecord: RecordLine, Equatable {
    static let type = RecordType.halving

    var t: Double
    var trials: Int
    var eta: Int
    /// Cumulative epochs of each rung.
    var budgets: [Int]
    /// Epochs the ladder trained, the kept-alive trials counted only up to where they were pruned.
    var budgetSpent: Int
    /// What training every trial to the full budget would cost: trials × the last rung's budget.
    var fullBudget: Int
    /// Epochs the kept-alive trials trained past their pruning (spent only to measure the regret).
    var keptBudget: Int
    var bestRun: Int?
    var bestValidation: Double?
    /// ⌊budgetSpent / full epochs⌋ trials trained to the full budget, and what they spent.
    var randomTrials: Int
    var randomBudget: Int?
    var randomBestRun: Int?
    var randomBestValidation: Double?
    /// Of the `regretKept` kept-alive trials, how many ended above the weakest of the top
    /// min(3, finishers) finishers (`SuccessiveHalving.pruningRegret`).
    var regretMissed: Int?
    var regretKept: Int?

    enum CodingKeys: String, CodingKey {
        case type, t, trials, eta, budgets
        case budgetSpent = "budget_spent"
        case fullBudget = "full_budget"
        case keptBudget = "kept_budget"
        case bestRun = "best_run"
        case bestValidation = "best_val_acc"
        case randomTrials = "random_trials"
        case randomBudget = "random_budget"
        case randomBestRun = "random_best_run"
        case randomBestValidation = "random_best_val_acc"
        case regretMissed = "regret_missed"
        case regretKept = "regret_kept"
    }

    init(
        t: Double, trials: Int, eta: Int, budgets: [Int], budgetSpent: Int, fullBudget: Int, keptBudget: Int,
        bestRun: Int?, bestValidation: Double?, randomTrials: Int, randomBudget: Int?, randomBestRun: Int?,
        randomBestValidation: Double?, regretMissed: Int?, regretKept: Int?
    ) {
        self.t = t
        self.trials = trials
        self.eta = eta
        self.budgets = budgets
        self.budgetSpent = budgetSpent
        self.fullBudget = fullBudget
        self.keptBudget = keptBudget
        self.bestRun = bestRun
        self.bestValidation = bestValidation
        self.randomTrials = randomTrials
        self.randomBudget = randomBudget
        self.randomBestRun = randomBestRun
        self.randomBestValidation = randomBestValidation
        self.regretMissed = regretMissed
        self.regretKept = regretKept
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        trials = try c.decode(Int.self, forKey: .trials)
        eta = try c.decode(Int.self, forKey: .eta)
        budgets = try c.decode([Int].self, forKey: .budgets)
        budgetSpent = try c.decode(Int.self, forKey: .budgetSpent)
        fullBudget = try c.decode(Int.self, forKey: .fullBudget)
        keptBudget = try c.decodeIfPresent(Int.self, forKey: .keptBudget) ?? 0
        bestRun = try c.decodeIfPresent(Int.self, forKey: .bestRun)
        bestValidation = try c.decodeIfPresent(Double.self, forKey: .bestValidation)
        randomTrials = try c.decodeIfPresent(Int.self, forKey: .randomTrials) ?? 0
        randomBudget = try c.decodeIfPresent(Int.self, forKey: .randomBudget)
        randomBestRun = try c.decodeIfPresent(Int.self, forKey: .randomBestRun)
        randomBestValidation = try c.decodeIfPresent(Double.self, forKey: .randomBestValidation)
        regretMissed = try c.decodeIfPresent(Int.self, forKey: .regretMissed)
        regretKept = try c.decodeIfPresent(Int.self, forKey: .regretKept)
        var check = RangeCheck()
        check.time(CodingKeys.t, t)
        check.count(CodingKeys.trials, trials)
        check.count(CodingKeys.eta, eta)
        check.length(CodingKeys.budgets, budgets.count, atMost: RangeCheck.binLimit)
        for b in budgets { check.count(CodingKeys.budgets, b) }
        for (key, v) in [
            (CodingKeys.budgetSpent, budgetSpent), (.fullBudget, fullBudget), (.keptBudget, keptBudget),
            (.randomTrials, randomTrials),
        ] {
            check.count(key, v)
        }
        for (key, v) in [
            (CodingKeys.bestRun, bestRun), (.randomBudget, randomBudget), (.randomBestRun, randomBestRun),
            (.regretMissed, regretMissed), (.regretKept, regretKept),
        ] {
            check.count(key, v)
        }
        check.fraction(CodingKeys.bestValidation, bestValidation)
        check.fraction(CodingKeys.randomBestValidation, randomBestValidation)
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(t, forKey: .t)
        try c.encode(trials, forKey: .trials)
        try c.encode(eta, forKey: .eta)
        try c.encode(budgets, forKey: .budgets)
        try c.encode(budgetSpent, forKey: .budgetSpent)
        try c.encode(fullBudget, forKey: .fullBudget)
        try c.encode(keptBudget, forKey: .keptBudget)
        try c.encode(bestRun, forKey: .bestRun)
        try c.encode(bestValidation, forKey: .bestValidation)
        try c.encode(randomTrials, forKey: .randomTrials)
        try c.encode(randomBudget, forKey: .randomBudget)
        try c.encode(randomBestRun, forKey: .randomBestRun)
        try c.encode(randomBestValidation, forKey: .randomBestValidation)
        try c.encode(regretMissed, forKey: .regretMissed)
        try c.encode(regretKept, forKey: .regretKept)
    }
}
