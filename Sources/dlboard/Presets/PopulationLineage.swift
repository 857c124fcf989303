import NN

/// Where a member's state came from: at each exploit it continued the donor's state, so its
/// history is the donor's up to that step and its own after it. Traced back, that is a root member
/// (whose initial lr and weight decay the run started with), the segments of steps each member
/// trained on the way, and the lr and weight-decay changes at the exploit steps — one run's
/// schedule, which `PopulationReplay` re-trains to prove it.
struct PopulationLineage: Sendable, Equatable {
    struct Segment: Sendable, Equatable {
        var member: Int
        /// The steps whose losses this member's record holds for the lineage.
        var steps: ClosedRange<Int>
    }

    /// After `step`, the lineage trains with these (the exploiting member's values after explore).
    struct Change: Sendable, Equatable {
        var step: Int
        var learningRate: Float
        var weightDecay: Float
        var exploit: Population.Exploit
    }

    /// The member whose lineage this is (the best), and the one it starts from.
    var member: Int
    var root: Int
    var rootLearningRate: Float
    var rootWeightDecay: Float
    var segments: [Segment]
    var changes: [Change]
    var steps: Int

    /// The members along the way, the root first (a member may appear more than once).
    var path: [Int] { segments.map(\.member) }

    /// Traces `member`'s state from step `steps` back through its exploits to the start.
    static func trace(member: Int, upTo steps: Int, exploits: [Population.Exploit], members: [Population.Member])
        -> PopulationLineage
    {
        var current = member
        var end = steps
        var segments: [Segment] = []
        var changes: [Change] = []
        // Latest first: the exploit that last replaced the current member's state before `end`.
        let ordered = exploits.sorted { $0.step > $1.step }
        // After the first hop the steps strictly fall (a donor is never exploited in the generation
        // it gives), which also ends the walk on a record that claims otherwise.
        var first = true
        while let e = ordered.first(where: { $0.member == current && (first ? $0.step <= end : $0.step < end) }) {
            first = false
            if e.step < end { segments.append(Segment(member: current, steps: (e.step + 1)...end)) }
            changes.append(
                Change(step: e.step, learningRate: e.learningRateTo, weightDecay: e.weightDecayTo, exploit: e))
            current = e.donor
            end = e.step
        }
        if end >= 1 { segments.append(Segment(member: current, steps: 1...end)) }
        let root = members[current]
        return PopulationLineage(
            member: member, root: current, rootLearningRate: root.initialLearningRate,
            rootWeightDecay: root.initialWeightDecay, segments: segments.reversed(), changes: changes.reversed(),
            steps: steps)
    }

    /// Which member's record holds step `k`'s loss for this lineage.
    func member(atStep k: Int) -> Int? { segments.first { $0.steps.contains(k) }?.member }

    /// The lineage's recorded loss of each step, from its members' losses.
    static func losses(of lineage: PopulationLineage, members: [Population.Member]) -> [Int: Float] {
        var out: [Int: Float] = [:]
        for s in lineage.segments {
            for l in members[s.member].losses where s.steps.contains(l.step) { out[l.step] = l.loss }
        }
        return out
    }

    /// The member that holds the state at (after) generation column `g` whose step is `step`: the
    /// lineage's member for the next step.
    func member(afterStep step: Int) -> Int? { member(atStep: step + 1) ?? (step >= steps ? self.member : nil) }
}
