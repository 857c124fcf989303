/// Draws mini-batch indices from a seeded stream of its own.
///
/// `.withReplacement` is the book's `Trainer` (`np.random.choice(train_size, batch_size)` every
/// iteration); `.shuffledEpochs` walks a fresh permutation per epoch, like the NumPy reference.
/// Several networks fed from one sampler see exactly the same batches — that is how comparison
/// runs are kept in lock-step, and why the sampler's stream does not depend on the network.
///
/// The batch size may change between two draws (`setBatchSize`): the sampler keeps its place in
/// samples, so the stream of sample indices is the same whatever sizes it is cut into — runs with
/// batch 10 and 100 see the same images in the same order, one ten times as fast as the other.
public struct BatchSampler: Sendable, Equatable {
    public enum Policy: String, Sendable, Codable, CaseIterable {
        case withReplacement = "replacement"
        case shuffledEpochs = "shuffle"
    }

    public let count: Int
    public private(set) var batchSize: Int
    public let policy: Policy
    private var generator: SeededGenerator
    private var permutation: [Int] = []
    private var position = 0

    public init(count: Int, batchSize: Int, policy: Policy = .withReplacement, seed: UInt64) {
        precondition(count >= 1 && batchSize >= 1, "BatchSampler needs count ≥ 1 and batchSize ≥ 1")
        self.count = count
        self.batchSize = batchSize
        self.policy = policy
        self.generator = SeededGenerator(seed: seed, stream: "batches")
    }

    /// Later draws take `size` samples each, from where the last draw ended (the next unseen sample
    /// of this epoch's permutation; a fresh permutation when fewer than `size` are left, as always).
    public mutating func setBatchSize(_ size: Int) {
        precondition(size >= 1, "BatchSampler needs batchSize ≥ 1")
        batchSize = size
    }

    public mutating func next() -> [Int] {
        var batch: [Int] = []
        next(into: &batch)
        return batch
    }

    /// The next batch's indices into `batch` (its old contents replaced, its capacity kept): a
    /// trainer draws every step into the same array, so a step allocates nothing here. The same
    /// draws as `next()`, in the same order.
    public mutating func next(into batch: inout [Int]) {
        batch.removeAll(keepingCapacity: true)
        switch policy {
        case .withReplacement:
            for _ in 0..<batchSize { batch.append(generator.nextInt(below: count)) }
        case .shuffledEpochs:
            let size = min(batchSize, count)
            if position + size > permutation.count {
                permutation = Array(0..<count)
                permutation.shuffle(using: &generator)
                position = 0
            }
            batch.append(contentsOf: permutation[position..<(position + size)])
            position += size
        }
    }
}

extension BatchSampler {
    /// Where the sampler stands (its stream, this epoch's permutation and the place in it) into a
    /// state digest.
    func digest(into d: inout StateDigest) {
        d.add(count)
        d.add(batchSize)
        d.add(policy.rawValue)
        generator.digest(into: &d)
        d.add(position)
        d.add(permutation.count)
        for i in permutation { d.add(i) }
    }
}

extension BatchSampler {
    /// The random stream, this epoch's permutation and the place in it, as a checkpoint stores them.
    var checkpointState: (generator: SeededGenerator, permutation: [Int], position: Int) {
        (generator, permutation, position)
    }

    /// Goes on from a stored position. Returns false (and changes nothing) when the permutation is
    /// neither empty nor `count` indices below `count`, or the position lies outside it: a draw from
    /// such a state could index out of range.
    mutating func restore(generator: SeededGenerator, permutation: [Int], position: Int) -> Bool {
        guard permutation.isEmpty || permutation.count == count,
            permutation.allSatisfy({ (0..<count).contains($0) }),
            (0...permutation.count).contains(position)
        else { return false }
        self.generator = generator
        self.permutation = permutation
        self.position = position
        return true
    }
}
