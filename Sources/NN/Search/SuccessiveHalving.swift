/// Successive halving, the rule under ASHA and Hyperband: every trial starts with a small budget; at
/// each rung the best 1/η (by validation accuracy) go on with η times the budget, the rest stop. A
/// trial that survives every rung trains for the full budget; most trials cost only the first rung.
///
/// This is the synchronous form: a rung decides once all its trials have reported, so the promoted
/// trials are exactly the top ⌊n/η⌋ of that rung (ASHA decides as results arrive, which on a few
/// cores saves little and makes the cutoff depend on timing).
public struct SuccessiveHalving: Sendable, Equatable {
    /// The promotion factor: 1/η of a rung goes on, with η times its budget.
    public let eta: Int
    /// Epochs (or any budget unit) of each rung, cumulative: rung k trains until `budgets[k]`.
    public let budgets: [Int]

    /// Rungs at `minimum`·η^k, the last one `maximum` (when the ladder does not land on it exactly).
    public init(eta: Int = 3, minimum: Int, maximum: Int) throws(SearchError) {
        guard eta >= 2 else { throw SearchError("η must be at least 2, got \(eta)") }
        guard minimum >= 1, maximum >= minimum else {
            throw SearchError("budgets must satisfy 1 ≤ minimum ≤ maximum, got \(minimum) and \(maximum)")
        }
        var b = [minimum]
        while b.last! < maximum {
            let (next, overflow) = b.last!.multipliedReportingOverflow(by: eta)
            b.append(overflow ? maximum : min(next, maximum))
        }
        self.eta = eta
        self.budgets = b
    }

    /// How many trials reach each rung when `trials` start: n, ⌊n/η⌋, ⌊n/η²⌋ … (at least 1 each),
    /// one entry per rung.
    public func rungSizes(trials: Int) -> [Int] {
        var sizes: [Int] = []
        var n = max(1, trials)
        for _ in budgets {
            sizes.append(n)
            n = max(1, n / eta)
        }
        return sizes
    }

    /// A rung's decision: the top ⌊n/η⌋ (at least 1) by score go on. Ties keep the lower trial
    /// number, so the decision is the same however the results arrived; a NaN score (a diverged
    /// trial) ranks last.
    public func decide(rung: Int, scores: [(trial: Int, score: Double)]) -> RungDecision {
        let ranked = scores.sorted { a, b in
            let (x, y) = (a.score.isNaN ? -Double.infinity : a.score, b.score.isNaN ? -Double.infinity : b.score)
            return x != y ? x > y : a.trial < b.trial
        }
        let last = rung == budgets.count - 1
        let keep = last ? 0 : max(1, ranked.count / eta)
        return RungDecision(
            rung: rung, budget: budgets[min(rung, budgets.count - 1)],
            ranked: ranked.map { RungDecision.Entry(trial: $0.trial, score: $0.score) },
            promoted: ranked.prefix(keep).map(\.trial))
    }

    /// Budget units spent when `trials` start and every rung prunes: Σ over rungs of the trials that
    /// reach it times the budget added there. Against `trials × budgets.last` for a plain search.
    public func budgetSpent(trials: Int) -> Int {
        var total = 0
        var previous = 0
        for (size, budget) in zip(rungSizes(trials: trials), budgets) {
            // Saturates rather than traps: a budget past Int.max is no budget anyone can spend.
            let (cost, o1) = size.multipliedReportingOverflow(by: budget - previous)
            let (sum, o2) = total.addingReportingOverflow(cost)
            if o1 || o2 { return .max }
            total = sum
            previous = budget
        }
        return total
    }

    /// Of the pruned trials that were kept training to the full budget, how many the pruning got
    /// wrong: a kept trial is a miss when its final score is finite and beats the weakest of the top
    /// min(`top`, #finishers) finishers, so it would have pushed one of them out. `finalScores` holds
    /// the finishers' and the kept trials' final scores (a missing one counts as NaN); a NaN
    /// finisher (diverged) is beaten by any finite score, a NaN kept trial never misses. Without a
    /// finisher there is nothing to displace. nil when none was kept.
    public static func pruningRegret(
        finalScores: [Int: Double], pruned keptAlive: Set<Int>, top: Int = 3
    ) -> (missed: Int, kept: Int)? {
        guard !keptAlive.isEmpty else { return nil }
        let finishers = finalScores.filter { !keptAlive.contains($0.key) }
            .map { $0.value.isNaN ? -Double.infinity : $0.value }.sorted(by: >)
        guard let bar = finishers.prefix(max(0, top)).last else { return (0, keptAlive.count) }
        let missed = keptAlive.filter { id in
            guard let score = finalScores[id], score.isFinite else { return false }
            return score > bar
        }
        return (missed.count, keptAlive.count)
    }
}
