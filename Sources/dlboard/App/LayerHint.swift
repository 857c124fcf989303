import Foundation
import NN

/// The one-line hint the screen shows beside a layer's verdict, in the book's vocabulary: what the
/// numbers mean and the remedy, with the key that applies it in parentheses — looked up in
/// `KeyMap`, so the text follows the bindings. At most 100 columns for any layer number below 10
/// and any ratio the statistics can give (±∞ included).
enum LayerHint {
    /// `layer` is the 1-based Affine index the screen shows ("layer 3").
    static func line(layer: Int, verdict: LayerVerdict) -> String? {
        let initKey = KeyMap.keyName(for: .nextInitializer)
        let batchNormKey = KeyMap.keyName(for: .toggleBatchNorm)
        switch verdict {
        case .healthy:
            return nil
        case .symmetric(let units, let distinct):
            return "layer \(layer): \(units) units, \(distinct) distinct — copies learn alike: break the symmetry "
                + "with random weights (\(initKey))"
        case .learningRateTooHigh(let r):
            return "layer \(layer) updates are 10^\(decimal(r)) of its weights: the learning rate is too high "
                + "for it — try \(KeyMap.keyName(for: .learningRateDown))"
        case .learningRateTooLow(let r):
            return "layer \(layer) updates are 10^\(decimal(r)) of its weights: it hardly learns — a higher "
                + "learning rate (\(KeyMap.keyName(for: .learningRateUp)))"
        case .vanishing(let d):
            return "layer \(layer)'s gradient is 10^\(decimal(d)) of the output layer's: it vanished — "
                + "He/Xavier (\(initKey)), BatchNorm (\(batchNormKey))"
        case .exploding(let d):
            return "layer \(layer)'s gradient is 10^\(decimal(d)) of the output layer's: it explodes — "
                + "He/Xavier (\(initKey)), BatchNorm (\(batchNormKey))"
        case .dead(let f):
            return "layer \(layer): \(Int((f * 100).rounded())) % of its ReLU units are dead (0 for every sample) — "
                + "a lower lr (\(KeyMap.keyName(for: .learningRateDown))) or Leaky ReLU (\(KeyMap.keyName(for: .nextActivation)))"
        }
    }

    /// One decimal, "+" never shown: 10^-1.1, 10^0.3.
    static func decimal(_ v: Float) -> String {
        guard v.isFinite else { return v > 0 ? "∞" : "-∞" }
        return String(format: "%.1f", Double(v))
    }
}
