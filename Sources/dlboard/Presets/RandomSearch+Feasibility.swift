import Foundation
import NN

extension RandomSearch {
    /// Refuses a space with a value the engine would not train, before any trial starts: each
    /// knob's ends (every option of a choice) put into `base` alone — β with each optimizer the
    /// space or the base has — checked as `refusal(of:trainCount:)` checks a trial. The knobs are
    /// validated independently of each other, so the ends are where a bad value first shows. Then
    /// the largest network and batch the space can draw, two at once (one a core), must fit in memory.
    static func check(_ space: SearchSpace, base: TrainingConfig, dataset: Dataset) throws(SearchError) {
        let trainCount = dataset.train.count
        func options(_ d: SearchDimension?) -> [SearchValue]? {
            guard case .choice(let o)? = d else { return nil }
            return o.map { .choice($0) }
        }
        let optimizers = options(space.dimension(of: .optimizer)) ?? [.choice(base.optimizer.rawValue)]
        for axis in space.axes {
            let values =
                options(axis.dimension) ?? [axis.dimension.value(atUnit: 0), axis.dimension.value(atUnit: 1)]
            for value in values {
                for optimizer in axis.knob == .beta ? optimizers.map(Optional.some) : [nil] {
                    var point = [axis.knob: value]
                    point[.optimizer] = optimizer
                    let config = SearchSpace.apply(SearchSpace.applicable(point, to: base), to: base)
                    if let why = refusal(of: config, trainCount: trainCount) {
                        let entry = "\(axis.knob.rawValue)=\(axis.dimension.spec)"
                        throw SearchError(
                            "'\(entry)': a trial at \(axis.knob.rawValue) \(value.text) is refused: \(why)")
                    }
                }
            }
        }
        var largest: [SearchKnob: SearchValue] = [:]
        for knob in [SearchKnob.layers, .units, .batchSize] {
            guard let d = space.dimension(of: knob) else { continue }
            if case .choice(let o) = d {
                largest[knob] = o.compactMap { Int($0) }.max().map { .integer($0) }
            } else {
                largest[knob] = d.value(atUnit: 1)
            }
        }
        guard !largest.isEmpty else { return }
        let config = SearchSpace.apply(largest, to: base)
        do { try MemoryEstimate.check([config, config], data: dataset) } catch {
            let knobs = largest.keys.map(\.rawValue).sorted().joined(separator: ", ")
            throw SearchError("the largest trials (\(knobs) at their top, two at a time): \(error.message)")
        }
    }
}
