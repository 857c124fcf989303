import Foundation
import NN
import TUI

/// log10(update:data) of each of a run's Affine layers over steps: what the layers view draws as
/// one strip per layer. Kept bounded for a session of hours: each point stands for `stride`
/// consecutive samples (their mean step and mean value), and when a series passes `maxPoints`
/// neighbouring points are merged in pairs and the stride doubles. The strip keeps the whole run,
/// evenly resolved, from its first steps on; memory stops growing at `maxPoints` a layer. A merge
/// touches the whole series but comes once per `maxPoints / 2` new points: O(1) amortized per
/// sample.
struct LayerRatioHistory: Equatable {
    /// Points kept per layer: several times the dot columns of the widest strip.
    static let maxPoints = 2_048

    /// The layers' names, in the order of the samples (hidden layers, then the output layer).
    private(set) var layers: [String] = []
    /// One series per layer: x the step, y log10(update:data) — −∞ for a layer that did not move,
    /// NaN where the ratio is undefined (a gap on the strip): weights with no spread (zeros or a
    /// constant, where rounding alone makes it 0 or ∞) or a diverged step.
    private(set) var series: [[ChartPoint]] = []
    /// Samples per point; the last point may hold fewer (`lastCount`), the newest ones.
    private(set) var stride = 1
    private(set) var lastCount = 0

    var isEmpty: Bool { series.allSatisfy(\.isEmpty) }

    /// The first and the newest step sampled (the points between hold means of steps).
    var steps: ClosedRange<Double>? {
        guard !isEmpty, firstStep <= newestStep else { return nil }
        return firstStep...newestStep
    }
    private var firstStep = Double.infinity
    private var newestStep = -Double.infinity

    static func log10Ratio(_ ratio: Float) -> Double {
        if ratio.isNaN { return .nan }
        return ratio > 0 ? log10(Double(ratio)) : -.infinity
    }

    /// W has no spread (all zeros, or one constant): std(W) is 0, so update:data and grad:data,
    /// ratios to it, say nothing.
    static func hasNoSpread(_ s: LayerStatistics) -> Bool { s.weight.standardDeviation == 0 }

    /// log10(update:data) of one layer's sample as the strip plots it: NaN (a gap) where W has no
    /// spread.
    static func log10UpdateRatio(_ s: LayerStatistics) -> Double {
        hasNoSpread(s) ? .nan : log10Ratio(s.updateToData)
    }

    /// Adds one sample's ratios. A sample with other layers (another network) starts over; one not
    /// after the last step taken (a restarted replay) is dropped so the series stay in step order.
    mutating func append(_ sample: SessionOutput.LayerSample) {
        let names = sample.layers.map(\.layer)
        if names != layers {
            self = LayerRatioHistory()
            layers = names
            series = Array(repeating: [], count: names.count)
        }
        let step = Double(sample.step)
        if step <= newestStep { return }
        newestStep = step
        firstStep = min(firstStep, step)
        let joins = lastCount > 0 && lastCount < stride
        for (i, s) in sample.layers.enumerated() {
            let point = ChartPoint(x: step, y: Self.log10UpdateRatio(s))
            if joins {
                series[i][series[i].count - 1] = Self.mean(series[i][series[i].count - 1], lastCount, point, 1)
            } else {
                series[i].append(point)
            }
        }
        lastCount = joins ? lastCount + 1 : 1
        if (series.first?.count ?? 0) > Self.maxPoints { compact() }
    }

    /// Merges neighbouring points in pairs and doubles the stride.
    private mutating func compact() {
        var last = lastCount
        for i in series.indices {
            let points = series[i]
            var merged: [ChartPoint] = []
            merged.reserveCapacity(points.count / 2 + 1)
            var k = 0
            while k < points.count {
                let wa = k == points.count - 1 ? lastCount : stride
                if k + 1 < points.count {
                    let wb = k + 1 == points.count - 1 ? lastCount : stride
                    merged.append(Self.mean(points[k], wa, points[k + 1], wb))
                    if k + 2 >= points.count { last = wa + wb }
                } else {
                    merged.append(points[k])
                    last = wa
                }
                k += 2
            }
            series[i] = merged
        }
        stride *= 2
        lastCount = last
    }

    /// The weighted mean of two points. A non-finite value stays non-finite (∞ + finite = ∞): a
    /// layer that blew up must not average away, and a point holding a gap (NaN) stays a gap.
    static func mean(_ a: ChartPoint, _ wa: Int, _ b: ChartPoint, _ wb: Int) -> ChartPoint {
        let (p, q) = (Double(wa), Double(wb))
        return ChartPoint(x: (a.x * p + b.x * q) / (p + q), y: (a.y * p + b.y * q) / (p + q))
    }

    /// The history up to `step` (inclusive): a fork's, from its parent's. The last point kept may
    /// have been a full one: it counts as full (a fork's first points are the parent's anyway).
    func upTo(step: Int) -> LayerRatioHistory {
        var h = self
        h.series = series.map { $0.filter { $0.x <= Double(step) } }
        if h.series.first?.count != series.first?.count { h.lastCount = stride }
        h.newestStep = min(newestStep, Double(step))
        return h
    }
}
