import NN

extension LossRecording {
    /// What a loss chart's title calls its curve: the dashboard's own loss is plain "loss" (before
    /// the update, as the README's keys and charts describe it); the book's loss says so.
    var chartTitle: String {
        switch self {
        case .preUpdate: "loss"
        case .postUpdateInference: "loss after update (eval)"
        }
    }
}
