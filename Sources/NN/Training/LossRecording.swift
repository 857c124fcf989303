/// Which loss a training step reports for its batch.
///
/// - `preUpdate`: the train-mode loss of the forward pass that computed the gradient, i.e. before
///   the update. It costs nothing extra; the dashboard, `train` and `compare` show it.
/// - `postUpdateInference`: the loss of the same batch after the update, in inference mode (no
///   dropout, BatchNorm on its running statistics) — what the book's scripts record
///   (`optimizer_compare_mnist.py`, `weight_init_compare.py`). One extra forward pass a step. Early
///   in training it is clearly lower than the pre-update loss, and it orders close curves as the
///   book's figures do.
public enum LossRecording: String, Sendable, Hashable, Codable, CaseIterable {
    case preUpdate
    case postUpdateInference

    /// What a chart or a report calls the loss it shows.
    public var label: String {
        switch self {
        case .preUpdate: "batch loss before the update, train mode"
        case .postUpdateInference: "batch loss after the update, inference mode, as the book records it"
        }
    }
}
