import CKernels

/// What one Affine layer (a hidden layer or the output layer) looked like in one training step:
/// the backward signal arriving at it from above, its weights, their gradient and the update the
/// optimizer applied — the per-layer instruments of "why it trains". Made by `Trainer` on steps that
/// collect statistics (see `Trainer.statisticsInterval`), from buffers the step already has.
public struct LayerStatistics: Sendable, Equatable {
    /// The Affine layer's name, e.g. `Affine2`.
    public var layer: String
    /// dL/d(out) of the layer — what arrives at it from above (for the output layer, from the
    /// softmax-with-loss): mean |·|, std and a histogram over the batch.
    public var backwardSignal: Summary
    /// The weights W the step's gradient was computed at (before the update).
    public var weight: Summary
    /// ∇W as the optimizer received it (weight decay included); `norm` is its L2 norm. No histogram.
    public var weightGradient: Summary
    /// ΔW = W after − W before: the update the optimizer really applied this step. No histogram.
    public var update: Summary
    /// For a layer followed by ReLU: the share of units that output exactly 0 for every sample of
    /// the batch, and the share of all output values that are exactly 0. Nil otherwise.
    public var deadUnitFraction: Float?
    public var zeroFraction: Float?
    /// The layer's units (W's columns) and how many of them differ: units whose incoming weights
    /// and bias agree to within 1e-4 of the larger of the two units' largest |w| or |b| count as
    /// one. A randomly initialized layer has `distinctUnits == units`; zeros or a constant leave 1
    /// for ever (the symmetry trap).
    public var units: Int
    public var distinctUnits: Int
    /// For a hidden layer followed by BatchNorm: its batch and running statistics. Nil otherwise.
    public var batchNorm: BatchNormStatistics?

    public init(
        layer: String, backwardSignal: Summary, weight: Summary, weightGradient: Summary, update: Summary,
        deadUnitFraction: Float?, zeroFraction: Float?, units: Int, distinctUnits: Int,
        batchNorm: BatchNormStatistics? = nil
    ) {
        self.layer = layer
        self.backwardSignal = backwardSignal
        self.weight = weight
        self.weightGradient = weightGradient
        self.update = update
        self.deadUnitFraction = deadUnitFraction
        self.zeroFraction = zeroFraction
        self.units = units
        self.distinctUnits = distinctUnits
        self.batchNorm = batchNorm
    }

    /// grad:data = std(∇W) / std(W); infinite when W has no spread (e.g. all zeros) and ∇W has.
    public var gradientToData: Float { Self.ratio(weightGradient.standardDeviation, weight.standardDeviation) }
    /// update:data = std(ΔW) / std(W before); the rule of thumb wants it near 1e-3.
    public var updateToData: Float { Self.ratio(update.standardDeviation, weight.standardDeviation) }

    static func ratio(_ a: Float, _ b: Float) -> Float {
        if b > 0 { return a / b }
        return a > 0 ? .infinity : 0
    }

    /// Moments and shape of one set of values (finite values only; non-finite ones are counted in
    /// the histogram).
    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var meanAbsolute: Float
        public var standardDeviation: Float
        /// √Σv².
        public var norm: Float
        /// Kept for the backward signal and W (what the view draws); nil for ∇W and ΔW.
        public var histogram: Histogram?

        public init(count: Int, meanAbsolute: Float, standardDeviation: Float, norm: Float, histogram: Histogram?) {
            self.count = count
            self.meanAbsolute = meanAbsolute
            self.standardDeviation = standardDeviation
            self.norm = norm
            self.histogram = histogram
        }

        /// The moments of `values`, and their histogram when `bins` is given: one vectorized pass
        /// for the moments and the largest magnitude, one for the bins.
        public init(values: UnsafeBufferPointer<Float>, bins: Int?) {
            let m = Moments(values)
            self.init(
                moments: m, count: values.count,
                histogram: bins.map {
                    Histogram(values: values, bins: $0, largest: m.largest, nonFinite: values.count - Int(m.n))
                })
        }

        /// The moments of `after − before`, element by element, without storing the difference.
        init(differenceOf after: Matrix, _ before: Matrix) {
            precondition(after.count == before.count, "difference of matrices of different sizes")
            self.init(
                moments: Moments(after.pointer, minus: before.pointer, count: after.count), count: after.count,
                histogram: nil)
        }

        private init(moments m: Moments, count: Int, histogram: Histogram?) {
            let mean = m.n > 0 ? m.sum / m.n : 0
            self.count = count
            self.meanAbsolute = m.n > 0 ? Float(m.sumAbs / m.n) : 0
            self.standardDeviation = m.n > 0 ? Float(max(0, m.sumSq / m.n - mean * mean).squareRoot()) : 0
            self.norm = Float(m.sumSq.squareRoot())
            self.histogram = histogram
        }
    }

    /// Sums in Double over the finite values, and their largest magnitude (`dlboard_moments_of`:
    /// 16 interleaved partial sums, so they may differ from a one-by-one loop in the last bits of
    /// the Double — at most a last-bit rounding in the Float results).
    struct Moments {
        var n = 0.0
        var sum = 0.0
        var sumAbs = 0.0
        var sumSq = 0.0
        var largest: Float = 0

        init(_ values: UnsafeBufferPointer<Float>) {
            var m = dlboard_moments()
            if let base = values.baseAddress, !values.isEmpty { dlboard_moments_of(base, nil, values.count, &m) }
            self.init(m)
        }

        /// The moments of `x[i] − y[i]` (each difference rounded to Float).
        init(_ x: UnsafePointer<Float>, minus y: UnsafePointer<Float>, count: Int) {
            var m = dlboard_moments()
            if count > 0 { dlboard_moments_of(x, y, count, &m) }
            self.init(m)
        }

        private init(_ m: dlboard_moments) {
            n = m.count
            sum = m.sum
            sumAbs = m.sumAbs
            sumSq = m.sumSquares
            largest = m.maxAbs
        }
    }
}

