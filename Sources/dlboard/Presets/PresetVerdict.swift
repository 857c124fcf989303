import NN

/// What a training preset's headless report prints after its lock-step lines: the numbers its
/// experiment's verdict rests on, in a form a person can check against the book or the source.
enum PresetVerdict: Sendable {
    /// Each run's loss at the book's checkpoints, as the mean of a trailing window of iterations,
    /// and which run is lowest at each (E2's and E4's figures: the smoothed loss against iterations).
    case lossCheckpoints
    /// When each run first reaches `accuracy` on the training set (its first evaluation at or above
    /// it): on the epoch axis (samples seen), in steps (updates), and in training seconds.
    case timeToAccuracy(Double)
    /// Each run's learning rate per epoch and how much its loss still moves in the last epoch.
    case learningRates
    /// Each run's training accuracy per epoch (losses of different kinds are not comparable).
    case accuracyByEpoch

    /// The iterations at which E2's and E4's curves are compared (the book runs 2,000).
    static let checkpoints = [100, 500, 1000, 1500, 1900]
    /// The trailing window each checkpoint's loss is the mean of: iterations c − 19 … c.
    static let window = 20

    /// The checkpoints a run of `steps` iterations reaches; a run shorter than the book's adds its
    /// last step, so a reduced run is judged where it ends.
    static func checkpoints(forSteps steps: Int) -> [Int] {
        let reached = checkpoints.filter { $0 <= steps }
        return steps < checkpoints.last! && reached.last != steps ? reached + [steps] : reached
    }

    /// The mean of the losses of iterations `step − window + 1 … step` (1 is the first), or nil when
    /// any of them is not among `losses`, which holds the last `losses.count` of `count` iterations.
    static func windowMean(_ losses: [Float], count: Int, at step: Int, window: Int = window) -> Double? {
        let first = count - losses.count + 1
        guard step >= window, step - window + 1 >= first, step <= count else { return nil }
        let slice = losses[(step - window + 1 - first)...(step - first)]
        return slice.reduce(0.0) { $0 + Double($1) } / Double(window)
    }
}
