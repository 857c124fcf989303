/// One rung decision of successive halving: every trial that reached the rung with its validation
/// accuracy there (best first, as the decision ranked them), the runs that went on, the cutoff (the
/// lowest promoted score) and the pruned runs kept training to the end to measure the pruning
/// regret. With it anyone can check that the promoted were exactly the best ⌊n/η⌋.
struct RungRecord: RecordLine, Equatable {
    static let type = RecordType.rung

    /// One trial at the rung: its run id and score (nil: it diverged before the rung's budget).
    struct Entry: Codable, Equatable, Sendable {
        var run: Int
        var score: Double?

        enum CodingKeys: String, CodingKey {
            case run, score
        }
    }

    /// 1 is the first rung.
    var rung: Int
    /// Epochs every trial of the rung had trained when it was decided.
    var budget: Int
    /// Seconds since the record was opened.
    var t: Double
    var ranked: [Entry]
    var promoted: [Int]
    /// The lowest score that went on; nil on the last rung (nothing goes on) or when none did.
    var cutoff: Double?
    /// Runs pruned here that keep training to the full budget, left out of later decisions.
    var kept: [Int]

    enum CodingKeys: String, CodingKey {
        case type, rung, budget, t, ranked, promoted, cutoff, kept
    }

    init(rung: Int, budget: Int, t: Double, ranked: [Entry], promoted: [Int], cutoff: Double?, kept: [Int]) {
        self.rung = rung
        self.budget = budget
        self.t = t
        self.ranked = ranked
        self.promoted = promoted
        self.cutoff = cutoff
        self.kept = kept
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rung = try c.decode(Int.self, forKey: .rung)
        budget = try c.decode(Int.self, forKey: .budget)
        t = try c.decodeIfPresent(Double.self, forKey: .t) ?? 0
        ranked = try c.decode([Entry].self, forKey: .ranked)
        promoted = try c.decodeIfPresent([Int].self, forKey: .promoted) ?? []
        cutoff = try c.decodeIfPresent(Double.self, forKey: .cutoff)
        kept = try c.decodeIfPresent([Int].self, forKey: .kept) ?? []
        var check = RangeCheck()
        check.count(CodingKeys.rung, rung)
        check.count(CodingKeys.budget, budget)
        check.time(CodingKeys.t, t)
        check.fraction(CodingKeys.cutoff, cutoff)
        // A list longer than any search runs is no rung anyone decided.
        check.length(CodingKeys.ranked, ranked.count, atMost: RangeCheck.binLimit)
        check.length(CodingKeys.promoted, promoted.count, atMost: ranked.count)
        check.length(CodingKeys.kept, kept.count, atMost: ranked.count)
        for e in ranked {
            check.count(Entry.CodingKeys.run, e.run)
            check.fraction(Entry.CodingKeys.score, e.score)
        }
        for r in promoted { check.count(CodingKeys.promoted, r) }
        for r in kept { check.count(CodingKeys.kept, r) }
        try check.finish(Self.type)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.type.rawValue, forKey: .type)
        try c.encode(rung, forKey: .rung)
        try c.encode(budget, forKey: .budget)
        try c.encode(t, forKey: .t)
        try c.encode(ranked, forKey: .ranked)
        try c.encode(promoted, forKey: .promoted)
        try c.encode(cutoff, forKey: .cutoff)
        try c.encode(kept, forKey: .kept)
    }
}