extension Network {
    /// Per-Affine statistics of the last training step, read after the optimizer's update.
    /// `weightsBefore[k]` is a copy of `affines[k].weight.value` taken before that update.
    /// Precondition: the last pass was a train-mode `gradient(_:labels:)`.
    public func layerStatistics(weightsBefore: [Matrix], bins: Int = 30) -> [LayerStatistics] {
        precondition(weightsBefore.count == affines.count, "one weight copy per Affine layer")
        return affines.indices.map { k in
            let a = affines[k]
            let before = weightsBefore[k]
            let after = a.weight.value
            precondition(before.count == after.count, "\(a.name): weight copy has the wrong shape")
            guard let dout = a.outputGradient else { preconditionFailure("\(a.name): no backward pass yet") }
            var dead: Float?
            var zeros: Float?
            // Only ReLU outputs exact zeros over a whole batch; a Leaky ReLU or SoftPlus unit
            // always passes some gradient, so "dead" does not apply to them.
            if k < activations.count, activations[k].activation == .relu {
                (dead, zeros) = Self.deadAndZeroFractions(activations[k].output)
            }
            return LayerStatistics(
                layer: a.name,
                backwardSignal: .init(values: UnsafeBufferPointer(dout.buffer), bins: bins),
                weight: .init(values: UnsafeBufferPointer(before.buffer), bins: bins),
                weightGradient: .init(values: UnsafeBufferPointer(a.weight.gradient.buffer), bins: nil),
                update: .init(differenceOf: after, before),
                deadUnitFraction: dead, zeroFraction: zeros,
                units: after.cols, distinctUnits: Self.distinctUnits(weight: after, bias: a.bias.value),
                batchNorm: batchNormStatistics(after: k))
        }
    }

    /// How many of a d_in×d_out weight matrix's columns (with their bias) differ by more than
    /// 1e-4 of the pair's largest |·|. Columns are sorted by their sum and each is compared in full
    /// only with the representatives whose sums are close to its own, so a random layer costs one pass over W
    /// (`dlboard_column_sums`, row by row as W is stored) plus a sort of d_out sums.
    static func distinctUnits(weight w: Matrix, bias b: Matrix) -> Int {
        let rows = w.rows
        let d = w.cols
        guard d > 1 else { return d }
        precondition(b.count == d, "one bias per unit")
        let p = w.pointer
        let q = b.pointer
        var sums = [Double](repeating: 0, count: d)
        var largest = [Float](repeating: 0, count: d)
        dlboard_column_sums(p, rows, d, q, &sums, &largest)
        // The largest |·| ignores NaN, as `max` does; an infinity makes every tolerance useless.
        let scale = largest.reduce(0) { $1 > $0 ? $1 : $0 }
        guard scale.isFinite else { return d }
        let order = (0..<d).sorted { sums[$0] < sums[$1] }
        // Two units are one when they agree to within 1e-4 of the larger of their own largest |·|:
        // a per-pair scale, so a few huge weights elsewhere (a diverging layer) do not lump
        // unrelated units together.
        func same(_ j: Int, _ r: Int) -> Bool {
            let tolerance = 1e-4 * max(largest[j], largest[r])
            guard abs(q[j] - q[r]) <= tolerance else { return false }
            // `!(… <= …)`: a NaN weight makes two units differ, never the same.
            for i in 0..<rows where !(abs(p[i * d + j] - p[i * d + r]) <= tolerance) { return false }
            return true
        }
        // Columns that are one unit have sums within (rows + 1) · tolerance of each other, so each
        // column is compared with every representative in that window of the sorted sums (not only
        // the last one: equal sums can interleave different columns). A random layer's sums are
        // far apart, so the window holds about one representative.
        let window = 1e-4 * Double(scale) * Double(rows + 1)
        var representatives: [Int] = []
        var firstInWindow = 0
        for j in order {
            while firstInWindow < representatives.count, sums[j] - sums[representatives[firstInWindow]] > window {
                firstInWindow += 1
            }
            if !representatives[firstInWindow...].contains(where: { same(j, $0) }) { representatives.append(j) }
        }
        let distinct = representatives.count
        return distinct
    }

    /// Of an n×d output: the share of columns that are 0 in every row, and of all values that are 0
    /// (`dlboard_column_zero_counts`: one vectorized pass counting each column's zeros).
    static func deadAndZeroFractions(_ out: Matrix) -> (Float, Float) {
        let n = out.rows
        let d = out.cols
        guard n > 0, d > 0 else { return (0, 0) }
        var zeros = [Int](repeating: 0, count: d)
        zeros.withUnsafeMutableBufferPointer { z in
            dlboard_column_zero_counts(out.pointer, n, d, z.baseAddress!)
        }
        let deadCount = zeros.reduce(0) { $0 + ($1 == n ? 1 : 0) }
        let zeroCount = zeros.reduce(0, +)
        return (Float(deadCount) / Float(d), Float(zeroCount) / Float(n * d))
    }
}
