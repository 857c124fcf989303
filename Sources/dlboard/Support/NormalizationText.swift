import NN

extension Normalization {
    /// How the status bar and the pane titles name the setting: "BN on", "LN on", or — without
    /// normalization — "BN off", the words of the book's switch from before there was a choice.
    var switchText: String {
        switch self {
        case .none: "BN off"
        case .batch: "BN on"
        case .layer: "LN on"
        }
    }
}
