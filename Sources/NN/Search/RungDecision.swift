/// What one rung of successive halving decided: every trial's score there, best first, and which
/// went on. A record of it lets anyone check that the promoted trials were the best.
public struct RungDecision: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let trial: Int
        public let score: Double
    }
    public let rung: Int
    /// The budget the trials had reached at this rung.
    public let budget: Int
    public let ranked: [Entry]
    public let promoted: [Int]

    /// The lowest score that went on: the cutoff line of a rung ladder. nil on the last rung.
    public var cutoff: Double? {
        ranked.count > promoted.count && !promoted.isEmpty ? ranked[promoted.count - 1].score : nil
    }

    public var pruned: [Int] { ranked.dropFirst(promoted.count).map(\.trial) }
}
