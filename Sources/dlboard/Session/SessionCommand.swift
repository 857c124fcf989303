import NN

/// A change the user asks of a running session. Applied by the training thread between two steps.
enum SessionCommand: Sendable, Equatable {
    /// A fresh optimizer of this kind (state restarts at 0), at the book's default learning rate.
    case setOptimizer(OptimizerKind)
    /// Keeps optimizer state.
    case setLearningRate(Float)
    /// Draws new weights from this initializer (and restarts optimizer state and BatchNorm).
    case reinitialize(Initializer)
    case setActivation(Activation)
    case setBatchNorm(Bool)
    case setDropout(Float)
    case setWeightDecay(Float)
    case pause
    case resume
    /// One step while paused.
    case stepOnce
    /// Fresh weights from the current initializer and a fresh optimizer; curves are kept.
    case restart
    /// A copy of the run from where it stands (weights, optimizer state, batch position), added
    /// beside it; switches sent to the copy leave the original alone.
    case fork
}
