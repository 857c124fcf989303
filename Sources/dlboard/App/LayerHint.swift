import Foundation
import NN

/// The hint the screen shows beside a layer's verdict, in the book's vocabulary: what the numbers
/// mean and the remedy, with the key that applies it in parentheses — looked up in `KeyMap`, so
/// the text follows the bindings. `line` is the whole sentence, at most 100 columns for any layer
/// number below 10 and any ratio the statistics can give (±∞ included); `short` says the verdict
/// and the remedy in at most 38 columns (a comparison pane at 80 columns) for layers below 100.
///
/// `steerable` is false where keys cannot change the run (a replay, whose `-` slows the replay):
/// the hint then names the remedy without a key.
enum LayerHint {
    /// `layer` is the 1-based Affine index the screen shows ("layer 3").
    static func line(layer: Int, verdict: LayerVerdict, steerable: Bool = true) -> String? {
        let keys = Keys(steerable: steerable)
        switch verdict {
        case .healthy:
            return nil
        case .symmetric(let units, let distinct):
            return "layer \(layer): \(units) units, \(distinct) distinct — copies learn alike: break the symmetry "
                + "with random weights\(keys.in(.nextInitializer))"
        case .learningRateTooHigh(let r):
            return "layer \(layer) updates are 10^\(decimal(r)) of its weights: the learning rate is too high "
                + "for it — " + (steerable ? "try \(KeyMap.keyName(for: .learningRateDown))" : "try a lower one")
        case .learningRateTooLow(let r):
            return "layer \(layer) updates are 10^\(decimal(r)) of its weights: it hardly learns — a higher "
                + "learning rate\(keys.in(.learningRateUp))"
        case .vanishing(let d):
            return "layer \(layer)'s gradient is 10^\(decimal(d)) of the output layer's: it vanished — "
                + "He/Xavier\(keys.in(.nextInitializer)), norm\(keys.in(.cycleNormalization))"
        case .exploding(let d):
            return "layer \(layer)'s gradient is 10^\(decimal(d)) of the output layer's: it explodes — "
                + "He/Xavier\(keys.in(.nextInitializer)), norm\(keys.in(.cycleNormalization))"
        case .dead(let f):
            return "layer \(layer): \(percent(f)) % of its ReLU units are dead (0 for every input) — "
                + "a lower lr\(keys.in(.learningRateDown)) or Leaky ReLU\(keys.in(.nextActivation))"
        }
    }

    /// The verdict and its remedy in at most 38 columns: "L4 lr too high (10^-0.7): try -".
    static func short(layer: Int, verdict: LayerVerdict, steerable: Bool = true) -> String? {
        let keys = Keys(steerable: steerable)
        let down = KeyMap.keyName(for: .learningRateDown)
        let up = KeyMap.keyName(for: .learningRateUp)
        switch verdict {
        case .healthy:
            return nil
        case .symmetric:
            return "L\(layer) symmetric: random init\(keys.in(.nextInitializer))"
        case .learningRateTooHigh(let r):
            return "L\(layer) lr too high (10^\(decimal(r))): " + (steerable ? "try \(down)" : "lower it")
        case .learningRateTooLow(let r):
            return "L\(layer) lr too low (10^\(decimal(r))): " + (steerable ? "try \(up)" : "raise it")
        case .vanishing:
            return "L\(layer) vanishing: He/Xavier\(keys.in(.nextInitializer)), BN\(keys.in(.cycleNormalization))"
        case .exploding:
            return "L\(layer) exploding: He/Xavier\(keys.in(.nextInitializer)), BN\(keys.in(.cycleNormalization))"
        case .dead(let f):
            return "L\(layer) \(percent(f))% dead: lr\(keys.in(.learningRateDown)), leaky\(keys.in(.nextActivation))"
        }
    }

    /// " (k)" for the key bound to an action, or nothing where keys do not steer.
    private struct Keys {
        var steerable: Bool
        func `in`(_ action: Action) -> String { steerable ? " (\(KeyMap.keyName(for: action)))" : "" }
    }

    private static func percent(_ f: Float) -> Int { Int((f * 100).rounded()) }

    /// One decimal, "+" never shown: 10^-1.1, 10^0.3.
    static func decimal(_ v: Float) -> String {
        // NaN: a diverging step's update (`LayerVerdict` reads it as too high).
        if v.isNaN { return "NaN" }
        guard v.isFinite else { return v > 0 ? "∞" : "-∞" }
        return String(format: "%.1f", Double(v))
    }
}
