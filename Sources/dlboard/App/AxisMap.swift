import TUI

/// Where a run stood in epochs (samples seen) and training seconds at each step it published, so
/// that curves stored by step (losses, markers) and by epoch (accuracies) can be drawn on any
/// `XAxis`. Between two anchors a value is interpolated linearly: anchors come with every status,
/// at most 30 ms of training apart, and samples grow linearly in steps between batch-size switches.
///
/// Bounded like the loss curve: past `maxAnchors` the older half keeps every other anchor, so old
/// stretches lose resolution no screen column could show, and memory stops growing.
struct AxisMap: Equatable {
    struct Anchor: Equatable {
        var step: Double
        var epochs: Double
        var seconds: Double
    }

    static let maxAnchors = 20_000

    /// In step order, starting at the run's start.
    private(set) var anchors = [Anchor(step: 0, epochs: 0, seconds: 0)]

    /// The run stands at `step` after `epochs` of samples and `seconds` of training.
    mutating func append(step: Int, epochs: Double, seconds: Double) {
        let a = Anchor(step: Double(step), epochs: epochs, seconds: seconds)
        guard let last = anchors.last, a.step >= last.step else { return }
        if a.step == last.step {
            // Nothing trained since: keep the latest reading (a switch may have closed the epoch).
            if anchors.count > 1 { anchors[anchors.count - 1] = a }
            return
        }
        anchors.append(a)
        if anchors.count > Self.maxAnchors { compact() }
    }

    private mutating func compact() {
        let old = anchors.count / 2
        var kept: [Anchor] = []
        kept.reserveCapacity(old / 2 + anchors.count - old + 1)
        for i in stride(from: 0, to: old, by: 2) { kept.append(anchors[i]) }
        kept.append(contentsOf: anchors[old...])
        anchors = kept
    }

    /// The anchors up to `step` (a fork's history is its parent's up to where it was made).
    func upTo(step: Int) -> AxisMap {
        var m = self
        m.anchors = anchors.filter { $0.step <= Double(step) }
        if m.anchors.isEmpty { m.anchors = [Anchor(step: 0, epochs: 0, seconds: 0)] }
        return m
    }

    /// `points` whose x is a step, with x on `axis`.
    func fromSteps(_ points: [ChartPoint], to axis: XAxis) -> [ChartPoint] {
        switch axis {
        case .steps: return points
        case .epochs: return convert(points, from: \.step, to: \.epochs)
        case .seconds: return convert(points, from: \.step, to: \.seconds)
        }
    }

    /// `points` whose x is an epoch, with x on `axis` (on `.steps` the accuracies stay on epochs).
    func fromEpochs(_ points: [ChartPoint], to axis: XAxis) -> [ChartPoint] {
        axis == .seconds ? convert(points, from: \.epochs, to: \.seconds) : points
    }

    /// Markers sit at steps.
    func fromSteps(_ markers: [ChartMarker], to axis: XAxis) -> [ChartMarker] {
        guard axis != .steps else { return markers }
        let xs = fromSteps(markers.map { ChartPoint(x: $0.x, y: 0) }, to: axis)
        return zip(markers, xs).map { ChartMarker(x: $1.x, label: $0.label) }
    }

    /// Each point's x looked up in the `from` column and read off the `to` column. Points come
    /// mostly in order, so a cursor walks the anchors once; it searches again when x goes back.
    private func convert(
        _ points: [ChartPoint], from: KeyPath<Anchor, Double>, to: KeyPath<Anchor, Double>
    ) -> [ChartPoint] {
        var out: [ChartPoint] = []
        out.reserveCapacity(points.count)
        var k = 0  // anchors[k] is the last anchor with from-value ≤ x seen so far
        for p in points {
            if k > 0 && anchors[k][keyPath: from] > p.x { k = firstAbove(p.x, from) - 1 }
            while k + 1 < anchors.count && anchors[k + 1][keyPath: from] <= p.x { k += 1 }
            let a = anchors[max(0, k)]
            let x: Double
            if k + 1 < anchors.count {
                let b = anchors[k + 1]
                let span = b[keyPath: from] - a[keyPath: from]
                let f = span > 0 ? (p.x - a[keyPath: from]) / span : 0
                x = a[keyPath: to] + max(0, min(1, f)) * (b[keyPath: to] - a[keyPath: to])
            } else {
                // Past the last anchor (a point published before its status): the last reading.
                x = a[keyPath: to]
            }
            out.append(ChartPoint(x: x, y: p.y))
        }
        return out
    }

    /// The index of the first anchor whose `column` value is above `x` (binary search, ≥ 1).
    private func firstAbove(_ x: Double, _ column: KeyPath<Anchor, Double>) -> Int {
        var lo = 0
        var hi = anchors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if anchors[mid][keyPath: column] <= x { lo = mid + 1 } else { hi = mid }
        }
        return max(1, lo)
    }
}
