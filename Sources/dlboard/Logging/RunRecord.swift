import Foundation
import NN

/// A run record read back from its JSON Lines file: one `RecordedRun` per run, in the order their
/// headers appear. Replay and export work from this.
struct RunRecord {
    /// The record format this dlboard writes and reads (the header's `version`).
    static let formatVersion = 1

    var path: String
    var runs: [RecordedRun]
    /// What was skipped on the way (a torn last line after `kill -9`, unreadable lines).
    var warnings: [String]
    /// A search's records, in file order: each trial's drawn values, successive halving's rung
    /// decisions and its verdict (the last `halving` record), population-based training's exploits.
    /// Their run ids are the runs' `id`s (`runNumbers` gives the 1-based numbers shown).
    var trials: [TrialRecord] = []
    var rungs: [RungRecord] = []
    var halving: HalvingRecord?
    var exploits: [ExploitRecord] = []

    /// Whether the record holds any search record (a search preset wrote it).
    var isSearch: Bool { !trials.isEmpty || !rungs.isEmpty || halving != nil || !exploits.isEmpty }

    /// Run ids → the 1-based numbers replay and export give them, built once for many lookups.
    var runNumbers: RunNumbers { RunNumbers(runs) }

    /// The number of a run is its header's place in the file (the last header of an id, which its
    /// records go to, as the reader files them); a run
    /// without a header gets id + 1, the number it would have had.
    struct RunNumbers {
        private var byID: [Int: Int] = [:]

        init(_ runs: [RecordedRun]) {
            for (n, run) in runs.enumerated() { byID[run.id] = n + 1 }
        }

        func callAsFunction(_ id: Int) -> Int { byID[id] ?? (id < Int.max ? id + 1 : id) }

        /// The number of the run with this id when the record has its header.
        func header(_ id: Int) -> Int? { byID[id] }
    }

    /// One run's records, each with `t`, the seconds since the log was opened.
    struct RecordedRun {
        var id: Int
        var title: String?
        var config: TrainingConfig
        var datasetName: String
        var datasetChecksum: String?
        var trainSize: Int
        /// A fork's parent run and the step it was forked at.
        var parent: Int?
        var forkStep: Int?
        var headerTime: Double
        /// The wall-clock time at `t` = 0 (from the header's `created`), when recorded.
        var startDate: Date?
        var steps: [Step] = []
        var evaluations: [Evaluation] = []
        var events: [Event] = []
        var histograms: [Histogram] = []
        /// Per-layer statistics, one record per layer (see `layerSamples`).
        var layers: [Layer] = []
        /// All of the above in file order (the order they happened), as indices into their arrays.
        var sequence: [Entry] = []
        /// The summary's stop reason, when there is a summary and it gives one.
        var stopped: StopReason?
        var hasSummary = false

        var stepsPerEpoch: Int { max(1, trainSize / max(1, config.batchSize)) }

        /// The layer records grouped back into the samples the session published: one per step,
        /// its layers in order (a new sample starts at a new step or at a layer number that does not
        /// go up, so a record with a layer missing still splits where it should).
        var layerSamples: [SessionOutput.LayerSample] {
            var samples: [SessionOutput.LayerSample] = []
            var lastLayer = 0
            for r in layers {
                if let last = samples.last, last.step == r.step, r.layer > lastLayer {
                    samples[samples.count - 1].layers.append(r.statistics)
                } else {
                    samples.append(.init(step: r.step, layers: [r.statistics]))
                }
                lastLayer = r.layer
            }
            return samples
        }
    }

    enum Entry: Equatable {
        case step(Int)
        case evaluation(Int)
        case event(Int)
        case histogram(Int)
        case layer(Int)
    }

    /// The records of a run are the schema's record types.
    typealias Step = StepRecord
    typealias Evaluation = EvalRecord
    typealias Event = EventRecord
    typealias Histogram = HistogramRecord
    typealias Layer = LayerRecord
}
